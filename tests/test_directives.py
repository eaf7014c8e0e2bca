"""Directives: parser, registry checks, local resolution with located errors, runtime Outputs."""

import shutil
import subprocess
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

import pulumi
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stacktape_pulumi.config.loader import load_yaml_text
from stacktape_pulumi.directives.local import GIT_COMMANDS, LocalContext, parse_env_file, resolve_local
from stacktape_pulumi.directives.parser import (
    Directive,
    DirectiveSyntaxError,
    Literal,
    Node,
    is_directive,
    parse,
    render,
)
from stacktape_pulumi.directives.refs import DirectiveResolutionError, SecretRef, SsmParamRef
from stacktape_pulumi.directives.registry import (
    BUILTINS,
    GIT_INFO_PROPERTIES,
    Kind,
    contains_runtime,
    validate,
)
from stacktape_pulumi.directives.runtime import (
    RuntimeResolver,
    find_runtime,
    resource_references,
)
from stacktape_pulumi.errors import ConfigError, Problem

D = Directive
L = Literal

# ---------------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------------

PARSED: list[tuple[str, Directive]] = [
    ("$Stage()", D("Stage")),
    ("$Stage( )", D("Stage")),
    ("$Var().a.b", D("Var", (), ("a", "b"))),
    ("$Var().items.0.name", D("Var", (), ("items", "0", "name"))),
    ("$Var('name')", D("Var", (L("name"),))),
    ('$Var("name")', D("Var", (L("name"),))),
    ("$Format('{}-{}', $Stage(), $Region())", D("Format", (L("{}-{}"), D("Stage"), D("Region")))),
    ("$CliArgs(port, 8080)", D("CliArgs", (L("port"), L(8080)))),
    ("$CliArgs(x, -1.5)", D("CliArgs", (L("x"), L(-1.5)))),
    ("$CliArgs(x, 1e3)", D("CliArgs", (L("x"), L(1000.0)))),
    ("$CliArgs(x, true)", D("CliArgs", (L("x"), L(True)))),
    ("$CliArgs(x, false)", D("CliArgs", (L("x"), L(False)))),
    ("$CliArgs(  hello   world , 007 )", D("CliArgs", (L("hello   world"), L(7)))),
    ("$CliArgs(x, 1e999)", D("CliArgs", (L("x"), L("1e999")))),
    ("$Secret(api-keys.stripe)", D("Secret", (L("api-keys.stripe"),))),
    ("$Var('5')", D("Var", (L("5"),))),
    ("$Format('it\\'s \\\\ {}', \"say \\\"hi\\\"\")", D("Format", (L("it's \\ {}"), L('say "hi"')))),
    ("$Format('a\\nb')", D("Format", (L("a\\nb"),))),
    ("$Format(\"it's\")", D("Format", (L("it's"),))),
    ("$Format('(,)$Stage()')", D("Format", (L("(,)$Stage()"),))),
    ("$Format('{}', $File('a.json').db.host)",
     D("Format", (L("{}"), D("File", (L("a.json"),), ("db", "host"))))),
    ("$CfFormat('{}',\n  $ResourceParam('a', 'b'))",
     D("CfFormat", (L("{}"), D("ResourceParam", (L("a"), L("b")))))),
    ("$This().resources", D("This", (), ("resources",))),
    ("$Whatever(1)", D("Whatever", (L(1),))),
]


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_parse_good(text: str, expected: Directive) -> None:
    assert parse(text) == expected
    assert is_directive(text)


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_render_is_canonical_and_round_trips(text: str, expected: Directive) -> None:
    rendered = render(expected)
    reparsed = parse(rendered)
    assert reparsed == expected
    assert reparsed is not None
    assert render(reparsed) == rendered


@pytest.mark.parametrize(("node", "text"), [
    (D("Stage"), "$Stage()"),
    (D("Var", (), ("a", "0")), "$Var().a.0"),
    (D("Format", (L("it's \\"), L(1), L(2.5), L(True), D("Region"))),
     "$Format('it\\'s \\\\', 1, 2.5, true, $Region())"),
    (L("plain"), "'plain'"),
])
def test_render(node: Node, text: str) -> None:
    assert render(node) == text


@pytest.mark.parametrize("text", [
    "plain", "", "$", "$Stage", "$ Stage()", " $Stage()", "$1abc()", "api-$Stage()", "$Stage ()", "$$Stage()",
    "${Stage}", "$Stäge()",
])
def test_plain_strings_are_not_directives(text: str) -> None:
    assert parse(text) is None
    assert not is_directive(text)


def test_is_directive_accepts_any_value() -> None:
    assert not is_directive(5)
    assert not is_directive(None)
    assert is_directive("$Stage(")  # malformed, but meant as a directive


