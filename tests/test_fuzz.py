"""Fuzzing `validate` with hypothesis: mutated example configs give success or located `ConfigError`s only.

Seeds are every example (`programs/examples/*.yml`) and valid fixture (`tests/fixtures/valid/*.yml`),
copied with their directories (so `$File` and build-context paths still resolve) into a scratch tree.
Each case writes one mutated config next to its seed's copy and runs what `stacktape-pulumi validate`
runs (`load_config`), then the CLI itself. A case passes when:

* `load_config` returns, or raises `ConfigError` whose issues are all located (file, line >= 1,
  col >= 1) and render; any other exception fails the case (hypothesis shrinks it);
* `cli.main(["validate", ...])` (every `CLI_EVERY`th case) exits 0 on success and 1 on errors, prints
  nothing on stdout and no traceback;
* it finished within `CASE_SECONDS` (a SIGALRM at `HARD_SECONDS` turns a hang into a failure);
* the scratch tree (the working directory during the case) is byte-for-byte unchanged: validate
  never writes, not even partially.

Profiles: the fast one (default, CI) runs a fixed, derandomized ~2,400 cases; `STACKTAPE_FUZZ=long`
runs 15x as many with fresh randomness. The case count is printed at the end of the module.
"""

import copy
import io
import os
import shutil
import signal
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stacktape_pulumi import cli
from stacktape_pulumi.errors import ConfigError
from stacktape_pulumi.load import load_config

ROOT = Path(__file__).resolve().parent.parent
# Seed directories, relative to the repository: copied with the tree above them that configs reach
# into (`programs/` for `../hooks/...`), so every relative path resolves in the scratch copy too.
SEED_DIRS = {"examples": Path("programs/examples"), "valid": Path("tests/fixtures/valid")}
COPIED = (Path("programs"), Path("tests/fixtures/valid"))
PROFILE = os.environ.get("STACKTAPE_FUZZ", "fast")
SCALES = {"fast": 1, "long": 15}
if PROFILE not in SCALES:
    raise RuntimeError(f"STACKTAPE_FUZZ must be 'fast' or 'long', not {PROFILE!r}")
SCALE = SCALES[PROFILE]
CASE_SECONDS = 20.0  # a hang detector, not a benchmark: the slowest legitimate case (a 200k-node alias bomb)
# takes ~1 s on an idle 2-core machine and ~7 s on a loaded one
CLI_EVERY = 4  # the CLI runs the same load; exit codes and output are checked on every 4th case
HARD_SECONDS = 60
# Nesting the fuzzer generates: around the loader's MAX_DEPTH (200) and far past Python's recursion
# limit (PyYAML's composer recursed per level until the loader bounded it).
MAX_NESTING = 1600

COUNTS: Counter[str] = Counter()
OUTCOMES: Counter[str] = Counter()
SLOWEST: list[float] = [0.0]


def fuzz_settings(examples: int) -> settings:
    return settings(max_examples=examples * SCALE, deadline=None, database=None, derandomize=PROFILE == "fast",
                    print_blob=True, suppress_health_check=list(HealthCheck))


# ---- the scratch tree and one case ---------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    name: str  # e.g. examples/http-api.yml
    directory: Path  # the seed's copy in the scratch tree
    text: str
    data: Any


def _load_seeds(scratch: Path) -> list[Seed]:
    for tree in COPIED:
        shutil.copytree(ROOT / tree, scratch / tree, ignore=shutil.ignore_patterns("__pycache__"))
    seeds: list[Seed] = []
    for label, relative in SEED_DIRS.items():
        target = scratch / relative
        os.mkfifo(target / FIFO)  # `$File` of a FIFO without a writer would block a naive reader forever
        for path in sorted(target.glob("*.yml")):
            text = path.read_text()
            seeds.append(Seed(f"{label}/{path.name}", target, text, yaml.safe_load(text)))
    return seeds


FIFO = "fifo.txt"
SCRATCH: Path | None = None
SEEDS: list[Seed] = []


