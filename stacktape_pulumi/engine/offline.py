"""Run a Pulumi program in-process against a recording mock monitor.

Every resource registration is recorded as the engine would see it: type, name, URN,
parent, inputs (engine property names, secrets masked), dependencies and component
outputs. Invokes are answered by `CannedWorld`. Each run gets a fresh context (the SDK
keeps its settings in contextvars) and a fresh event loop, so many runs can share one
process without leaking resources into each other.
"""

import asyncio
import atexit
import contextlib
import contextvars
import dataclasses
import gc
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pulumi

from stacktape_pulumi.engine import sdk
from stacktape_pulumi.engine.canned import CannedWorld
from stacktape_pulumi.process import BULK_GC_THRESHOLDS, exits_when_done

SECRET_MASK = "[secret]"
UNKNOWN_MASK = "[unknown]"


@dataclass
class RecordedResource:
    urn: str
    type: str
    name: str
    parent: str | None
    custom: bool
    inputs: dict[str, Any]
    secret_inputs: list[str]
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    outputs: dict[str, Any] | None = None
    # The explicit provider reference (`<provider urn>::<id>`) and plugin version the registration asked for
    # ("" when none): tests read them; the preview JSON leaves them out (every SDK class pins a version).
    provider: str = ""
    version: str = ""
    retain_on_delete: bool = False
    # Options the engine applies to a resource and, through the parent chain, to its descendants: tests read
    # them (the engine, not the SDK, runs `transforms` and resolves aliases of children).
    protect: bool = False
    deleted_with: str = ""
    aliases: list[str] = field(default_factory=list)
    transforms: list[str] = field(default_factory=list)
    # Pulumi deletes the old resource before creating its replacement (names AWS allows only once).
    delete_before_replace: bool = False

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "urn": self.urn, "type": self.type, "name": self.name, "parent": self.parent,
            "custom": self.custom, "inputs": self.inputs, "secretInputs": self.secret_inputs,
            "dependencies": self.dependencies,
        }
        if self.outputs is not None:
            doc["outputs"] = self.outputs
        return doc


@dataclass
class RecordedInvoke:
    """One invoke (data source call) as the engine received it: its token, arguments and provider."""

    token: str
    args: dict[str, Any]
    # `<provider urn>::<id>`, "" for the default provider (as for resources).
    provider: str


@dataclass
class Recording:
    """Everything one offline run registered, in registration order."""

    resources: list[RecordedResource] = field(default_factory=list)
    invokes: list[RecordedInvoke] = field(default_factory=list)
    stack_outputs: dict[str, Any] = field(default_factory=dict)
    logs: list[str] = field(default_factory=list)
    # The project's directory: the JSON shows file assets and archives below it by their relative
    # path, so it does not depend on where the project is checked out (the records keep real paths).
    asset_root: Path | None = None

    def by_type(self, type_: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str, name: str | None = None) -> RecordedResource:
        found = [r for r in self.by_type(type_) if name is None or r.name == name]
        if len(found) != 1:
            names = [r.name for r in self.by_type(type_)]
            raise LookupError(f"expected one {type_}{f' named {name}' if name else ''}, found {names}")
        return found[0]

    def named(self, name: str) -> RecordedResource:
        found = [r for r in self.resources if r.name == name]
        if len(found) != 1:
            raise LookupError(f"expected one resource named {name}, found {len(found)}")
        return found[0]

    def children(self, parent: RecordedResource) -> list[RecordedResource]:
        return [r for r in self.resources if r.parent == parent.urn]

    def ancestors(self, resource: RecordedResource) -> list[RecordedResource]:
        """`resource`'s parent, its parent's parent … up to (not including) the root stack."""
        by_urn = {r.urn: r for r in self.resources}
        found: list[RecordedResource] = []
        parent = by_urn.get(resource.parent or "")
        while parent is not None and parent.type != "pulumi:pulumi:Stack":
            found.append(parent)
            parent = by_urn.get(parent.parent or "")
        return found

    def to_json(self) -> dict[str, Any]:
        """The `preview --json` document (DESIGN.md contract), resources sorted by URN."""
        resources = sorted((r for r in self.resources if r.type != "pulumi:pulumi:Stack"), key=lambda r: r.urn)
        doc = {"resources": [r.to_json() for r in resources], "outputs": self.stack_outputs}
        return _relative_assets(doc, self.asset_root) if self.asset_root is not None else doc

    def dumps(self) -> str:
        return document_text(self.to_json())


