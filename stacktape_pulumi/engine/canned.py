"""Deterministic answers for the offline engine: invokes and computed resource outputs.

Everything a real deployment would learn from AWS (account, region, AZs, ARNs, IDs,
DNS names) is derived here from the resource's URN and inputs, so two runs on the same
config give identical bytes. Unknown invoke tokens are errors, not silent empties: a
missing canned answer must show up in tests, not as a wrong graph.
"""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from stacktape_pulumi.aws.cloudformation import (
    attributes,
    cloudformation_type,
    input_name,
    primary_identifier,
    resolve,
    resource_schema,
)
from stacktape_pulumi.aws.instances import GPU_MAKERS, instance_types

ACCOUNT_ID = "123456789012"
DEFAULT_VPC_ID = "vpc-0reused00000000"
DEFAULT_VPC_CIDR = "10.0.0.0/16"
# ARNs of common CloudFormation types (others: arn:aws:<service>:<region>:<account>:<resource>/<name>).
ARN_FORMATS = {
    "AWS::SNS::Topic": "arn:aws:sns:{region}:{account}:{name}",
    "AWS::SQS::Queue": "arn:aws:sqs:{region}:{account}:{name}",
    "AWS::S3::Bucket": "arn:aws:s3:::{name}",
    "AWS::Lambda::Function": "arn:aws:lambda:{region}:{account}:function:{name}",
    "AWS::IAM::Role": "arn:aws:iam::{account}:role/{name}",
    "AWS::DynamoDB::Table": "arn:aws:dynamodb:{region}:{account}:table/{name}",
    "AWS::Logs::LogGroup": "arn:aws:logs:{region}:{account}:log-group:{name}:*",
    "AWS::SecretsManager::Secret": "arn:aws:secretsmanager:{region}:{account}:secret:{name}-AbCdEf",
}
# Outputs whose canned value wins over an input of the same name: the provider computes them
# (an API Gateway domain name's configuration gains its target domain and zone).
COMPUTED_OVER_INPUTS = frozenset({"arn", "id", "domainNameConfiguration"})


def short_hash(*parts: str, length: int = 8) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:length]


def auto_name(logical_name: str, urn: str) -> str:
    """Pulumi's auto-name of a resource registered without a name (the logical name and 7 random
    characters), here derived from the URN so that two runs agree."""
    return f"{logical_name}-{short_hash(urn, length=17)[:7]}"


def completed_prefix(prefix: str, urn: str) -> str:
    """The name the provider gives a resource created with a name prefix (S3's `bucketPrefix`): the prefix
    and 26 unique characters, here derived from the URN so that two runs agree."""
    return f"{prefix}{short_hash(urn, length=26)}"


class CannedInvokeError(Exception):
    """An invoke the offline engine has no canned answer for."""


