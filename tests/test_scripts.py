"""`scripts` and `hooks`: located errors, the environment a script gets, running it, and the hooks around
`stacktape-pulumi up` / `destroy` (the Automation API answered by a recording stack)."""

import json
import sys
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber
from pulumi import automation as auto

from stacktape_pulumi import automation
from stacktape_pulumi.checks.scripts import unrun_hooks_warning
from stacktape_pulumi.cli import main
from stacktape_pulumi.config.models.scripts import LocalScriptProps, Scripts
from stacktape_pulumi.errors import ConfigError
from stacktape_pulumi.load import LoadedConfig, load_config
from stacktape_pulumi.scripts import ScriptError, aws_values
from stacktape_pulumi.scripts.environment import ScriptSources, script_environment
from stacktape_pulumi.scripts.hooks import ScriptSession, is_ci
from stacktape_pulumi.scripts.runner import interpreter, run_script
from tests.automation_support import FakeAutomation

QUEUE = "resources: {queue: {type: sqs-queue}}"
# A command that appends its argument and $V to log.txt beside the config (load() writes log.py there).
LOG = "python3 log.py"
LOG_PY = "import os, sys\nopen('log.txt', 'a').write(sys.argv[1] + ' ' + os.environ.get('V', '') + '\\n')\n"


def load(tmp_path: Path, text: str, **kwargs: Any) -> LoadedConfig:
    path = tmp_path / "stacktape.yml"
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    (tmp_path / "log.py").write_text(LOG_PY)
    return load_config(path, **kwargs)


