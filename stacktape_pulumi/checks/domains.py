"""Custom domains that cannot get a certificate (shared by gateways and load balancers)."""

from collections.abc import Sequence

from stacktape_pulumi.config.models.shared import DomainConfiguration
from stacktape_pulumi.errors import KeyPath, Problem


def certificate_problems(domains: Sequence[DomainConfiguration], path: KeyPath) -> list[Problem]:
    """Domains that need a certificate but can get none: no own certificate and no DNS records to validate one."""
    return [
        Problem((*path, index, "disableDnsRecordCreation"),
                     f"custom domain {domain.domainName} sets disableDnsRecordCreation but no customCertificateArn: "
                     "without DNS records in Route 53 the ACM certificate cannot be validated",
                     hint="set customCertificateArn to a certificate you validated yourself, or remove "
                          "disableDnsRecordCreation")
        for index, domain in enumerate(domains)
        if domain.disableDnsRecordCreation and not domain.customCertificateArn
    ]

