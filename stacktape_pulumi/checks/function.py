"""`function`: what a function's config asks for that this version cannot build (or AWS would refuse)."""

from stacktape_pulumi.config.models.function import FunctionProps
from stacktape_pulumi.errors import Problem


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
        ("volumeMounts", bool(props.volumeMounts), "volumeMounts are not supported yet"),
    ]
    for key, present, message in unsupported:
        if present:
            problems.append(Problem((key,), message, at_key=True))
    if props.logging is not None and props.logging.logForwarding is not None:
        problems.append(Problem(("logging", "logForwarding"), "log forwarding is not supported yet",
                                     at_key=True))
    reserved, provisioned = props.reservedConcurrency, props.provisionedConcurrency
    if reserved is not None and provisioned is not None and provisioned > reserved:
        problems.append(Problem(
            ("provisionedConcurrency",),
            f"provisionedConcurrency {provisioned} is more than reservedConcurrency {reserved}",
            hint="Lambda cannot keep more instances warm than the function may run at once"))
    return problems

