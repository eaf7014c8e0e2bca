"""`function`: what a function's config asks for that this version cannot build (or AWS would refuse)."""

import re

from stacktape_pulumi.checks.function_events import event_source_problems
from stacktape_pulumi.checks.log_forwarding import log_forwarding_problems
from stacktape_pulumi.config.models.function import FunctionProps
from stacktape_pulumi.config.models.shared import is_directive
from stacktape_pulumi.errors import Problem

# Lambda's CreateFunction: variable names match botocore's `EnvironmentVariableName` pattern, Lambda
# refuses the keys it sets itself ("Defined runtime environment variables" in the Lambda developer
# guide), and all variables together hold at most 4 KB ("Lambda quotas").
ENV_NAME = re.compile(r"[a-zA-Z]([a-zA-Z0-9_])+")
RESERVED_ENV_NAMES = frozenset({
    "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_DEFAULT_REGION",
    "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_RUNTIME_API", "AWS_REGION", "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN", "LAMBDA_RUNTIME_DIR", "LAMBDA_TASK_ROOT",
})
MAX_ENV_BYTES = 4 * 1024


def function_problems(name: str, props: FunctionProps | None) -> list[Problem]:
    """What a function's config asks for that this version cannot build (or AWS would refuse)."""
    if props is None:
        return []
    problems: list[Problem] = []
    unsupported: list[tuple[str, bool, str]] = [
        ("deployment", props.deployment is not None,
         "gradual deployments of functions (CodeDeploy traffic shifting) are not supported yet"),
        ("alarms", bool(props.alarms), "alarms are not supported yet"),
        ("cdn", props.cdn is not None and props.cdn.enabled, "cdn is not supported yet"),
    ]
    for key, present, message in unsupported:
        if present:
            problems.append(Problem((key,), message, at_key=True))
    problems += _volume_mount_problems(props)
    problems += log_forwarding_problems(props.logging, ("logging",))
    problems += _environment_problems(props)
    problems += event_source_problems(props)
    reserved, provisioned = props.reservedConcurrency, props.provisionedConcurrency
    if reserved is not None and provisioned is not None and provisioned > reserved:
        problems.append(Problem(
            ("provisionedConcurrency",),
            f"provisionedConcurrency {provisioned} is more than reservedConcurrency {reserved}",
            hint="Lambda cannot keep more instances warm than the function may run at once"))
    return problems



# Lambda mounts at most one file system (botocore `lambda`: FileSystemConfigList, max 1).
MAX_FILE_SYSTEMS = 1


def _volume_mount_problems(props: FunctionProps) -> list[Problem]:
    mounts = props.volumeMounts or []
    problems = [Problem(("volumeMounts", index, "type"), "s3files volume mounts are not supported yet",
                        hint="mount an efs-filesystem of the stack (type: efs)")
                for index, mount in enumerate(mounts) if mount.type == "s3files"]
    if len(mounts) > MAX_FILE_SYSTEMS:
        problems.append(Problem(("volumeMounts", MAX_FILE_SYSTEMS), f"a Lambda function mounts at most "
                                f"{MAX_FILE_SYSTEMS} file system; this one lists {len(mounts)}",
                                hint="mount one filesystem and use subdirectories of it"))
    problems += [Problem(("volumeMounts", index, "properties", "efsFilesystemName"), "efsFilesystemName must name "
                         "an efs-filesystem resource of the stack, not a directive",
                         hint="declare the filesystem as a resource of type efs-filesystem")
                 for index, mount in enumerate(mounts)
                 if mount.type == "efs" and mount.properties.efsFilesystemName.startswith("$")]
    return problems


def _acceptable_env_name(name: str) -> str:
    """A name close to `name` that Lambda accepts (a suggestion for the hint)."""
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", name).strip("_")
    if cleaned and not cleaned[0].isalpha():
        cleaned = f"V_{cleaned}"
    if len(cleaned) < 2:
        cleaned = f"{cleaned}_VAR" if cleaned else "VAR"
    return cleaned


def _environment_problems(props: FunctionProps) -> list[Problem]:
    """Variable names Lambda refuses, and literal values over its 4 KB for the whole environment."""
    problems: list[Problem] = []
    size = 0
    for index, variable in enumerate(props.environment or []):
        if variable.name in RESERVED_ENV_NAMES:
            problems.append(Problem(("environment", index, "name"),
                                    f"environment variable {variable.name} is reserved: Lambda sets it itself",
                                    hint="choose another name; the function can read Lambda's value at run time"))
        elif not ENV_NAME.fullmatch(variable.name):
            problems.append(Problem(("environment", index, "name"),
                                    f"environment variable name '{variable.name}' is not one Lambda accepts: a "
                                    "letter, then at least one letter, digit or underscore",
                                    hint=f"e.g. '{_acceptable_env_name(variable.name)}'"))
        value = variable.value
        # Runtime directives are sized at deploy time; what is written here counts now.
        if isinstance(value, str | int | float | bool) and not (isinstance(value, str) and is_directive(value)):
            size += len(variable.name.encode()) + len(str(value).encode())
    if size > MAX_ENV_BYTES:
        problems.append(Problem(("environment",),
                                f"the environment holds {size} bytes; Lambda allows 4 KB (4096 bytes) for all of a "
                                "function's variables together",
                                hint="move large values to a secret or parameter and read it at run time",
                                at_key=True))
    return problems
