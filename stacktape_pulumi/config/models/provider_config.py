"""`providerConfig`: credentials of third-party services (reference `_root.d.ts`: MongoDB Atlas, Upstash).

Accepted and checked so configs that carry it validate; only `mongo-db-atlas-cluster` and
`upstash-redis` resources read it, and this version builds neither (they are "not supported yet"),
so `validate` warns that it has no effect (`checks.warnings`). Keys must be `$Secret` references:
a literal key in a config file is a credential in plaintext.
"""

import ipaddress
from typing import Annotated, Literal

from pydantic import AfterValidator

from stacktape_pulumi.config.models.common import StrictModel, located_error
from stacktape_pulumi.config.models.shared import NonEmptyStr


def _secret_reference(value: str) -> str:
    if not value.replace(" ", "").startswith("$Secret("):
        raise located_error("API keys must be read from a secret, not written in the config",
                            hint="store the key in AWS Secrets Manager and write $Secret('<secret name>')")
    return value


def _ip_or_cidr(value: str) -> str:
    try:
        ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        raise located_error(f"'{value}' is not an IP address or CIDR range",
                            hint="e.g. 203.0.113.7 or 203.0.113.0/24") from None
    return value


SecretReference = Annotated[NonEmptyStr, AfterValidator(_secret_reference)]
IpOrCidr = Annotated[str, AfterValidator(_ip_or_cidr)]


class MongoDbAtlasAccessibility(StrictModel):
    """Network access of every MongoDB Atlas cluster of the stack."""

    accessibilityMode: Literal["internet", "scoping-workloads-in-vpc", "vpc", "whitelisted-ips-only"]
    """internet, vpc, scoping-workloads-in-vpc or whitelisted-ips-only."""
    whitelistedIps: list[IpOrCidr] | None = None
    """IP addresses or CIDR ranges allowed besides the mode's."""


class MongoDbAtlasProvider(StrictModel):
    """MongoDB Atlas API credentials."""

    publicKey: NonEmptyStr | None = None
    """The public API key."""
    privateKey: SecretReference | None = None
    """The private API key, as `$Secret('name')`."""
    organizationId: NonEmptyStr | None = None
    """The organization ID."""
    accessibility: MongoDbAtlasAccessibility | None = None
    """Network access of the stack's clusters."""


class UpstashProvider(StrictModel):
    """Upstash API credentials."""

    accountEmail: NonEmptyStr
    """The account's e-mail address."""
    apiKey: SecretReference
    """The API key, as `$Secret('name')`."""


class ProviderConfig(StrictModel):
    """Credentials of third-party services (used by resource types not supported yet)."""

    mongoDbAtlas: MongoDbAtlasProvider | None = None
    """MongoDB Atlas credentials (for mongo-db-atlas-cluster)."""
    upstash: UpstashProvider | None = None
    """Upstash credentials (for upstash-redis)."""
