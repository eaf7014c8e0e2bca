"""What a change to a config touches on AWS: the blast radius of an update, from two offline previews.

Offline, every output is canned, so a resource whose only change is that it must read a new
output of another resource looks unchanged. The diff therefore adds the resources AWS would
touch through an output: those that depend (by a property) on a resource that is replaced on
any change of its inputs — a task definition revision is immutable, so a changed task
definition is a new revision and the service that runs it is updated to it.
"""

from dataclasses import dataclass

from stacktape_pulumi.aws.naming import REPLACED_UNDER_ONE_NAME
from stacktape_pulumi.engine.offline import RecordedResource, Recording

# Types whose every input change creates a new physical resource (a replacement), so that what
# reads their outputs (ARNs, revisions) changes too.
REPLACED_ON_ANY_CHANGE = frozenset({"aws:ecs/taskDefinition:TaskDefinition"})


@dataclass(frozen=True)
class BlastRadius:
    """Logical names (as registered) of what an update adds, removes, changes, and updates as a consequence."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]  # inputs differ
    follow_on: tuple[str, ...]  # inputs read an output of a replaced resource

    @property
    def touched(self) -> tuple[str, ...]:
        return tuple(sorted({*self.added, *self.removed, *self.changed, *self.follow_on}))


def _by_urn(recording: Recording) -> dict[str, RecordedResource]:
    return {r.urn: r for r in recording.resources if r.type != "pulumi:pulumi:Stack"}


def blast_radius(before: Recording, after: Recording) -> BlastRadius:
    """Compare two offline previews of the same stack."""
    old, new = _by_urn(before), _by_urn(after)
    changed = {urn for urn in old.keys() & new.keys() if old[urn].inputs != new[urn].inputs}
    replaced = {urn for urn in changed if new[urn].type in REPLACED_ON_ANY_CHANGE}
    follow_on: set[str] = set()
    frontier = set(replaced)
    while frontier:
        readers = {urn for urn, resource in new.items() if urn not in changed | follow_on
                   and any(dep in frontier for deps in resource.property_dependencies.values() for dep in deps)}
        follow_on |= readers
        # A reader that is itself replaced on change passes the change on to its own readers.
        frontier = {urn for urn in readers if new[urn].type in REPLACED_ON_ANY_CHANGE}

    def names(urns: set[str], source: dict[str, RecordedResource]) -> tuple[str, ...]:
        return tuple(sorted(source[urn].name for urn in urns))

    return BlastRadius(added=names(new.keys() - old.keys(), new), removed=names(old.keys() - new.keys(), old),
                       changed=names(changed, new), follow_on=names(follow_on, new))


def name_collisions(before: Recording, after: Recording) -> tuple[str, ...]:
    """Logical names of what an update would replace under the name the old resource still holds.

    Pulumi creates a replacement before it deletes the original, so AWS refuses the new one when both
    carry one fixed name; an auto-named resource, or one replaced with `deleteBeforeReplace`, is safe.
    """
    old, new = _by_urn(before), _by_urn(after)
    colliding = []
    for urn in sorted(old.keys() & new.keys()):
        rule = REPLACED_UNDER_ONE_NAME.get(new[urn].type)
        if rule is None or new[urn].delete_before_replace:
            continue
        name = new[urn].inputs.get(rule.name_key)
        replaced = any(old[urn].inputs.get(key) != new[urn].inputs.get(key) for key in rule.replacing_inputs)
        if replaced and name is not None and name == old[urn].inputs.get(rule.name_key):
            colliding.append(new[urn].name)
    return tuple(sorted(colliding))
