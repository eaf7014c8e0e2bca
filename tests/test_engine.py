"""The offline engine: recording, secrets masking, canned invokes, isolation between runs."""

import asyncio
import gc
import json
import threading
import weakref
from pathlib import Path

import pulumi
import pulumi_aws as aws
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stacktape_pulumi import process
from stacktape_pulumi.engine import run_offline, sdk
from stacktape_pulumi.engine.canned import CannedInvokeError, CannedWorld
from stacktape_pulumi.engine.offline import document_text
from stacktape_pulumi.engine.preview import preview_config
from stacktape_pulumi.load import load_config


class Box(pulumi.ComponentResource):
    def __init__(self, name: str) -> None:
        super().__init__("test:index:Box", name, None, None)
        self.role = role = aws.iam.Role(f"{name}-role", assume_role_policy="{}",
                                        opts=pulumi.ResourceOptions(parent=self))
        group = aws.cloudwatch.LogGroup(
            f"{name}-logs", name="/plain/name", retention_in_days=7,
            kms_key_id=pulumi.Output.secret("sentinel-8f1e"), tags={"owner": role.arn},
            opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({"groupArn": group.arn})


def test_private_sdk_names_exist() -> None:
    for name in ("MockMonitor", "MockSettings", "MockEngine", "Mocks", "ROOT", "CONFIG_VAR", "configure",
                 "run_in_stack", "deserialize_properties", "deserialize_property"):
        assert getattr(sdk, name) is not None
    assert len(sdk.SPECIAL_SIG_KEY) == 32
    assert len(sdk.SECRET_SIG) == 32
    assert callable(sdk.RESOURCE_MODULE._get_stack_trace)
    assert sdk.EmptyStackTrace().frames == []


def test_registrations_carry_no_stack_trace_offline_and_the_sdk_gets_its_function_back() -> None:
    sdk_function = sdk.RESOURCE_MODULE._get_stack_trace
    sdk_wait = sdk.STACK_MODULE.wait_for_rpcs
    seen: list[int] = []

    def program() -> None:
        seen.append(len(sdk.RESOURCE_MODULE._get_stack_trace().frames))
        Box("box")

    run_offline(program)
    assert seen == [0]
    assert sdk.RESOURCE_MODULE._get_stack_trace is sdk_function
    assert sdk.STACK_MODULE.wait_for_rpcs is sdk_wait

    def failing() -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        run_offline(failing)
    assert sdk.RESOURCE_MODULE._get_stack_trace is sdk_function
    assert sdk.STACK_MODULE.wait_for_rpcs is sdk_wait


def test_a_run_tunes_the_garbage_collector_and_gives_the_host_its_settings_back() -> None:
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    during: list[tuple[tuple[int, int, int], bool]] = []

    def program() -> None:
        during.append((gc.get_threshold(), gc.get_freeze_count() > 0))
        Box("box")

    run_offline(program)
    assert during == [((100_000, 1_000, 1_000), True)]
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError, match="boom"):
        run_offline(lambda: (_ for _ in ()).throw(RuntimeError("boom")))
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_the_runs_cyclic_garbage_is_collected_when_it_ends() -> None:
    refs: list[weakref.ref[_Cycle]] = []

    def program() -> None:
        refs.append(weakref.ref(_Cycle()))  # unreachable at once; only the cycle collector frees it
        Box("box")

    gc.disable()  # no automatic collection can do it instead
    try:
        run_offline(program)
        assert refs[0]() is None
    finally:
        gc.enable()


def test_a_one_shot_process_leaves_the_runs_garbage_to_its_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    refs: list[weakref.ref[_Cycle]] = []

    def program() -> None:
        refs.append(weakref.ref(_Cycle()))
        Box("box")

    monkeypatch.setattr(gc, "freeze", lambda: None)  # run_once's freeze at the end would outlive this test
    before = gc.get_threshold()
    gc.disable()
    try:
        def work() -> int:
            run_offline(program)
            return 0

        assert process.run_once(work) == 0
        assert refs[0]() is not None  # not collected: the process exits next
    finally:
        gc.set_threshold(*before)
        gc.enable()
        gc.collect()
    assert refs[0]() is None


def test_a_host_that_froze_objects_keeps_them_frozen() -> None:
    gc.freeze()
    try:
        run_offline(lambda: Box("box"))  # type: ignore[arg-type]
        assert gc.get_freeze_count() > 0  # the run's own unfreeze would have emptied it
    finally:
        gc.unfreeze()


async def _fail_after(seconds: float, message: str) -> str:
    await asyncio.sleep(seconds)
    raise ValueError(message)