def document_text(doc: Any) -> str:
    """`doc` as `preview --json` prints it: `json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)`
    and a newline, byte for byte.

    orjson writes the same text several times faster (json's C encoder does not indent): a 100-workload
    document 60 ms -> 15 ms, the check of its numbers included. orjson writes some numbers differently
    (floats below 1e-4 without an exponent, NaN and infinities as null) and refuses others (integers
    beyond 64 bits, strings with lone surrogates), so a document holding any of those is written by json.
    """
    # A lone surrogate, or a value orjson does not take, raises: json writes that document.
    if _orjson_writes_as_json(doc):
        with contextlib.suppress(orjson.JSONEncodeError):
            return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n"
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _orjson_writes_as_json(value: Any) -> bool:
    """No number in `value` that orjson writes or refuses unlike json (see `document_text`)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, float):
            if item != 0.0 and not 1e-4 <= abs(item) < 1e16:  # NaN fails every comparison
                return False
        elif isinstance(item, int) and not -(2**63) <= item < 2**64:
            return False
    return True


ASSET_PATH_KEYS = ("fileArchive", "fileAsset")


def _relative_assets(value: Any, root: Path) -> Any:
    """`value` with every recorded file asset or archive below `root` shown relative to it."""
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)) in ASSET_PATH_KEYS:
            key, path = next(iter(value.items()))
            if isinstance(path, str) and Path(path).is_absolute() and Path(path).is_relative_to(root):
                return {key: Path(path).relative_to(root).as_posix()}
        return {k: _relative_assets(v, root) for k, v in value.items()}
    if isinstance(value, list):
        return [_relative_assets(v, root) for v in value]
    return value


def mask(value: Any, path: str, secrets: list[str]) -> Any:
    """Engine values → JSON: secrets become "[secret]" (path recorded), unknowns "[unknown]"."""
    if isinstance(value, dict):
        sig = value.get(sdk.SPECIAL_SIG_KEY)
        if sig == sdk.SECRET_SIG:
            secrets.append(path)
            return SECRET_MASK
        if sig == sdk.RESOURCE_SIG:
            return str(value.get("urn", ""))
        return {str(k): mask(v, f"{path}.{k}" if path else str(k), secrets) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask(v, f"{path}[{i}]", secrets) for i, v in enumerate(value)]
    if value == sdk.UNKNOWN:
        return UNKNOWN_MASK
    if isinstance(value, float) and value.is_integer():
        return int(value)  # the engine carries every number as a double
    if value is None or isinstance(value, bool | int | float | str):
        return value
    urn = getattr(value, "urn", None)
    if urn is not None:
        return f"[resource {type(value).__name__}]"
    asset = _asset_or_archive(value, path, secrets)
    if asset is not None:
        return asset
    return str(value)


def _keeping_nested_secrets(value: Any) -> Any:
    """An output value as the engine stores it: a secret inside a map stays that one value's secret.

    The SDK's `deserialize_properties` marks a whole map secret when any value in it is (what a
    program reading it back sees); the engine keeps the secret where it was sent, and
    `pulumi stack output` masks only that value. A stack output `db` of plain `host` and secret
    `connectionString` is recorded as such.
    """
    kind = value.WhichOneof("kind")
    if kind == "struct_value":
        fields = value.struct_value.fields
        if sdk.SPECIAL_SIG_KEY in fields:  # a secret, resource reference or asset: read as the SDK reads it
            return sdk.deserialize_property(value.struct_value, keep_unknowns=True)
        return {key: _keeping_nested_secrets(item) for key, item in fields.items()}
    if kind == "list_value":
        return [_keeping_nested_secrets(item) for item in value.list_value.values]
    # Scalars (the unknown sentinel is a string `mask` recognises).
    return None if kind in (None, "null_value") else getattr(value, kind)  # an unset Value is null too


def _asset_or_archive(value: Any, path: str, secrets: list[str]) -> dict[str, Any] | None:
    """Assets and archives (Lambda code) by what they hold, not by their object identity."""
    if isinstance(value, pulumi.FileArchive | pulumi.FileAsset):
        return {type(value).__name__[0].lower() + type(value).__name__[1:]: value.path}
    if isinstance(value, pulumi.RemoteArchive | pulumi.RemoteAsset):
        return {type(value).__name__[0].lower() + type(value).__name__[1:]: value.uri}
    if isinstance(value, pulumi.StringAsset):
        return {"stringAsset": value.text}
    if isinstance(value, pulumi.AssetArchive):
        return {"assetArchive": {name: mask(item, f"{path}.{name}", secrets) for name, item in value.assets.items()}}
    return None


class _CannedMocks(sdk.Mocks):
    def __init__(self, world: CannedWorld) -> None:
        self.world = world
        # The world as seen through an explicit provider (its region); set by the monitor that records providers.
        self.world_for: Callable[[str], CannedWorld] = lambda _provider: world

    def new_resource(self, args: sdk.MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        # Only reached by ReadResource; registrations are answered by RecordingMonitor itself.
        world = self.world_for(args.provider or "")
        return world.new_resource(args.typ, args.name, _unwrap_secrets(args.inputs), args.name)

    def call(self, args: sdk.MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        return self.world_for(args.provider or "").invoke(args.token, _unwrap_secrets(args.args)), []


def _unwrap_secrets(value: Any) -> Any:
    if isinstance(value, dict):
        if value.get(sdk.SPECIAL_SIG_KEY) == sdk.SECRET_SIG:
            return _unwrap_secrets(value.get("value"))
        return {k: _unwrap_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unwrap_secrets(v) for v in value]
    return value


def _has_running_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _own_thread_loop() -> None:
    """Give an SDK thread (no running loop) an event loop of ours, which `_close_thread_loops` closes.

    The SDK calls the monitor (`RegisterResource`, `Invoke`, `ReadResource`) from its executor
    threads, where its `_ensure_event_loop` would create an event loop per thread and never close it;
    left to the garbage collector at interpreter exit, such a loop may find its self-pipe already
    gone and print "Exception ignored ... Invalid file descriptor" after a successful preview. Set
    as the thread's current loop first, ours is the one the SDK finds and uses.
    """
    if _has_running_loop():
        return
    loop: asyncio.AbstractEventLoop | None = getattr(_THREAD, "loop", None)
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        _THREAD.loop = loop
        with _THREAD_LOOPS_LOCK:
            _THREAD_LOOPS.append(loop)
        asyncio.set_event_loop(loop)


_THREAD = threading.local()
_THREAD_LOOPS: list[asyncio.AbstractEventLoop] = []
_THREAD_LOOPS_LOCK = threading.Lock()


def _close_thread_loops() -> None:
    """Close the loops `_await_here` made on the SDK's threads (idle once a run has ended)."""
    with _THREAD_LOOPS_LOCK:
        loops = list(_THREAD_LOOPS)
        _THREAD_LOOPS.clear()
    for loop in loops:
        if not loop.is_running() and not loop.is_closed():
            loop.close()