@dataclass
class CannedWorld:
    """The fake AWS account the offline engine answers from."""

    region: str = "us-east-1"
    account_id: str = ACCOUNT_ID
    # Secret name → secret string; tests put sentinels here to prove nothing leaks.
    secret_values: dict[str, str] = field(default_factory=dict)
    ssm_values: dict[str, str] = field(default_factory=dict)

    def answer_secrets(self, keys_by_name: dict[str, set[str | None]]) -> None:
        """Give each secret not set yet a value with every JSON key the config reads from it.

        The default value is `{"value": ...}`; a config reading `$Secret('db.password')` needs a
        `password` key, or the offline preview would fail where a real stack would not.
        """
        for name, keys in keys_by_name.items():
            json_keys = sorted(key for key in keys if key is not None)
            if json_keys and name not in self.secret_values:
                self.secret_values[name] = json.dumps({key: f"offline-secret-{name}.{key}" for key in json_keys})

    # ---- invokes -------------------------------------------------------------------------
    def invoke(self, token: str, args: dict[str, Any]) -> dict[str, Any]:
        handler = _INVOKES.get(token)
        if handler is None:
            raise CannedInvokeError(f"the offline engine has no canned answer for invoke {token}")
        return handler(self, args)

    def _region(self, _: dict[str, Any]) -> dict[str, Any]:
        return {"name": self.region, "region": self.region, "id": self.region,
                "description": self.region, "endpoint": f"ec2.{self.region}.amazonaws.com"}

    def _caller(self, _: dict[str, Any]) -> dict[str, Any]:
        return {"accountId": self.account_id, "arn": f"arn:aws:iam::{self.account_id}:user/offline",
                "id": self.account_id, "userId": "AIDAOFFLINE"}

    def _partition(self, _: dict[str, Any]) -> dict[str, Any]:
        return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws", "reverseDnsPrefix": "com.amazonaws"}

    def _azs(self, _: dict[str, Any]) -> dict[str, Any]:
        names = [f"{self.region}{s}" for s in "abc"]
        return {"names": names, "zoneIds": [f"use1-az{i + 1}" for i in range(3)], "id": self.region,
                "groupNames": [self.region]}

    def _vpc(self, args: dict[str, Any]) -> dict[str, Any]:
        vpc_id = args.get("id") or DEFAULT_VPC_ID
        return {"id": vpc_id, "cidrBlock": DEFAULT_VPC_CIDR,
                "arn": f"arn:aws:ec2:{self.region}:{self.account_id}:vpc/{vpc_id}"}

    def _subnets(self, args: dict[str, Any]) -> dict[str, Any]:
        seed = json.dumps(args, sort_keys=True)
        return {"ids": [f"subnet-{short_hash(seed, str(i), length=17)}" for i in range(3)], "id": self.region}

    def _secret(self, args: dict[str, Any]) -> dict[str, Any]:
        name = str(args.get("name") or args.get("arn") or "")
        if name.startswith("arn:"):
            return {"arn": name, "name": name.rsplit(":", 1)[-1], "id": name}
        arn = f"arn:aws:secretsmanager:{self.region}:{self.account_id}:secret:{name}-{short_hash(name, length=6)}"
        return {"arn": arn, "name": name, "id": arn}

    def _secret_version(self, args: dict[str, Any]) -> dict[str, Any]:
        secret_id = str(args.get("secretId", ""))
        name = secret_id.rsplit(":", 1)[-1] if secret_id.startswith("arn:") else secret_id
        value = self.secret_values.get(name, json.dumps({"value": f"offline-secret-{name}"}))
        return {"secretString": value, "arn": self._secret({"name": name})["arn"], "id": secret_id,
                "versionId": "offline-version", "secretId": secret_id}

    def _ssm(self, args: dict[str, Any]) -> dict[str, Any]:
        name = str(args.get("name", ""))
        value = self.ssm_values.get(name)
        if value is None:
            value = f"ami-{short_hash(name, length=17)}" if "/ami" in name else f"offline-ssm-{name}"
        return {"name": name, "value": value, "insecureValue": value, "type": "String", "version": 1,
                "arn": f"arn:aws:ssm:{self.region}:{self.account_id}:parameter/{name.lstrip('/')}",
                "id": name}

    def _instance_type(self, args: dict[str, Any]) -> dict[str, Any]:
        name = str(args.get("instanceType", ""))
        spec = instance_types().get(name)
        if spec is None:
            raise CannedInvokeError(f"the offline instance-type table has no entry for {name}")
        answer = {"instanceType": name, "memorySize": spec["memoryMiB"], "defaultVcpus": spec["vcpu"],
                  "supportedArchitectures": spec["architectures"], "id": name}
        accelerator = spec.get("accelerator") or {}
        maker = next((m for m, kind in GPU_MAKERS.items() if kind == accelerator.get("kind")), None)
        if maker:  # the table has no GPU model or memory: only what it knows
            answer["gpuses"] = [{"count": accelerator["count"], "manufacturer": maker}]
        return answer

    def _zone(self, args: dict[str, Any]) -> dict[str, Any]:
        name = str(args.get("name", "")).rstrip(".")
        return {"zoneId": f"Z{short_hash(name, length=12).upper()}", "name": name, "id": name}

    def _ecr_token(self, _: dict[str, Any]) -> dict[str, Any]:
        return {"userName": "AWS", "password": "offline-token", "authorizationToken": "offline",
                "proxyEndpoint": f"https://{self.account_id}.dkr.ecr.{self.region}.amazonaws.com", "id": self.region}

    def _policy_doc(self, _: dict[str, Any]) -> dict[str, Any]:
        raise CannedInvokeError("build policy documents as JSON in the components, not with getPolicyDocument")

    # ---- computed outputs of resources --------------------------------------------------
    def new_resource(self, type_: str, name: str, inputs: dict[str, Any], urn: str) -> tuple[str, dict[str, Any]]:
        """An ID and output state for a registered resource."""
        h = short_hash(urn, length=17)
        physical = str(inputs.get("name") or auto_name(name, urn))
        if "bucketPrefix" in inputs and "bucket" not in inputs:
            # The provider completes a prefix with 26 unique characters, kept in the state.
            inputs = {**inputs, "bucket": completed_prefix(str(inputs["bucketPrefix"]), urn)}
        state = dict(inputs)
        extra, resource_id = self._computed(type_, physical, h, inputs)
        state.setdefault("name", physical)
        state.update({k: v for k, v in extra.items() if k not in inputs or k in COMPUTED_OVER_INPUTS})
        return resource_id, state

    def _computed(self, type_: str, physical: str, h: str, inputs: dict[str, Any]) -> tuple[dict[str, Any], str]:
        r, a = self.region, self.account_id
        service = type_.split(":")[1].split("/")[0] if ":" in type_ else "unknown"
        out: dict[str, Any] = {}
        rid = f"{physical}"
        match type_:
            case "aws:iam/role:Role":
                out = {"arn": f"arn:aws:iam::{a}:role/{physical}", "uniqueId": f"AROA{h[:16].upper()}"}
            case "aws:iam/policy:Policy":
                out = {"arn": f"arn:aws:iam::{a}:policy/{physical}"}
                rid = out["arn"]
            case "aws:iam/instanceProfile:InstanceProfile":
                out = {"arn": f"arn:aws:iam::{a}:instance-profile/{physical}"}
            case "aws:cloudwatch/logGroup:LogGroup":
                out = {"arn": f"arn:aws:logs:{r}:{a}:log-group:{physical}"}
            case "aws:ecs/cluster:Cluster":
                out = {"arn": f"arn:aws:ecs:{r}:{a}:cluster/{physical}"}
                rid = out["arn"]
            case "aws:ecs/service:Service":
                cluster = str(inputs.get("cluster", "cluster")).rsplit("/", 1)[-1]
                out = {"arn": f"arn:aws:ecs:{r}:{a}:service/{cluster}/{physical}"}
                rid = out["arn"]
            case "aws:ecs/taskDefinition:TaskDefinition":
                family = inputs.get("family", physical)
                out = {"arn": f"arn:aws:ecs:{r}:{a}:task-definition/{family}:1", "revision": 1,
                       "arnWithoutRevision": f"arn:aws:ecs:{r}:{a}:task-definition/{family}"}
                rid = family
            case "aws:ec2/vpc:Vpc":
                rid = f"vpc-{h}"
                out = {"arn": f"arn:aws:ec2:{r}:{a}:vpc/{rid}", "defaultSecurityGroupId": f"sg-{h}"}
            case "aws:ec2/subnet:Subnet":
                rid = f"subnet-{h}"
                out = {"arn": f"arn:aws:ec2:{r}:{a}:subnet/{rid}"}
            case "aws:ec2/securityGroup:SecurityGroup":
                rid = f"sg-{h}"
                out = {"arn": f"arn:aws:ec2:{r}:{a}:security-group/{rid}"}
            case "aws:ec2/internetGateway:InternetGateway":
                rid = f"igw-{h}"
            case "aws:ec2/natGateway:NatGateway":
                rid = f"nat-{h}"
            case "aws:ec2/eip:Eip":
                rid = f"eipalloc-{h}"
                out = {"publicIp": f"203.0.113.{int(h[:2], 16) % 250 + 1}"}
            case "aws:ec2/routeTable:RouteTable":
                rid = f"rtb-{h}"
            case "aws:ec2/launchTemplate:LaunchTemplate":
                rid = f"lt-{h}"
                out = {"latestVersion": 1, "arn": f"arn:aws:ec2:{r}:{a}:launch-template/{rid}"}
            case "aws:lb/loadBalancer:LoadBalancer" if inputs.get("loadBalancerType") == "network":
                # A network load balancer: `net/` ARNs, DNS names under elb.<region>, its own hosted zone.
                out = {"arn": f"arn:aws:elasticloadbalancing:{r}:{a}:loadbalancer/net/{physical[:32]}/{h[:16]}",
                       "dnsName": f"{physical[:32]}-{h[:16]}.elb.{r}.amazonaws.com",
                       "zoneId": "Z26RNL4JYFTOTI", "arnSuffix": f"net/{physical[:32]}/{h[:16]}"}
                rid = out["arn"]
            case "aws:lb/loadBalancer:LoadBalancer":
                out = {"arn": f"arn:aws:elasticloadbalancing:{r}:{a}:loadbalancer/app/{physical[:32]}/{h[:16]}",
                       "dnsName": f"{physical[:32]}-{int(h[:8], 16)}.{r}.elb.amazonaws.com",
                       "zoneId": "Z35SXDOTRQ7X7K", "arnSuffix": f"app/{physical[:32]}/{h[:16]}"}
                rid = out["arn"]
            case "aws:lb/targetGroup:TargetGroup":
                out = {"arn": f"arn:aws:elasticloadbalancing:{r}:{a}:targetgroup/{physical[:32]}/{h[:16]}",
                       "arnSuffix": f"targetgroup/{physical[:32]}/{h[:16]}"}
                rid = out["arn"]
            case "aws:lb/listener:Listener":
                kind = "net" if "/net/" in str(inputs.get("loadBalancerArn", "")) else "app"
                out = {"arn": f"arn:aws:elasticloadbalancing:{r}:{a}:listener/{kind}/lb/{h[:16]}/{h[-8:]}"}
                rid = out["arn"]
            case "aws:lb/listenerRule:ListenerRule":
                out = {"arn": f"arn:aws:elasticloadbalancing:{r}:{a}:listener-rule/app/lb/{h[:16]}/{h[-8:]}"}
                rid = out["arn"]
            case "aws:apigatewayv2/api:Api":
                rid = h[:10]
                out = {"apiEndpoint": f"https://{rid}.execute-api.{r}.amazonaws.com",
                       "executionArn": f"arn:aws:execute-api:{r}:{a}:{rid}",
                       "arn": f"arn:aws:apigateway:{r}::/apis/{rid}"}
            case "aws:apigatewayv2/vpcLink:VpcLink":
                rid = h[:6]
                out = {"arn": f"arn:aws:apigateway:{r}::/vpclinks/{rid}"}
            case "aws:apigatewayv2/domainName:DomainName":
                out = {"domainNameConfiguration": {**(inputs.get("domainNameConfiguration") or {}),
                                                   "targetDomainName": f"d-{h[:10]}.execute-api.{r}.amazonaws.com",
                                                   "hostedZoneId": "Z1UJRXOUMOOFQ8"}}
            case "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace":
                rid = f"ns-{h[:16]}"
                out = {"arn": f"arn:aws:servicediscovery:{r}:{a}:namespace/{rid}", "hostedZone": f"Z{h[:12].upper()}"}
            case "aws:servicediscovery/service:Service":
                rid = f"srv-{h[:16]}"
                out = {"arn": f"arn:aws:servicediscovery:{r}:{a}:service/{rid}"}
            case "aws:lambda/function:Function":
                out = {"arn": f"arn:aws:lambda:{r}:{a}:function:{physical}",
                       "invokeArn": (f"arn:aws:apigateway:{r}:lambda:path/2015-03-31/functions/"
                                     f"arn:aws:lambda:{r}:{a}:function:{physical}/invocations"),
                       "qualifiedArn": f"arn:aws:lambda:{r}:{a}:function:{physical}:1", "version": "1"}
            case "aws:lambda/alias:Alias":
                fn = str(inputs.get("functionName", "fn")).rsplit(":", 1)[-1]
                out = {"arn": f"arn:aws:lambda:{r}:{a}:function:{fn}:{physical}"}
            case "aws:lambda/functionUrl:FunctionUrl":
                out = {"functionUrl": f"https://{h[:26]}.lambda-url.{r}.on.aws/"}
            case "aws:route53/record:Record":
                out = {"fqdn": str(inputs.get("name", physical)).rstrip(".")}
                rid = f"{inputs.get('zoneId', 'Z')}_{out['fqdn']}_{inputs.get('type', 'A')}"
            case "aws:acm/certificate:Certificate":
                out = {"arn": f"arn:aws:acm:{r}:{a}:certificate/{h}",
                       "domainValidationOptions": [{"domainName": inputs.get("domainName", ""),
                                                    "resourceRecordName": f"_{h[:8]}.{inputs.get('domainName', '')}.",
                                                    "resourceRecordType": "CNAME",
                                                    "resourceRecordValue": f"_{h[8:16]}.acm-validations.aws."}]}
            case "aws:ecr/repository:Repository":
                out = {"arn": f"arn:aws:ecr:{r}:{a}:repository/{physical}", "registryId": a,
                       "repositoryUrl": f"{a}.dkr.ecr.{r}.amazonaws.com/{physical}"}
            case "docker-build:index:Image":
                # The digest a push would report, derived from the build inputs (tag = content hash).
                tags = [str(t) for t in inputs.get("tags") or []]
                digest = "sha256:" + hashlib.sha256(json.dumps(
                    {k: inputs.get(k) for k in ("tags", "platforms", "buildArgs", "context", "dockerfile")},
                    sort_keys=True, default=str).encode()).hexdigest()
                repo = tags[0].rsplit(":", 1)[0] if tags else physical
                out = {"digest": digest, "ref": f"{repo}@{digest}" if tags else "", "contextHash": h}
                rid = tags[0] if tags else physical
            case "command:local:Command":
                out = {"stdout": _command_stdout(inputs), "stderr": ""}
            case "aws:autoscaling/group:Group":
                out = {"arn": f"arn:aws:autoscaling:{r}:{a}:autoScalingGroup:{h}:autoScalingGroupName/{physical}"}
            case "aws:ecs/capacityProvider:CapacityProvider":
                out = {"arn": f"arn:aws:ecs:{r}:{a}:capacity-provider/{physical}"}
            case "aws:sqs/queue:Queue":
                out = {"arn": f"arn:aws:sqs:{r}:{a}:{physical}", "url": f"https://sqs.{r}.amazonaws.com/{a}/{physical}"}
                rid = out["url"]
            case "aws:efs/fileSystem:FileSystem":
                rid = f"fs-{h[:17]}"
                out = {"arn": f"arn:aws:elasticfilesystem:{r}:{a}:file-system/{rid}", "dnsName": f"{rid}.efs.{r}"
                       ".amazonaws.com"}
            case "aws:efs/accessPoint:AccessPoint":
                rid = f"fsap-{h[:17]}"
                out = {"arn": f"arn:aws:elasticfilesystem:{r}:{a}:access-point/{rid}"}
            case "aws:efs/mountTarget:MountTarget":
                rid = f"fsmt-{h[:17]}"
                out = {"dnsName": f"{inputs.get('fileSystemId', 'fs')}.efs.{r}.amazonaws.com"}
            case "aws:sns/topic:Topic":
                out = {"arn": f"arn:aws:sns:{r}:{a}:{physical}"}
                rid = out["arn"]
            case "aws:s3/bucket:Bucket" | "aws:s3/bucketV2:BucketV2":
                bucket = str(inputs.get("bucket") or physical)
                out = {"arn": f"arn:aws:s3:::{bucket}", "bucket": bucket,
                       "bucketRegionalDomainName": f"{bucket}.s3.{r}.amazonaws.com"}
                rid = bucket
            case "aws:dynamodb/table:Table":
                out = {"arn": f"arn:aws:dynamodb:{r}:{a}:table/{physical}"}
                if inputs.get("streamEnabled"):
                    out["streamArn"] = f"arn:aws:dynamodb:{r}:{a}:table/{physical}/stream/2026-01-01T00:00:00.000"
            case "aws:cloudwatch/eventBus:EventBus":
                out = {"arn": f"arn:aws:events:{r}:{a}:event-bus/{physical}"}
            case "aws:cloudwatch/eventRule:EventRule":
                bus = str(inputs.get("eventBusName") or "default").rsplit("/", 1)[-1]
                path = physical if bus == "default" else f"{bus}/{physical}"
                out = {"arn": f"arn:aws:events:{r}:{a}:rule/{path}"}
                rid = f"{bus}/{physical}" if bus != "default" else physical
            case "aws:cloudwatch/eventTarget:EventTarget":
                rid = f"{inputs.get('rule', 'rule')}-{h[:8]}"
            case "aws:lambda/eventSourceMapping:EventSourceMapping":
                # Lambda names a mapping by a UUID.
                rid = f"{h[:8]}-{h[8:12]}-4{h[12:15]}-8{h[1:4]}-{short_hash(h, length=12)}"
                out = {"arn": f"arn:aws:lambda:{r}:{a}:event-source-mapping:{rid}", "uuid": rid,
                       "functionArn": inputs.get("functionName", "")}
            case "aws:sns/topicSubscription:TopicSubscription":
                out = {"arn": f"{inputs.get('topic', f'arn:aws:sns:{r}:{a}:topic')}:{h[:8]}-{h[8:12]}-{h[12:16]}"}
                rid = out["arn"]
            case "aws:kinesis/streamConsumer:StreamConsumer":
                stream = str(inputs.get("streamArn", f"arn:aws:kinesis:{r}:{a}:stream/stream"))
                out = {"arn": f"{stream}/consumer/{physical}:1767225600"}
                rid = out["arn"]
            case "aws:s3/bucketNotification:BucketNotification":
                rid = str(inputs.get("bucket") or physical)
            case "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter":
                rid = f"cwlsf-{int(h[:8], 16)}"
            case "aws:scheduler/schedule:Schedule":
                out = {"arn": f"arn:aws:scheduler:{r}:{a}:schedule/default/{physical}"}
            case "aws:rds/instance:Instance" | "aws:rds/clusterInstance:ClusterInstance":
                ident = str(inputs.get("identifier") or physical)
                host = f"{ident}.c{h[:12]}.{r}.rds.amazonaws.com"
                out = {"arn": f"arn:aws:rds:{r}:{a}:db:{ident}", "identifier": ident, "address": host,
                       "endpoint": host if type_.endswith("ClusterInstance") else f"{host}:{inputs.get('port', 5432)}",
                       "resourceId": f"db-{h[:26].upper()}"}
                rid = ident
            case "aws:rds/cluster:Cluster":
                ident = str(inputs.get("clusterIdentifier") or physical)
                out = {"arn": f"arn:aws:rds:{r}:{a}:cluster:{ident}", "clusterIdentifier": ident,
                       "endpoint": f"{ident}.cluster-c{h[:12]}.{r}.rds.amazonaws.com",
                       "readerEndpoint": f"{ident}.cluster-ro-c{h[:12]}.{r}.rds.amazonaws.com",
                       "clusterResourceId": f"cluster-{h[:26].upper()}"}
                rid = ident
            case "aws:rds/subnetGroup:SubnetGroup":
                out = {"arn": f"arn:aws:rds:{r}:{a}:subgrp:{physical}"}
            case "aws:secretsmanager/secret:Secret":
                out = {"arn": f"arn:aws:secretsmanager:{r}:{a}:secret:{physical}-{h[:6]}"}
                rid = out["arn"]
            case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
                out = {"arn": f"arn:aws:firehose:{r}:{a}:deliverystream/{physical}"}
                rid = out["arn"]
            case _ if type_.startswith("aws-native:"):
                out, rid = self._aws_native(type_, physical, h, inputs)
            case _:
                out = {"arn": f"arn:aws:{service}:{r}:{a}:{type_.rsplit(':', 1)[-1].lower()}/{physical}"}
        out.setdefault("id", rid)
        return out, rid

    def _aws_native(self, type_: str, default_name: str, h: str, inputs: dict[str, Any]) -> tuple[dict[str, Any], str]:
        """Attributes of an aws-native (CloudFormation) resource: every read-only property, typed by its schema.

        The physical name is the type's `<Resource>Name` input when set, else aws-native's auto-name
        (the logical name and a suffix); ARNs follow AWS's formats for the common types, a generic one else.
        """
        type_name = cloudformation_type(type_)
        schema = resource_schema(type_name) if type_name else None
        if type_name is None or schema is None:
            return {}, default_name
        _, service, resource = type_name.split("::")
        name_key = input_name(f"{resource}Name")
        physical = str(inputs.get(name_key) or default_name)
        arn = ARN_FORMATS.get(type_name, "arn:aws:{service}:{region}:{account}:{resource}/{name}").format(
            service=service.lower(), region=self.region, account=self.account_id, resource=resource.lower(),
            name=physical)
        out: dict[str, Any] = {}
        for attribute in attributes(schema):
            if not attribute.path or attribute.path[0] in inputs:
                continue
            node = schema
            for part in attribute.name.split("."):
                node = resolve(schema, resolve(schema, node).get("properties", {}).get(part, {}))
            target = out
            for key in attribute.path[:-1]:
                target = target.setdefault(key, {})
            last = attribute.path[-1]
            kind = node.get("type")
            if kind == "integer" or kind == "number":
                target[last] = 1
            elif kind == "boolean":
                target[last] = False
            elif kind == "array":
                target[last] = []
            elif kind == "object":
                target[last] = {}
            elif last.lower().endswith("arn"):
                target[last] = arn
            elif last.endswith(("Name", "name")):
                target[last] = physical
            else:
                target[last] = f"{last.lower()}-{h}"
        state = {**inputs, **out}
        identifier = [state.get(input_name(names[0], top_level=True)) for names in primary_identifier(schema)
                      if names]
        rid = "|".join(str(part) for part in identifier if part is not None) or physical
        return out, rid


