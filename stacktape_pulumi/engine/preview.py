"""Offline preview of a loaded config: the same components, under the recording engine."""

from stacktape_pulumi.components.build import build_stack
from stacktape_pulumi.directives.references import secret_references
from stacktape_pulumi.engine import Recording, run_offline
from stacktape_pulumi.engine.canned import CannedWorld
from stacktape_pulumi.load import LoadedConfig

DEFAULT_PROJECT = "stacktape"


def preview_config(loaded: LoadedConfig, *, project: str | None = None,
                   world: CannedWorld | None = None) -> Recording:
    """Build every resource of `loaded` offline and return what the engine recorded."""
    project_name = project or loaded.config.serviceName or DEFAULT_PROJECT
    world = world or CannedWorld(region=loaded.region)
    world.region = loaded.region
    world.answer_secrets(secret_references(loaded.data).secrets)

    project_dir = loaded.path.parent.resolve()

    def program() -> None:
        build_stack(loaded.config, loaded.plan, base_dir=project_dir)

    # Lambda archives are recorded relative to the config's directory: the preview is the same
    # wherever the project is checked out.
    return run_offline(program, project=project_name, stack=loaded.stage,
                       config={"aws:region": loaded.region}, world=world, asset_root=project_dir)