def test_the_first_output_to_fail_is_the_error_the_run_raises() -> None:
    outputs: list[pulumi.Output[str]] = []

    def program() -> None:
        for seconds, message in [(0.2, "late"), (0.0, "early"), (0.1, "middle")]:
            outputs.append(pulumi.Output.from_input(_fail_after(seconds, message)))

    with pytest.raises(ValueError, match=r"^early$"):
        run_offline(program)


def test_outputs_and_resources_created_while_the_run_waits_are_awaited_too() -> None:
    def nested(depth: int) -> None:
        aws.sns.Topic(f"topic-{depth}")
        if depth < 3:
            pulumi.Output.from_input(depth + 1).apply(nested)

    rec = run_offline(lambda: nested(0))
    assert [r.name for r in rec.by_type("aws:sns/topic:Topic")] == ["topic-0", "topic-1", "topic-2", "topic-3"]


def test_overlapping_runs_on_threads_restore_the_stack_trace_only_when_the_last_ends() -> None:
    sdk_function = sdk.RESOURCE_MODULE._get_stack_trace
    first_started, second_done = threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        first_started.set()
        assert second_done.wait(60)
        seen.append(sdk.RESOURCE_MODULE._get_stack_trace is sdk_function)  # the other run ended meanwhile
        Box("first")

    thread = threading.Thread(target=run_offline, args=(first,))
    thread.start()
    assert first_started.wait(60)
    run_offline(lambda: Box("second"))  # type: ignore[arg-type]
    second_done.set()
    thread.join(60)
    assert seen == [False]
    assert sdk.RESOURCE_MODULE._get_stack_trace is sdk_function


def test_records_parent_dependencies_and_component_outputs() -> None:
    rec = run_offline(lambda: Box("box"))  # type: ignore[arg-type]
    box = rec.one("test:index:Box")
    role = rec.one("aws:iam/role:Role")
    group = rec.one("aws:cloudwatch/logGroup:LogGroup")
    assert box.urn == "urn:pulumi:dev::stacktape::test:index:Box::box"
    assert role.urn == "urn:pulumi:dev::stacktape::test:index:Box$aws:iam/role:Role::box-role"
    assert role.parent == box.urn
    assert group.parent == box.urn
    assert group.dependencies == [role.urn]
    assert group.property_dependencies["tags"] == [role.urn]
    assert group.property_dependencies["name"] == []
    assert group.property_dependencies["kmsKeyId"] == []
    assert box.outputs == {"groupArn": "arn:aws:logs:us-east-1:123456789012:log-group:/plain/name"}
    assert box.custom is False
    assert role.custom is True


def test_secret_inputs_are_masked_and_listed() -> None:
    rec = run_offline(lambda: Box("box"))  # type: ignore[arg-type]
    group = rec.one("aws:cloudwatch/logGroup:LogGroup")
    role_name = rec.one("aws:iam/role:Role").name
    assert role_name == "box-role"
    owner = group.inputs["tags"]["owner"]
    assert owner.startswith("arn:aws:iam::123456789012:role/box-role-")
    assert group.inputs == {"name": "/plain/name", "retentionInDays": 7, "kmsKeyId": "[secret]",
                            "tags": {"owner": owner}}
    assert group.secret_inputs == ["kmsKeyId"]
    assert "sentinel-8f1e" not in rec.dumps()


def test_canned_invokes_are_deterministic() -> None:
    seen: dict[str, object] = {}

    def program() -> None:
        aws.get_region_output().region.apply(lambda v: seen.__setitem__("region", v))
        aws.get_caller_identity_output().account_id.apply(lambda v: seen.__setitem__("account", v))
        aws.get_availability_zones_output().names.apply(lambda v: seen.__setitem__("azs", v))
        aws.secretsmanager.get_secret_output(name="db").arn.apply(lambda v: seen.__setitem__("secret", v))

    run_offline(program, world=CannedWorld(region="eu-west-1"))
    assert seen == {
        "region": "eu-west-1",
        "account": "123456789012",
        "azs": ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
        "secret": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-7bdc25",
    }


