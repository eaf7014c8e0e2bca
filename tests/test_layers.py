"""The package's layout is its pipeline: imports point one way, and no module imports itself back.

    errors → config → directives → checks → plan → load                (validate: no Pulumi)
                                              aws → components → engine / program / automation / provider / cli
                                  scripts (run a config's scripts: no Pulumi) → automation / cli

Read from the source (run-time imports; those under `if TYPE_CHECKING:` are annotations only), so a
new import against the pipeline fails here before it can hide in a function body.
"""

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "stacktape_pulumi"

# Layer → the layers (besides itself) its modules may import at run time.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "lazy": set(),
    "config": {"errors", "lazy"},
    "directives": {"config", "errors"},
    "images": {"errors"},
    "lambda_packaging": {"errors"},
    "checks": {"config", "directives", "errors", "images", "lambda_packaging", "aws.instances",
               "aws.cloudformation", "aws.rds_parameters"},
    "plan": set(),
    "load": {"checks", "config", "directives", "errors", "plan"},
    "aws": {"errors"},
    "args": set(),
    "schema": {"args", "components", "config", "errors", "provider"},
    "components": {"args", "aws", "checks", "config", "directives", "errors", "images", "lambda_packaging",
                   "lazy", "plan", "schema"},
    "process": set(),
    "engine": {"aws", "components", "directives", "load", "process"},
    "program": {"checks", "components", "errors", "load"},
    "scripts": {"checks", "config", "directives", "errors"},
    "automation": {"errors", "load", "program", "scripts"},
    "provider": {"components", "config", "errors", "plan", "schema"},
    "cli": {"automation", "checks", "engine", "errors", "images", "load", "process", "schema", "scripts"},
    "__init__": {"lazy"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _names_type_checking(test: ast.expr) -> bool:
    """`TYPE_CHECKING` or `typing.TYPE_CHECKING` appears in an `if` test (a walk, not `ast.unparse`: this
    runs over every `if` of the package when the module is collected, in each pytest worker)."""
    return any((isinstance(n, ast.Name) and n.id == "TYPE_CHECKING")
               or (isinstance(n, ast.Attribute) and n.attr == "TYPE_CHECKING") for n in ast.walk(test))


def runtime_imports(path: Path) -> set[str]:
    """The package modules a module imports outside `if TYPE_CHECKING:` blocks (in functions too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded = [node for node in ast.walk(tree) if isinstance(node, ast.If) and _names_type_checking(node.test)]
    type_only = {id(n) for node in guarded for n in ast.walk(node)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("stacktape_pulumi"):
            base = node.module.removeprefix("stacktape_pulumi").lstrip(".") if node.module else ""
            submodules = {f"{base}.{a.name}".lstrip(".") for a in node.names} & MODULES.keys()
            found |= submodules or {base or "__init__"}
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("stacktape_pulumi").lstrip(".") or "__init__" for a in node.names
                      if a.name.startswith("stacktape_pulumi")}
    return found & MODULES.keys()


@functools.cache
def import_graph() -> dict[str, set[str]]:
    """Each module's runtime imports of the package: built on first use (about 0.5 s), not at collection,
    and on one xdist worker (the module's `xdist_group`)."""
    return {name: runtime_imports(path) - {name} for name, path in MODULES.items()}


pytestmark = pytest.mark.xdist_group("layers")


def layer(module: str) -> str:
    return module.split(".")[0]


def allowed(importer: str, imported: str) -> bool:
    rules = ALLOWED[layer(importer)]
    return layer(imported) == layer(importer) or layer(imported) in rules or imported in rules


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_follow_the_pipeline(module: str) -> None:
    assert sorted(m for m in import_graph()[module] if not allowed(module, m)) == []


def test_every_layer_is_named() -> None:
    assert {layer(m) for m in MODULES} == set(ALLOWED)


def test_no_module_imports_itself_back() -> None:
    def cycle_from(start: str) -> list[str] | None:
        path: list[str] = []
        done: set[str] = set()

        def visit(node: str) -> list[str] | None:
            if node in path:
                return [*path[path.index(node):], node]
            if node in done:
                return None
            path.append(node)
            for nxt in sorted(import_graph()[node]):
                found = visit(nxt)
                if found:
                    return found
            path.pop()
            done.add(node)
            return None

        return visit(start)

    assert [c for c in (cycle_from(m) for m in sorted(MODULES)) if c] == []


def test_the_scan_sees_function_level_imports() -> None:
    assert "load" in import_graph()["cli"]  # `from stacktape_pulumi.load import load_config` inside main()
    assert "engine.preview" in import_graph()["cli"]
