"""EventBridge: what a rule target delivers (a fixed input, a JSONPath or a transformer) and rule patterns.

Shared by every rule this package creates (function events, queue events), so the three input
forms of the reference map to EventBridge's `Input`, `InputPath` and `InputTransformer` alike.
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

import json
from typing import Any

import pulumi_aws as aws

from stacktape_pulumi.aws.naming import fit

RULE_NAME_LIMIT = 64  # events PutRule Name


def rule_name(*parts: str) -> str:
    """A rule name of `parts` joined by `-`, at most 64 characters."""
    return fit("-".join(parts), RULE_NAME_LIMIT)


def event_payload(value: Any) -> str:
    """An EventBridge target input or input template: strings as written, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


def event_pattern(pattern: Any) -> str:
    """The rule's event pattern JSON, keys as the config writes them (`detail-type`, `replay-name`)."""
    return json.dumps(pattern.model_dump(by_alias=True, exclude_none=True))


def input_args(props: Any) -> dict[str, Any]:
    """The EventTarget arguments for a fixed input, a JSONPath or an input transformer (at most one is set)."""
    if props.input is not None:
        return {"input": json.dumps(props.input)}
    if props.inputPath is not None:
        return {"input_path": props.inputPath}
    transformer = props.inputTransformer
    if transformer is not None:
        return {"input_transformer": aws.cloudwatch.EventTargetInputTransformerArgs(
            input_paths=dict(transformer.inputPathsMap) if transformer.inputPathsMap else None,
            input_template=event_payload(transformer.inputTemplate))}
    return {}
