"""What `validate` checks beyond the models, kept apart from the components that build the resources.

A config can be valid and still ask for something a component cannot build (an HTTPS listener
without a certificate, `cdn` not supported yet) or need an order the references do not give
(Service Connect clients after the services). Those rules live here, registered by resource type
(`stack.resource_check`, `stack.ordering_rule`), so `validate` runs them without importing the
components, whose AWS SDK classes take seconds to import; each component runs the same check on
its Python args.
"""

from stacktape_pulumi.checks import bucket, function, gateway, load_balancer, sqs_queue, traffic

__all__ = ["bucket", "function", "gateway", "load_balancer", "sqs_queue", "traffic"]