def issues(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    return [issue.render() for issue in caught.value.issues]


def no_outputs() -> Mapping[str, Any]:
    raise AssertionError("the stack's outputs were read")


def no_aws(name: str) -> str:
    raise AssertionError(f"AWS was asked for {name}")


def sources(outputs: Mapping[str, Any] | None = None, secrets: Mapping[str, str] | None = None,
            parameters: Mapping[str, str] | None = None) -> ScriptSources:
    return ScriptSources((lambda: outputs) if outputs is not None else no_outputs,
                         secrets.__getitem__ if secrets is not None else no_aws,
                         parameters.__getitem__ if parameters is not None else no_aws)


def scripted(loaded: LoadedConfig) -> tuple[Scripts, Mapping[str, str]]:
    return loaded.scripts.section.scripts or {}, loaded.scripts.resource_types


# ---- located errors -------------------------------------------------------------------------

def test_a_script_needs_exactly_one_thing_to_run_and_known_types(tmp_path: Path, cfg: str) -> None:
    assert issues(tmp_path, f"""
        scripts:
          two:
            type: local-script
            properties:
              executeCommand: echo hi
              executeCommands: [echo ho]
          none:
            type: local-script
            properties: {{cwd: .}}
          bastion:
            type: bastion-script
            properties: {{}}
          shell:
            type: local-script
            properties:
              executeScript: run.sh
              assumeRoleOfResource: queue
        hooks:
          beforeDev: []
        {QUEUE}
        """) == [
        f"{cfg}:6:24: scripts.two.properties.executeCommands: a local script needs exactly one of executeScript, "
        "executeScripts, executeCommand, executeCommands; got executeCommand, executeCommands (hint: split the "
        "work into several scripts, or list every command in executeCommands)",
        f"{cfg}:9:17: scripts.none.properties: a local script needs exactly one of executeScript, executeScripts, "
        "executeCommand, executeCommands (hint: split the work into several scripts, or list every command in "
        "executeCommands)",
        f"{cfg}:11:11: scripts.bastion.type: script type 'bastion-script' is not supported yet; supported: "
        "local-script (hint: bastion hosts are not built by stacktape-pulumi; run the script as a local-script "
        "from a machine that can reach the VPC)",
        f"{cfg}:16:22: scripts.shell.properties.executeScript: script file 'run.sh' is not a JavaScript, TypeScript "
        "or Python file; allowed extensions: .py, .js, .mjs, .cjs, .ts, .mts, .cts (hint: run other programs with "
        "executeCommand)",
        f"{cfg}:17:7: scripts.shell.properties.assumeRoleOfResource: assumeRoleOfResource is not supported yet "
        "(hint: the script runs with the AWS credentials of the shell that runs it; grant those what the script "
        "needs)",
        f"{cfg}:19:3: hooks.beforeDev: this hook is not supported yet: stacktape-pulumi has no bucket-sync or "
        "dev-mode command (hint: use beforeDeploy, afterDeploy, beforeDelete or afterDelete)",
    ]


def test_names_targets_directives_files_and_hooks_are_checked(tmp_path: Path, cfg: str) -> None:
    assert issues(tmp_path, """
        scripts:
          migrate:
            type: local-script
            properties:
              executeScript: migrate.py
              connectTo: [queu, api, aws:ses]
              environment:
                - name: URL
                  value: $ResourceParam('queu', 'url')
                - name: OUT
                  value: $StackOutput('other', 'url')
          other:
            type: local-script
            properties:
              executeCommand: echo $STP_QUEUE_URL
              cwd: nowhere
        hooks:
          afterDeploy:
            - scriptName: migrat
          afterDelete:
            - scriptName: migrate
            - scriptName: other
              skipOnCI: true
              skipOnLocal: true
        resources: {queue: {type: sqs-queue}, api: {type: http-api-gateway}}
        """) == [
        f"{cfg}:5:22: scripts.migrate.properties.executeScript: script file 'migrate.py' does not exist (looked "
        f"for {tmp_path}/migrate.py) (hint: script files are relative to the script's cwd (default: the config "
        "file's directory))",
        f"{cfg}:6:19: scripts.migrate.properties.connectTo[0]: connectTo names 'queu', which is not a resource of "
        "the config (hint: did you mean 'queue'?)",
        f"{cfg}:6:25: scripts.migrate.properties.connectTo[1]: connecting a script to 'api' of type "
        "'http-api-gateway' injects no variables; types that inject some: bucket, dynamo-db-table, event-bus, "
        "function, private-service, relational-database, sns-topic, sqs-queue, web-service (hint: read one of its "
        "params with "
        "$ResourceParam('api', '<param>') in the script's environment)",
        f"{cfg}:6:30: scripts.migrate.properties.connectTo[2]: 'aws:ses' grants a workload or function "
        "permissions; a script runs with your own AWS credentials and gets nothing from it (hint: remove it from "
        "the script's connectTo)",
        f"{cfg}:9:18: scripts.migrate.properties.environment[0].value: $ResourceParam names 'queu', which is not "
        "a resource of the config (hint: did you mean 'queue'?)",
        f"{cfg}:11:18: scripts.migrate.properties.environment[1].value: $StackOutput() cannot be resolved when a "
        "script runs; a script's environment may use: $ResourceParam, $Secret, $SsmParam, $Format, $CfFormat "
        "(hint: compute the value in the script itself)",
        f"{cfg}:16:12: scripts.other.properties.cwd: cwd 'nowhere' does not exist (hint: paths are relative to the "
        f"config file's directory ({tmp_path}))",
        f"{cfg}:19:19: hooks.afterDeploy[0].scriptName: script 'migrat' is not defined in the scripts section; "
        "defined: migrate, other (hint: did you mean 'migrate'?)",
        f"{cfg}:21:19: hooks.afterDelete[0].scriptName: script 'migrate' reads the deployed stack (connectTo or "
        "$ResourceParam), which no longer exists when afterDelete hooks run (hint: run it in beforeDelete instead)",
        f"{cfg}:22:7: hooks.afterDelete[1]: skipOnCI and skipOnLocal together mean the hook never runs (hint: "
        "remove the hook, or one of them)",
    ]


def test_a_valid_config_with_scripts_and_hooks_loads(tmp_path: Path) -> None:
    (tmp_path / "seed.py").write_text("")
    loaded = load(tmp_path, f"""
        scripts:
          seed:
            type: local-script
            properties: {{executeScript: seed.py, connectTo: [queue], pipeStdio: true}}
        hooks:
          afterDeploy: [{{scriptName: seed, skipOnCI: true}}]
        {QUEUE}
        """)
    assert loaded.config.scripts is not None
    assert loaded.config.hooks is not None
    assert loaded.config.scripts["seed"].properties.steps() == [("script", "seed.py")]
    assert loaded.config.hooks.afterDeploy is not None
    assert loaded.config.hooks.afterDeploy[0].skipOnCI


# ---- the environment ------------------------------------------------------------------------

def test_the_environment_layers_caller_connect_to_own_and_overrides(tmp_path: Path) -> None:
    loaded = load(tmp_path, f"""
        scripts:
          migrate:
            type: local-script
            properties:
              executeCommand: migrate
              connectTo: [queue]
              environment:
                - name: DB_URL
                  value: >-
                    $Format('postgres://{{}}:{{}}@{{}}', $Secret('db.user'), $Secret('db.password'),
                    $SsmParam('/db/host'))
                - name: QUEUE_ARN
                  value: $ResourceParam('queue', 'arn')
                - name: RETRIES
                  value: 3
                - name: STP_QUEUE_NAME
                  value: mine
        {QUEUE}
        """)
    outputs = {"queue": {"arn": "arn:aws:sqs:us-east-1:1:q", "url": "https://sqs/q", "name": "q", "tags": ["a"]}}
    found = script_environment(loaded.scripts.section.scripts or {}, loaded.scripts.resource_types, "migrate",
                               sources(outputs, {"db": json.dumps({"user": "app", "password": "pw"})},
                                       {"/db/host": "db.internal"}),
                               {"PATH": "/bin", "RETRIES": "1"}, {"QUEUE_ARN": "override"})
    assert found == {
        "PATH": "/bin",
        "STP_QUEUE_ARN": "arn:aws:sqs:us-east-1:1:q", "STP_QUEUE_URL": "https://sqs/q", "STP_QUEUE_NAME": "mine",
        "DB_URL": "postgres://app:pw@db.internal", "QUEUE_ARN": "override", "RETRIES": "3",
    }


def test_values_the_stack_or_a_secret_lacks_are_one_line_naming_the_variable(tmp_path: Path) -> None:
    loaded = load(tmp_path, """
        scripts:
          a:
            type: local-script
            properties:
              executeCommand: a
              environment: [{name: X, value: "$ResourceParam('api', 'nope').0"}]
          b:
            type: local-script
            properties:
              executeCommand: b
              environment: [{name: Y, value: "$Secret('db.password')"}]
          c:
            type: local-script
            properties:
              executeCommand: c
              connectTo: [queue]
        resources: {queue: {type: sqs-queue}, api: {type: http-api-gateway}}
        """)
    with pytest.raises(ScriptError) as caught:
        script_environment(*scripted(loaded), "a", sources({"api": {"arn": "x", "url": "u"}}), {}, {})
    assert str(caught.value) == ("scripts.a.properties.environment[0] (X): resource 'api' has no param 'nope' in "
                                 "the deployed stack; its params: arn, url")
    with pytest.raises(ScriptError) as caught:
        script_environment(*scripted(loaded), "b", sources(secrets={"db": "plain"}), {}, {})
    assert str(caught.value) == ("scripts.b.properties.environment[0] (Y): secret 'db' is not a JSON object, so "
                                 "it has no key 'password'")
    with pytest.raises(ScriptError) as caught:
        script_environment(*scripted(loaded), "c", sources({}), {}, {})
    assert str(caught.value) == ("resource 'queue' has no outputs in the deployed stack: deploy the stack "
                                 "(stacktape-pulumi up) before running a script that reads it")


def test_secrets_and_parameters_are_read_with_botocore(monkeypatch: pytest.MonkeyPatch) -> None:
    import botocore.session

    clients: dict[str, Any] = {}

    def client(service: str, region: str) -> Any:
        made = botocore.session.get_session().create_client(service, region_name=region, aws_access_key_id="k",
                                                             aws_secret_access_key="s")
        stubber = Stubber(made)
        if service == "secretsmanager":
            stubber.add_response("get_secret_value", {"SecretString": "s3cret"}, {"SecretId": "db"})
            stubber.add_client_error("get_secret_value", "ResourceNotFoundException", "no such secret",
                                     expected_params={"SecretId": "gone"})
        else:
            stubber.add_response("get_parameter", {"Parameter": {"Value": "v"}},
                                 {"Name": "/p", "WithDecryption": True})
        stubber.activate()
        clients[service] = stubber
        return made

    monkeypatch.setattr(aws_values, "_client", client)
    read_secret = aws_values.secret_reader("eu-west-1")
    assert read_secret("db") == "s3cret"
    with pytest.raises(ScriptError) as caught:
        read_secret("gone")
    assert str(caught.value) == ("cannot read secret 'gone' in eu-west-1: ResourceNotFoundException: "
                                 "no such secret")
    assert aws_values.parameter_reader("eu-west-1")("/p") == "v"
    for stubber in clients.values():
        stubber.assert_no_pending_responses()


# ---- running ----------------------------------------------------------------------------------

def props(**fields: Any) -> LocalScriptProps:
    return LocalScriptProps.model_validate(fields)


def test_steps_run_in_order_in_the_cwd_and_the_first_failure_stops(tmp_path: Path,
                                                                    capfd: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "sub").mkdir()
    echoed: list[str] = []
    run_script("s", props(executeCommands=["pwd > where.txt", "echo $V > v.txt"], cwd="sub"), tmp_path,
               {"PATH": "/usr/bin:/bin", "V": "42"}, echoed.append)
    assert (tmp_path / "sub" / "where.txt").read_text() == f"{tmp_path / 'sub'}\n"
    assert (tmp_path / "sub" / "v.txt").read_text() == "42\n"
    assert echoed == ["script 's': running command 'pwd > where.txt'", "script 's': running command 'echo $V > v.txt'"]
    with pytest.raises(ScriptError) as caught:
        run_script("s", props(executeCommands=["echo out; echo err >&2; exit 7", "touch never"]), tmp_path,
                   {"PATH": "/usr/bin:/bin"}, echoed.append)
    assert str(caught.value) == "script 's': command 'echo out; echo err >&2; exit 7' exited with code 7"
    assert not (tmp_path / "never").exists()
    # pipeStdio false (the default): the captured output is shown only because the step failed.
    assert capfd.readouterr().err == "out\nerr\n"


def test_script_files_run_with_the_interpreter_of_their_extension(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import os\nopen('py.txt', 'w').write(os.environ['V'])\n")
    (tmp_path / "b.js").write_text("require('fs').writeFileSync('js.txt', process.env.V)\n")
    run_script("s", props(executeScripts=["a.py", "b.js"]), tmp_path, {"PATH": "/usr/local/bin:/usr/bin:/bin",
                                                                      "V": "x"}, lambda _: None)
    assert (tmp_path / "py.txt").read_text() == "x"
    assert (tmp_path / "js.txt").read_text() == "x"


def test_interpreters_and_what_to_install_when_missing() -> None:
    def which(*found: str) -> Callable[[str], str | None]:
        return lambda name: f"/bin/{name}" if name in found else None

    assert interpreter("a.py", which("python3")) == ["/bin/python3"]
    assert interpreter("a.py", which()) == [sys.executable]
    assert interpreter("a.mjs", which("node")) == ["/bin/node"]
    assert interpreter("a.ts", which("node", "tsx")) == ["/bin/tsx"]
    assert interpreter("a.ts", which("node"), lambda _: (22, 6)) == ["/bin/node", "--experimental-strip-types"]
    with pytest.raises(ScriptError) as caught:
        interpreter("a.ts", which("node"), lambda _: (20, 20))
    assert str(caught.value) == ("running TypeScript file 'a.ts' needs 'tsx' on PATH (npm install --global tsx) "
                                 "or Node.js 22.6 or newer (this is 20.20)")
    with pytest.raises(ScriptError) as caught:
        interpreter("a.js", which())
    assert str(caught.value) == "running 'a.js' needs Node.js ('node' on PATH): install it from https://nodejs.org"


@pytest.mark.parametrize(("env", "ci"), [({}, False), ({"CI": "true"}, True), ({"CI": "false"}, False),
                                         ({"CI": "0"}, False), ({"CODEBUILD_BUILD_ID": "b:1"}, True)])
def test_ci_detection(env: dict[str, str], ci: bool) -> None:
    assert is_ci(env) is ci


def hooked(tmp_path: Path) -> LoadedConfig:
    return load(tmp_path, f"""
        scripts:
          build: {{type: local-script, properties: {{executeCommand: "{LOG} build"}}}}
          ciOnly: {{type: local-script, properties: {{executeCommand: "{LOG} ciOnly"}}}}
          migrate:
            type: local-script
            properties:
              executeCommand: "{LOG} migrate"
              environment: [{{name: V, value: "$ResourceParam('webApp', 'serviceName')"}}]
          cleanup: {{type: local-script, properties: {{executeCommand: "{LOG} cleanup"}}}}
        hooks:
          beforeDeploy: [{{scriptName: build}}, {{scriptName: ciOnly, skipOnLocal: true}}]
          afterDeploy: [{{scriptName: migrate}}]
          beforeDelete: [{{scriptName: migrate}}]
          afterDelete: [{{scriptName: cleanup}}]
        resources:
          webApp: {{type: http-api-gateway}}
        """)


def test_up_runs_the_deploy_hooks_around_pulumi_with_the_deployed_values(
        fake: FakeAutomation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("CODEBUILD_BUILD_ID", raising=False)
    printed: list[str] = []
    loaded = hooked(tmp_path)
    outputs = automation.up(loaded, printed.append)
    assert (tmp_path / "log.txt").read_text() == "build \nmigrate svc\n"
    assert printed == ["beforeDeploy hook: script 'build'", f"script 'build': running command '{LOG} build'",
                       "beforeDeploy hook: skipping script 'ciOnly' (skipOnLocal: this is not CI)",
                       "pulumi up progress line",
                       "afterDeploy hook: script 'migrate'", f"script 'migrate': running command '{LOG} migrate'"]
    assert outputs == {"dbPassword": "[secret]", "webApp": {"serviceName": "svc"}}
    assert [name for name, _ in fake.stack.calls] == ["set_config", "up"]
    # The program Pulumi runs knows the hooks run here, so it does not warn that they don't.
    program = fake.selected[0]["program"]
    captured = dict(zip(program.__code__.co_freevars, (cell.cell_contents for cell in program.__closure__),
                        strict=True))
    assert captured["hooks_run_here"] is True


def test_destroy_runs_the_delete_hooks_and_a_failing_hook_stops_before_pulumi(
        fake: FakeAutomation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CI", "true")
    assert main(["destroy", str(hooked(tmp_path).path)]) == 0
    assert (tmp_path / "log.txt").read_text() == "migrate svc\ncleanup \n"
    assert [name for name, _ in fake.stack.calls] == ["set_config", "destroy"]
    (tmp_path / "log.txt").unlink()
    config = tmp_path / "stacktape.yml"
    config.write_text(config.read_text().replace(f'"{LOG} build"', '"exit 5"'))
    capsys.readouterr()
    assert main(["up", str(config)]) == 4
    assert capsys.readouterr().err == ("stacktape-pulumi: error: beforeDeploy hook failed: script 'build': "
                                       "command 'exit 5' exited with code 5\n")
    assert [name for name, _ in fake.stack.calls] == ["set_config", "destroy", "set_config"]
    assert not (tmp_path / "log.txt").exists()


def test_script_run_from_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load(tmp_path, f"""
        scripts:
          hello:
            type: local-script
            properties:
              executeCommand: "{LOG} hello-$EXTRA"
              environment: [{{name: V, value: "$Format('{{}}-x', $Stage())"}}]
          reads: {{type: local-script, properties: {{executeCommand: env, connectTo: [queue]}}}}
        {QUEUE}
        """)
    path = str(loaded.path)
    assert main(["script:run", path, "--scriptName", "hello", "--stage", "prod", "--env", "EXTRA=y"]) == 0
    assert (tmp_path / "log.txt").read_text() == "hello-y prod-x\n"
    (tmp_path / "log.txt").unlink()
    monkeypatch.chdir(tmp_path)
    assert main(["script", "run", "hello", "--stage", "qa", "--env", "EXTRA=z"]) == 0
    assert (tmp_path / "log.txt").read_text() == "hello-z qa-x\n"
    assert main(["script:run", path, "--scriptName", "nope"]) == 2
    assert main(["script:run", path, "--scriptName", "hello", "--env", "novalue"]) == 2
    monkeypatch.setattr("shutil.which", lambda name: None)
    assert main(["script:run", path, "--script-name", "reads"]) == 3
    assert capsys.readouterr().err.splitlines() == [
        f"stacktape-pulumi: error: no script named 'nope' in {path}; scripts: hello, reads",
        "stacktape-pulumi: error: --env needs NAME=VALUE, got 'novalue'",
        f"stacktape-pulumi: error: script 'reads' reads the deployed stack, and {automation.CLI_MISSING}",
    ]


def test_script_run_reads_connect_to_values_from_the_stack_outputs(
        fake: FakeAutomation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake.stack.outputs = lambda: {  # type: ignore[method-assign]
        "queue": auto.OutputValue({"arn": "arn:q", "url": "https://q", "name": "q"}, False)}
    load(tmp_path, f"""
        scripts:
          reads:
            type: local-script
            properties: {{executeCommand: "V=$STP_QUEUE_URL {LOG} reads", connectTo: [queue]}}
        {QUEUE}
        """)
    assert main(["script:run", str(tmp_path / "stacktape.yml"), "--scriptName", "reads"]) == 0
    assert (tmp_path / "log.txt").read_text() == "reads https://q\n"


def test_pulumi_up_warns_that_it_runs_no_hooks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert unrun_hooks_warning(hooked(tmp_path).config.hooks) == (
        "this config's hooks (beforeDeploy: build, ciOnly; afterDeploy: migrate; beforeDelete: migrate; "
        "afterDelete: cleanup) run only with `stacktape-pulumi up` / `destroy` or stacktape_pulumi.automation; "
        "`pulumi up` and `pulumi destroy` do not run them. Run them yourself with `stacktape-pulumi script:run "
        "CONFIG --scriptName NAME`.")
    assert unrun_hooks_warning(load(tmp_path, QUEUE).config.hooks) is None
    assert main(["validate", str(hooked(tmp_path).path)]) == 0
    assert capsys.readouterr().err == f"warning: {unrun_hooks_warning(hooked(tmp_path).config.hooks)}\n"


def test_a_session_runs_hooks_it_is_given(tmp_path: Path) -> None:
    loaded = hooked(tmp_path)
    session = ScriptSession(loaded.scripts.section, loaded.scripts.resource_types, tmp_path,
                            sources({"webApp": {"serviceName": "s"}}), {}, lambda _: None)
    session.run_hook("afterDeploy")
    session.run_hook("beforeBucketSync")  # not a hook a command runs: nothing
    assert (tmp_path / "log.txt").read_text() == "migrate s\n"


BUILT_BY_A_HOOK = """
    scripts:
      build:
        type: local-script
        properties:
          executeCommand: python3 -c "import zipfile; zipfile.ZipFile('app.zip', 'w').writestr('main.py', '')"
    hooks:
      beforeDeploy: [{scriptName: build}]
    resources:
      api:
        type: function
        properties:
          packaging: {type: custom-artifact, properties: {packagePath: app.zip, handler: main.py:handler}}
          runtime: python3.12
    """


def test_up_runs_the_before_deploy_hooks_a_config_needs_to_validate(
        fake: FakeAutomation, tmp_path: Path, capsys: pytest.CaptureFixture[str], cfg: str) -> None:
    path = tmp_path / "stacktape.yml"
    path.write_text(textwrap.dedent(BUILT_BY_A_HOOK))
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().err == (
        f"{cfg}:13:68: resources.api.properties.packaging.properties.packagePath: Lambda function api: "
        f"packagePath 'app.zip' does not exist. (hint: paths are relative to the config file's directory "
        f"({tmp_path}))\n")
    assert main(["up", str(path)]) == 0
    assert (tmp_path / "app.zip").is_file()
    assert [name for name, _ in fake.stack.calls] == ["set_config", "up"]
    assert capsys.readouterr().out.splitlines()[:2] == [
        "beforeDeploy hook: script 'build'",
        "script 'build': running command 'python3 -c \"import zipfile; zipfile.ZipFile('app.zip', 'w')"
        ".writestr('main.py', '')\"'"]


def test_up_of_a_config_with_other_errors_runs_no_hook(fake: FakeAutomation, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str], cfg: str) -> None:
    path = tmp_path / "stacktape.yml"
    path.write_text(textwrap.dedent(BUILT_BY_A_HOOK).replace("python3.12", "python2.7"))
    assert main(["up", str(path)]) == 1
    assert not (tmp_path / "app.zip").exists()
    assert fake.stack.calls == []
    assert capsys.readouterr().err.splitlines() == [
        f"{cfg}:14:16: resources.api.properties.runtime: invalid value 'python2.7'; allowed values: 'nodejs24.x', "
        "'nodejs22.x', 'nodejs20.x', 'nodejs18.x', 'python3.13', 'python3.12', 'python3.11', 'python3.10', "
        "'python3.9', 'python3.8', 'ruby3.3', 'java21', 'java17', 'java11', 'java8.al2', 'java8', 'provided.al2', "
        "'provided.al2023', 'dotnet8', 'dotnet7' or 'dotnet6' (hint: did you mean 'python3.9'?)"]


def test_provider_config_is_checked_and_said_to_have_no_effect(tmp_path: Path, cfg: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    bad = """
        providerConfig:
          mongoDbAtlas:
            privateKey: abc123
            accessibility: {accessibilityMode: vpc, whitelistedIps: [10.0.0.0/33]}
          upstash: {accountEmail: me@example.com, apiKey: "$Secret('upstash.key')"}
        resources: {}
        """
    assert issues(tmp_path, bad) == [
        f"{cfg}:3:17: providerConfig.mongoDbAtlas.privateKey: API keys must be read from a secret, not written in "
        "the config (hint: store the key in AWS Secrets Manager and write $Secret('<secret name>'))",
        f"{cfg}:4:62: providerConfig.mongoDbAtlas.accessibility.whitelistedIps[0]: '10.0.0.0/33' is not an IP "
        "address or CIDR range (hint: e.g. 203.0.113.7 or 203.0.113.0/24)",
    ]
    good = bad.replace("abc123", "\"$Secret('atlas.key')\"").replace("/33", "/16")
    path = load(tmp_path, good).path
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().err == (
        "warning: providerConfig.mongoDbAtlas has no effect: only mongo-db-atlas-cluster resources read it, and "
        "they are not supported yet\n"
        "warning: providerConfig.upstash has no effect: only upstash-redis resources read it, and they are not "
        "supported yet\n")
