"""`scripts` and `hooks` of a config (reference `_root.d.ts`: `LocalScript`, `Hooks`).

A script runs on the machine that runs stacktape-pulumi: `stacktape-pulumi script:run` runs one,
and `stacktape-pulumi up` / `destroy` run the ones named by `hooks` around the Pulumi operation
(`stacktape_pulumi.scripts`). Bastion scripts need a bastion resource, which this version does
not build: they are refused as not supported yet, as are the hooks of commands it does not have
(bucket sync, dev mode).
"""

from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from stacktape_pulumi.config.models.common import EnvironmentVar, StrictModel, located_error
from stacktape_pulumi.config.models.shared import NonEmptyStr, Problems, rejecting

EXECUTE_KEYS = ("executeScript", "executeScripts", "executeCommand", "executeCommands")
UNSUPPORTED_SCRIPT_TYPES = ("bastion-script", "local-script-with-bastion-tunneling")
# Script files run by the interpreter their extension names (the reference's system defaults).
SCRIPT_EXTENSIONS = (".py", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")


def _script_file(path: str) -> str:
    if not path.endswith(SCRIPT_EXTENSIONS):
        raise located_error(
            f"script file '{path}' is not a JavaScript, TypeScript or Python file; allowed extensions: "
            f"{', '.join(SCRIPT_EXTENSIONS)}",
            hint="run other programs with executeCommand")
    return path


ScriptFile = Annotated[NonEmptyStr, AfterValidator(_script_file)]


AssumeRole = Annotated[SkipJsonSchema[Any], AfterValidator(rejecting(
    "assumeRoleOfResource is not supported yet",
    "the script runs with the AWS credentials of the shell that runs it; grant those what the script needs",
))]


class LocalScriptProps(StrictModel):
    """What a local script runs, where, and with which environment."""

    executeScript: ScriptFile | None = None
    """A JavaScript, TypeScript or Python file run in its own process (node / python)."""
    executeCommand: NonEmptyStr | None = None
    """One shell command."""
    executeScripts: Annotated[list[ScriptFile], Field(min_length=1)] | None = None
    """Script files run one after another; the first failure stops the rest."""
    executeCommands: Annotated[list[NonEmptyStr], Field(min_length=1)] | None = None
    """Shell commands run one after another; the first failure stops the rest."""
    cwd: NonEmptyStr | None = None
    """Working directory, relative to the config file's directory. Default: that directory."""
    pipeStdio: bool = False
    """Stream the script's output and input through the terminal. Default false: the output is captured
    and printed only when the script fails (see docs/decisions.md)."""
    connectTo: list[NonEmptyStr] | None = None
    """Resources whose `STP_<NAME>_<PARAM>` connection variables the script gets (from the deployed stack)."""
    environment: list[EnvironmentVar] | None = None
    """Extra variables; values may be `$ResourceParam`, `$Secret`, `$SsmParam` or `$StackOutput` directives."""
    assumeRoleOfResource: AssumeRole = None
    """Not supported yet: the script runs with the caller's AWS credentials."""

    @model_validator(mode="after")
    def _one_thing_to_run(self) -> Self:
        given = [key for key in EXECUTE_KEYS if getattr(self, key) is not None]
        if len(given) != 1:
            problems = Problems()
            problems.add(
                "a local script needs exactly one of executeScript, executeScripts, executeCommand, executeCommands"
                + (f"; got {', '.join(given)}" if given else ""),
                (given[1],) if len(given) > 1 else (),
                hint="split the work into several scripts, or list every command in executeCommands")
            problems.raise_if_any(type(self).__name__)
        return self

    def steps(self) -> list[tuple[str, str]]:
        """What to run, in order: ("command", text) or ("script", path)."""
        if self.executeCommand is not None:
            return [("command", self.executeCommand)]
        if self.executeCommands is not None:
            return [("command", command) for command in self.executeCommands]
        if self.executeScript is not None:
            return [("script", self.executeScript)]
        return [("script", path) for path in self.executeScripts or []]


def _reject_unsupported_script(value: Any) -> Any:
    if isinstance(value, dict) and value.get("type") in UNSUPPORTED_SCRIPT_TYPES:
        raise located_error(
            f"script type '{value['type']}' is not supported yet; supported: local-script",
            subpath=("type",),
            hint="bastion hosts are not built by stacktape-pulumi; run the script as a local-script from a "
                 "machine that can reach the VPC")
    return value


class LocalScript(StrictModel):
    """A script run on the machine that runs stacktape-pulumi."""

    type: Literal["local-script"]
    properties: LocalScriptProps


Script = Annotated[LocalScript, BeforeValidator(_reject_unsupported_script)]


class NamedScriptLifecycleHook(StrictModel):
    """One script a lifecycle hook runs."""

    scriptName: NonEmptyStr
    """A script of the `scripts` section."""
    skipOnCI: bool = False
    """Skip it in CI (the `CI` environment variable is set, as GitHub Actions, GitLab CI and CodeBuild do)."""
    skipOnLocal: bool = False
    """Run it only in CI."""


NotBuiltHook = Annotated[SkipJsonSchema[Any], AfterValidator(rejecting(
    "this hook is not supported yet: stacktape-pulumi has no bucket-sync or dev-mode command",
    "use beforeDeploy, afterDeploy, beforeDelete or afterDelete",
))]


class Hooks(StrictModel):
    """Scripts `stacktape-pulumi up` and `destroy` run around the Pulumi operation, in list order."""

    beforeDeploy: list[NamedScriptLifecycleHook] | None = None
    """Before `stacktape-pulumi up` starts Pulumi (e.g. build a frontend)."""
    afterDeploy: list[NamedScriptLifecycleHook] | None = None
    """After a successful `stacktape-pulumi up` (e.g. database migrations)."""
    beforeDelete: list[NamedScriptLifecycleHook] | None = None
    """Before `stacktape-pulumi destroy` starts Pulumi (the stack's resources still exist)."""
    afterDelete: list[NamedScriptLifecycleHook] | None = None
    """After a successful `stacktape-pulumi destroy` (the stack's resources are gone)."""
    beforeBucketSync: NotBuiltHook = None
    """Not supported yet."""
    afterBucketSync: NotBuiltHook = None
    """Not supported yet."""
    beforeDev: NotBuiltHook = None
    """Not supported yet."""
    afterDev: NotBuiltHook = None
    """Not supported yet."""


HOOK_NAMES = ("beforeDeploy", "afterDeploy", "beforeDelete", "afterDelete")
Scripts = dict[NonEmptyStr, Script]


class ScriptsSection(StrictModel):
    """Just the `scripts` and `hooks` of a config, the rest left unread.

    `stacktape-pulumi up` runs the beforeDeploy hooks of a config that does not validate yet when
    these two sections do: a hook may build what the rest needs (a Lambda archive).
    """

    model_config = ConfigDict(extra="ignore")
    scripts: Scripts | None = None
    hooks: Hooks | None = None