MALFORMED: list[tuple[str, str, int]] = [
    ("$Stage(", "missing ')' to close $Stage(", 0),
    ("$Format('{}', $Stage()", "missing ')' to close $Format(", 0),
    ("$Format('{}', $Stage(", "missing ')' to close $Stage(", 14),
    ("$Var('abc)", "unterminated quoted string", 5),
    ("$Var(\"abc')", "unterminated quoted string", 5),
    ("$F('a\\')", "unterminated quoted string", 3),
    ("$F(a 'b", "unterminated quoted string", 5),
    ("$Stage())", "unexpected text after the directive: ')'", 8),
    ("$Stage()-suffix", "unexpected text after the directive: '-suffix'", 8),
    ("$Stage()' trailing", "unexpected text after the directive: \"' trailing\"", 8),
    ("$F(a) and a very long tail that goes on and on",
     "unexpected text after the directive: ' and a very long tail that ...'", 5),
    ("$Stage() ", "unexpected whitespace after the directive", 8),
    ("$Var() .a", "unexpected text after the directive: ' .a'", 6),
    ("$Var().a..b", "empty property name in the path after the directive", 9),
    ("$Var().", "empty property name in the path after the directive", 7),
    ("$Var().a-b", "invalid property name 'a-b' in the path after the directive", 7),
    ("$Format('{}', $Var().)", "empty property name in the path after the directive", 21),
    ("$F(a,)", "trailing ',' in $F(...)", 4),
    ("$F(a , )", "trailing ',' in $F(...)", 5),
    ("$F(,a)", "empty argument in $F(...)", 3),
    ("$F(a,,b)", "empty argument in $F(...)", 5),
    ("$F(a(b))", "expected ',' or ')' after an argument of $F, found '('", 4),
    ("$F('a' 'b')", "expected ',' or ')' after an argument of $F, found a quoted string", 7),
    ("$F('a'b)", "expected ',' or ')' after an argument of $F, found 'b'", 6),
    ("$F($Stage()x)", "expected ',' or ')' after an argument of $F, found 'x'", 11),
    ("$F(()", "unexpected '(' in the arguments of $F", 3),
    ("$A(" * 40 + ")" * 40, "directives are nested more than 32 levels deep", 99),
]


@pytest.mark.parametrize(("text", "message", "offset"), MALFORMED)
def test_parse_malformed(text: str, message: str, offset: int) -> None:
    with pytest.raises(DirectiveSyntaxError) as caught:
        parse(text)
    assert (caught.value.message, caught.value.offset) == (message, offset)
    assert str(caught.value) == f"{message} (at character {offset + 1})"


def test_syntax_error_hints() -> None:
    with pytest.raises(DirectiveSyntaxError) as caught:
        parse("$Var('abc)")
    assert caught.value.hint == "close it with '; write \\' for a ' inside it"
    with pytest.raises(DirectiveSyntaxError) as caught:
        parse("$F(a(b))")
    assert caught.value.hint == "only $Name( starts a nested directive; quote text that contains parentheses"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_arbitrary_text_never_crashes(text: str) -> None:
    _parse_or_syntax_error(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="$Ab_(),'\"\\. 1-e\n", max_size=40).map(lambda tail: "$A(" + tail))
def test_parse_directive_like_text_never_crashes(text: str) -> None:
    directive = _parse_or_syntax_error(text)
    if directive is not None:
        # The canonical form parses to the same tree.
        assert parse(render(directive)) == directive


def _parse_or_syntax_error(text: str) -> Directive | None:
    try:
        result = parse(text)
    except DirectiveSyntaxError as exc:
        assert 0 <= exc.offset <= len(text)  # noqa: PT017 (a syntax error is one allowed outcome, not the expected one)
        return None
    assert result is None or isinstance(result, Directive)
    return result


