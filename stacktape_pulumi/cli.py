"""`stacktape-pulumi`: validate and preview Stacktape-style configs offline (no AWS, no Pulumi CLI), and deploy them.

`validate` and `preview` need neither AWS nor the Pulumi CLI; `up`, `destroy`, `outputs` and
`preview --live` drive the Pulumi CLI through the Automation API (`stacktape_pulumi.automation`)
after the same validation; `up` and `destroy` run the config's hooks around it. `script:run`
runs one of the config's scripts. `schema` prints the JSON Schema of a config file, for editors.

Exit codes: 0 success, 1 config errors (printed as FILE:LINE:COL: message), 2 usage errors,
3 the Pulumi CLI is missing or the Pulumi operation failed, 4 a script or hook failed.
"""

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stacktape_pulumi.errors import ConfigError, StacktapeError
from stacktape_pulumi.process import run_once

if TYPE_CHECKING:  # imported by `main` when needed: `--help` stays fast
    from stacktape_pulumi.load import LoadedConfig

EXIT_OK = 0
EXIT_CONFIG = 1
EXIT_USAGE = 2
EXIT_PULUMI = 3
EXIT_SCRIPT = 4
DEPLOY_COMMANDS = ("up", "destroy", "outputs")
SCRIPT_RUN = "script:run"


def _cli_args(extra: Sequence[str]) -> dict[str, str]:
    """`--name value --flag` (after the bare `--`) → {"name": "value", "flag": "true"} for $CliArgs()."""
    result: dict[str, str] = {}
    items = list(extra)
    i = 0
    while i < len(items):
        item = items[i]
        if not item.startswith("--"):
            raise SystemExit(f"stacktape-pulumi: error: unexpected argument {item!r} (use -- --name value)")
        key, eq, value = item[2:].partition("=")
        if not eq:
            if i + 1 < len(items) and not items[i + 1].startswith("--"):
                value = items[i + 1]
                i += 1
            else:
                value = "true"
        result[key] = value
        i += 1
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stacktape-pulumi",
        description="Validate and preview Stacktape-style YAML configs as Pulumi AWS stacks offline (no AWS, no "
                    "Pulumi CLI), and deploy them through the Pulumi CLI.",
        epilog="Values for $CliArgs() go after a bare --: stacktape-pulumi preview stacktape.yml -- --name value. "
               "Exit codes: 0 ok, 1 config errors, 2 usage errors, 3 Pulumi CLI missing or the Pulumi operation "
               "failed, 4 a script or hook failed.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def script_env(p: argparse.ArgumentParser) -> None:
        p.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                       help="an extra environment variable for the script (repeatable; wins over the config)")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("config", metavar="CONFIG", help="path to the stacktape.yml config")
        p.add_argument("--stage", default="dev", help="stage = Pulumi stack name, for $Stage() (default: dev)")
        p.add_argument("--region", default="us-east-1", help="AWS region, for $Region() (default: us-east-1)")

    validate = sub.add_parser(
        "validate", help="check a config (syntax, types, limits, references, cycles) without building anything",
        description="Run every check that needs no resource graph. Exits 0 when the config is valid, printing "
                    "nothing but warnings (lines starting 'warning:' on stderr, e.g. that a bare `pulumi up` "
                    "runs no hooks, or that providerConfig has no effect yet); otherwise prints "
                    "FILE:LINE:COL: path: message lines and exits 1.")
    common(validate)
    preview = sub.add_parser(
        "preview", help="build the stack offline and print its resources (a tree like `pulumi preview`, or --json)",
        description="Run the components under the offline engine (real Pulumi SDK, recording mock monitor, "
                    "canned AWS answers) and print the resources that would be created. With --json, one "
                    "JSON document: resources sorted by URN with inputs (secrets as \"[secret]\"), "
                    "dependencies and stack outputs; identical input gives identical bytes.")
    common(preview)
    preview.add_argument("--json", action="store_true", help="print one JSON document instead of a tree")
    preview.add_argument("--project", default=None,
                         help="Pulumi project name (default: serviceName from the config, else 'stacktape'); physical "
                              "names start with the config's serviceName when it has one, else with this name, "
                              "as under `pulumi up`")
    preview.add_argument("--live", action="store_true",
                         help="run `pulumi preview` against AWS through the Pulumi CLI instead (needs the CLI and "
                              "AWS credentials)")
    for command, text in (("up", "validate, then create or update the stack on AWS (`pulumi up`), between the "
                                 "beforeDeploy and afterDeploy hooks"),
                          ("destroy", "validate, then delete every resource of the stack (`pulumi destroy`), "
                                      "between the beforeDelete and afterDelete hooks"),
                          ("outputs", "print the deployed stack's outputs (secrets masked)")):
        deploy = sub.add_parser(
            command, help=text,
            description=f"{text[0].upper()}{text[1:]}. Runs the Pulumi CLI through the Automation API: Pulumi "
                        "project = the config's serviceName (default 'stacktape'), Pulumi stack = --stage, "
                        "aws:region = --region, in the backend the CLI is logged in to; Pulumi's progress is "
                        "printed as it comes. Needs the Pulumi CLI (and AWS credentials).")
        common(deploy)
    running = ("Validate, then run a script of the config's scripts section: its commands or files in order, in "
               "its cwd, with this shell's environment plus its connectTo variables (STP_*) and its environment, "
               "whose $ResourceParam values come from the deployed stack (through the Pulumi CLI, only if the "
               "script reads any) and $Secret / $SsmParam values from AWS. Exit code 4 when it fails.")
    script = sub.add_parser(
        SCRIPT_RUN, help="run one of the config's scripts on this machine, with the deployed stack's values",
        description=running)
    common(script)
    script.add_argument("--scriptName", "--script-name", dest="script_name", required=True, metavar="NAME",
                        help="the script to run")
    script_env(script)
    # `script run NAME` reads like the rest of the CLI's verbs; the same command as `script:run`.
    script_group = sub.add_parser("script", help="`script run NAME`: the same as script:run",
                                  description=running)
    script_group.add_argument("action", choices=["run"], help="what to do with the script")
    script_group.add_argument("script_name", metavar="NAME", help="the script to run")
    script_group.add_argument("--config", default="stacktape.yml",
                              help="path to the stacktape.yml config (default: ./stacktape.yml)")
    script_group.add_argument("--stage", default="dev", help="stage = Pulumi stack name (default: dev)")
    script_group.add_argument("--region", default="us-east-1", help="AWS region (default: us-east-1)")
    script_env(script_group)
    schema = sub.add_parser(
        "schema", help="print the JSON Schema of a config file (for editors: yaml-language-server)",
        description="Print the JSON Schema (draft 2020-12) of a whole stacktape.yml, generated from the config "
                    "models: descriptions, defaults, enums and limits. Point an editor at it with a first line "
                    "`# yaml-language-server: $schema=<path or URL>`.")
    schema.add_argument("--output", "-o", metavar="FILE", help="write it to FILE as well")
    return parser


