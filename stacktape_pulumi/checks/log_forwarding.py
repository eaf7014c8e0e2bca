"""`logging.logForwarding` of containers, functions and HTTP API access logs: what Firehose would refuse.

The limits are botocore's firehose model (`HttpEndpointUrl` is `https://.*` of at most 1000
characters, at most 50 common attributes with names of 1-256 non-blank characters and values of at
most 1024); `retryDuration` (0-7200) is checked by the model. Credentials (`accessKey`, `apiKey`)
must come from a secret store: written in the config they would sit in plaintext in the file, the
Pulumi state and every preview.
"""

from typing import Any

from stacktape_pulumi.config.models.shared import (
    DatadogLogForwardingProps,
    HighlightLogForwardingProps,
    HttpEndpointLogForwardingProps,
)
from stacktape_pulumi.directives.parser import DirectiveSyntaxError, parse, walk
from stacktape_pulumi.errors import KeyPath, Problem

MAX_URL_LENGTH = 1000
MAX_ATTRIBUTES = 50
MAX_ATTRIBUTE_NAME = 256
MAX_ATTRIBUTE_VALUE = 1024
# Directives whose value the build keeps secret (runtime.CONFIDENTIAL, which imports Pulumi).
SECRET_DIRECTIVES = frozenset({"Secret", "SsmParam"})


def log_forwarding_problems(logging: Any, at: KeyPath) -> list[Problem]:
    """Problems of `logging.logForwarding` (`logging` at key path `at`), or none when it forwards nothing."""
    forwarding = getattr(logging, "logForwarding", None) if logging is not None else None
    if forwarding is None:
        return []
    where: KeyPath = (*at, "logForwarding")
    if logging.disabled:
        return [Problem(where, "logForwarding forwards the log group that logging.disabled: true removes",
                        hint="remove disabled: true, or remove logForwarding", at_key=True)]
    props = forwarding.properties
    ppath: KeyPath = (*where, "properties")
    problems = _url_problems(props.endpointUrl, (*ppath, "endpointUrl"))
    if isinstance(props, HttpEndpointLogForwardingProps):
        problems += _credential_problems(props.accessKey, "accessKey", (*ppath, "accessKey"))
        problems += _parameter_problems(props.parameters or {}, (*ppath, "parameters"))
    elif isinstance(props, DatadogLogForwardingProps):
        problems += _credential_problems(props.apiKey, "apiKey", (*ppath, "apiKey"))
    elif isinstance(props, HighlightLogForwardingProps) and not props.projectId.strip():
        problems.append(Problem((*ppath, "projectId"), "projectId must not be blank",
                                hint="copy the project ID from the highlight.io console"))
    return problems


def _url_problems(url: str | None, path: KeyPath) -> list[Problem]:
    if url is None or _is_directive(url):
        return []
    if not url.startswith("https://") or len(url) > MAX_URL_LENGTH:
        shown = url if len(url) <= 60 else url[:57] + "..."
        return [Problem(path, f"endpointUrl '{shown}' must be an https:// URL of at most {MAX_URL_LENGTH} "
                              "characters: Firehose delivers only to HTTPS endpoints",
                        hint=f"e.g. 'https://{url.split('://', 1)[-1][:60]}'")]
    return []


def _credential_problems(value: Any, key: str, path: KeyPath) -> list[Problem]:
    """A credential is a secret directive (YAML) or an Output (Python, made secret by the build)."""
    if value is None or not isinstance(value, str):
        return []
    try:
        directive = parse(value)
    except DirectiveSyntaxError:
        return []  # the directive checks report where it is malformed
    if directive is not None and any(node.name in SECRET_DIRECTIVES for node in walk(directive)):
        return []
    return [Problem(path, f"{key} must not be written in the config: Firehose sends it with every request, and a "
                          "literal would be stored in plaintext in the file, the Pulumi state and every preview; "
                          "allowed: $Secret('name'), $Secret('name.jsonKey') or $SsmParam('name') "
                          "(from Python: a pulumi.Output)",
                    hint=f"store it in Secrets Manager and write {key}: $Secret('<secret name>')")]


def _parameter_problems(parameters: dict[str, str], path: KeyPath) -> list[Problem]:
    problems: list[Problem] = []
    if len(parameters) > MAX_ATTRIBUTES:
        problems.append(Problem(path, f"parameters has {len(parameters)} entries; Firehose allows at most "
                                      f"{MAX_ATTRIBUTES} common attributes", hint="merge or drop some", at_key=True))
    for name, value in parameters.items():
        if not name.strip() or len(name) > MAX_ATTRIBUTE_NAME:
            problems.append(Problem((*path, name), f"parameter name '{name[:60]}' must have 1 to "
                                                   f"{MAX_ATTRIBUTE_NAME} characters, not all blank",
                                    hint="use a short non-blank name", at_key=True))
        if not _is_directive(value) and len(value) > MAX_ATTRIBUTE_VALUE:
            problems.append(Problem((*path, name), f"the value of parameter '{name}' has {len(value)} characters; "
                                                   f"Firehose allows at most {MAX_ATTRIBUTE_VALUE}",
                                    hint="shorten it"))
    return problems


def _is_directive(value: str) -> bool:
    try:
        return parse(value) is not None
    except DirectiveSyntaxError:
        return True


def container_log_forwarding_problems(name: str, props: Any) -> list[Problem]:
    """The log forwarding of every container of a `multi-container-workload` (its `properties`)."""
    del name  # the checks table's signature; messages need no resource name
    return [problem for index, container in enumerate(props.containers if props is not None else [])
            for problem in log_forwarding_problems(container.logging, ("containers", index, "logging"))]