def test_invokes_and_resources_through_a_provider_are_recorded_and_answered_in_its_region() -> None:
    seen: dict[str, object] = {}

    def program() -> None:
        west = aws.Provider("west", region="eu-west-1")
        through_west = pulumi.InvokeOptions(provider=west)
        aws.get_region_output(opts=through_west).region.apply(lambda v: seen.__setitem__("west", v))
        aws.get_region_output().region.apply(lambda v: seen.__setitem__("default", v))
        aws.cloudwatch.LogGroup("logs", name="/x", opts=pulumi.ResourceOptions(provider=west))

    rec = run_offline(program)
    assert seen == {"west": "eu-west-1", "default": "us-east-1"}
    west_urn = rec.one("pulumi:providers:aws", "west").urn
    assert sorted((i.token, i.provider.rsplit("::", 1)[0], i.args) for i in rec.invokes) == [
        ("aws:index/getRegion:getRegion", "", {}), ("aws:index/getRegion:getRegion", west_urn, {})]
    assert rec.one("aws:cloudwatch/logGroup:LogGroup").provider.rsplit("::", 1)[0] == west_urn


def test_unknown_invoke_is_an_error_naming_the_token() -> None:
    with pytest.raises(CannedInvokeError, match="no canned answer for invoke aws:foo/getBar:getBar"):
        CannedWorld().invoke("aws:foo/getBar:getBar", {})


def test_runs_are_isolated_and_byte_identical() -> None:
    first = run_offline(lambda: Box("one"))  # type: ignore[arg-type]
    second = run_offline(lambda: Box("two"))  # type: ignore[arg-type]
    third = run_offline(lambda: Box("one"))  # type: ignore[arg-type]
    assert {r.name for r in second.resources} == {"two", "two-role", "two-logs", "stacktape-dev"}
    assert first.dumps() == third.dumps()
    assert json.loads(first.dumps())["resources"][0]["urn"] < json.loads(first.dumps())["resources"][1]["urn"]


def test_program_exceptions_propagate() -> None:
    def program() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        run_offline(program)


def test_a_failed_run_leaves_no_pending_output_to_the_next() -> None:
    def failing() -> None:
        box = Box("broken")
        box.role.arn.apply(lambda arn: arn.upper())  # pending when the program raises
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        run_offline(failing)
    from pulumi.runtime.settings import SETTINGS

    leftover = set(SETTINGS.outputs)
    assert all(task.done() for task in leftover)
    after = run_offline(lambda: Box("next"))  # type: ignore[arg-type]
    assert {r.name for r in after.resources} == {"next", "next-role", "next-logs", "stacktape-dev"}


def test_a_run_leaves_no_event_loop_open(monkeypatch: pytest.MonkeyPatch) -> None:
    # A loop left open on one of the SDK's threads is closed by the garbage collector at interpreter
    # exit, sometimes after its self-pipe: "Exception ignored ... Invalid file descriptor" on stderr.
    made: list[asyncio.AbstractEventLoop] = []
    new_event_loop = asyncio.new_event_loop

    def recording_new_event_loop() -> asyncio.AbstractEventLoop:
        loop = new_event_loop()
        made.append(loop)
        return loop

    monkeypatch.setattr(asyncio, "new_event_loop", recording_new_event_loop)
    preview_config(load_config(Path(__file__).resolve().parent.parent / "programs" / "examples" / "http-api.yml"))
    assert len(made) >= 2, "the run's own loop and at least one loop of an SDK thread"
    assert [loop for loop in made if not loop.is_closed()] == []


def test_a_secret_inside_a_stack_output_stays_that_values_secret() -> None:
    def program() -> None:
        pulumi.export("db", {"host": "h", "port": pulumi.Output.from_input(5432),
                             "url": pulumi.Output.secret("postgresql://u:p@h/db"),
                             "hosts": [pulumi.Output.secret("x")]})

    assert run_offline(program).stack_outputs == {"db": {"host": "h", "port": 5432, "url": "[secret]",
                                                         "hosts": ["[secret]"]}}


# JSON documents as a recording holds them, with the numbers and strings orjson writes unlike json or refuses.
_JSON_SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
                 | st.floats(allow_nan=True, allow_infinity=True) | st.text()
                 | st.sampled_from([1e-05, -3e-05, 1.5e-07, 0.0001, 1e16, 1e300, 2**63, 2**64, "\ud800", "é\u2028"]))
_JSON_DOCUMENTS = st.recursive(_JSON_SCALARS, lambda children: st.lists(children, max_size=4)
                               | st.dictionaries(st.text(max_size=6), children, max_size=4), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(_JSON_DOCUMENTS)
def test_document_text_is_json_dumps_byte_for_byte(document: object) -> None:
    assert document_text(document) == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_document_text_of_a_preview_is_json_dumps_byte_for_byte() -> None:
    recording = preview_config(load_config(Path(__file__).resolve().parent.parent / "programs" / "examples"
                                           / "multi-container.yml"))
    document = recording.to_json()
    assert recording.dumps() == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