@pytest.fixture(scope="module", autouse=True)
def scratch_tree(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Path]:
    global SCRATCH
    SCRATCH = tmp_path_factory.mktemp("fuzz")
    SEEDS[:] = _load_seeds(SCRATCH)
    TREE.clear()
    COUNTS.clear()
    OUTCOMES.clear()
    yield SCRATCH
    per_test = ", ".join(f"{k} {v}" for k, v in sorted(COUNTS.items()))
    line = (f"fuzz ({PROFILE} profile): {sum(COUNTS.values())} validate cases ({per_test}); outcomes: "
            f"{dict(sorted(OUTCOMES.items()))}; slowest case {SLOWEST[0]:.2f} s")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        print(line)
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        reporter.write_line(line)


def snapshot(root: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file and directory under `root` with size, mtime and (small files) content.

    Runs once per case over ~90 entries, so it stays on `os` calls rather than `Path` objects (2.6 ms per
    snapshot with them, 1.2 ms without: most of the fuzz module's harness time).
    """
    state: dict[str, tuple[int, int, bytes]] = {}
    prefix = len(str(root)) + 1
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            state[path[prefix:]] = entry(path)
    return state


def entry(path: str) -> tuple[int, int, bytes]:
    info = os.lstat(path)
    content = b""
    if os.path.isfile(path) and info.st_size < 65536:
        with open(path, "rb") as file:
            content = file.read()
    return info.st_size, info.st_mtime_ns, content


# The scratch tree as the last case left it (checked equal to its state before that case), so each case
# takes one snapshot, after validating: before it, the tree is this plus the case file just written.
TREE: dict[str, tuple[int, int, bytes]] = {}


class Hang(Exception):
    pass


@contextmanager
def hard_limit(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: Any) -> None:
        raise Hang(f"validate ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def validate_case(seed: Seed, content: str | bytes, test: str, hard_seconds: int = HARD_SECONDS) -> str:
    """Write one mutated config next to its seed and validate it; return 'ok' or 'config-error'."""
    assert SCRATCH is not None
    path = seed.directory / "fuzz-case.yml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
    before = dict(TREE) if TREE else snapshot(SCRATCH)
    for written in (path, path.parent):  # creating the case file also changes its directory's mtime
        before[str(written.relative_to(SCRATCH))] = entry(str(written))
    cwd = Path.cwd()
    os.chdir(SCRATCH)
    start = time.perf_counter()
    try:
        with hard_limit(hard_seconds):
            outcome = _validate(path)
            elapsed = time.perf_counter() - start
            if sum(COUNTS.values()) % CLI_EVERY == 0:
                code = _cli_validate(path)
                assert code == (0 if outcome == "ok" else 1), f"CLI exit {code} but load_config gave {outcome}"
    finally:
        os.chdir(cwd)
    COUNTS[test] += 1
    OUTCOMES[outcome] += 1
    SLOWEST[0] = max(SLOWEST[0], elapsed)
    assert elapsed < CASE_SECONDS, f"validate took {elapsed:.2f} s"
    after = snapshot(SCRATCH)
    assert after == before, "validate changed files"
    TREE.clear()
    TREE.update(after)
    return outcome


def _validate(path: Path) -> str:
    try:
        load_config(path)
    except ConfigError as exc:
        # Asserting in `except` on purpose (PT017): a ConfigError is one allowed outcome of a fuzzed config.
        assert exc.issues, "ConfigError without issues"  # noqa: PT017
        for issue in exc.issues:
            assert issue.file, issue
            assert issue.line >= 1, issue
            assert issue.col >= 1, issue
            assert issue.message.strip(), issue
        assert exc.render()  # noqa: PT017
        return "config-error"
    return "ok"


def _cli_validate(path: Path) -> int:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["validate", str(path)])
    assert "Traceback" not in err.getvalue(), err.getvalue()
    assert out.getvalue() == "", out.getvalue()
    return code


@dataclass(frozen=True)
class Nest:
    """`value` wrapped in `depth` lists or single-key maps, expanded only when dumped.

    Keeping the drawn document shallow lets hypothesis copy, shrink and print it; only the YAML
    text is deep.
    """

    value: Any
    depth: int
    as_list: bool

    def expand(self) -> Any:
        value = self.value
        for _ in range(self.depth):
            value = [value] if self.as_list else {"k": value}
        return value

    def __repr__(self) -> str:
        return f"Nest({self.value!r}, depth={self.depth}, as_list={self.as_list})"


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Nest, lambda dumper, nest: dumper.represent_data(nest.expand()))


def dump(data: Any) -> str:
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20 * MAX_NESTING))  # the dumper recurses per level; this is the harness
    try:
        return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 20)
    finally:
        sys.setrecursionlimit(limit)


# ---- strategies ------------------------------------------------------------------------------------

seeds = st.integers(min_value=0, max_value=10**6).map(lambda i: SEEDS[i % len(SEEDS)])

NO_SURROGATES: tuple[Literal["Cs"]] = ("Cs",)
unicode_text = st.text(st.characters(exclude_categories=NO_SURROGATES), max_size=40) | st.sampled_from([
    "", " ", "\u200b", "\u202eevil", "Ω≈ç√∫", "日本語", "🚀", "a\u0301", "\ufeff", "\u2028", "ﬁ", "İ", "\t", "\\",
    "'", '"', "#", ":", "- x", "{", "[", "&a", "*a", "!!str", "%TAG", "@", "`", "~", "null", "yes", "no", "0x1F",
    "1e400", ".nan", "-.inf", "0o17", "+12", "1_000", "2026-01-01", "12:30:00",
])
# What may be pasted into raw YAML text, control characters included (PyYAML's reader refuses most).
raw_text = st.text(st.characters(exclude_categories=NO_SURROGATES), max_size=40)
huge_numbers = st.sampled_from([0, -1, 1, 2, 7, 65535, 65536, 99999, 2**31 - 1, 2**31, 2**63, -(2**63), 10**30,
                                10**400, 0.1, 0.25, -0.0, 1e308, 1e-320, float("inf"), float("-inf"),
                                float("nan"), 3.0000000001, 16, 122880, 122881]) | st.integers() | st.floats()
scalars = st.none() | st.booleans() | huge_numbers | unicode_text
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(unicode_text, inner,
                                                                                           max_size=3),
                      max_leaves=8)

DIRECTIVE_NAMES = ["Var", "Stage", "Region", "Format", "File", "FileRaw", "GitInfo", "CliArgs", "This",
                   "ResourceParam", "Secret", "SsmParam", "CfFormat", "StackOutput", "CfStackOutput",
                   "CfResourceParam", "Unknown", "var", "Secrets", "", "_x", "A1"]
FILE_ARGS = ["app/index.js", "docker/Dockerfile", "missing.json", "x.env", "../valid", "", ".", "..",
             "vars.yml", "a.ini", "docker", "C:\\x", "~/x", "/dev/zero", "/dev/null", "/etc/hostname", FIFO,
             "../../../../../../etc/passwd", "app"]


@st.composite
def directive_text(draw: st.DrawFn, depth: int = 0) -> str:
    name = draw(st.sampled_from(DIRECTIVE_NAMES) | st.text("abcXYZ_9$(", min_size=0, max_size=6))
    arg = st.one_of(
        unicode_text.map(lambda s: "'" + s.replace("'", "\\'") + "'"),
        unicode_text.map(lambda s: '"' + s + '"'),
        st.sampled_from(FILE_ARGS).map(repr),
        huge_numbers.map(str), st.booleans().map(str).map(str.lower),
        st.text("abc.-_ ", max_size=5),
        *([st.deferred(lambda: directive_text(depth + 1))] if depth < 3 else []),
    )
    args = draw(st.lists(arg, max_size=4))
    path = draw(st.sampled_from(["", ".a", ".appPort", "[0]", ".a.b[1]", "['x']", ".", "..", "[", ".0"]))
    text = f"${name}({', '.join(args)}){path}"
    cut = draw(st.none() | st.integers(min_value=0, max_value=len(text)))
    if cut is not None and depth == 0:
        text = text[:cut]
    return text


def node_paths(value: Any, path: tuple[Any, ...] = (), limit: int = 400) -> list[tuple[Any, ...]]:
    """Paths of every node below `value` (dict keys and list indices), breadth-limited."""
    found: list[tuple[Any, ...]] = []
    stack = [(value, path)]
    while stack and len(found) < limit:
        node, where = stack.pop()
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
        for key, child in children:
            found.append((*where, key))
            stack.append((child, (*where, key)))
    return found


def get(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def typo(key: str, i: int) -> str:
    if not key:
        return "x"
    i %= len(key)
    return [key[:i] + key[i + 1:], key[:i] + key[i] * 2 + key[i + 1:], key.swapcase(), key + "s", key[::-1]][i % 5]


MUTATIONS = ("drop", "rename", "wrong-type", "number", "directive", "unicode", "nest", "duplicate-item",
             "alias", "empty")


@st.composite
def mutated_document(draw: st.DrawFn) -> tuple[Seed, Any, list[str]]:
    seed = draw(seeds)
    doc = copy.deepcopy(seed.data)
    applied: list[str] = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = node_paths(doc)
        kind = draw(st.sampled_from(MUTATIONS))
        if not paths:
            doc = draw(values)
            applied.append("replace-root")
            continue
        path = draw(st.sampled_from(paths))
        parent, key = get(doc, path[:-1]), path[-1]
        applied.append(f"{kind}@{'.'.join(map(str, path))}")
        if kind == "drop":
            del parent[key]
        elif kind == "rename" and isinstance(parent, dict):
            new = draw(st.builds(typo, st.just(str(key)), st.integers(0, 50)) | unicode_text)
            parent[new] = parent.pop(key)
        elif kind == "wrong-type":
            parent[key] = draw(values)
        elif kind == "number":
            parent[key] = draw(huge_numbers)
        elif kind == "directive":
            parent[key] = draw(directive_text())
        elif kind == "unicode":
            parent[key] = draw(unicode_text)
        elif kind == "nest":
            depth = draw(st.integers(1, 8) | st.integers(190, 260) | st.integers(900, MAX_NESTING))
            parent[key] = Nest(parent[key], depth, draw(st.booleans()))
        elif kind == "duplicate-item" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif kind == "alias":
            # The same object in two places: the dumper writes an anchor and an alias.
            other = draw(st.sampled_from(paths))
            target = get(doc, other[:-1])
            if isinstance(target, dict | list) and other[: len(path)] != path:  # no cycles
                target[other[-1]] = parent[key]
        elif kind == "empty":
            parent[key] = draw(st.sampled_from([None, "", [], {}]))
    return seed, doc, applied


# ---- the fuzz tests ----------------------------------------------------------------------------------


@fuzz_settings(900)
@given(case=mutated_document())
def test_structural_mutations(case: tuple[Seed, Any, list[str]]) -> None:
    seed, doc, _ = case
    validate_case(seed, dump(doc), "structural")


TEXT_EDITS = ("truncate", "delete", "insert", "duplicate-line", "duplicate-key", "indent", "crlf", "bom",
              "second-document", "tab")


@st.composite
def mutated_text(draw: st.DrawFn) -> tuple[Seed, str | bytes]:
    seed = draw(seeds)
    text = seed.text
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        edit = draw(st.sampled_from(TEXT_EDITS))
        at = draw(st.integers(min_value=0, max_value=max(len(text), 1) - 1))
        lines = text.splitlines(keepends=True) or [""]
        line_no = at % len(lines)
        if edit == "truncate":
            text = text[:at]
        elif edit == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif edit == "insert":
            text = text[:at] + draw(raw_text | st.sampled_from([": ", "- ", "&x ", "*x", "!!binary ", "<<: ",
                                                                "{", "]", "'", "\\x00", "\u2028"])) + text[at:]
        elif edit in ("duplicate-line", "duplicate-key"):
            # A key line repeated under itself is a duplicate key at the same level.
            candidates = [i for i, line in enumerate(lines) if ":" in line] if edit == "duplicate-key" else []
            i = candidates[at % len(candidates)] if candidates else line_no
            lines.insert(i + 1, lines[i] if lines[i].endswith("\n") else lines[i] + "\n")
            text = "".join(lines)
        elif edit == "indent":
            lines[line_no] = " " * draw(st.integers(0, 7)) + lines[line_no].lstrip(" ")
            text = "".join(lines)
        elif edit == "crlf":
            text = text.replace("\n", "\r\n")
        elif edit == "bom":
            text = "\ufeff" + text
        elif edit == "second-document":
            text = text + "\n---\n" + text[:at]
        elif edit == "tab":
            lines[line_no] = "\t" + lines[line_no]
            text = "".join(lines)
    if draw(st.integers(0, 19)) == 0:
        return seed, text.encode("utf-8")[: at + 1] + b"\xff\xfe\xc3" + text.encode("utf-8")[at + 1:]
    return seed, text


@fuzz_settings(500)
@given(case=mutated_text())
def test_text_mutations(case: tuple[Seed, str | bytes]) -> None:
    seed, text = case
    validate_case(seed, text, "text")


def alias_bomb(depth: int, fanout: int, where: str) -> str:
    """A "billion laughs": each level lists `fanout` aliases of the previous one."""
    lines = [f"  l0: &l0 [{', '.join(['lol'] * fanout)}]"]
    lines += [f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * fanout)}]" for i in range(1, depth)]
    bomb = "\n".join(lines)
    if where == "variables":
        return f"variables:\n{bomb}\nresources: {{}}\n"
    app = f"  app:\n    type: multi-container-workload\n    properties: *l{depth - 1}\n"
    return f"variables:\n{bomb}\nresources:\n{app}"


YAML_FEATURES = ("merge-key", "undefined-alias", "recursive-alias", "python-tag", "custom-tag", "binary",
                 "timestamp", "set", "omap", "anchor-reuse", "complex-key", "directive-key", "null-doc")


@st.composite
def yaml_feature_case(draw: st.DrawFn) -> tuple[Seed, str]:
    seed = draw(seeds)
    if draw(st.integers(0, 14)) == 0:  # bombs cost up to ~1 s each (the loader builds 200k nodes first)
        depth, fanout = draw(st.integers(2, 10)), draw(st.integers(2, 12))
        return seed, alias_bomb(depth, fanout, draw(st.sampled_from(["variables", "resources"])))
    feature = draw(st.sampled_from(YAML_FEATURES))
    text = seed.text
    snippet = {
        "merge-key": "base: &base {type: multi-container-workload}\nresources:\n  x:\n    <<: *base\n"
                     "    properties: {}\n",
        "undefined-alias": "variables: *nowhere\n",
        "recursive-alias": "variables: &loop\n  again: *loop\n",
        "python-tag": "variables:\n  x: !!python/object/apply:os.system ['touch pwned']\n",
        "custom-tag": "variables:\n  x: !Ref SomeResource\n  y: !GetAtt [a, b]\n",
        "binary": "variables:\n  x: !!binary aGVsbG8=\n",
        "timestamp": "variables:\n  x: 2026-01-01 10:00:00\n",
        "set": "variables:\n  x: !!set {a, b}\n",
        "omap": "variables:\n  x: !!omap [a: 1, b: 2]\n",
        "anchor-reuse": "variables:\n  a: &a [1]\n  b: &a [2]\n  c: *a\n",
        "complex-key": "variables:\n  ? [a, b]\n  : c\n",
        "directive-key": "variables:\n  $Stage(): x\n",
        "null-doc": "~\n",
    }[feature]
    placement = draw(st.sampled_from(["prepend", "append", "alone"]))
    if placement == "alone":
        return seed, snippet
    # A repeated top-level key is a duplicate key: also a case worth having.
    return seed, snippet + text if placement == "prepend" else text + "\n" + snippet


@fuzz_settings(350)
@given(case=yaml_feature_case())
def test_yaml_features(case: tuple[Seed, str]) -> None:
    seed, text = case
    validate_case(seed, text, "yaml")
    assert SCRATCH is not None
    assert not (SCRATCH / "pwned").exists()


def string_paths(doc: Any) -> list[tuple[Any, ...]]:
    return [p for p in node_paths(doc, limit=2000) if isinstance(get(doc, p), str)]


@st.composite
def directive_case(draw: st.DrawFn) -> tuple[Seed, Any]:
    seed = draw(seeds)
    doc = copy.deepcopy(seed.data)
    paths = string_paths(doc)
    for _ in range(draw(st.integers(1, 3))):
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        get(doc, path[:-1])[path[-1]] = draw(directive_text())
    return seed, doc


@fuzz_settings(400)
@given(case=directive_case())
def test_directive_strings(case: tuple[Seed, Any]) -> None:
    seed, doc = case
    validate_case(seed, dump(doc), "directives")


@st.composite
def number_case(draw: st.DrawFn) -> tuple[Seed, Any]:
    seed = draw(seeds)
    doc = copy.deepcopy(seed.data)
    numeric = [p for p in node_paths(doc, limit=2000) if isinstance(get(doc, p), int | float)]
    for _ in range(draw(st.integers(1, 3))):
        if not numeric:
            break
        path = draw(st.sampled_from(numeric))
        get(doc, path[:-1])[path[-1]] = draw(huge_numbers | st.sampled_from(["1", "0x10", "1e3", "", "NaN"]))
    return seed, doc


@fuzz_settings(250)
@given(case=number_case())
def test_numbers(case: tuple[Seed, Any]) -> None:
    seed, doc = case
    validate_case(seed, dump(doc), "numbers")


def test_seeds_are_valid() -> None:
    """The unmutated seeds validate: mutations start from configs that pass."""
    for seed in SEEDS:
        assert validate_case(seed, seed.text, "seeds") == "ok", seed.name


def test_alias_bombs_are_located_errors_in_bounded_time() -> None:
    seed = SEEDS[0]
    for where in ("variables", "resources"):
        assert validate_case(seed, alias_bomb(9, 10, where), "bombs") == "config-error"


def test_case_count_meets_the_fast_profile() -> None:
    """At least 2,000 cases ran (when the whole module ran)."""
    fuzz_tests = ("structural", "text", "yaml", "directives", "numbers")
    if all(COUNTS[name] for name in fuzz_tests):
        assert sum(COUNTS[name] for name in fuzz_tests) >= 2000 * SCALE


# ---- inputs that once escaped as other exceptions or hangs (found by this fuzzer, fixed) ----------------


@pytest.mark.parametrize("shape", ["flow", "block"])
def test_very_deep_nesting_is_a_located_error(shape: str) -> None:
    depth = 1500
    if shape == "flow":
        text = "resources: " + "[" * depth + "]" * depth + "\n"
    else:
        text = "resources:\n" + "".join(f"{'  ' * i}k{i}:\n" for i in range(1, depth)) + f"{'  ' * depth}x: 1\n"
    assert validate_case(SEEDS[0], text, "regressions") == "config-error"


@pytest.mark.parametrize("char", ["\x00", "\x08", "\x1b", "\ufffe"])
def test_control_characters_are_a_located_error(char: str) -> None:
    assert validate_case(SEEDS[0], f"resources: {{}}\nvariables:\n  x: a{char}b\n", "regressions") == "config-error"


def test_file_directive_on_a_fifo_is_a_located_error() -> None:
    # A FIFO without a writer blocks `open` forever; /dev/zero would instead grow memory without bound.
    seed = SEEDS[0]
    fifo = seed.directory / "fifo.txt"
    if not fifo.exists():
        os.mkfifo(fifo)
    text = "variables:\n  x: $FileRaw('fifo.txt')\nresources: {}\n"
    assert validate_case(seed, text, "regressions", hard_seconds=2) == "config-error"
