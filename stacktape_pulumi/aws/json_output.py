"""JSON documents (policies, container definitions) whose values may be Outputs, built with one Output.

`pulumi.Output.from_input(document)` would make an Output of every nested mapping and list, and
the SDK's wait loop visits each of them on every pass: for a stack of workloads that was most of
the Outputs a preview creates. Here the Outputs inside are collected, awaited together with
`Output.all` (which keeps secretness and unknowns), and put back in their places.
"""

import json
from collections.abc import Iterator
from typing import Any

import pulumi


def _leaves(node: Any, found: list[pulumi.Output[Any]]) -> None:
    if isinstance(node, pulumi.Output):
        found.append(node)
    elif isinstance(node, dict):
        for value in node.values():
            _leaves(value, found)
    elif isinstance(node, list | tuple):
        for value in node:
            _leaves(value, found)


def _filled(node: Any, values: Iterator[Any]) -> Any:
    """`node` with its Outputs replaced by `values`, in the order `_leaves` found them."""
    if isinstance(node, pulumi.Output):
        return next(values)
    if isinstance(node, dict):
        return {key: _filled(value, values) for key, value in node.items()}
    if isinstance(node, list | tuple):
        return [_filled(value, values) for value in node]
    return node


def json_output(document: Any, *, separators: tuple[str, str] | None = None) -> pulumi.Output[str]:
    """`json.dumps(document)` once every Output inside it is known."""
    leaves: list[pulumi.Output[Any]] = []
    _leaves(document, leaves)
    if not leaves:
        return pulumi.Output.from_input(json.dumps(document, separators=separators))
    return pulumi.Output.all(*leaves).apply(
        lambda values: json.dumps(_filled(document, iter(values)), separators=separators))
