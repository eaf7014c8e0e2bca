"""The stack-level component: the parent of every part the components of one stack share.

A stack's VPC, ECR repository, Cloud Map namespace, shared roles, aws-native provider and the
region and account lookups belong to no single component, yet they must follow the options the
user gave the components (an `aws.Provider` for another region or account, `protect`,
`transforms`, `retainOnDelete` …). They sit under one `stacktape:index:Stack` component, created
with the inheritable options of the component that first needs a shared part; its children
inherit them the way any component's children do (provider map and protect through the SDK,
transforms through the engine).
"""

from collections.abc import Mapping

import pulumi

STACK_TYPE = "stacktape:index:Stack"

# A shared part that lived at the stack's root before it had a parent: the alias keeps deployed stacks'
# resources in place (their children's aliases follow from it), instead of replacing the VPC and the rest.
ROOT_ALIAS = pulumi.Alias(parent=pulumi.ROOT_STACK_RESOURCE)


def stack_options(opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
    """The options of a component that the stack's shared parts must follow too.

    `parent` is kept: what the component inherits from its own parent (providers, protect, transforms)
    reaches the shared parts by the same road. Left out, because they describe that one component and
    not what it shares: `aliases` (its old names), `depends_on`, `ignore_changes`, `replace_on_changes`,
    `custom_timeouts`, `delete_before_replace`, `additional_secret_outputs`, `import_`, `id`, `urn`.
    """
    if opts is None:
        return pulumi.ResourceOptions()
    providers = opts.providers if opts.providers is None or isinstance(opts.providers, Mapping) \
        else list(opts.providers)
    return pulumi.ResourceOptions(
        parent=opts.parent, provider=opts.provider, providers=providers, protect=opts.protect,
        transformations=opts.transformations, transforms=opts.transforms, retain_on_delete=opts.retain_on_delete,
        deleted_with=opts.deleted_with)


def cascade_options(opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions | None:
    """`opts` with a transformation giving every descendant its `retain_on_delete` and `deleted_with`.

    Pulumi passes provider maps and `protect` down to children, and the engine runs `transforms` on
    descendants, but `retainOnDelete` and `deletedWith` stay on the resource they are set on: a protected
    component's children would be retained, a retained component's children deleted. Transformations run
    in the SDK for every descendant (the stack component inherits them too), so one carries the two
    options down, never overriding a child that sets its own. Nothing is added when neither is set.
    """
    if opts is None or (not opts.retain_on_delete and opts.deleted_with is None):
        return opts
    retain, deleted_with = opts.retain_on_delete, opts.deleted_with

    def cascade(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult:
        child = pulumi.ResourceOptions.merge(args.opts, pulumi.ResourceOptions())  # a copy: never mutate the SDK's
        if child.retain_on_delete is None:
            child.retain_on_delete = retain
        if child.deleted_with is None:
            child.deleted_with = deleted_with
        return pulumi.ResourceTransformationResult(args.props, child)

    return pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(transformations=[cascade]))


class StackResource(pulumi.ComponentResource):
    """`stacktape:index:Stack`: the shared parts of one stack, in one region and account."""

    def __init__(self, name: str, opts: pulumi.ResourceOptions) -> None:
        super().__init__(STACK_TYPE, name, None, opts)
        # Nothing to report: the shared parts' values reach users through the components' params.
        self.register_outputs({})