def _alias_text(alias: Any) -> str:
    """An alias as tests compare it: its URN, or its spec's set fields (`noParent=True`, `name=old`)."""
    if alias.urn:
        return str(alias.urn)
    spec = alias.spec
    fields = [f"{name}={getattr(spec, name)}" for name in ("name", "type", "stack", "project", "parentUrn")
              if getattr(spec, name)]
    if spec.noParent:
        fields.append("noParent=True")
    return ",".join(fields)


class RecordingMonitor(sdk.MockMonitor):
    """The SDK's mock monitor, recording each registration as the engine would receive it."""

    def __init__(self, mocks: _CannedMocks) -> None:
        super().__init__(mocks)
        self.recording = Recording()
        self.world = mocks.world
        self.by_urn: dict[str, RecordedResource] = {}
        self.stack_urn = ""
        self._worlds: dict[str, CannedWorld] = {}
        mocks.world_for = self.world_for

    def world_for(self, provider: str) -> CannedWorld:
        """The canned world in the region of `provider` (`<urn>::<id>`; "" or no `region` input: the run's own)."""
        if not provider:
            return self.world
        world = self._worlds.get(provider)
        if world is None:
            record = self.by_urn.get(provider.rsplit("::", 1)[0])
            region = record.inputs.get("region") if record is not None else None
            world = self.world
            if isinstance(region, str) and region != self.world.region:
                # Secrets and SSM values stay shared (`replace` copies the dicts' references).
                world = dataclasses.replace(self.world, region=region)
            self._worlds[provider] = world
        return world

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # Like the engine: the root stack's type is not part of its children's qualified types.
        project, stack = sdk.get_project_stack()
        qualified = type_
        if parent and parent != self.stack_urn:
            qualified = parent.split("::")[2] + "$" + type_
        return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == "pulumi:pulumi:Stack":
            self.stack_urn = urn
        secrets: list[str] = []
        inputs = sdk.deserialize_properties(request.object, keep_unknowns=True)
        masked = mask(inputs, "", secrets) if inputs else {}
        record = RecordedResource(
            urn=urn, type=request.type, name=request.name,
            parent=request.parent or None, custom=bool(request.custom),
            inputs=masked, secret_inputs=sorted(secrets),
            dependencies=sorted(set(request.dependencies)),
            property_dependencies={k: sorted(set(v.urns)) for k, v in sorted(request.propertyDependencies.items())},
            provider=request.provider, version=request.version, retain_on_delete=request.retainOnDelete,
            protect=request.protect, deleted_with=request.deletedWith,
            aliases=[_alias_text(alias) for alias in request.aliases],
            transforms=[callback.token for callback in request.transforms],
            delete_before_replace=request.deleteBeforeReplace,
        )
        self.recording.resources.append(record)
        self.by_urn[urn] = record
        # Registrations arrive on several threads: the outputs are computed from this call's URN only.
        world = self.world_for(request.provider) if request.custom else self.world
        resource_id, state = world.new_resource(request.type, request.name, _unwrap_secrets(inputs or {}), urn)
        if not request.custom:
            resource_id, state = "", {}
        self.resources[urn] = sdk.MockMonitor.ResourceRegistration(urn, resource_id, state)
        _own_thread_loop()
        state_proto = sdk.sync_await(sdk.serialize_properties(state, {}))
        return sdk.RegisterResourceResponse(urn=urn, id=resource_id, object=state_proto)

    def Invoke(self, request: Any) -> Any:
        _own_thread_loop()
        if request.tok != "pulumi:pulumi:getResource":
            secrets: list[str] = []
            args = mask(sdk.deserialize_properties(request.args, keep_unknowns=True) or {}, "", secrets)
            self.recording.invokes.append(RecordedInvoke(request.tok, args, request.provider))
        return super().Invoke(request)  # type: ignore[no-untyped-call]

    def ReadResource(self, request: Any) -> Any:
        _own_thread_loop()
        return super().ReadResource(request)  # type: ignore[no-untyped-call]

    def RegisterResourceOutputs(self, request: Any) -> Any:
        outputs = {key: _keeping_nested_secrets(value) for key, value in request.outputs.fields.items()}
        secrets: list[str] = []
        masked = mask(outputs, "", secrets) if outputs else {}
        record = self.by_urn.get(request.urn)
        if record is not None:
            if record.type == "pulumi:pulumi:Stack":
                self.recording.stack_outputs = masked
            else:
                record.outputs = masked
        return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]