def _schema(output: str | None) -> int:
    from stacktape_pulumi.schema.config_schema import render_config_schema

    text = render_config_schema()
    sys.stdout.write(text)
    if output:
        try:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
        except OSError as exc:
            print(f"stacktape-pulumi: error: cannot write {output}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
    return EXIT_OK


def _deploy(command: str, loaded: "LoadedConfig | DeployRequest") -> int:
    """Run one Automation API command on a config (validated, or for `up` about to be); Pulumi's output
    streams to stdout."""
    from pulumi.automation import CommandError

    from stacktape_pulumi import automation
    from stacktape_pulumi.scripts import ScriptError

    try:
        if isinstance(loaded, DeployRequest):
            _print_outputs(automation.up_config(loaded.path, stage=loaded.stage, region=loaded.region,
                                                cli_args=loaded.cli_args))
        elif command == "destroy":
            automation.destroy(loaded)
        elif command == "outputs":
            _print_outputs(automation.outputs(loaded))
        else:
            summary = automation.preview(loaded)
            print(", ".join(f"{count} to {op}" for op, count in sorted(summary.items())) or "no changes")
    except automation.PulumiCliMissing as exc:
        print(f"stacktape-pulumi: error: {exc}", file=sys.stderr)
        return EXIT_PULUMI
    except CommandError as exc:
        print(f"stacktape-pulumi: error: pulumi {command} failed\n{exc}",
              file=sys.stderr)
        return EXIT_PULUMI
    except ScriptError as exc:
        print(f"stacktape-pulumi: error: {exc}", file=sys.stderr)
        return EXIT_SCRIPT
    return EXIT_OK


def _run_script(loaded: "LoadedConfig", name: str, env: Sequence[str]) -> int:
    """`script:run`: one script, with `--env NAME=VALUE` values over its own."""
    from pulumi.automation import CommandError

    from stacktape_pulumi import automation
    from stacktape_pulumi.scripts import ScriptError

    overrides: dict[str, str] = {}
    for item in env:
        key, eq, value = item.partition("=")
        if not eq or not key:
            print(f"stacktape-pulumi: error: --env needs NAME=VALUE, got {item!r}", file=sys.stderr)
            return EXIT_USAGE
        overrides[key] = value
    scripts = loaded.config.scripts or {}
    if name not in scripts:
        print(f"stacktape-pulumi: error: no script named '{name}' in {loaded.path}; scripts: "
              f"{', '.join(sorted(scripts)) or 'none'}", file=sys.stderr)
        return EXIT_USAGE
    try:
        automation.script_session(loaded.scripts, overrides=overrides).run(name)
    except automation.PulumiCliMissing as exc:
        print(f"stacktape-pulumi: error: script '{name}' reads the deployed stack, and {exc}", file=sys.stderr)
        return EXIT_PULUMI
    except CommandError as exc:
        print(f"stacktape-pulumi: error: script '{name}' reads the deployed stack, which Pulumi could not "
              f"read\n{exc}", file=sys.stderr)
        return EXIT_PULUMI
    except ScriptError as exc:
        print(f"stacktape-pulumi: error: {exc}", file=sys.stderr)
        return EXIT_SCRIPT
    return EXIT_OK


@dataclass(frozen=True)
class DeployRequest:
    """`up` of a config file that is validated on the way (see `automation.up_config`)."""

    path: str
    stage: str
    region: str
    cli_args: dict[str, str]


def _print_outputs(outputs: dict[str, Any]) -> None:
    for key, value in outputs.items():
        print(f"{key}: {value}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = list(sys.argv[1:] if argv is None else argv)
    # Everything after a bare `--` is for $CliArgs(), not for this command.
    extra: list[str] = []
    if "--" in args:
        split = args.index("--")
        args, extra = args[:split], args[split + 1:]
    try:
        ns = parser.parse_args(args)
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    if ns.command == "schema":
        return _schema(ns.output)
    try:
        cli_args = _cli_args(extra)
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    # Imported here so `--help` stays fast; `validate` imports neither Pulumi nor the components.
    from stacktape_pulumi.load import load_config

    try:
        if ns.command == "up":
            # Validated by `up_config`, which first runs the beforeDeploy hooks a config may need to validate.
            return _deploy("up", DeployRequest(ns.config, ns.stage, ns.region, cli_args))
        loaded = load_config(ns.config, stage=ns.stage, region=ns.region, cli_args=cli_args)
        if ns.command == "validate":
            from stacktape_pulumi.checks.warnings import config_warnings

            for warning in config_warnings(loaded.config):
                print(f"warning: {warning}", file=sys.stderr)
            return EXIT_OK
        if ns.command in (SCRIPT_RUN, "script"):
            return _run_script(loaded, ns.script_name, ns.env)
        if ns.command in DEPLOY_COMMANDS or ns.live:
            return _deploy(ns.command, loaded)
        from stacktape_pulumi.engine.preview import preview_config

        recording = preview_config(loaded, project=ns.project)
    except ConfigError as exc:
        print(exc.render(), file=sys.stderr)
        return EXIT_CONFIG
    except StacktapeError as exc:
        print(f"{ns.config}: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    if ns.json:
        sys.stdout.write(recording.dumps())
        return EXIT_OK
    from stacktape_pulumi.engine.tree import render_tree
    from stacktape_pulumi.images import generated_dockerfiles_note

    sys.stdout.write(render_tree(recording, stage=ns.stage))
    sys.stdout.write(generated_dockerfiles_note(recording.to_json()))
    return EXIT_OK


def console() -> int:
    """The `stacktape-pulumi` process: `main` on the command line, as a one-shot process (`process.run_once`:
    the collector tuned while it works, and no collection of the heap at exit)."""
    return run_once(main)


if __name__ == "__main__":
    sys.exit(console())