_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
_SEGMENTS = st.one_of(_NAMES, st.from_regex(r"[0-9]{1,3}", fullmatch=True))
_LITERALS = st.builds(
    Literal,
    st.one_of(st.text(), st.integers(), st.booleans(), st.floats(allow_nan=False, allow_infinity=False)),
)
_NODES: st.SearchStrategy[Node] = st.recursive(
    _LITERALS,
    lambda children: st.builds(
        Directive, _NAMES, st.lists(children, max_size=4).map(tuple),
        st.lists(_SEGMENTS, max_size=3).map(tuple),
    ),
    max_leaves=12,
)
_DIRECTIVES = st.builds(
    Directive, _NAMES, st.lists(_NODES, max_size=4).map(tuple), st.lists(_SEGMENTS, max_size=3).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(_DIRECTIVES)
def test_render_parse_round_trip(directive: Directive) -> None:
    assert parse(render(directive)) == directive


# ---------------------------------------------------------------------------------------------
# Registry: static checks
# ---------------------------------------------------------------------------------------------

ALL_NAMES = ("$CfFormat, $CfResourceParam, $CfStackOutput, $CliArgs, $File, $FileRaw, $Format, $GitInfo, $Region, "
             "$ResourceParam, $Secret, $SsmParam, $StackOutput, $Stage, $This, $Var")
UNKNOWN_STAG = Problem((), f"Unknown directive $Stag. Built-in directives: {ALL_NAMES}.", "did you mean $Stage?")


@pytest.mark.parametrize(("text", "problems"), [
    ("$Stag()", [UNKNOWN_STAG]),
    ("$Nothing()", [Problem((), f"Unknown directive $Nothing. Built-in directives: {ALL_NAMES}.",
                            "define a custom directive in the top-level 'directives' section ({name, filePath})")]),
    ("$ResourceParam('api')",
     [Problem((), "$ResourceParam takes 2 arguments (resource name, parameter name), got 1")]),
    ("$Stage(1)", [Problem((), "$Stage takes no arguments, got 1")]),
    ("$File()", [Problem((), "$File takes 1 argument (file path), got 0")]),
    ("$CliArgs()", [Problem((), "$CliArgs takes 1 or 2 arguments (argument name, default value), got 0")]),
    ("$Var(a, b)", [Problem((), "$Var takes 0 or 1 arguments (variable name), got 2")]),
    ("$Format()", [Problem((), "$Format takes at least 1 argument (template, values...), got 0")]),
    ("$ResourceParam(api, 5)",
     [Problem((), "$ResourceParam argument 2 (parameter name) must be a string, got 5")]),
    ("$ResourceParam('', url)", [Problem((), "$ResourceParam argument 1 (resource name) must not be empty")]),
    ("$GitInfo('comit')",
     [Problem((), "$GitInfo argument 1 (property) must be one of 'commit', 'branch', 'username', 'gitUrl', "
              "got 'comit'", "did you mean 'commit'?")]),
    ("$Secret('name.')",
     [Problem((), "$Secret argument 1 (secret name) must be 'secret-name' or 'secret-name.jsonKey', "
              "got 'name.'")]),
    ("$File($ResourceParam('a', 'b'))",
     [Problem((), "Non-runtime directive $File can't be dependent on a result of runtime directive "
              "$ResourceParam.")]),
    ("$Secret($ResourceParam('a', 'b'))",
     [Problem((), "$Secret argument 1 (secret name) must be known before deployment, so it can't be the "
              "result of runtime directive $ResourceParam.")]),
    ("$CfFormat('{}')", [Problem((), "Amount of interpolated expressions and values should be the same in "
                                 "$CfFormat directive. You have 1 interpolated expressions and 0 values.")]),
    ("$Stage().x", [Problem((), 'Property with path "x" is not accessible on result of directive $Stage().',
                            "$Stage returns a string, which has no properties")]),
    ("$Format('{}', $Stag(), $Var(1))", [
        Problem((), "Amount of interpolated expressions and values should be the same in $Format directive. "
                "You have 1 interpolated expressions and 2 values."),
        UNKNOWN_STAG,
        Problem((), "$Var argument 1 (variable name) must be a string, got 1"),
    ]),
    ("$Format('{}-{}', $Stage(), $ResourceParam('db', 'host'))", []),
    ("$ResourceParam($Var().db, 'host').a.b", []),
])
def test_validate(text: str, problems: list[Problem]) -> None:
    directive = parse(text)
    assert directive is not None
    assert validate(directive) == problems


@pytest.mark.parametrize(("text", "runtime"), [
    ("$Stage()", False),
    ("$Format('{}', $Stage())", False),
    ("$Format('{}', $ResourceParam('a', 'b'))", True),
    ("$Format('{}', $Format('{}', $Secret('s')))", True),
    ("$CfFormat('x')", True),
    ("$StackOutput('s', 'o')", True),
    ("$Unknown($Stage())", False),
])
def test_contains_runtime(text: str, runtime: bool) -> None:
    directive = parse(text)
    assert directive is not None
    assert contains_runtime(directive) is runtime


def test_builtin_kinds() -> None:
    local = {name for name, spec in BUILTINS.items() if spec.kind is Kind.LOCAL}
    assert local == {"Stage", "Region", "Var", "Format", "File", "FileRaw", "GitInfo", "CliArgs", "This"}
    runtime = {name for name, spec in BUILTINS.items() if spec.kind is Kind.RUNTIME}
    assert runtime == {"ResourceParam", "CfResourceParam", "Secret", "SsmParam", "CfFormat", "StackOutput",
                       "CfStackOutput"}


# ---------------------------------------------------------------------------------------------
# Local resolution
# ---------------------------------------------------------------------------------------------

def _context(tmp_path: Path, **overrides: Any) -> LocalContext:
    values: dict[str, Any] = {"stage": "dev", "region": "eu-west-1", "config_dir": tmp_path}
    values.update(overrides)
    return LocalContext(**values)


def _resolve(text: str, tmp_path: Path, **overrides: Any) -> Any:
    loaded = load_yaml_text(text, "stacktape.yml")
    return resolve_local(loaded.data, loaded.source, _context(tmp_path, **overrides))


def _errors(text: str, tmp_path: Path, **overrides: Any) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        _resolve(text, tmp_path, **overrides)
    return caught.value.render().splitlines()


def _value(expression: str, tmp_path: Path, variables_yaml: str = "", **overrides: Any) -> Any:
    """The resolved value of one directive written as a YAML value."""
    text = f"variables:\n{variables_yaml}\n" if variables_yaml else ""
    text += f"value: {expression}\n"
    return _resolve(text, tmp_path, **overrides)["value"]


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / ".env").write_text('A=1\n# comment\n\nexport B="x y" # note\nC=z # note\n'
                                   'D=\'q\'\nE="l1\\nl2"\n')
    (tmp_path / "prod.env").write_text("TOKEN=abc\n")
    (tmp_path / ".env.staging").write_text("STAGE_TOKEN=s1\n")
    (tmp_path / "cfg.json").write_text('{"db": {"host": "db.internal", "port": 5432},'
                                       ' "hosts": ["a", "b"], "name": "$Stage()"}')
    (tmp_path / "cfg.yml").write_text("db:\n  host: yml-host\nlist: [1, 2]\n")
    (tmp_path / "cfg.yaml").write_text("key: yaml-value\n")
    (tmp_path / "cfg.ini").write_text("[DEFAULT]\nShared = s\n[server]\nHost = ini-host\nport = 80\n")
    (tmp_path / "notes.txt").write_text("línea 1\nline 2\n", encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"a": }')
    (tmp_path / "bad.env").write_text("GOOD=1\nno equals sign\n")
    return tmp_path