@dataclass
class OfflineOptions:
    project: str = "stacktape"
    stack: str = "dev"
    config: dict[str, str] = field(default_factory=dict)
    world: CannedWorld = field(default_factory=CannedWorld)


def run_offline(program: Callable[[], None], *, project: str = "stacktape", stack: str = "dev",
                config: dict[str, str] | None = None, world: CannedWorld | None = None,
                asset_root: Path | None = None) -> Recording:
    """Run `program` as a Pulumi preview against the recording monitor; return what it registered.

    `asset_root` (the project's directory): its JSON shows file assets and archives below it by
    their relative path.

    Exceptions raised by the program (for example a `ConfigError`) propagate unchanged.
    """
    world = world or CannedWorld()
    all_config = {"aws:region": world.region, **(config or {})}
    if all_config["aws:region"] != world.region:
        world.region = all_config["aws:region"]
    context = contextvars.copy_context()
    recording = context.run(_run, program, project, stack, all_config, world)
    recording.asset_root = asset_root
    return recording


def _current_loop() -> asyncio.AbstractEventLoop | None:
    """The caller's event loop (asyncio makes one in the main thread if none is set), closed at exit.

    A loop asyncio made here is never closed by anyone else; left to the garbage collector at
    interpreter exit it may find its self-pipe already gone and print "Exception ignored ...
    Invalid file descriptor". Closing it from `atexit`, while everything still exists, is quiet.
    """
    try:
        loop = asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        return None
    if id(loop) not in _CLOSED_AT_EXIT:
        _CLOSED_AT_EXIT.add(id(loop))
        atexit.register(_close_if_idle, loop)
    return loop


