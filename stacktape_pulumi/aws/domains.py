"""Custom domains: the Route 53 zone of a domain, DNS-validated ACM certificates and alias records.

AWS: Route 53 (hosted zone lookup, records), ACM (certificates and their validation). Shared by
the HTTP API gateway and the application load balancer.
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

import re
from typing import TYPE_CHECKING

import pulumi
import pulumi_aws as aws

if TYPE_CHECKING:
    from stacktape_pulumi.config.models.shared import DomainConfiguration

# Public suffixes of two labels: under them the registrable domain has three (`example.co.uk`).
TWO_LABEL_SUFFIXES = frozenset({
    "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "co.nz", "co.jp", "co.za",
    "com.br", "com.mx", "co.in", "com.sg", "com.tr",
})
VALIDATION_RECORD_TTL = 60


def hosted_zone_name(domain: str) -> str:
    """The Route 53 zone a domain's records go in: its registrable domain (`api.example.com` → `example.com`)."""
    labels = domain.rstrip(".").lower().split(".")
    keep = 3 if ".".join(labels[-2:]) in TWO_LABEL_SUFFIXES else 2
    return ".".join(labels[-keep:])


def domain_key(domain: str) -> str:
    """A domain as a logical-name part: `api.example.com` → `api-example-com`."""
    return re.sub(r"[^a-z0-9]+", "-", domain.lower()).strip("-")


class CustomDomain:
    """One custom domain of a resource; its zone, certificate and alias record are created on first use."""

    def __init__(self, owner: str, config: DomainConfiguration, tags: dict[str, str], parent: pulumi.Resource) -> None:
        self.name = config.domainName
        self.manages_dns = not config.disableDnsRecordCreation
        # Logical-name prefix of the domain's resources.
        self.prefix = f"{owner}-{domain_key(config.domainName)}"
        self._custom_certificate = config.customCertificateArn
        self._tags = tags
        self._parent = parent
        self._zone_id: pulumi.Output[str] | None = None
        self._certificate_arn: pulumi.Input[str] | None = None

    def _child(self) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self._parent)

    def zone_id(self) -> pulumi.Output[str]:
        """The ID of the public hosted zone of the domain, looked up once."""
        if self._zone_id is None:
            self._zone_id = aws.route53.get_zone_output(
                name=hosted_zone_name(self.name), private_zone=False,
                opts=pulumi.InvokeOptions(parent=self._parent)).zone_id
        return self._zone_id

    def certificate_arn(self) -> pulumi.Input[str]:
        """`customCertificateArn`, else an ACM certificate validated through the domain's zone.

        The ARN comes from the validation resource, so whatever uses it waits until ACM issued it.
        """
        if self._certificate_arn is None:
            if self._custom_certificate:
                self._certificate_arn = self._custom_certificate
            else:
                self._certificate_arn = self._validated_certificate()
        return self._certificate_arn

    def _validated_certificate(self) -> pulumi.Output[str]:
        certificate = aws.acm.Certificate(
            f"{self.prefix}-certificate", domain_name=self.name, validation_method="DNS", tags=self._tags,
            opts=self._child())
        option = certificate.domain_validation_options.apply(lambda options: options[0])
        record = aws.route53.Record(
            f"{self.prefix}-certificate-validation-record",
            zone_id=self.zone_id(),
            name=option.resource_record_name,
            type=option.resource_record_type,
            records=[option.resource_record_value],
            ttl=VALIDATION_RECORD_TTL,
            # ACM gives every certificate of a domain the same record: two owners may both write it.
            allow_overwrite=True,
            opts=self._child())
        validation = aws.acm.CertificateValidation(
            f"{self.prefix}-certificate-validation", certificate_arn=certificate.arn,
            validation_record_fqdns=[record.fqdn], opts=self._child())
        return validation.certificate_arn

    def alias(self, target_name: pulumi.Input[str], target_zone_id: pulumi.Input[str]) -> aws.route53.Record | None:
        """An `A` alias from the domain to a regional endpoint (none when the user manages DNS)."""
        if not self.manages_dns:
            return None
        return aws.route53.Record(
            f"{self.prefix}-alias",
            zone_id=self.zone_id(),
            name=self.name,
            type="A",
            aliases=[aws.route53.RecordAliasArgs(name=target_name, zone_id=target_zone_id,
                                                 evaluate_target_health=False)],
            opts=self._child())
