"""The multi-language door: the components as the Pulumi package `stacktape` (`PulumiPlugin.yaml`).

`python -m stacktape_pulumi.provider` serves every hosted component over gRPC; other Pulumi
languages use them after `pulumi package add`. The schema they see is inferred from the
components' generated args (`stacktape_pulumi/args.py`); `schema.json` here is its golden copy.
"""

from stacktape_pulumi.provider.host import (
    SCHEMA_PATH,
    StacktapeProvider,
    create_provider,
    package_version,
    render_schema,
    schema_document,
    serve,
)
from stacktape_pulumi.provider.inputs import check_inputs

__all__ = [
    "SCHEMA_PATH",
    "StacktapeProvider",
    "check_inputs",
    "create_provider",
    "package_version",
    "render_schema",
    "schema_document",
    "serve",
]
