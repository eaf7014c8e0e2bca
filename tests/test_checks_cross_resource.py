"""Cross-resource checks (`checks.cross_resource.check_stack` and the modules it calls): one test per rule."""

from pathlib import Path

from tests.issues_support import config_issues


def stack(*resources: str) -> str:
    """A config whose `resources` are the given (flow-style, one line each) definitions."""
    return "resources:\n" + "".join(f"  {line}\n" for line in resources)


GATEWAY = "gw: {type: http-api-gateway}"
LB = "lb: {type: application-load-balancer}"
LB_LISTENERS = ("lb: {type: application-load-balancer, properties: {listeners: "
                "[{protocol: HTTP, port: 80}, {protocol: HTTPS, port: 443}]}}")
HOOK = ("hook: {type: function, properties: {packaging: {type: stacktape-lambda-buildpack, "
        "properties: {entryfilePath: hook.ts}}}}")


def app(events: str, extra: str = "", name: str = "app") -> str:
    """A one-container workload with the given flow-style `events` list (and extra properties)."""
    return (f"{name}: {{type: multi-container-workload, properties: {{resources: {{cpu: 0.25, memory: 512}}, "
            f"containers: [{{name: web, packaging: {{type: prebuilt-image, properties: {{image: nginx}}}}, "
            f"events: {events}}}]{extra}}}}}")


def fn(events: str = "[]", extra: str = "", name: str = "fn") -> str:
    """A buildpack function with the given flow-style `events` list (and extra properties)."""
    return (f"{name}: {{type: function, properties: {{packaging: {{type: stacktape-lambda-buildpack, "
            f"properties: {{entryfilePath: index.ts}}}}, events: {events}{extra}}}}}")


def http(gateway: str = "gw", method: str = "GET", path: str = "/a", extra: str = "") -> str:
    return (f"{{type: http-api-gateway, properties: {{httpApiGatewayName: {gateway}, method: '{method}', "
            f"path: '{path}', containerPort: 80{extra}}}}}")


def fn_http(gateway: str = "gw", method: str = "GET", path: str = "/a", extra: str = "") -> str:
    return (f"{{type: http-api-gateway, properties: {{httpApiGatewayName: {gateway}, method: '{method}', "
            f"path: '{path}'{extra}}}}}")


def alb(lb: str = "lb", priority: int = 1, extra: str = "", port: int | None = 80) -> str:
    container_port = f", containerPort: {port}" if port is not None else ""
    return (f"{{type: application-load-balancer, properties: {{loadBalancerName: {lb}, priority: {priority}, "
            f"paths: ['*']{container_port}{extra}}}}}")


def test_valid_stack_has_no_issues(tmp_path: Path) -> None:
    text = stack(GATEWAY, LB, HOOK,
                 app(f"[{http()}, {alb()}]",
                     ", deployment: {strategy: AllAtOnce, beforeAllowTrafficFunction: hook}"),
                 fn(f"[{fn_http(path='/b')}, {alb(priority=2, port=None)}]"))
    assert config_issues(tmp_path, text) == []


# --- References ---------------------------------------------------------------------------