def _command_stdout(inputs: dict[str, Any]) -> str:
    """What a local command prints: for `pack build <ref> … --publish`, pack's line naming the pushed digest."""
    if "pack build " not in str(inputs.get("create") or ""):
        return ""
    digest = hashlib.sha256(json.dumps({k: inputs.get(k) for k in ("create", "triggers")}, sort_keys=True,
                                       default=str).encode()).hexdigest()
    return f"*** Images (sha256:{digest}):\n"


_INVOKES = {
    "aws:index/getRegion:getRegion": CannedWorld._region,
    "aws:index/getCallerIdentity:getCallerIdentity": CannedWorld._caller,
    "aws:index/getPartition:getPartition": CannedWorld._partition,
    "aws:index/getAvailabilityZones:getAvailabilityZones": CannedWorld._azs,
    "aws:ec2/getVpc:getVpc": CannedWorld._vpc,
    "aws:ec2/getSubnets:getSubnets": CannedWorld._subnets,
    "aws:secretsmanager/getSecret:getSecret": CannedWorld._secret,
    "aws:secretsmanager/getSecretVersion:getSecretVersion": CannedWorld._secret_version,
    "aws:ssm/getParameter:getParameter": CannedWorld._ssm,
    "aws:ec2/getInstanceType:getInstanceType": CannedWorld._instance_type,
    "aws:route53/getZone:getZone": CannedWorld._zone,
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": CannedWorld._ecr_token,
    "aws:iam/getPolicyDocument:getPolicyDocument": CannedWorld._policy_doc,
}
