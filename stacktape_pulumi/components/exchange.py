"""What components hand each other while a stack is built: typed records the stack context owns.

Some facts travel between components built at different times: an `sns-topic` asks a queue built
later to accept its subscription (the queue owns the one resource policy that must allow it), and
workloads exposing Service Connect ports are the servers the stack's other workloads wait for.
They live here, typed, instead of under string keys of a general-purpose store.
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pulumi
    import pulumi_aws as aws

    from stacktape_pulumi.config.models.sns_topic import SqsQueueSubscriptionProps


@dataclass(frozen=True)
class TopicSubscriptionRequest:
    """An sns-topic asking to deliver to a queue."""

    topic: str
    topic_arn: pulumi.Output[str]
    props: SqsQueueSubscriptionProps


@dataclass(frozen=True)
class QueueGrantRequest:
    """A source (an SNS subscription's topic, an EventBridge rule) asking a queue built later to accept its
    undeliverable messages: the queue's policy lets exactly `source_arn` of `service` send."""

    requester: str  # as errors name it: "Function 'fn'", "SqsQueue 'jobs'"
    service: str
    source_arn: pulumi.Output[str]


class ServiceConnectServer(Protocol):
    """A workload exposing Service Connect ports; clients built after it wait for its service."""

    @property
    def service(self) -> aws.ecs.Service: ...


@dataclass
class ServiceConnectExposure:
    """The Service Connect services of one workload: one per port, named by that port's first event."""

    services: list[aws.ecs.ServiceServiceConnectConfigurationServiceArgs] = field(default_factory=list)
    ports: set[int] = field(default_factory=set)


@dataclass
class StackExchange:
    """Everything components leave for each other in one stack."""

    # Queue name → the topics' requests, taken by the queue when it is built.
    topic_subscriptions: dict[str, list[TopicSubscriptionRequest]] = field(default_factory=dict)
    # Queue name → dead-letter grants asked by function events built before it, taken by the queue.
    queue_grants: dict[str, list[QueueGrantRequest]] = field(default_factory=dict)
    # In build order; the first workload exposing a port joins on its first service-connect event.
    service_connect_servers: list[ServiceConnectServer] = field(default_factory=list)
    # Workload name → what it exposes.
    service_connect_exposures: dict[str, ServiceConnectExposure] = field(default_factory=dict)