_CLOSED_AT_EXIT: set[int] = set()


def _close_if_idle(loop: asyncio.AbstractEventLoop) -> None:
    if not loop.is_closed() and not loop.is_running():
        loop.close()


_RUNTIME_LOCK = threading.Lock()
_RUNS_IN_PROGRESS = [0]  # offline runs in progress (runs may overlap on threads): see _offline_runtime
_SDK_STACK_TRACE = sdk.RESOURCE_MODULE._get_stack_trace
_SDK_WAIT_FOR_RPCS = sdk.STACK_MODULE.wait_for_rpcs


def _no_stack_trace() -> Any:
    return sdk.EmptyStackTrace()


async def _wait_for_rpcs_in_batches(await_all_outstanding_tasks: bool = True) -> None:
    """What the SDK's `wait_for_rpcs` does at the end of a run, with the Output tasks awaited a batch at a time.

    The SDK waits for the first of all pending tasks to finish, puts the rest back and repeats: every round
    adds and removes a callback on each pending task, quadratic in the run's ~10 Outputs per resource
    (1.75 million callbacks in a quarter of the test suite). Here a round waits until the whole batch is done
    or one task failed, then awaits the done tasks in the order they finished, so the error raised is the
    first one, as in the SDK; tasks created meanwhile form the next batch.
    """
    manager = sdk.get_rpc_manager()
    while True:
        while manager.rpcs:
            await asyncio.sleep(0)  # let the queued RPCs run before blocking on one
            try:
                await manager.rpcs.pop()
            except Exception as exc:
                if manager.unhandled_exception is not None:
                    raise exc from manager.unhandled_exception.with_traceback(manager.exception_traceback)
                raise
        if manager.unhandled_exception is not None:
            raise manager.unhandled_exception.with_traceback(manager.exception_traceback)
        if await_all_outstanding_tasks:
            await _await_outputs_in_batches()
        if not manager.rpcs:
            return


async def _await_outputs_in_batches() -> None:
    settings = sdk.SETTINGS
    while True:
        with settings.lock:
            if not settings.outputs:
                return
            batch: list[asyncio.Task[Any]] = list(settings.outputs)
            settings.outputs.clear()
        finished: list[asyncio.Future[Any]] = []
        for task in batch:
            task.add_done_callback(finished.append)
        done, pending = await asyncio.wait(batch, return_when=asyncio.FIRST_EXCEPTION)
        seen = set(finished)
        for future in [*finished, *(t for t in batch if t in done and t not in seen)]:
            await future  # re-raises the first failure
        if pending:  # only after a failure, which the loop above has raised
            with settings.lock:
                settings.outputs.update(pending)


# During a run the collector uses `process.BULK_GC_THRESHOLDS` (which says why and what it measured): a
# run allocates millions of objects, and with the defaults the collector's passes over a growing heap were
# a third of a 200-workload preview.
_HOST_GC: dict[str, Any] = {}  # the host's thresholds, and whether the runs froze its objects