@pytest.mark.parametrize(("expression", "expected"), [
    ("$Stage()", "dev"),
    ("$Region()", "eu-west-1"),
    ("$Format('{}-{}', $Stage(), $Region())", "dev-eu-west-1"),
    ("$Format('{}:{}:{}:{}', $Stage(), 8080, true, 1.5)", "dev:8080:true:1.5"),
    ("$Format('no placeholders')", "no placeholders"),
    ("$Format('{} {x}', $Stage())", "dev {x}"),
    ("$File('.env')", [{"name": "A", "value": "1"}, {"name": "B", "value": "x y"},
                       {"name": "C", "value": "z"}, {"name": "D", "value": "q"},
                       {"name": "E", "value": "l1\nl2"}]),
    ("$File('prod.env')", [{"name": "TOKEN", "value": "abc"}]),
    ("$File('.env.staging')", [{"name": "STAGE_TOKEN", "value": "s1"}]),
    ("$File('cfg.json').db", {"host": "db.internal", "port": 5432}),
    ("$File('cfg.json').db.port", 5432),
    ("$File('cfg.json').hosts.1", "b"),
    ("$File('cfg.json').name", "dev"),  # a result that is a directive is resolved again
    ("$File('cfg.yml').db.host", "yml-host"),
    ("$File('cfg.yml').list.0", 1),
    ("$File('cfg.yaml')", {"key": "yaml-value"}),
    ("$File('cfg.ini')",
     {"server": {"Shared": "s", "Host": "ini-host", "port": "80"}, "DEFAULT": {"Shared": "s"}}),
    ("$File('cfg.ini').server.Host", "ini-host"),
    ("$FileRaw('notes.txt')", "línea 1\nline 2\n"),
    ("$Format('{}', $File('cfg.json').db.host)", "db.internal"),
    ("$CliArgs('foo', 3)", 3),
    ("$CliArgs('present', 3)", "given"),
    ("$CliArgs('present')", "given"),
    ("$This().other", "x"),
    ("$This().ref", "dev"),
])
def test_local_values(files: Path, expression: str, expected: Any) -> None:
    text = f"value: {expression}\nother: x\nref: $Stage()\n"
    data = _resolve(text, files, cli_args={"present": "given"})
    assert data["value"] == expected


def test_variables_both_spellings_and_nesting(tmp_path: Path) -> None:
    text = """\
variables:
  prefix: $Format('{}-{}', $Stage(), $Region())
  name: $Format('{}-api', $Var().prefix)
  sizes:
    small: 1
    list: [a, $Stage()]
resources:
  api:
    a: $Var().name
    b: $Var('name')
    c: $Var().sizes.small
    d: $Var('sizes').list.1
    e: $Var().sizes.list
"""
    data = _resolve(text, tmp_path)
    assert data["resources"]["api"] == {"a": "dev-eu-west-1-api", "b": "dev-eu-west-1-api", "c": 1,
                                        "d": "dev", "e": ["a", "dev"]}
    assert data["variables"] == {"prefix": "dev-eu-west-1", "name": "dev-eu-west-1-api",
                                 "sizes": {"small": 1, "list": ["a", "dev"]}}


def test_var_without_path_is_all_variables(tmp_path: Path) -> None:
    text = "variables:\n  a: $Stage()\n  b: 2\nvalue: $Var()\n"
    assert _resolve(text, tmp_path)["value"] == {"a": "dev", "b": 2}


def test_variables_from_context(tmp_path: Path) -> None:
    assert _value("$Var().x", tmp_path, variables={"x": "$Region()"}) == "eu-west-1"


def test_keys_are_never_resolved_and_plain_strings_stay(tmp_path: Path) -> None:
    text = "'$Stage()': $Stage()\ntext: api-$Stage()\nnumber: 5\nlist: [$Region(), plain]\n"
    assert _resolve(text, tmp_path) == {"$Stage()": "dev", "text": "api-$Stage()", "number": 5,
                                        "list": ["eu-west-1", "plain"]}


def test_input_is_not_modified(tmp_path: Path) -> None:
    loaded = load_yaml_text("variables:\n  a: $Stage()\nb: [$Var().a]\n", "stacktape.yml")
    resolved = resolve_local(loaded.data, loaded.source, _context(tmp_path))
    assert resolved == {"variables": {"a": "dev"}, "b": ["dev"]}
    assert loaded.data == {"variables": {"a": "$Stage()"}, "b": ["$Var().a"]}


