"""What the resources of one stack share: names, tags, the network, shared roles, referenceable params.

The YAML path creates one `StackContext` from `stackConfig`; Python users get a default one
per Pulumi program and AWS provider (kept in a contextvar, so offline runs in one process never
share it): components on `aws.Provider("west", region="eu-west-1")` get their own context, with
their own VPC, repository and namespace in that region, beside those of the default provider.

Every shared part sits under the context's `stacktape:index:Stack` component (`components/stack.py`),
created with the options of the component that first needs one, so it follows that component's
provider, protect, transforms …; invokes go through the same component, hence the same provider.
"""

# Annotations stay unevaluated: naming AWS SDK classes in them would import those services'
# modules (hundreds of ms) for every `validate`, which never builds anything.
from __future__ import annotations

import contextvars
import importlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws.naming import fit, lower_kebab, name_safe, physical
from stacktape_pulumi.aws.network import NetworkSettings, StackNetwork, network_name
from stacktape_pulumi.aws.security_groups import group_description
from stacktape_pulumi.components.exchange import StackExchange
from stacktape_pulumi.components.stack import ROOT_ALIAS, StackResource, cascade_options, stack_options
from stacktape_pulumi.directives.refs import SecretRef, SsmParamRef
from stacktape_pulumi.directives.runtime import RuntimeResolver
from stacktape_pulumi.errors import StacktapeError
from stacktape_pulumi.plan import StackPlan, StackSettings

if TYPE_CHECKING:
    from collections.abc import Callable

    from stacktape_pulumi.components.cloudformation import CloudformationResource

T = TypeVar("T")

# The stack's ECR repository keeps this many images (older ones are expired by a lifecycle rule).
CONTAINER_REPOSITORY_KEEP_IMAGES = 100
# Untagged images (a tag re-pushed) stay this long, so rollbacks to a recent digest still pull.
CONTAINER_REPOSITORY_UNTAGGED_DAYS = 14



