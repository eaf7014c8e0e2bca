"""Every private Pulumi SDK name the offline engine needs, in one place.

The SDK has no public API for running a program against an in-process monitor and
waiting for it to finish; these are the internals `pulumi.runtime.test` and the
Automation API use. `tests/test_engine.py::test_private_sdk_names_exist` fails loudly
when an SDK upgrade moves one of them.
"""

from pulumi.runtime import resource, rpc, stack
from pulumi.runtime.config import CONFIG as CONFIG_VAR
from pulumi.runtime.mocks import MockCallArgs, MockEngine, MockMonitor, MockResourceArgs, Mocks, MockSettings
from pulumi.runtime.proto import resource_pb2, source_pb2
from pulumi.runtime.settings import ROOT, SETTINGS, _get_rpc_manager, configure, get_project, get_stack
from pulumi.runtime.stack import run_in_stack
from pulumi.runtime.sync_await import _sync_await

UNKNOWN = rpc.UNKNOWN
SPECIAL_SIG_KEY = rpc._special_sig_key
SECRET_SIG = rpc._special_secret_sig
RESOURCE_SIG = rpc._special_resource_sig
deserialize_properties = rpc.deserialize_properties
deserialize_property = rpc.deserialize_property
serialize_properties = rpc.serialize_properties
RegisterResourceResponse = resource_pb2.RegisterResourceResponse
sync_await = _sync_await
# The module whose `_get_stack_trace` every registration calls (offline runs replace it: see offline.py).
RESOURCE_MODULE = resource
EmptyStackTrace = source_pb2.StackTrace
# The module whose `wait_for_rpcs` ends every program run (offline runs replace it: see offline.py), and what
# that function reads: the outstanding RPCs and the Output tasks of the run.
STACK_MODULE = stack
get_rpc_manager = _get_rpc_manager


def get_project_stack() -> tuple[str, str]:
    return get_project(), get_stack()

__all__ = [
    "CONFIG_VAR",
    "RESOURCE_MODULE",
    "RESOURCE_SIG",
    "ROOT",
    "SECRET_SIG",
    "SETTINGS",
    "SPECIAL_SIG_KEY",
    "STACK_MODULE",
    "UNKNOWN",
    "EmptyStackTrace",
    "MockCallArgs",
    "MockEngine",
    "MockMonitor",
    "MockResourceArgs",
    "MockSettings",
    "Mocks",
    "RegisterResourceResponse",
    "configure",
    "deserialize_properties",
    "get_project_stack",
    "get_rpc_manager",
    "run_in_stack",
    "serialize_properties",
    "sync_await",
]