@pytest.mark.parametrize(("expression", "expected"), [
    # Runtime strings stay as written when nothing local is inside ...
    ("$ResourceParam( 'db','host' )", "$ResourceParam( 'db','host' )"),
    ("$Secret('api-keys.stripe')", "$Secret('api-keys.stripe')"),
    ("$StackOutput('shared', 'url').a", "$StackOutput('shared', 'url').a"),
    # ... and local parts inside them are resolved and the string re-rendered.
    ("$CfFormat('{}:{}', $Var().host, $ResourceParam('db', 'port'))",
     "$CfFormat('{}:{}', 'db.internal', $ResourceParam('db', 'port'))"),
    ("$Format('{}-{}', $Stage(), $ResourceParam('db', 'host'))",
     "$Format('{}-{}', 'dev', $ResourceParam('db', 'host'))"),
    ("$ResourceParam($Var().resource, 'url')", "$ResourceParam('api', 'url')"),
    # A variable holding a runtime directive makes the $Format that uses it runtime.
    ("$Var().runtime", "$ResourceParam('db', 'host')"),
    ("$Format('{}/{}', $Var().runtime, $Stage())", "$Format('{}/{}', $ResourceParam('db', 'host'), 'dev')"),
    ("$CfFormat('{}', $Var().secret)", "$CfFormat('{}', $Secret('db.password'))"),
])
def test_runtime_strings_are_left_for_runtime(tmp_path: Path, expression: str, expected: str) -> None:
    variables = ("  host: db.internal\n  resource: api\n  runtime: $ResourceParam('db', 'host')\n"
                 "  secret: $Secret('db.password')")
    assert _value(expression, tmp_path, variables) == expected


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "checkout", "-q", "-b", "feature/x")
    _git(tmp_path, "config", "user.name", "Test User")
    _git(tmp_path, "config", "user.email", "test@example.com")
    _git(tmp_path, "remote", "add", "origin", "https://example.com/repo.git")
    _git(tmp_path, "commit", "-q", "--allow-empty", "-m", "init")
    return tmp_path


def test_every_git_info_property_has_a_query() -> None:
    assert set(GIT_COMMANDS) == set(GIT_INFO_PROPERTIES)


def test_git_info(repo: Path) -> None:
    text = ("commit: $GitInfo('commit')\nbranch: $GitInfo(branch)\nuser: $GitInfo('username')\n"
            "url: $GitInfo('gitUrl')\n")
    assert _resolve(text, repo) == {"commit": _git(repo, "rev-parse", "HEAD"), "branch": "feature/x",
                                    "user": "Test User", "url": "https://example.com/repo.git"}


def test_git_info_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    folder = tmp_path / "not-a-repo"
    folder.mkdir()
    assert _errors("value: $GitInfo('commit')\n", folder) == [
        f"stacktape.yml:1:8: value: $GitInfo('commit') needs a git repository, "
        f'but "{folder}" is not inside one.'
    ]
    empty = tmp_path / "empty-repo"
    empty.mkdir()
    _git(empty, "init", "-q")
    assert _errors("value: $GitInfo('commit')\nurl: $GitInfo('gitUrl')\n", empty) == [
        "stacktape.yml:1:8: value: $GitInfo('commit') failed: the repository has no commits yet.",
        "stacktape.yml:2:6: url: $GitInfo('gitUrl') failed: the repository has no 'origin' remote.",
    ]


def test_git_info_without_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-binaries"))
    assert _errors("value: $GitInfo('branch')\n", tmp_path) == [
        "stacktape.yml:1:8: value: $GitInfo('branch') needs the git command, which is not installed.",
    ]


def test_env_file_parser() -> None:
    assert parse_env_file("A=1\nexport B='2' # c\n\n# x\nC=\"a#b\"\nA=override\n") == [
        {"name": "A", "value": "override"}, {"name": "B", "value": "2"}, {"name": "C", "value": "a#b"}]
    with pytest.raises(ValueError, match="line 2 is not NAME=value"):
        parse_env_file("A=1\nB\n")
    with pytest.raises(ValueError, match="line 1 has an unterminated \" quote"):
        parse_env_file('A="x\n')


# ---------------------------------------------------------------------------------------------
# Located errors
# ---------------------------------------------------------------------------------------------

def test_located_errors_are_all_collected(files: Path) -> None:
    text = """\
variables:
  prefix: $Stage()
  a: $Var().b
  b: $Var().a
resources:
  api:
    name: $Var().prefx
    port: $File('cfg.json').db.nope.x
    dep: $File($ResourceParam('a', 'b'))
    fmt: $Format('{}', 1, 2)
    unknown: $Stag()
    syntax: $Format('{}', $Stage()
    cli: $CliArgs('bar')
    loop: $This().resources.api.loop
    ext: $File('notes.txt')
    list:
      - ok
      - $Var('missing')
"""
    assert _errors(text, files) == [
        "stacktape.yml:4:6: variables.b: Variables reference each other in a cycle: a -> b -> a.",
        'stacktape.yml:7:11: resources.api.name: Variable "prefx" is not defined. '
        'Defined variables: prefix, a, b. (hint: did you mean "prefix"?)',
        'stacktape.yml:8:11: resources.api.port: Property with path "db.nope.x" is not accessible '
        "on result of directive $File('cfg.json'). Longest accessible path: \"db\".",
        "stacktape.yml:9:10: resources.api.dep: Non-runtime directive $File can't be dependent "
        "on a result of runtime directive $ResourceParam.",
        "stacktape.yml:10:10: resources.api.fmt: Amount of interpolated expressions and values "
        "should be the same in $Format directive. You have 1 interpolated expressions and 2 values.",
        "stacktape.yml:11:14: resources.api.unknown: Unknown directive $Stag. "
        f"Built-in directives: {ALL_NAMES}. (hint: did you mean $Stage?)",
        "stacktape.yml:12:13: resources.api.syntax: Malformed directive: "
        "missing ')' to close $Format( (at character 1).",
        'stacktape.yml:13:10: resources.api.cli: CLI argument "bar" was not passed and '
        "$CliArgs('bar') has no default value. Passed CLI arguments: none. "
        "(hint: pass it after '--' (-- --bar=value) or give a default as the second argument)",
        "stacktape.yml:14:11: resources.api.loop: Directive results are nested more than 20 levels "
        "deep while resolving $This(); a directive probably refers to itself.",
        'stacktape.yml:15:10: resources.api.ext: $File can\'t parse "notes.txt": supported file '
        "types are .env, .json, .yml, .yaml, .ini (and files named .env.*). "
        "(hint: use $FileRaw('notes.txt') to read the file as text)",
        'stacktape.yml:18:9: resources.api.list[1]: Variable "missing" is not defined. '
        "Defined variables: prefix, a, b.",
    ]


