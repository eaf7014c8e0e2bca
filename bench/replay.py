"""The benchmark's floor: a Pulumi program registering exactly the resources of a `preview --json` document.

    python bench/replay.py FILE.json [CONFIG.yml] [--typed] [--default-exit]

With CONFIG.yml (the config FILE.json was previewed from), the process checks it first as `preview`
does (`load_config`): the floor plus what validating costs, to show how much of the preview's time that is.
With --default-exit, the process keeps Python's own collector settings and its collection at exit, as a
program a user writes would (see `main`).

Run as its own process by `bench.py` (target 2 compares it with the `stacktape-pulumi preview` process),
so it imports only what such a hand-written program needs: the SDK, the pulumi_aws modules of the
recorded types and the offline engine's recording monitor, not the benchmark's own tools.
"""

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stacktape_pulumi.engine import Recording

USAGE = "usage: python bench/replay.py FILE.json [CONFIG.yml] [--typed] [--default-exit]"


def _set_path(doc: dict[str, Any], path: str, wrap: Callable[[Any], Any]) -> None:
    """Apply `wrap` to the value at a mask path like `a.b[0].c` (as the recording writes them)."""
    parts: list[str | int] = []
    for piece in path.split("."):
        name, *indexes = piece.split("[")
        if name:
            parts.append(name)
        parts += [int(i.rstrip("]")) for i in indexes]
    node: Any = doc
    for key in parts[:-1]:
        node = node[key]
    node[parts[-1]] = wrap(node[parts[-1]])


def _order(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Parents and dependencies before dependents (the recording is sorted by URN, not registration)."""
    by_urn = {r["urn"]: r for r in resources}
    done: set[str] = set()
    ordered: list[dict[str, Any]] = []

    def visit(urn: str) -> None:
        if urn in done or urn not in by_urn:
            return
        done.add(urn)
        resource = by_urn[urn]
        for before in [resource["parent"], *resource["dependencies"]]:
            if before:
                visit(before)
        ordered.append(resource)

    for r in resources:
        visit(r["urn"])
    return ordered


ASSET_KINDS = ("fileArchive", "fileAsset", "remoteArchive", "remoteAsset", "stringAsset", "assetArchive")


def _revive_assets(value: Any) -> Any:
    """The recording writes Lambda code and other assets as {"fileArchive": path}; make them assets again."""
    import pulumi

    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)) in ASSET_KINDS:
            kind, arg = next(iter(value.items()))
            if kind == "assetArchive":
                return pulumi.AssetArchive({k: _revive_assets(v) for k, v in arg.items()})
            return getattr(pulumi, kind[0].upper() + kind[1:])(arg)
        return {k: _revive_assets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_revive_assets(v) for v in value]
    return value


def _aws_class(token: str) -> Any:
    """The pulumi_aws resource class of a type token (`aws:ecs/service:Service` → pulumi_aws.ecs.Service)."""
    import importlib

    package, module_file, name = token.split(":")
    if package != "aws":
        return None
    module = module_file.split("/")[0]
    for candidate in (module, f"{module}_"):
        try:
            return getattr(importlib.import_module("pulumi_aws" if candidate == "index" else f"pulumi_aws.{candidate}"),
                           name)
        except (ImportError, AttributeError):
            continue
    return None


def replay_program(doc: dict[str, Any], typed: bool = False) -> Callable[[], None]:
    """A Pulumi program registering exactly the recorded resources.

    Untyped (the floor the issue defines): plain `pulumi.CustomResource(type, name, props)`. Typed: the
    pulumi_aws class of each type with the same inputs (top-level names in snake_case, nested values as
    recorded), i.e. what any program built on pulumi_aws pays for the same graph.
    """
    import pulumi

    from stacktape_pulumi.schema.naming import snake  # pulumi_aws's argument names are the inputs' in snake_case

    resources = _order(doc["resources"])

    def program() -> None:
        made: dict[str, pulumi.Resource] = {}
        for r in resources:
            props = _revive_assets(json.loads(json.dumps(r["inputs"])))
            for path in r["secretInputs"]:
                _set_path(props, path, pulumi.Output.secret)
            opts = pulumi.ResourceOptions(parent=made.get(r["parent"] or ""),
                                          depends_on=[made[u] for u in r["dependencies"] if u in made] or None)
            cls = _aws_class(r["type"]) if typed and r["custom"] else None
            if cls is not None:
                made[r["urn"]] = cls(r["name"], opts=opts, **{snake(k): v for k, v in props.items()})
            elif r["custom"]:
                made[r["urn"]] = pulumi.CustomResource(r["type"], r["name"], props, opts)
            else:
                component = pulumi.ComponentResource(r["type"], r["name"], None, opts)
                component.register_outputs(r.get("outputs") or {})
                made[r["urn"]] = component
        for key, value in (doc.get("outputs") or {}).items():
            pulumi.export(key, value)

    return program


def engine_only() -> None:
    """Import the offline engine without the package's __init__ (which imports every component).

    The floor process must pay for the SDK and the recording monitor only, as a program written
    directly against the SDK would: an empty package module stands in for `stacktape_pulumi`.
    """
    import importlib.util
    import types

    spec = importlib.util.find_spec("stacktape_pulumi")
    assert spec is not None
    assert spec.submodule_search_locations is not None
    package = types.ModuleType("stacktape_pulumi")
    package.__path__ = list(spec.submodule_search_locations)
    sys.modules["stacktape_pulumi"] = package


def replay(doc: dict[str, Any], project: str, stack: str, region: str, typed: bool = False) -> "Recording":
    """Run the replay under the same recording monitor (and canned world) the preview uses."""
    from stacktape_pulumi.engine.canned import CannedWorld
    from stacktape_pulumi.engine.offline import run_offline

    return run_offline(replay_program(doc, typed), project=project, stack=stack, config={"aws:region": region},
                       world=CannedWorld(region=region))


def replay_file(path: Path, typed: bool) -> int:
    doc = json.loads(path.read_text())
    project, stack = project_stack(doc)
    replay(doc, project, stack, "us-east-1", typed=typed)
    return 0


def project_stack(doc: dict[str, Any]) -> tuple[str, str]:
    urn = doc["resources"][0]["urn"]  # urn:pulumi:<stack>::<project>::...
    stack, project = urn.split("::")[0].split(":")[-1], urn.split("::")[1]
    return project, stack


def main(argv: list[str]) -> int:
    flags = {arg for arg in argv if arg.startswith("--")}
    paths = [arg for arg in argv if not arg.startswith("--")]
    if len(paths) not in (1, 2) or flags - {"--typed", "--default-exit"}:
        print(USAGE, file=sys.stderr)
        return 2
    typed = "--typed" in flags
    if len(paths) == 1:
        engine_only()

    def work() -> int:
        if len(paths) == 2:
            # What checking the config adds to the floor: `load_config` of CONFIG first, as `preview` does.
            from stacktape_pulumi.load import load_config

            load_config(paths[1])
        return replay_file(Path(paths[0]), typed)

    if "--default-exit" in flags:
        return work()
    # The floor runs as the `stacktape-pulumi` process runs (`process.run_once`: the same collector tuning,
    # no collection at exit): the ratio is then the two programs' work, not a difference in how the two
    # processes end (without it, the floor paid ~0.3 s more at 20 workloads for collecting its heap at exit).
    from stacktape_pulumi.process import run_once

    return run_once(work)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