@contextlib.contextmanager
def _offline_runtime() -> Iterator[None]:
    """The process as offline runs want it, from the first of overlapping runs (on threads) to the last.

    * The SDK attaches the Python stack (every frame, with its file read for the line) to each
      registration, for the engine to show where a resource was declared. The recording monitor never
      reads it, and it was ~10 % of a preview's time (more under deep callers such as pytest).
    * `wait_for_rpcs` by `_wait_for_rpcs_in_batches` (same outcome, linear instead of quadratic).
    * The garbage collector: the objects that exist before the runs (modules, classes, the validated
      config) frozen out of its passes, and its thresholds raised.

    The host gets all of it back when the last run ends, so real deployments run the SDK's own functions
    (and a host that froze objects itself keeps its own freeze).
    """
    with _RUNTIME_LOCK:
        if not _RUNS_IN_PROGRESS[0]:
            sdk.RESOURCE_MODULE._get_stack_trace = _no_stack_trace
            sdk.STACK_MODULE.wait_for_rpcs = _wait_for_rpcs_in_batches
            _HOST_GC.update(thresholds=gc.get_threshold(), froze=gc.get_freeze_count() == 0)
            if _HOST_GC["froze"]:
                gc.freeze()
            gc.set_threshold(*BULK_GC_THRESHOLDS)
        _RUNS_IN_PROGRESS[0] += 1
    try:
        yield
    finally:
        with _RUNTIME_LOCK:
            _RUNS_IN_PROGRESS[0] -= 1
            if not _RUNS_IN_PROGRESS[0]:
                # The runs' cyclic garbage (Outputs, tasks and resources referring to each other) has mostly
                # reached the old generation, which the host's own thresholds would leave for a long time:
                # a process running many previews (tests, the benchmark) grew past 500 MB. Collected here,
                # while the objects from before the runs are still frozen out: 0.08 s at 20 workloads, 0.45 s
                # at 200 (of the 0.5 s and 3.8 s the tuning saves). A one-shot process (the command) exits
                # right after, which frees it all without a pass.
                if not exits_when_done():
                    gc.collect()
                gc.set_threshold(*_HOST_GC["thresholds"])
                if _HOST_GC["froze"]:
                    gc.unfreeze()
                sdk.RESOURCE_MODULE._get_stack_trace = _SDK_STACK_TRACE
                sdk.STACK_MODULE.wait_for_rpcs = _SDK_WAIT_FOR_RPCS


def _run(program: Callable[[], None], project: str, stack: str, config: dict[str, str],
         world: CannedWorld) -> Recording:
    with _offline_runtime():
        return _run_program(program, project, stack, config, world)


def _run_program(program: Callable[[], None], project: str, stack: str, config: dict[str, str],
                 world: CannedWorld) -> Recording:
    mocks = _CannedMocks(world)
    monitor = RecordingMonitor(mocks)
    features = set(monitor.GetDeploymentInfo(None).supportedFeatures)  # type: ignore[no-untyped-call]
    # `outputs` (the Output tasks the run waits for) is renewed too: MockSettings renews only the RPC
    # manager, and tasks a failed run left behind on its closed loop would fail the next run.
    sdk.configure(sdk.MockSettings(  # type: ignore[no-untyped-call]
        monitor=monitor, monitor_features=features, engine=sdk.MockEngine(None), project=project,
        stack=stack, dry_run=True, organization="organization", callbacks=None, root_directory=None,
        parallel=None, outputs=set(),
    ))
    sdk.ROOT.set(None)
    sdk.CONFIG_VAR.set(dict(config))
    previous = _current_loop()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(sdk.run_in_stack(program))
    finally:
        # A failed program leaves Output tasks pending: cancel and await them, so none is left to
        # warn ("never awaited") or to run on a closed loop.
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        # Give the caller its loop back: code that asks for "the" event loop afterwards keeps working.
        asyncio.set_event_loop(previous)
        loop.close()
        _close_thread_loops()
    return monitor.recording