@pytest.mark.parametrize(("expression", "message"), [
    ("$File('missing.json')",
     "File \"missing.json\" used by $File('missing.json') does not exist "
     "(looked for {dir}/missing.json)."),
    ("$FileRaw('.')", "\".\" used by $FileRaw('.') is a directory, not a file."),
    ("$File('broken.json')",
     "Cannot parse \"broken.json\" (used by $File('broken.json')) as JSON: "
     "Expecting value at line 1 column 7."),
    ("$File('bad.env')",
     "Cannot parse \"bad.env\" (used by $File('bad.env')) as a .env file: line 2 is not NAME=value."),
    ("$Format('{}', $File('cfg.json'))",
     "$Format argument 2 (values) must be a string, number or boolean, got a mapping"),
    ("$Format($Var().template, 1)",
     "Amount of interpolated expressions and values should be the same in $Format directive. "
     "You have 2 interpolated expressions and 1 values."),
    ("$Var().template.x",
     'Property with path "template.x" is not accessible on result of directive $Var(). '
     'Longest accessible path: "template".'),
    ("$File('cfg.json').name.x",
     'Property with path "name.x" is not accessible on result of directive $File(\'cfg.json\'). '
     'Longest accessible path: "name".'),
    ("$Var().nothing", 'Variable "nothing" is not defined. Defined variables: template, runtime.'),
    ("$File($Var().runtime)",
     "Non-runtime directive $File can't be dependent on a result of runtime directive $ResourceParam."),
    ("$This().raw",
     "Malformed directive '$Stage(' (the result of another directive): "
     "missing ')' to close $Stage( (at character 1)."),
    ("$CliArgs($File('cfg.json').hosts)",
     "$CliArgs argument 1 (argument name) must be a string, got a list"),
    ("$Stage( x", "Malformed directive: missing ')' to close $Stage( (at character 1)."),
])
def test_located_error_messages(files: Path, expression: str, message: str) -> None:
    loaded = load_yaml_text("variables:\n  template: '{}-{}'\n  runtime: $ResourceParam('db', 'host')\n"
                            f"resources:\n  api:\n    value: {expression}\n", "stacktape.yml")
    # $This() reads this raw config, so a directive can produce a malformed directive.
    ctx = _context(files, raw_config={"raw": "$Stage("})
    with pytest.raises(ConfigError) as caught:
        resolve_local(loaded.data, loaded.source, ctx)
    assert caught.value.render() == f"stacktape.yml:6:12: resources.api.value: {message.format(dir=files)}"


def test_files_outside_the_project_need_an_opt_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "secret.json").write_text('{"key": "s3cret"}')
    (project / "link.json").symlink_to(tmp_path / "secret.json")
    monkeypatch.delenv("STACKTAPE_ALLOW_FILES_OUTSIDE_PROJECT", raising=False)
    text = "a: $File('../secret.json').key\nb: $FileRaw('link.json')\n"
    hint = ("(hint: move the file into the project, or set STACKTAPE_ALLOW_FILES_OUTSIDE_PROJECT=1 to allow files "
            "outside it)")
    assert _errors(text, project) == [
        f"stacktape.yml:1:4: a: \"../secret.json\" used by $File('../secret.json') is outside the project folder "
        f"({project}). {hint}",
        f"stacktape.yml:2:4: b: \"link.json\" used by $FileRaw('link.json') is outside the project folder "
        f"({project}). {hint}",
    ]
    monkeypatch.setenv("STACKTAPE_ALLOW_FILES_OUTSIDE_PROJECT", "1")
    assert _resolve(text, project) == {"a": "s3cret", "b": '{"key": "s3cret"}'}


