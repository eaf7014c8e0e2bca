"""Secrets never in plaintext: plant sentinel values in the canned world and look for them everywhere.

`planted_world(data)` finds every `$Secret('name')` / `$Secret('name.key')` and `$SsmParam('name')`
a (locally resolved) config references and returns a `CannedWorld` whose secret strings and
parameter values are sentinels: `stp-sentinel-<name>-<key>` (JSON keys get their own sentinel,
and each JSON secret carries one extra unused key, so a leak of the whole document shows too).
`find_leaks` then searches text (a recording's JSON with masked inputs and outputs, logs, error
messages, captured output) for each sentinel, also in base64 at any alignment, because some
inputs (user data, config blobs) are base64 encoded.
"""

import base64
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from oracles import Finding
from stacktape_pulumi.directives.references import secret_references
from stacktape_pulumi.engine import Recording
from stacktape_pulumi.engine.canned import CannedWorld

ORACLE = "secrets"
UNUSED_KEY = "unusedKey"


def sentinel(name: str, key: str | None = None) -> str:
    """The planted value of secret/parameter `name` (or one JSON key of it); only [A-Za-z0-9-]."""
    parts = [name, key or "whole"]
    return "stp-sentinel-" + "-".join(re.sub(r"[^A-Za-z0-9]+", "-", p).strip("-") for p in parts)


@dataclass
class Plant:
    """The sentinel world for one config and what to search for."""

    world: CannedWorld
    sentinels: dict[str, str] = field(default_factory=dict)  # sentinel → what it stands for


def planted_world(data: Any, region: str = "us-east-1") -> Plant:
    """A canned world answering every secret and parameter `data` references with sentinels."""
    found = secret_references(data)
    secrets, params = found.secrets, found.parameters
    plant = Plant(CannedWorld(region=region))
    for name, keys in sorted(secrets.items()):
        json_keys = sorted(k for k in keys if k is not None)
        if json_keys:
            doc = {k: sentinel(name, k) for k in [*json_keys, UNUSED_KEY]}
            plant.world.secret_values[name] = json.dumps(doc)
            plant.sentinels.update({v: f"secret {name}.{k}" for k, v in doc.items()})
        else:
            plant.world.secret_values[name] = sentinel(name)
            plant.sentinels[sentinel(name)] = f"secret {name}"
    for name in sorted(params):
        value = sentinel("ssm", name)
        plant.world.ssm_values[name] = value
        plant.sentinels[value] = f"SSM parameter {name}"
    return plant


def encodings(value: str) -> list[str]:
    """The sentinel itself and the base64 text it turns into at each of the three byte alignments."""
    raw = value.encode()
    forms = [value]
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw).decode()
        first_group = -(-offset // 3)  # first 3-byte group made only of sentinel bytes
        last_group = (offset + len(raw)) // 3
        if last_group - first_group >= 2:
            forms.append(encoded[4 * first_group: 4 * last_group])
    return forms


def find_leaks(texts: Mapping[str, str], sentinels: Mapping[str, str]) -> list[Finding]:
    """A finding per (place, sentinel) where a planted value shows in plain text or base64."""
    found: list[Finding] = []
    for place, text in texts.items():
        for value, meaning in sentinels.items():
            if any(form in text for form in encodings(value)):
                found.append(Finding(ORACLE, "leak", place, "", place,
                                     f"the value of {meaning} appears unmasked in {place}", value))
    return found


def recording_texts(recording: Recording) -> dict[str, str]:
    """Everything a recording would show: per-resource inputs and outputs, stack outputs, logs."""
    texts = {f"resource {r.type} {r.name}": json.dumps(r.to_json(), ensure_ascii=False) for r in recording.resources}
    texts["stack outputs"] = json.dumps(recording.stack_outputs, ensure_ascii=False)
    texts["engine logs"] = "\n".join(recording.logs)
    texts["preview --json"] = recording.dumps()
    return texts


def check(recording: Recording, sentinels: Mapping[str, str], extra: Iterable[tuple[str, str]] = ()) -> list[Finding]:
    """Leaks of planted sentinels in a recording and in any extra (place, text) pairs (logs, errors, output)."""
    texts = recording_texts(recording)
    texts.update(dict(extra))
    return find_leaks(texts, sentinels)
