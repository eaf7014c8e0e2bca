"""The located YAML loader: libyaml for speed, with the pure-Python loader's errors and limits."""

import subprocess
import sys

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
