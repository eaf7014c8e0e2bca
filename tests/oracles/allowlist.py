"""The one allow-list of the oracles: every excused finding with the reason it is acceptable.

An entry matches a finding by oracle, code and subject (and optionally resource type and logical
name; globs allowed). Rules for adding one:

* `iam`/`resource-star` entries name exactly one action, and only an action AWS allows solely
  on `"*"` (no resource types in the IAM reference): `test_oracles.py` checks this.
* A finding that is a real defect in a component is excused only temporarily, with a reason
  starting "KNOWN DEFECT:" that says what is wrong; `test_oracles.py` fails once the defect is
  gone so the entry cannot outlive it.
"""

from oracles import Allowed

KNOWN_DEFECT = "KNOWN DEFECT:"

_ECS_EXEC = ("ECS Exec (enableRemoteSessions): the task role opens Session Manager channels; "
             "ssmmessages has no resource types, AWS documents this policy with Resource \"*\" "
             "(ECS developer guide, 'Using ECS Exec', IAM permissions)")

ALLOWED: list[Allowed] = [
    Allowed("iam", "resource-star", "ssmmessages:CreateControlChannel", _ECS_EXEC),
    Allowed("iam", "resource-star", "ssmmessages:CreateDataChannel", _ECS_EXEC),
    Allowed("iam", "resource-star", "ssmmessages:OpenControlChannel", _ECS_EXEC),
    Allowed("iam", "resource-star", "ssmmessages:OpenDataChannel", _ECS_EXEC),
    Allowed("containers", "opaque-definitions", "containerDefinitions",
            "docs/decisions.md: a secret formatted into a larger value cannot use ECS valueFrom, so it is a Pulumi "
            "secret and masks the whole containerDefinitions; only the fixture that does this on purpose",
            type="aws:ecs/taskDefinition:TaskDefinition",
            name="formatted*-task-definition"),
    Allowed("iam", "parliament:RESOURCE_MISMATCH", "policy",
            "parliament splits an ARN at every ':' and so matches no DynamoDB stream ARN, whose label is a "
            "timestamp with colons (table/<name>/stream/2026-01-01T00:00:00.000); only a function event's "
            "policy, whose exact statements tests/test_function_events.py asserts",
            type="aws:iam/rolePolicy:RolePolicy",
            name="*-event-*-policy"),
]


# Inputs `validate` does not yet answer with a located ConfigError (none now: the deep-nesting,
# control-character and non-regular-file cases the fuzzer found are fixed and tested directly).
FUZZ_KNOWN_DEFECTS: dict[str, str] = {}