class StackContext:
    """Shared, lazily created per-stack resources and the registry of referenceable params."""

    def __init__(self, settings: StackSettings | None = None, *, plan: StackPlan | None = None,
                 project: str | None = None, stage: str | None = None,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        """`opts`: the options of the stack's shared parts (default: those of the first component needing one)."""
        self.settings = settings or StackSettings()
        # What the whole config implies (YAML door); empty when components are built one by one.
        self.plan = plan or StackPlan()
        self.project = project or pulumi.get_project()
        self.stage = stage or pulumi.get_stack()
        # The prefix of every physical name: only characters every AWS name takes (see name_safe).
        self.stack_name = name_safe(f"{self.project}-{self.stage}")
        self._stack_opts = stack_options(cascade_options(opts)) if opts is not None else None
        self._offered: pulumi.ResourceOptions | None = None
        self._stack: StackResource | None = None
        self._network: StackNetwork | None = None
        self._secret_arns: dict[str, pulumi.Output[str]] = {}
        self._ssm_arns: dict[str, pulumi.Output[str]] = {}
        self.params: dict[str, dict[str, pulumi.Output[Any]]] = {}
        self.components: dict[str, Any] = {}
        self._region: pulumi.Output[str] | None = None
        self._resolver: RuntimeResolver | None = None
        self._stack_refs: dict[str, pulumi.StackReference] = {}
        self._container_repository: aws.ecr.Repository | None = None
        self._once: dict[str, Any] = {}
        # What components hand each other (topic subscriptions, Service Connect servers), typed.
        self.exchange = StackExchange()
        # Security groups of the stack's workloads and VPC functions: the only sources an internal load
        # balancer admits (read once the program body has run, so every one is known).
        self.vpc_clients: dict[str, pulumi.Output[str]] = {}
        # cloudformationResources by logical name: `$CfResourceParam`, `Ref` and `Fn::GetAtt` read them.
        self.cloudformation_resources: dict[str, CloudformationResource] = {}

    # ---- names and tags -----------------------------------------------------------------
    @property
    def tags(self) -> dict[str, str]:
        """Stack tags plus the project/stage tags every taggable resource carries."""
        return {
            **self.settings.tags,
            "stp:project-name": self.project,
            "stp:stage": self.stage,
            "stp:stack-name": self.stack_name,
        }

    def name(self, kind: str, *parts: str) -> str:
        return physical(kind, self.stack_name, *parts)

    def iam_name(self, *parts: str) -> pulumi.Input[str]:
        """IAM names are global: the region keeps one stack in two regions from colliding.

        The region of the stack's provider: the `aws:region` config for the default provider (a plain
        name, known at once), the region an explicit provider answers with otherwise.
        """
        if self.aws_provider is None:
            region = pulumi.Config("aws").get("region") or ""
            return physical("iam-role", self.stack_name, *parts, region)
        return self.region.apply(lambda known: physical("iam-role", self.stack_name, *parts, known))

    # ---- the stack component, its options and its provider -------------------------------
    def offer_options(self, opts: pulumi.ResourceOptions | None) -> None:
        """Called by each component as it starts: the stack component takes the options of the one
        being built when the first shared part is needed (later offers change nothing)."""
        if self._stack is None:
            self._offered = stack_options(opts)

    def stack_resource(self) -> StackResource:
        """The `stacktape:index:Stack` component every shared part of this stack sits under (made on first use)."""
        if self._stack is None:
            opts = self._stack_opts or self._offered or pulumi.ResourceOptions()
            self._stack = StackResource(self.logical_prefix(opts), opts)
        return self._stack

    @property
    def aws_provider(self) -> pulumi.ProviderResource | None:
        """The explicit AWS provider of the stack's shared parts; None for the default provider."""
        return self.stack_resource().get_provider("aws::")

    def logical_prefix(self, opts: pulumi.ResourceOptions | None = None) -> str:
        """The prefix of shared parts' logical names: the stack's name, and an explicit provider's name.

        URNs name a resource by its parents' types, not their names: two regions' VPCs of one program
        need names of their own. The default provider keeps the names stacks already have.
        """
        if opts is None:
            return self.stack_resource().pulumi_resource_name
        provider = _aws_provider(opts)
        return self.stack_name if provider is None else f"{self.stack_name}-{provider.pulumi_resource_name}"

    def shared_opts(self, **kwargs: Any) -> pulumi.ResourceOptions:
        """Options of a shared part: under the stack component (whose options it inherits)."""
        return pulumi.ResourceOptions(parent=self.stack_resource(), aliases=[ROOT_ALIAS], **kwargs)

    def invoke_opts(self) -> pulumi.InvokeOptions:
        """Options of a lookup for the stack: through the stack component's provider."""
        return pulumi.InvokeOptions(parent=self.stack_resource())

    @property
    def region(self) -> pulumi.Output[str]:
        """The region of the stack's provider, as that provider reports it."""
        if self._region is None:
            self._region = aws.get_region_output(opts=self.invoke_opts()).region
        return self._region

    def caller_identity(self) -> pulumi.Output[aws.GetCallerIdentityResult]:
        """The account of the stack's provider (looked up once)."""
        return self.once("caller-identity", lambda: aws.get_caller_identity_output(opts=self.invoke_opts()))

    def partition(self) -> pulumi.Output[aws.GetPartitionResult]:
        """The partition of the stack's provider (looked up once)."""
        return self.once("partition", lambda: aws.get_partition_output(opts=self.invoke_opts()))

    # ---- shared infrastructure ----------------------------------------------------------
    def network(self, *, private_subnets: bool = False) -> StackNetwork:
        """The stack VPC, created on first use."""
        if self._network is None:
            settings = NetworkSettings(
                reuse_vpc_id=self.settings.reuse_vpc_id,
                reuse_vpc_of_stack=self.settings.reuse_vpc_of_stack,
                nat_zones=self.settings.nat_zones,
                private_subnets=self.plan.private_subnets,
            )
            self._network = StackNetwork(network_name(self.logical_prefix()), settings, self.tags,
                                         opts=self.shared_opts())
        if private_subnets:
            self._network.ensure_private_subnets()
        return self._network

    def once(self, key: str, create: Callable[[], T]) -> T:
        """The value `create()` made the first time `key` was asked for in this stack.

        A cache of resources shared by several components or events, e.g. one Cloud Map service per
        workload however many HTTP API events it has. Facts components hand each other are typed
        fields of `exchange` instead.
        """
        if key not in self._once:
            self._once[key] = create()
        value: T = self._once[key]
        return value

    def private_namespace(self) -> aws.servicediscovery.PrivateDnsNamespace:
        """The stack's Cloud Map private DNS namespace (HTTP API → containers, Service Connect)."""
        return self.once("private-namespace", lambda: aws.servicediscovery.PrivateDnsNamespace(
            f"{self.logical_prefix()}-private-namespace",
            name=self.name("namespace", "private-namespace"),
            description=f"Service discovery of stack {self.stack_name}",
            vpc=self.network().vpc_id,
            tags=self.tags,
            # Its name is the DNS domain the stack's services answer under, so it is fixed: moved to
            # another VPC, the old namespace goes first.
            opts=self.shared_opts(delete_before_replace=True)))

    def service_connect_clients_security_group(self) -> aws.ec2.SecurityGroup:
        """A marker group on every workload of a stack using Service Connect; exposed ports admit only it."""
        # No rules of its own: the workloads' own groups carry their egress.
        return self.once("service-connect-clients", lambda: aws.ec2.SecurityGroup(
            f"{self.logical_prefix()}-service-connect-clients",
            description=group_description(
                f"Workloads of stack {self.stack_name} that may call its Service Connect services"),
            vpc_id=self.network().vpc_id,
            tags=self.tags, opts=self.shared_opts()))

    @property
    def base_dir(self) -> Path:
        """The directory relative config paths resolve against (the config file's directory on the YAML path)."""
        return self.settings.base_dir or Path.cwd()

    def container_repository(self) -> aws.ecr.Repository:
        """The stack's ECR repository for built container images, created on first use.

        Images are scanned on push; a lifecycle policy expires untagged images after
        `CONTAINER_REPOSITORY_UNTAGGED_DAYS` days and keeps the newest
        `CONTAINER_REPOSITORY_KEEP_IMAGES` images. `force_delete=True`: removing the stack
        deletes the repository with its images (they are rebuilt from source on the next
        deploy), as the reference does, instead of failing on a non-empty repository.
        """
        if self._container_repository is None:
            prefix = self.logical_prefix()
            repository = aws.ecr.Repository(
                f"{prefix}-container-repository",
                name=fit(f"{lower_kebab(self.stack_name)}-containers", 256),
                image_scanning_configuration=aws.ecr.RepositoryImageScanningConfigurationArgs(scan_on_push=True),
                image_tag_mutability="MUTABLE",
                force_delete=True,
                tags=self.tags,
                opts=self.shared_opts(),
            )
            aws.ecr.LifecyclePolicy(
                f"{prefix}-container-repository-lifecycle",
                repository=repository.name,
                policy=json.dumps({"rules": [
                    {"rulePriority": 1, "description": "expire untagged images",
                     "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                                   "countNumber": CONTAINER_REPOSITORY_UNTAGGED_DAYS},
                     "action": {"type": "expire"}},
                    {"rulePriority": 2, "description": f"keep the newest {CONTAINER_REPOSITORY_KEEP_IMAGES} images",
                     "selection": {"tagStatus": "any", "countType": "imageCountMoreThan",
                                   "countNumber": CONTAINER_REPOSITORY_KEEP_IMAGES},
                     "action": {"type": "expire"}},
                ]}, separators=(",", ":")),
                opts=pulumi.ResourceOptions(parent=repository))
            self._container_repository = repository
        return self._container_repository

    def secret_arn(self, name: str) -> pulumi.Output[str]:
        """The ARN of a Secrets Manager secret given by name or ARN (looked up once per stack)."""
        if name not in self._secret_arns:
            if name.startswith("arn:"):
                self._secret_arns[name] = pulumi.Output.from_input(name)
            else:
                self._secret_arns[name] = aws.secretsmanager.get_secret_output(name=name, opts=self.invoke_opts()).arn
        return self._secret_arns[name]

    def ssm_parameter_arn(self, name: str) -> pulumi.Output[str]:
        """The ARN of an SSM parameter (name with or without the leading slash)."""
        if name not in self._ssm_arns:
            self._ssm_arns[name] = aws.ssm.get_parameter_output(name=name, with_decryption=False,
                                                                opts=self.invoke_opts()).arn
        return self._ssm_arns[name]

    def secret_value(self, name: str, key: str | None) -> pulumi.Output[str]:
        """A secret's value (or one JSON key of it) as a secret Output, for places without `valueFrom`."""
        version = aws.secretsmanager.get_secret_version_output(secret_id=name, opts=self.invoke_opts())

        def pick(text: str) -> str:
            if key is None:
                return text
            try:
                value = json.loads(text)[key]
            except (ValueError, KeyError, TypeError):
                raise StacktapeError(f"secret '{name}' has no JSON key '{key}'") from None
            return value if isinstance(value, str) else json.dumps(value)

        return pulumi.Output.secret(version.secret_string.apply(pick))

    @property
    def resolver(self) -> RuntimeResolver:
        """Turns runtime directive strings into Outputs (or secret references) for this stack."""
        if self._resolver is None:
            self._resolver = RuntimeResolver(
                resource_param=self.resource_param,
                secret_value=lambda ref: self.secret_value(ref.name, ref.key),
                ssm_value=self.ssm_value,
                stack_output=self.stack_output,
                cf_resource_param=self.cf_resource_param,
            )
        return self._resolver

    def output_value(self, value: Any) -> Any:
        """A config value as a plain value or Output; secret references become secret Outputs."""
        resolved = self.resolver.resolve(value) if isinstance(value, str) else value
        if isinstance(resolved, SecretRef):
            return self.secret_value(resolved.name, resolved.key)
        if isinstance(resolved, SsmParamRef):
            return self.ssm_value(resolved)
        return resolved

    def ssm_value(self, ref: SsmParamRef) -> pulumi.Output[str]:
        return pulumi.Output.secret(aws.ssm.get_parameter_output(name=ref.name, with_decryption=True,
                                                                opts=self.invoke_opts()).value)

    def stack_output(self, stack: str, output: str) -> pulumi.Output[Any]:
        if stack not in self._stack_refs:
            self._stack_refs[stack] = pulumi.StackReference(f"stack-ref-{stack}", stack_name=stack,
                                                            opts=self.shared_opts())
        return self._stack_refs[stack].get_output(output)

    # ---- components and referenceable params -------------------------------------------
    def register_component(self, resource: str, component: Any, params: dict[str, pulumi.Output[Any]]) -> None:
        """Called by every component: lets events find their targets and `$ResourceParam` its params."""
        if resource in self.components:
            raise StacktapeError(f"two resources of this stack are named '{resource}'")
        self.components[resource] = component
        self.params[resource] = params

    def component(self, resource: str, kind: type[T]) -> T:
        """The already-built component `resource`, which must be a `kind`."""
        found = self.components.get(resource)
        if found is None:
            raise StacktapeError(f"resource '{resource}' must be created before the resources that use it")
        if not isinstance(found, kind):
            raise StacktapeError(f"resource '{resource}' is a {type(found).__name__}, not a {kind.__name__}")
        return found

    def resource_param(self, resource: str, param: str) -> pulumi.Output[Any]:
        known = self.params.get(resource)
        if known is None:
            raise StacktapeError(f"resource '{resource}' has not been built yet (referenced by $ResourceParam)")
        if param not in known:
            raise StacktapeError(
                f"resource '{resource}' has no referenceable parameter '{param}'; "
                f"available: {', '.join(sorted(known)) or 'none'}")
        return known[param]

    def cf_resource_param(self, name: str, attribute: str) -> pulumi.Output[Any]:
        """`$CfResourceParam(name, attribute)`: an attribute of an already-built cloudformationResource."""
        found = self.cloudformation_resources.get(name)
        if found is None:
            raise StacktapeError(f"cloudformationResource '{name}' has not been built yet "
                                 "(referenced by $CfResourceParam)")
        return found.attribute(attribute)

    def aws_native_provider(self) -> pulumi.ProviderResource:
        """The stack's aws-native (Cloud Control) provider, in the stack's region: no `aws-native:region` config.

        The region is the aws provider's, as every other resource of the stack; the stack's tags are the
        provider's default tags, as CloudFormation propagates a stack's tags to its resources. Imported on
        first use: only stacks with cloudformationResources pay for the SDK.

        Imported by name, not by an import statement: a type checker follows an import statement into
        the SDK's `__init__.py`, which names all ~4,400 of its modules for type checking. That doubled
        the time of our strict mypy run and of every user's that type-checks a program using this
        package; two calls here are not worth it (the provider is typed where it is returned).
        """
        aws_native = importlib.import_module("pulumi_aws_native")

        def create() -> pulumi.ProviderResource:
            provider: pulumi.ProviderResource = aws_native.Provider(
                f"{self.logical_prefix()}-aws-native", region=self.region,
                default_tags=aws_native.ProviderDefaultTagsArgs(tags=self.tags), opts=self.shared_opts())
            return provider

        return self.once("aws-native-provider", create)


def _aws_provider(opts: pulumi.ResourceOptions) -> pulumi.ProviderResource | None:
    """The AWS provider `opts` give children: `provider`, `providers`, else the parent's."""
    provider = opts.provider
    if provider is not None and provider.package == "aws":
        return provider
    providers = opts.providers or {}
    found = (providers.get("aws") if isinstance(providers, Mapping)
             else next((p for p in providers if p.package == "aws"), None))
    if found is not None:
        return found
    return opts.parent.get_provider("aws::") if opts.parent is not None else None


_CURRENT: contextvars.ContextVar[StackContext | None] = contextvars.ContextVar("stacktape_context", default=None)
# The default contexts of this program, one per AWS provider in effect (None: the default provider).
_DEFAULTS: contextvars.ContextVar[list[tuple[pulumi.ProviderResource | None, StackContext]] | None] = \
    contextvars.ContextVar("stacktape_default_contexts", default=None)


def current_context(opts: pulumi.ResourceOptions | None = None) -> StackContext:
    """The stack context of a component built with `opts`: the one `use_context` set, else the default one
    of the AWS provider those options give (one per provider and program, made on first use)."""
    ctx = _CURRENT.get()
    if ctx is not None:
        return ctx
    defaults = _DEFAULTS.get()
    if defaults is None:
        defaults = []
        _DEFAULTS.set(defaults)
    provider = _aws_provider(opts) if opts is not None else None
    for known, found in defaults:
        if known is provider:
            return found
    created = StackContext()
    defaults.append((provider, created))
    return created


def use_context(ctx: StackContext) -> Callable[[], None]:
    """Make `ctx` the current context; returns a function restoring the previous one."""
    token = _CURRENT.set(ctx)
    return lambda: _CURRENT.reset(token)