def test_a_yaml_file_gets_the_configs_limits_and_its_errors_are_located_in_it(tmp_path: Path) -> None:
    (tmp_path / "deep.yml").write_text("a: " + "[" * 300 + "]" * 300 + "\n")
    (tmp_path / "broken.yml").write_text("ok: 1\nbad: [1, 2\n")
    assert _errors("a: $File('deep.yml')\nb: $File('broken.yml')\n", tmp_path) == [
        f"{tmp_path}/broken.yml:3:1: YAML syntax error: expected ',' or ']', but got '<stream end>' (hint: check "
        "indentation, quotes and the ':' after each key)",
        f"{tmp_path}/deep.yml:1:204: the document nests deeper than 200 levels (hint: flatten the structure)",
        "stacktape.yml:1:4: a: Cannot parse \"deep.yml\" (used by $File('deep.yml')) as YAML: see the issues in it.",
        "stacktape.yml:2:4: b: Cannot parse \"broken.yml\" (used by $File('broken.yml')) as YAML: see the issues "
        "in it.",
    ]


def test_error_in_variable_is_reported_once_at_the_variable(tmp_path: Path) -> None:
    text = "variables:\n  a: $Stag()\n  b: $Var().a\nvalue: $Var().b\nother: $Var('a')\n"
    assert _errors(text, tmp_path) == [
        f"stacktape.yml:2:6: variables.a: Unknown directive $Stag. Built-in directives: {ALL_NAMES}. "
        "(hint: did you mean $Stage?)",
    ]


def test_variable_referring_to_all_variables_is_a_cycle(tmp_path: Path) -> None:
    assert _errors("variables:\n  a: $Var()\n", tmp_path) == [
        "stacktape.yml:2:6: variables.a: Variables reference each other in a cycle: a -> a.",
    ]


def test_missing_variable_without_variables(tmp_path: Path) -> None:
    assert _errors("value: $Var().x\n", tmp_path) == [
        'stacktape.yml:1:8: value: Variable "x" is not defined: the config has no variables. '
        "(hint: define it under the top-level 'variables' section)",
    ]


def test_file_directive_result_that_refers_to_itself(tmp_path: Path) -> None:
    (tmp_path / "self.json").write_text('"$File(\'self.json\')"')
    assert _errors("value: $File('self.json')\n", tmp_path) == [
        "stacktape.yml:1:8: value: Directive results are nested more than 20 levels deep while resolving "
        "$File('self.json'); a directive probably refers to itself.",
    ]


# ---------------------------------------------------------------------------------------------
# Runtime resolution (Pulumi mocks; no resource is registered)
# ---------------------------------------------------------------------------------------------

class _Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture
def pulumi_mocks() -> None:
    # Per test rather than at import: other test modules install their own mocks.
    pulumi.runtime.set_mocks(_Mocks(), preview=False)


def _resource_param(resource: str, param: str) -> pulumi.Output[Any]:
    if param == "connection":
        return pulumi.Output.from_input({"host": f"{resource}.internal", "port": 5432, "tags": ["a", "b"]})
    return pulumi.Output.from_input(f"{resource}-{param}")


def _resolver() -> RuntimeResolver:
    return RuntimeResolver(
        resource_param=_resource_param,
        secret_value=lambda ref: pulumi.Output.secret(f"secret({ref.name},{ref.key})"),
        # A plain Output on purpose: a format that includes an SSM parameter is secret anyway.
        ssm_value=lambda ref: pulumi.Output.from_input(f"ssm({ref.name})"),
        stack_output=lambda stack, output: pulumi.Output.from_input({"stack": stack, "output": output}),
    )


def _expect(value: Any, expected: Any, secret: bool = False) -> Awaitable[None]:
    assert isinstance(value, pulumi.Output)

    async def check() -> None:
        assert await value.future() == expected
        assert await value.is_secret() is secret

    return check()


def _expect_error(text: str, message: str) -> None:
    """Resolving `text` fails inside an apply; the Pulumi runtime re-raises that error."""

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def run() -> Any:
        return _resolver().resolve(text)

    with pytest.raises(DirectiveResolutionError) as caught:
        run()
    assert str(caught.value) == message


def test_secret_and_ssm_become_references() -> None:
    resolver = _resolver()
    assert resolver.resolve("$Secret('db-password')") == SecretRef("db-password", None)
    assert resolver.resolve("$Secret('api-keys.stripe')") == SecretRef("api-keys", "stripe")
    assert resolver.resolve("$Secret('api-keys.a.b')") == SecretRef("api-keys", "a.b")
    assert resolver.resolve("$SsmParam('/app/token')") == SsmParamRef("/app/token")


def test_plain_values_are_unchanged() -> None:
    value = {"a": 1, "b": ["x", True, None, "api-$Stage()"], "c": {"d": 2.5}}
    assert _resolver().resolve(value) == value


@pytest.mark.parametrize(("text", "expected", "secret"), [
    ("$ResourceParam('db', 'host')", "db-host", False),
    ("$ResourceParam('db', 'connection').port", 5432, False),
    ("$ResourceParam('db', 'connection').tags.1", "b", False),
    ("$StackOutput('shared', 'url')", {"stack": "shared", "output": "url"}, False),
    ("$CfStackOutput('shared', 'queue').output", "queue", False),
    ("$CfFormat('jdbc:postgresql://{}:{}/{}', $ResourceParam('db', 'connection').host, "
     "$ResourceParam('db', 'connection').port, app)", "jdbc:postgresql://db.internal:5432/app", False),
    ("$CfFormat('plain')", "plain", False),
    ("$Format('{}-{}', 'dev', $ResourceParam('api', 'url'))", "dev-api-url", False),
    ("$CfFormat('{}/{}', $Format('{}!', $ResourceParam('a', 'b')), true)", "a-b!/true", False),
    ("$CfFormat('postgres://app:{}@{}', $Secret('db.password'), $ResourceParam('db', 'host'))",
     "postgres://app:secret(db,password)@db-host", True),
    ("$CfFormat('token={}', $SsmParam('/app/token'))", "token=ssm(/app/token)", True),
])
@pytest.mark.usefixtures("pulumi_mocks")
@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_runtime_outputs(text: str, expected: Any, secret: bool) -> Awaitable[None]:
    return _expect(_resolver().resolve(text), expected, secret)


