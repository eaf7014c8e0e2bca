"""Custom directives (`directives:`): Python and JavaScript functions at load time and at runtime, and their
located errors."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from stacktape_pulumi.directives import interpreters
from stacktape_pulumi.engine import Recording

FUNCTION = "aws:lambda/function:Function"
PY = """
def upper(text):
    return text.upper()


def boom(value):
    raise ValueError(f"bad input {value}")


def main(a, b):
    return {"sum": a + b, "parts": [a, b]}
"""
MJS = "export function greet(name) { return `hello ${name}`; }\nexport default async (n) => n * 2;\n"
CJS = "module.exports = { shout: (text) => text + '!' };\n"
DEFINITIONS = """
directives:
  - {name: Upper, filePath: "directives.py:upper"}
  - {name: Boom, filePath: "directives.py:boom"}
  - {name: Sum, filePath: directives.py}
  - {name: Greet, filePath: "dirs.mjs:greet"}
  - {name: Double, filePath: dirs.mjs}
  - {name: Shout, filePath: "dirs.cjs:shout"}
"""


def with_function(*environment: str) -> str:
    variables = "".join(f"        - {line}\n" for line in environment)
    return (DEFINITIONS + "resources:\n  queue: {type: sqs-queue}\n  fn:\n    type: function\n    properties:\n"
            "      packaging: {type: custom-artifact, properties: {packagePath: h.py, handler: h.py:handler}}\n"
            "      runtime: python3.12\n      environment:\n" + variables)


@pytest.fixture(autouse=True)
def directive_files(tmp_path: Path) -> None:
    (tmp_path / "directives.py").write_text(PY)
    (tmp_path / "dirs.mjs").write_text(MJS)
    (tmp_path / "dirs.cjs").write_text(CJS)
    (tmp_path / "h.py").write_text("def handler(event, context):\n    return None\n")


def environment(rec: Recording) -> dict[str, str]:
    found: dict[str, str] = rec.one(FUNCTION).inputs["environment"]["variables"]
    return found


def test_python_and_javascript_directives_resolve_at_load_time(preview: Callable[[str], Recording]) -> None:
    rec = preview(with_function(
        "{name: UP, value: $Upper($Stage())}",
        "{name: SUM, value: \"$Sum(1, 2).sum\"}",
        "{name: SECOND, value: \"$Sum(1, 2).parts.1\"}",
        "{name: GREET, value: $Greet($Upper('x'))}",
        "{name: DOUBLE, value: $Double(21)}",
        "{name: SHOUT, value: $Shout('hey')}",
    ))
    assert environment(rec) == {"UP": "DEV", "SUM": "3", "SECOND": "2", "GREET": "hello X", "DOUBLE": "42",
                                "SHOUT": "hey!"}


def test_a_runtime_argument_makes_the_call_happen_at_runtime(preview: Callable[[str], Recording]) -> None:
    rec = preview(with_function("{name: QUEUE, value: \"$Upper($ResourceParam('queue', 'name'))\"}"))
    assert environment(rec) == {"QUEUE": "STACKTAPE-DEV-QUEUE"}
    # A call with a secret argument is a secret: the function's environment is masked as a whole.
    rec = preview(with_function("{name: SECRET, value: \"$Upper($Secret('api.key'))\"}"))
    assert rec.one(FUNCTION).inputs["environment"] == "[secret]"
    assert rec.one(FUNCTION).secret_inputs == ["environment"]


def test_errors_inside_a_directive_are_located_at_the_call(config_errors: Callable[[str], list[str]]) -> None:
    assert config_errors(with_function(
        "{name: BOOM, value: $Boom(3)}",
        "{name: NOPE, value: $Uper('x')}",
        "{name: BAD, value: \"$Greet($Upper(1))\"}",
    )) == [
        "stacktape.yml:16:31: resources.fn.properties.environment[0].value: $Boom raised ValueError: bad input 3",
        "stacktape.yml:17:31: resources.fn.properties.environment[1].value: Unknown directive $Uper. Built-in "
        "directives: $CfFormat, $CfResourceParam, $CfStackOutput, $CliArgs, $File, $FileRaw, $Format, $GitInfo, "
        "$Region, "
        "$ResourceParam, $Secret, $SsmParam, $StackOutput, $Stage, $This, $Var. Custom directives of this config "
        "(its 'directives' section): $Boom, $Double, $Greet, $Shout, $Sum, $Upper. (hint: did you mean $Upper?)",
        "stacktape.yml:18:30: resources.fn.properties.environment[2].value: $Upper raised AttributeError: 'int' "
        "object has no attribute 'upper'",
    ]


def test_without_a_directives_section_unknown_names_say_where_to_define_them(
        config_errors: Callable[[str], list[str]]) -> None:
    assert config_errors("resources:\n  queue:\n    type: sqs-queue\n    properties:\n"
                         "      delayMessagesSeconds: $Seconds()\n") == [
        "stacktape.yml:5:29: resources.queue.properties.delayMessagesSeconds: Unknown directive $Seconds. Built-in "
        "directives: $CfFormat, $CfResourceParam, $CfStackOutput, $CliArgs, $File, $FileRaw, $Format, $GitInfo, "
        "$Region, "
        "$ResourceParam, $Secret, $SsmParam, $StackOutput, $Stage, $This, $Var. (hint: define a custom directive "
        "in the top-level 'directives' section ({name, filePath}))",
    ]


def test_definitions_are_checked_first(config_errors: Callable[[str], list[str]], tmp_path: Path) -> None:
    assert config_errors("""
        directives:
          - {name: Nothere, filePath: "directives.py:nothere"}
          - {name: Format, filePath: directives.py}
          - {name: Gone, filePath: gone.py}
          - {name: Txt, filePath: notes.txt}
          - {name: 1st, filePath: directives.py}
          - {name: Greet, filePath: "dirs.mjs:greet"}
          - {name: Greet, filePath: "dirs.mjs"}
        resources: {}
        """) == [
        "stacktape.yml:2:31: directives[0].filePath: directives.py has no function 'nothere'; its functions: boom, "
        "main, upper",
        "stacktape.yml:3:12: directives[1].name: custom directive $Format has the name of a built-in directive "
        "(hint: choose another name)",
        f"stacktape.yml:4:28: directives[2].filePath: custom directive file 'gone.py' does not exist (looked for "
        f"{tmp_path}/gone.py) (hint: paths are relative to the config file's directory)",
        "stacktape.yml:5:27: directives[3].filePath: custom directive file 'notes.txt' is not a Python, JavaScript "
        "or TypeScript file; allowed extensions: .py, .js, .mjs, .cjs, .ts, .mts, .cts",
        "stacktape.yml:6:12: directives[4].name: custom directive name '1st' is not valid: letters, digits and "
        "'_', not starting with a digit (hint: e.g. MyCustomDirective, used as $MyCustomDirective('input'))",
        "stacktape.yml:8:12: directives[6].name: custom directive $Greet is defined twice",
    ]


def test_javascript_and_typescript_need_node(config_errors: Callable[[str], list[str]], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "dirs.ts").write_text("export default (x: number): number => x;\n")
    text = 'directives:\n  - {name: Ts, filePath: "dirs.ts"}\n  - {name: Js, filePath: "dirs.mjs"}\nresources: {}\n'
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/node" if name == "node" else None)
    monkeypatch.setattr(interpreters, "_node_version", lambda node: (20, 11))
    assert config_errors(text) == [
        f"stacktape.yml:2:26: directives[0].filePath: custom directive $Ts: running TypeScript file "
        f"'{tmp_path}/dirs.ts' needs 'tsx' on PATH (npm install --global tsx) or Node.js 22.6 or newer (this is "
        "20.11)",
    ]
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert config_errors(text)[1] == (
        f"stacktape.yml:3:26: directives[1].filePath: custom directive $Js: running '{tmp_path}/dirs.mjs' needs "
        "Node.js ('node' on PATH): install it from https://nodejs.org")
