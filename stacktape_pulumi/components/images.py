"""Container images built from source and pushed to the stack's ECR repository.

AWS: Amazon ECR (the stack repository, its lifecycle policy, an authorization-token invoke
for the push). Images are built by BuildKit through the docker-build provider
(`docker-build:index:Image`) for the workload's platform, tagged with the content hash of
their build inputs, and referenced in the task definition by the pushed **digest**
(`<repository>@sha256:…`), so an unchanged container changes no input: no rebuild, no new
task definition revision. `external-buildpack` images are built and pushed by the `pack` CLI
instead, run by a `command:local:Command` on the same terms (content-addressed tag, digest).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.directives.refs import SecretRef, SsmParamRef
from stacktape_pulumi.errors import StacktapeError
from stacktape_pulumi.images.hashing import combine
from stacktape_pulumi.images.pack import (
    KEEP_OUTPUT_SCRIPT,
    LOG_DIR,
    PASSWORD_ENV,
    REGISTRY_ENV,
    USER_ENV,
    pack_arguments,
    pack_digest,
    pack_plan,
    pack_script,
)
from stacktape_pulumi.images.plan import (
    BuildPlan,
    buildpack_plan,
    dockerfile_plan,
    image_tag,
    mark_generated_dir,
    nixpacks_plan,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from stacktape_pulumi.components.context import StackContext

_Plan = TypeVar("_Plan")


@dataclass(frozen=True)
class ImageTarget:
    """Where the image runs: the workload's CPU architecture, and the component that owns the build."""

    architecture: str | None = None  # "x86_64" (default) or "arm64"
    parent: pulumi.Resource | None = None

    @property
    def platform(self) -> str:
        """The Docker platform of the architecture: `linux/amd64` or `linux/arm64`."""
        return "linux/arm64" if self.architecture == "arm64" else "linux/amd64"


def portable_path(path: Path) -> str:
    """`path` relative to the working directory when inside it, so state does not depend on the checkout."""
    try:
        return path.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return str(path)


def push_image(ctx: StackContext, workload: str, container: str, plan: BuildPlan, target: ImageTarget,
               build_args: Mapping[str, pulumi.Input[str]] | None = None) -> pulumi.Output[str]:
    """Build `plan` for the target platform, push it to the stack repository; return `<repo>@<digest>`."""
    # Imported here: only a stack that builds images pays for the docker-build SDK (and pulumi_command,
    # below, whose version check imports parver: ~0.1 s each at start-up).
    import pulumi_docker_build as docker_build

    repository = ctx.container_repository()
    token = aws.ecr.get_authorization_token_output(registry_id=repository.registry_id, opts=ctx.invoke_opts())
    tag = _tag(plan, build_args or {})
    image = docker_build.Image(
        f"{workload}-{container}-image",
        tags=[pulumi.Output.concat(repository.repository_url, ":", tag)],
        push=True,
        # A preview needs no Docker daemon; the build runs on `pulumi up` when an input changed.
        build_on_preview=False,
        context=docker_build.BuildContextArgs(location=portable_path(plan.context)),
        dockerfile=docker_build.DockerfileArgs(location=portable_path(plan.dockerfile)),
        platforms=[docker_build.Platform(plan.platform)],
        build_args=dict(build_args) if build_args else None,
        registries=[docker_build.RegistryArgs(
            address=repository.repository_url.apply(lambda url: url.split("/", 1)[0]),
            username=token.user_name,
            password=pulumi.Output.secret(token.password))],
        opts=pulumi.ResourceOptions(parent=target.parent))
    # The digest, not the tag: a task definition must not change under a re-pushed tag.
    return pulumi.Output.concat(repository.repository_url, "@", image.digest)


def _tag(plan: BuildPlan, build_args: Mapping[str, pulumi.Input[str]]) -> pulumi.Input[str]:
    if all(isinstance(value, str) for value in build_args.values()):
        return plan.tag_for({k: str(v) for k, v in build_args.items()})
    # Runtime build arguments (directives) join the hash once known.
    return pulumi.Output.all(**build_args).apply(
        lambda values: image_tag(plan.job, combine(plan.content_hash, build_args=values)))