@pytest.mark.usefixtures("pulumi_mocks")
@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_runtime_walks_containers() -> Awaitable[None]:
    resolved = _resolver().resolve({"environment": [{"name": "URL", "value": "$ResourceParam('api', 'url')"},
                                                    {"name": "KEY", "value": "$Secret('keys.api')"}],
                                    "port": 80})
    assert resolved["port"] == 80
    assert resolved["environment"][1] == {"name": "KEY", "value": SecretRef("keys", "api")}
    return _expect(resolved["environment"][0]["value"], "api-url")


@pytest.mark.usefixtures("pulumi_mocks")
@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_local_then_runtime(tmp_path: Path) -> Awaitable[None]:
    text = ("variables:\n  host: $ResourceParam('db', 'host')\n"
            "value: $Format('{}://{}', $Stage(), $Var().host)\n")
    local = _resolve(text, tmp_path)
    assert local["value"] == "$Format('{}://{}', 'dev', $ResourceParam('db', 'host'))"
    return _expect(_resolver().resolve(local["value"]), "dev://db-host")


@pytest.mark.parametrize(("text", "message"), [
    ("$ResourceParam('db', 'connection').nope.x",
     "Property with path \"nope.x\" is not accessible on result of directive "
     "$ResourceParam('db', 'connection')."),
    ("$CfFormat('{}', $ResourceParam('db', 'connection'))",
     "$CfFormat('{}', $ResourceParam('db', 'connection')): a mapping cannot be formatted into text"),
])
@pytest.mark.usefixtures("pulumi_mocks")
def test_runtime_errors_inside_outputs(text: str, message: str) -> None:
    _expect_error(text, message)


LOCAL_AT_RUNTIME = "is a local directive; resolve_local must resolve it before runtime resolution."


@pytest.mark.parametrize(("text", "message"), [
    ("$Stage()", f"$Stage() {LOCAL_AT_RUNTIME}"),
    ("$CfFormat('{}', $Stage())", f"$Stage() {LOCAL_AT_RUNTIME}"),
    ("$CfFormat('{}', $Stage(), $ResourceParam('a', 'b'))",
     "$CfFormat('{}', $Stage(), $ResourceParam('a', 'b')): Amount of interpolated expressions and "
     "values should be the same in $CfFormat directive. You have 1 interpolated expressions and 2 values."),
    ("$ResourceParam('a'",
     "Malformed directive \"$ResourceParam('a'\": missing ')' to close $ResourceParam( (at character 1)."),
    ("$Secret('a').key",
     "$Secret('a').key: Property with path \"key\" is not accessible on result of directive $Secret('a')."),
])
@pytest.mark.usefixtures("pulumi_mocks")
def test_runtime_errors(text: str, message: str) -> None:
    with pytest.raises(DirectiveResolutionError) as caught:
        _resolver().resolve(text)
    assert str(caught.value) == message


def test_references_and_find_runtime() -> None:
    value = {
        "a": "$ResourceParam('db', 'host')",
        "b": ["$CfFormat('{}{}', $ResourceParam('api', 'url'), $Format('{}', $ResourceParam('cache', 'x')))"],
        "c": {"d": "$Secret('s')", "e": "$ResourceParam('broken'", "f": "plain $ResourceParam('no', 'x')"},
        "g": 5,
    }
    assert resource_references(value) == {"db", "api", "cache"}
    assert _resolver().references(value) == {"db", "api", "cache"}
    assert [render(d) for d in find_runtime(value)] == [
        "$ResourceParam('db', 'host')",
        "$CfFormat('{}{}', $ResourceParam('api', 'url'), $Format('{}', $ResourceParam('cache', 'x')))",
        "$Secret('s')",
    ]
    assert find_runtime({"x": "$Stage()"}) == []


def test_secret_ref_parse_rejects_empty_parts() -> None:
    for bad in ("", ".key", "name."):
        with pytest.raises(DirectiveResolutionError):
            SecretRef.parse(bad)


@pytest.mark.usefixtures("pulumi_mocks")
def test_callbacks_see_literal_arguments() -> None:
    calls: list[tuple[str, str]] = []

    def record(resource: str, param: str) -> pulumi.Output[Any]:
        calls.append((resource, param))
        return pulumi.Output.from_input("x")

    resolver = RuntimeResolver(record, lambda ref: pulumi.Output.secret("s"),
                               lambda ref: pulumi.Output.secret("p"),
                               lambda stack, output: pulumi.Output.from_input("o"))
    resolver.resolve(["$ResourceParam(api, url)", "$ResourceParam(\"db\", 'connectionString')"])
    assert calls == [("api", "url"), ("db", "connectionString")]