def test_unknown_gateway_suggests_the_closest(tmp_path: Path, cfg: str) -> None:
    text = stack(GATEWAY, app(f"[{http(gateway='gww')}]"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:3:246: resources.app.properties.containers[0].events[0].properties.httpApiGatewayName: "
        "Referenced "
        "resource with name gww of type http-api-gateway could not be resolved in the config (referenced "
        "from "
        "app(multi-container-workload)). (hint: did you mean 'gw'?)"
    ]


def test_reference_of_the_wrong_type(tmp_path: Path, cfg: str) -> None:
    text = stack(HOOK, app(f"[{alb(lb='hook')}]"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:3:253: resources.app.properties.containers[0].events[0].properties.loadBalancerName: "
        "Referenced "
        "resource with name hook of type application-load-balancer could not be resolved in the config "
        "(referenced from app(multi-container-workload)). (hint: Referenced resource does not have the "
        "correct "
        "type (application-load-balancer); hook is of type function)"
    ]


def test_deployment_hooks_are_functions(tmp_path: Path, cfg: str) -> None:
    text = stack(LB, app(f"[{alb()}]", ", deployment: {strategy: AllAtOnce, afterTrafficShiftFunction: lb}"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:3:369: resources.app.properties.deployment.afterTrafficShiftFunction: Referenced resource "
        "with "
        "name lb of type function could not be resolved in the config (referenced from "
        "app(multi-container-workload)). (hint: Referenced resource does not have the correct type "
        "(function); "
        "lb is of type application-load-balancer)"
    ]


def test_function_deployment_hooks_are_functions(tmp_path: Path, cfg: str) -> None:
    text = stack(fn(extra=", deployment: {strategy: AllAtOnce, beforeAllowTrafficFunction: missing}"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:2:197: resources.fn.properties.deployment.beforeAllowTrafficFunction: Referenced resource "
        "with "
        "name missing of type function could not be resolved in the config (referenced from fn(function)). "
        "(hint: function resources: fn)"
    ]


def test_lambda_authorizer_is_a_function(tmp_path: Path, cfg: str) -> None:
    authorizer = ", authorizer: {type: lambda, properties: {functionName: auth}}"
    text = stack(GATEWAY, fn(f"[{fn_http(extra=authorizer)}]"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:3:275: resources.fn.properties.events[0].properties.authorizer.properties.functionName: "
        "Referenced resource with name auth of type function could not be resolved in the config (referenced "
        "from fn(function)). (hint: function resources: fn)"
    ]


def test_references_to_unsupported_types(tmp_path: Path, cfg: str) -> None:
    text = stack("lb: {type: application-load-balancer, properties: {useFirewall: fw}}")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:2:67: resources.lb.properties.useFirewall: Referenced resource with name fw of type web-app-firewall "
        "could not be resolved in the config (referenced from lb(application-load-balancer)). (hint: "
        "'web-app-firewall' resources are not supported by stacktape-pulumi yet)"
    ]


def test_no_network_load_balancer_to_reference(tmp_path: Path, cfg: str) -> None:
    nlb = ("{type: network-load-balancer, properties: {loadBalancerName: nlb, listenerPort: 443, "
           "containerPort: 80}}")
    text = stack(app(f"[{nlb}]"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:2:249: resources.app.properties.containers[0].events[0].properties.loadBalancerName: "
        "Referenced resource with name nlb of type network-load-balancer could not be resolved in the config "
        "(referenced from app(multi-container-workload)). (hint: no network-load-balancer resource is defined)"
    ]


def test_no_resource_of_the_referenced_type(tmp_path: Path, cfg: str) -> None:
    text = stack(app(f"[{http()}]"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:2:246: resources.app.properties.containers[0].events[0].properties.httpApiGatewayName: "
        "Referenced "
        "resource with name gw of type http-api-gateway could not be resolved in the config (referenced from "
        "app(multi-container-workload)). (hint: no http-api-gateway resource is defined)"
    ]


def test_references_written_as_directives_are_left_to_the_directives(tmp_path: Path) -> None:
    text = stack(app(f"[{http(gateway=chr(34) + '$ResourceParam(x, y)' + chr(34))}]"))
    assert config_issues(tmp_path, text) == []


def test_connect_to_names_a_resource(tmp_path: Path, cfg: str) -> None:
    text = stack(HOOK, fn(extra=", connectTo: [aws:ses, hok]"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:3:156: resources.fn.properties.connectTo[1]: Referenced resource with name hok could not be "
        "resolved in the config (referenced from fn(function)). (hint: did you mean 'hook'?)"
    ]


def test_connect_to_cannot_scope_gateways_and_load_balancers(tmp_path: Path, cfg: str) -> None:
    text = stack(GATEWAY, fn(extra=", connectTo: [gw]"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:3:147: resources.fn.properties.connectTo[0]: Error in resource fn. ConnectTo section "
        "contains "
        "resource \"gw\" of type \"http-api-gateway\". Resource type \"http-api-gateway\" cannot be scoped "
        "by "
        "connectTo. (hint: connectTo grants access to functions, workloads and data resources; route traffic "
        "with events instead)"
    ]


# --- Load balancer listeners ----------------------------------------------------------------


def test_listener_port_needs_custom_listeners(tmp_path: Path, cfg: str) -> None:
    text = stack(LB, app(f"[{alb(extra=', listenerPort: 443')}]"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:3:317: resources.app.properties.containers[0].events[0].properties.listenerPort: Error in "
        "multi-container-workload resource app when referencing application-load-balancer lb.\n"
        "You cannot specify listenerPort property when application-load-balancer does not use custom "
        "listeners. "
        "(hint: remove listenerPort; without custom listeners the rule goes to port 80)"
    ]


def test_listener_port_exists_on_the_load_balancer(tmp_path: Path, cfg: str) -> None:
    text = stack(LB_LISTENERS, fn(f"[{alb(port=None, extra=', listenerPort: 8080')}]"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:3:242: resources.fn.properties.events[0].properties.listenerPort: Error in function resource "
        "fn.\n"
        "Referenced application-load-balancer lb does NOT have listener on port 8080. (hint: listener ports "
        "of "
        "lb: 80, 443)"
    ]


def test_custom_listeners_need_a_listener_port(tmp_path: Path, cfg: str) -> None:
    text = stack(LB_LISTENERS, app(f"[{alb()}]"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:3:222: resources.app.properties.containers[0].events[0].properties: Error in "
        "multi-container-workload resource app when referencing application-load-balancer lb.\n"
        "You need to specify listenerPort property when application-load-balancer uses custom listeners. "
        "(hint: listener ports of lb: 80, 443)"
    ]


def test_test_listener_port_is_required_with_custom_listeners(tmp_path: Path, cfg: str) -> None:
    deployment = ", deployment: {strategy: AllAtOnce, beforeAllowTrafficFunction: hook}"
    text = stack(LB_LISTENERS, HOOK, app(f"[{alb(extra=', listenerPort: 443')}]", deployment))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:4:327: resources.app.properties.deployment: Error in multi-container-workload app: You need "
        "to "
        "specify testListenerPort when using beforeAllowTrafficFunction and load balancer with custom "
        "listeners "
        "(hint: listener ports of lb: 80, 443)"
    ]


def test_test_listener_port_exists_on_the_load_balancer(tmp_path: Path, cfg: str) -> None:
    deployment = (", deployment: {strategy: AllAtOnce, beforeAllowTrafficFunction: hook, "
                  "testListenerPort: 8080}")
    text = stack(LB_LISTENERS, HOOK, app(f"[{alb(extra=', listenerPort: 443')}]", deployment))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:4:413: resources.app.properties.deployment.testListenerPort: Error in "
        "multi-container-workload "
        "resource app.\nReferenced application-load-balancer lb does NOT have listener on port 8080. (hint: "
        "listener ports of lb: 80, 443)"
    ]


# --- Rule priorities and routes ---------------------------------------------------------------


def test_priorities_are_unique_per_listener_across_resources(tmp_path: Path, cfg: str) -> None:
    text = stack(LB, app(f"[{alb(priority=5)}]"), fn(f"[{alb(priority=5, port=None)}]"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:4:211: resources.fn.properties.events[0].properties.priority: Error in event integrations of "
        "application-load-balancer lb. Events on two different resources(fn and app) are using the same "
        "priority which is not allowed. (hint: priority 5 on listener 80 is also used at line 3)"
    ]


def test_priorities_clash_within_one_resource(tmp_path: Path, cfg: str) -> None:
    text = stack(LB, fn(f"[{alb(port=None, extra=', methods: [GET]')}, {alb(port=None)}]"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:3:325: resources.fn.properties.events[1].properties.priority: Error in event integrations of "
        "application-load-balancer lb. Events on two different resources(fn and fn) are using the same "
        "priority which is not allowed. (hint: priority 1 on listener 80 is also used at line 3)"
    ]


def test_priorities_may_repeat_on_other_listeners(tmp_path: Path) -> None:
    rules = f"[{alb(port=None, extra=', listenerPort: 80')}, {alb(port=None, extra=', listenerPort: 443')}]"
    text = stack(LB_LISTENERS, fn(rules))
    assert config_issues(tmp_path, text) == []


def test_default_listener_is_443_with_custom_domains(tmp_path: Path, cfg: str) -> None:
    lb = "lb: {type: application-load-balancer, properties: {customDomains: [app.example.com]}}"
    text = stack(lb, app(f"[{alb(priority=3)}]"), fn(f"[{alb(priority=3, port=None)}]"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:4:211: resources.fn.properties.events[0].properties.priority: Error in event integrations of "
        "application-load-balancer lb. Events on two different resources(fn and app) are using the same "
        "priority which is not allowed. (hint: priority 3 on listener 443 is also used at line 3)"
    ]


def test_routes_are_unique_per_gateway(tmp_path: Path, cfg: str) -> None:
    text = stack(GATEWAY, app(f"[{http(method='*', path='*')}]"),
                 fn(f"[{fn_http(method='*', path='$default')}]"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:4:213: resources.fn.properties.events[0].properties.path: Error in event integrations of "
        "http-api-gateway gw. Events on two different resources(fn and app) are using the same path and "
        "method "
        "which is not allowed. (hint: the same route is defined at line 3)"
    ]


# --- Payload formats ----------------------------------------------------------------------------


def test_container_events_cannot_inherit_payload_format_2_0(tmp_path: Path, cfg: str) -> None:
    gateway = "gw: {type: http-api-gateway, properties: {payloadFormat: '2.0'}}"
    text = stack(gateway, app(f"[{http()}]"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:3:246: resources.app.properties.containers[0].events[0].properties.httpApiGatewayName: Error "
        "in "
        "multi-container-workload \"app\". multi-container-workload http-api-gateway events only support "
        "payload "
        "format version \"1.0\". (hint: http-api-gateway gw sets payloadFormat \"2.0\"; set payloadFormat: "
        "\"1.0\" on this event)"
    ]


def test_function_events_use_one_payload_format(tmp_path: Path, cfg: str) -> None:
    gateway2 = "gw2: {type: http-api-gateway, properties: {payloadFormat: '2.0'}}"
    text = stack(GATEWAY, gateway2, fn(f"[{fn_http()}, {fn_http(gateway='gw2')}]"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:4:281: resources.fn.properties.events[1].properties.httpApiGatewayName: Error in function "
        "\"fn\". All http-api-gateway event integrations must use the same \"payloadFormat\". (hint: You can "
        "set payload format globally for entire http-api-gateway by setting \"payloadFormat\" property in "
        "http-api-gateway config.)"
    ]


# --- Environment ------------------------------------------------------------------------------


def test_environment_variable_defined_twice(tmp_path: Path, cfg: str) -> None:
    text = """
        resources:
          app:
            type: multi-container-workload
            properties:
              resources: {cpu: 0.25, memory: 512}
              containers:
                - name: web
                  packaging: {type: prebuilt-image, properties: {image: nginx}}
                  environment:
                    - name: PORT
                      value: 80
                    - name: MODE
                      value: prod
                    - name: PORT
                      value: 8080
        """
    assert config_issues(tmp_path, text) == [
        f"{cfg}:14:21: resources.app.properties.containers[0].environment[2].name: environment variable "
        "'PORT' "
        "is defined twice (hint: first defined on line 10; remove one of the two entries)"
    ]


# --- Everything at once -------------------------------------------------------------------------


def test_every_cross_resource_issue_is_reported(tmp_path: Path, cfg: str) -> None:
    text = stack(GATEWAY, LB_LISTENERS, app(f"[{http(gateway='gateway')}, {alb()}]"),
                 fn(f"[{fn_http(method='GET', path='/a')}, {fn_http(method='GET', path='/a')}]",
                    ", connectTo: [nothing]"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:4:246: resources.app.properties.containers[0].events[0].properties.httpApiGatewayName: "
        "Referenced "
        "resource with name gateway of type http-api-gateway could not be resolved in the config (referenced "
        "from app(multi-container-workload)). (hint: http-api-gateway resources: gw)",
        f"{cfg}:4:337: resources.app.properties.containers[0].events[1].properties: Error in "
        "multi-container-workload resource app when referencing application-load-balancer lb.\n"
        "You need to specify listenerPort property when application-load-balancer uses custom listeners. "
        "(hint: listener ports of lb: 80, 443)",
        f"{cfg}:5:306: resources.fn.properties.events[1].properties.path: Error in event integrations of "
        "http-api-gateway gw. Events on two different resources(fn and fn) are using the same path and "
        "method "
        "which is not allowed. (hint: the same route is defined at line 5)",
        f"{cfg}:5:327: resources.fn.properties.connectTo[0]: Referenced resource with name nothing could not "
        "be "
        "resolved in the config (referenced from fn(function)). (hint: resources: gw, lb, app, fn)",
    ]