def _planned(workload: str, container: Any, make: Callable[[], _Plan]) -> _Plan:
    try:
        return make()
    except StacktapeError as exc:
        raise StacktapeError(f"MultiContainerWorkload '{workload}': container '{container.name}': {exc}") from None


# Packaging types whose plan needs only the properties: generated (buildpack) or written by a tool (nixpacks).
PLANNERS: dict[str, Callable[[Path, str, str, Any, str], BuildPlan]] = {
    "stacktape-image-buildpack": buildpack_plan,
    "nixpacks": nixpacks_plan,
}


def planned_image(ctx: StackContext, workload: str, container: Any, target: ImageTarget) -> pulumi.Input[str]:
    planner = PLANNERS[container.packaging.type]
    props = container.packaging.properties
    plan = _planned(workload, container,
                    lambda: planner(ctx.base_dir, workload, container.name, props, target.platform))
    return push_image(ctx, workload, container.name, plan, target)


def custom_dockerfile_image(ctx: StackContext, workload: str, container: Any, target: ImageTarget) -> pulumi.Input[str]:
    props = container.packaging.properties
    plan = _planned(workload, container,
                    lambda: dockerfile_plan(ctx.base_dir, workload, container.name, props, target.platform))
    args: dict[str, pulumi.Input[str]] = {}
    for arg in props.buildArgs or []:
        value = ctx.resolver.resolve(arg.value)
        if isinstance(value, SecretRef):
            value = ctx.secret_value(value.name, value.key)
        elif isinstance(value, SsmParamRef):
            value = ctx.ssm_value(value)
        args[arg.argName] = value
    return push_image(ctx, workload, container.name, plan, target, args)


def external_buildpack_image(ctx: StackContext, workload: str, container: Any,
                             target: ImageTarget) -> pulumi.Input[str]:
    """`pack build --publish` in a local command; the task definition gets `<repo>@<digest>` from its output."""
    import pulumi_command as command  # see push_image

    props = container.packaging.properties
    plan = _planned(workload, container,
                    lambda: pack_plan(ctx.base_dir, workload, container.name, props, target.platform))
    repository = ctx.container_repository()
    token = aws.ecr.get_authorization_token_output(registry_id=repository.registry_id, opts=ctx.invoke_opts())
    log_path = portable_path(ctx.base_dir.resolve() / LOG_DIR / f"{plan.job}.log")
    mark_generated_dir(ctx.base_dir.resolve())

    def script(repository_url: str) -> str:
        arguments = pack_arguments(plan, f"{repository_url}:{plan.tag}", portable_path(plan.source))
        return pack_script(arguments, log_path)

    build = command.local.Command(
        f"{workload}-{container.name}-image",
        create=repository.repository_url.apply(script),
        # Runs instead of `create` when only the environment changed (a new ECR token): no rebuild.
        update=KEEP_OUTPUT_SCRIPT,
        add_previous_output_in_env=True,  # PULUMI_COMMAND_STDOUT for the update (the provider's default)
        interpreter=["/bin/sh", "-c"],
        environment={
            REGISTRY_ENV: repository.repository_url.apply(lambda url: url.split("/", 1)[0]),
            USER_ENV: token.user_name,
            PASSWORD_ENV: pulumi.Output.secret(token.password),
        },
        triggers=[plan.tag],
        # A new tag or repository is a new build (`triggers` alone would let a changed script update in place).
        opts=pulumi.ResourceOptions(parent=target.parent, replace_on_changes=["create"]))
    ref = repository.repository_url.apply(lambda url: f"{url}:{plan.tag}")
    # The digest is no secret, though the command's outputs are (its environment holds the password).
    digest = pulumi.Output.unsecret(pulumi.Output.all(build.stdout, ref).apply(lambda v: pack_digest(v[0], v[1])))
    return pulumi.Output.concat(repository.repository_url, "@", digest)
