"""The located YAML loader: libyaml for speed, with the pure-Python loader's errors and limits."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from stacktape_pulumi.config import loader
from stacktape_pulumi.config.loader import load_yaml_text
from stacktape_pulumi.errors import ConfigError

BROKEN = [
    "resources:\n  api: [unclosed\n",
    "a: 1\n b: 2\n",
    "a: *missing\n",
    "a: &x 1\nb: &x 2\n",
    "? [a]\n: 1\n",
    "a: !!python/object:os.system x\n",
    "a: 'unterminated\n",
    "- a\nb: 1\n",
    "a:\tb\n\tc: 1\n",
    "x: é\ny: 'ü\b'\n",
    "a: " + "[" * 201 + "]" * 201,
]


def _errors(text: str) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        load_yaml_text(text, "f.yml")
    return [issue.render() for issue in raised.value.issues]


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML was built without libyaml here")
@pytest.mark.parametrize("text", BROKEN)
def test_errors_read_the_same_with_and_without_libyaml(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert loader._LIBYAML
    with_libyaml = _errors(text)
    monkeypatch.setattr(loader, "_LIBYAML", False)
    assert _errors(text) == with_libyaml


def test_syntax_errors_name_what_was_expected() -> None:
    assert _errors("resources:\n  api: [unclosed\n") == [
        "f.yml:3:1: YAML syntax error: expected ',' or ']', but got '<stream end>' "
        "(hint: check indentation, quotes and the ':' after each key)"]
    assert _errors("a: *missing\n") == [
        "f.yml:1:4: YAML syntax error: found undefined alias 'missing' "
        "(hint: check indentation, quotes and the ':' after each key)"]


def test_a_control_character_is_located_in_characters_not_bytes() -> None:
    assert _errors("x: é\ny: 'ü\b'\n") == [
        "f.yml:2:6: character U+0008 is not allowed in YAML "
        "(hint: remove it, or write it as an escape inside a double-quoted string)"]


@pytest.mark.parametrize("depth", [201, 200_000])
def test_nesting_past_the_limit_is_refused_before_composing(depth: int) -> None:
    # libyaml's composer recurses in C: 100,000 levels overflow the C stack and kill the process, so
    # this runs in a child process, where a crash is a failed exit code rather than a lost test run.
    script = ("import sys\nfrom stacktape_pulumi.config.loader import load_yaml_text\n"
              "from stacktape_pulumi.errors import ConfigError\n"
              f"text = 'a: ' + '[' * {depth} + ']' * {depth}\n"
              "try:\n    load_yaml_text(text, 'f.yml')\n"
              "except ConfigError as exc:\n    print(exc.render())\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "f.yml:1:204: the document nests deeper than 200 levels (hint: flatten the structure)\n"


def test_two_hundred_levels_are_allowed() -> None:
    nested: list[object] = []
    for _ in range(199):
        nested = [nested]
    assert load_yaml_text("a: " + "[" * 200 + "]" * 200, "f.yml").data == {"a": nested}


def test_leading_byte_order_marks_are_not_content() -> None:
    loaded = load_yaml_text("\ufeff\ufeffa: 1\nb: x\n", "f.yml")
    assert loaded.data == {"a": 1, "b": "x"}
    assert loaded.source.value_position(("b",)) == loader.Position(2, 4)


# Plain YAML with every scalar kind the safe resolver knows, keys that are not strings, block scalars.
PLAIN = """\
a: yes
b: 0x1F
c: 1e3
d: 2020-01-01
e: ~
f: ''
g: "quoted 1"
h: '123'
i: .inf
j: 1_000
k: [1, 2.5, true, null, "x", {m: [n]}]
1: one
true: t
null: n
"": empty key
! tagged: 3
nested: {x: {y: [ {z: 1} ]}}
multi: |
  line1
  line2
folded: >
  a
  b
list:
- - 1
  - two
- k: v
"""
EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "programs" / "examples").glob("*.yml"))
# The examples that use anchors and aliases, which only the composing path expands.
WITH_ALIASES = ["event-driven.yml"]


def _loaded(result: loader.LoadedYaml) -> tuple[object, object, object]:
    return result.data, result.source.keys, result.source.values


@pytest.mark.parametrize("text", [PLAIN, "", "---\n", "null\n", "just text\n", "- 1\n- [2]\n",
                                  *(path.read_text() for path in EXAMPLES if path.name not in WITH_ALIASES)])
def test_the_event_pass_builds_what_the_composer_builds(text: str) -> None:
    assert _loaded(loader._load_plain(text, "f.yml")) == _loaded(loader._load_composed(text, "f.yml"))


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: 2\n",            # an anchor
    "a: [1]\nb: &l [2]\nc: *l\n",  # an alias
    "a: !!str 1\n",               # an explicit tag
    "base: {x: 1}\nc:\n  <<: {x: 2}\n  y: 3\n",  # a merge key
    "a: 1\na: 2\n",               # a duplicate key
    "? [a]\n: 1\n",               # a key that is no scalar
    "= : 1\n",                    # the value key
    "a: 1\n---\nb: 2\n",          # two documents
    "a: " + "[" * 201 + "]" * 201,  # past the depth limit
])
def test_documents_beyond_plain_yaml_take_the_composing_path(text: str) -> None:
    with pytest.raises(loader._NotPlain):
        loader._load_plain(text, "f.yml")


@pytest.mark.parametrize("name", WITH_ALIASES)
def test_examples_with_aliases_are_composed(name: str) -> None:
    text = next(path for path in EXAMPLES if path.name == name).read_text()
    with pytest.raises(loader._NotPlain):
        loader._load_plain(text, "f.yml")
    assert _loaded(load_yaml_text(text, "f.yml")) == _loaded(loader._load_composed(text, "f.yml"))


def test_plain_yaml_is_built_in_one_pass_over_the_events(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_composing(text: str, file: str) -> loader.LoadedYaml:
        raise AssertionError("composed")
    monkeypatch.setattr(loader, "_load_composed", no_composing)
    loaded = load_yaml_text("a:\n  b: [1, x]\n", "f.yml")
    assert loaded.data == {"a": {"b": [1, "x"]}}
    assert loaded.source.keys == {("a",): (1, 1), ("a", "b"): (2, 3)}
    assert loaded.source.values == {(): (1, 1), ("a",): (2, 3), ("a", "b"): (2, 6), ("a", "b", 0): (2, 7),
                                    ("a", "b", 1): (2, 10)}
