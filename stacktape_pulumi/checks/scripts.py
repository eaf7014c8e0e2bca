"""Rules of `scripts` and `hooks` that need the rest of the config: names, connectTo targets, files.

A script reads the deployed stack (its `connectTo` variables, `$ResourceParam`, `$StackOutput` of
this stack) when it runs, not when it is validated; `validate` makes sure every name it reads
exists, and that no hook runs it where the stack cannot answer (after the stack is deleted).
"""

from collections.abc import Iterator, Mapping
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from stacktape_pulumi.checks.connect_targets import ENV_PARAMS, SES_MACRO
from stacktape_pulumi.config.loader import SourceMap
from stacktape_pulumi.config.models.root import StacktapeConfig
from stacktape_pulumi.config.models.scripts import HOOK_NAMES, Hooks, LocalScriptProps, ScriptsSection
from stacktape_pulumi.directives.parser import Directive, DirectiveSyntaxError, parse, walk, well_formed
from stacktape_pulumi.errors import ConfigIssue, KeyPath

# What connecting a script to a resource injects: the reference's list for scripts, which adds the
# URL of a web service (workloads and functions get no variables for it, scripts do).
SCRIPT_ENV_PARAMS: Mapping[str, tuple[str, ...]] = {
    **{kind: params for kind, params in ENV_PARAMS.items() if params},
    "web-service": ("url",),
}

# The runtime directives a script's environment may hold; each is read when the script runs.
SCRIPT_DIRECTIVES = ("ResourceParam", "Secret", "SsmParam", "Format", "CfFormat")


def script_issues(config: StacktapeConfig | ScriptsSection, data: dict[str, Any],
                  source: SourceMap) -> list[ConfigIssue]:
    """Every located issue of the config's scripts and hooks (`data`: the whole config as validated)."""
    scripts = config.scripts or {}
    resources = data.get("resources") or {}
    config_dir = Path(source.file).parent.resolve()
    issues: list[ConfigIssue] = []
    for name, script in scripts.items():
        where: KeyPath = ("scripts", name, "properties")
        issues += _connect_issues(script.properties, resources, where, source)
        issues += _environment_issues(data, name, resources, where, source)
        issues += _file_issues(script.properties, config_dir, where, source)
    issues += _hook_issues(config, data, source)
    return sorted(issues, key=ConfigIssue.sort_key)


def reads_stack(props: LocalScriptProps, data: Mapping[str, Any], name: str) -> bool:
    """Does running the script need the deployed stack's outputs?"""
    if props.connectTo:
        return True
    return any(node.name == "ResourceParam" for _, node in _directives(data, name))


def _connect_issues(props: LocalScriptProps, resources: Mapping[str, Any], where: KeyPath,
                    source: SourceMap) -> list[ConfigIssue]:
    issues: list[ConfigIssue] = []
    for index, target in enumerate(props.connectTo or []):
        path = (*where, "connectTo", index)
        if target == SES_MACRO:
            issues.append(source.issue(path, f"'{SES_MACRO}' grants a workload or function permissions; a script "
                                             "runs with your own AWS credentials and gets nothing from it",
                                       "remove it from the script's connectTo"))
        elif target not in resources:
            issues.append(source.issue(path, f"connectTo names '{target}', which is not a resource of the config",
                                       _did_you_mean(target, resources)))
        elif (kind := str(resources[target].get("type"))) not in SCRIPT_ENV_PARAMS:
            issues.append(source.issue(
                path, f"connecting a script to '{target}' of type '{kind}' injects no variables; types that "
                      f"inject some: {', '.join(sorted(SCRIPT_ENV_PARAMS))}",
                f"read one of its params with $ResourceParam('{target}', '<param>') in the script's environment"))
    return issues


def _directives(data: Mapping[str, Any], name: str) -> Iterator[tuple[KeyPath, Directive]]:
    raw = ((data.get("scripts") or {}).get(name) or {}).get("properties") or {}
    for index, variable in enumerate(raw.get("environment") or []):
        value = variable.get("value") if isinstance(variable, dict) else None
        # A malformed one is reported by _environment_issues.
        directive = well_formed(value) if isinstance(value, str) else None
        if directive is not None:
            for node in walk(directive):
                yield ("scripts", name, "properties", "environment", index, "value"), node


def _environment_issues(data: Mapping[str, Any], name: str, resources: Mapping[str, Any], where: KeyPath,
                        source: SourceMap) -> list[ConfigIssue]:
    issues: list[ConfigIssue] = []
    raw = ((data.get("scripts") or {}).get(name) or {}).get("properties") or {}
    for index, variable in enumerate(raw.get("environment") or []):
        value = variable.get("value") if isinstance(variable, dict) else None
        if isinstance(value, str) and value.startswith("$"):
            try:
                parse(value)
            except DirectiveSyntaxError as exc:
                issues.append(source.issue((*where, "environment", index, "value"), str(exc)))
    for path, node in _directives(data, name):
        if node.name not in SCRIPT_DIRECTIVES:
            issues.append(source.issue(path, f"${node.name}() cannot be resolved when a script runs; a script's "
                                             f"environment may use: {', '.join('$' + d for d in SCRIPT_DIRECTIVES)}",
                                       "compute the value in the script itself"))
        elif node.name == "ResourceParam" and node.args:
            target = getattr(node.args[0], "value", None)
            if isinstance(target, str) and target not in resources:
                issues.append(source.issue(path, f"$ResourceParam names '{target}', which is not a resource of "
                                                 "the config", _did_you_mean(target, resources)))
    return issues


def _file_issues(props: LocalScriptProps, config_dir: Path, where: KeyPath, source: SourceMap) -> list[ConfigIssue]:
    cwd = config_dir / props.cwd if props.cwd else config_dir
    if props.cwd and not cwd.is_dir():
        return [source.issue((*where, "cwd"), f"cwd '{props.cwd}' does not exist",
                             f"paths are relative to the config file's directory ({config_dir})")]
    files = [props.executeScript] if props.executeScript else list(props.executeScripts or [])
    key: KeyPath = ("executeScript",) if props.executeScript else ("executeScripts",)
    return [source.issue((*where, *key, *(() if props.executeScript else (index,))),
                         f"script file '{file}' does not exist (looked for {cwd / file})",
                         "script files are relative to the script's cwd (default: the config file's directory)")
            for index, file in enumerate(files) if not (cwd / file).is_file()]


def _hook_issues(config: StacktapeConfig | ScriptsSection, data: Mapping[str, Any],
                 source: SourceMap) -> list[ConfigIssue]:
    if config.hooks is None:
        return []
    scripts = config.scripts or {}
    issues: list[ConfigIssue] = []
    for hook in HOOK_NAMES:
        for index, entry in enumerate(getattr(config.hooks, hook) or []):
            path = ("hooks", hook, index, "scriptName")
            if entry.scriptName not in scripts:
                defined = ", ".join(sorted(scripts)) or "none"
                close = get_close_matches(entry.scriptName, list(scripts), n=1)
                issues.append(source.issue(
                    path, f"script '{entry.scriptName}' is not defined in the scripts section; defined: {defined}",
                    f"did you mean '{close[0]}'?" if close else "add it under scripts: with type local-script"))
            elif entry.skipOnCI and entry.skipOnLocal:
                issues.append(source.issue(("hooks", hook, index), "skipOnCI and skipOnLocal together mean the "
                                                                   "hook never runs", "remove the hook, or one of them",
                                           at_key=True))
            elif hook == "afterDelete" and reads_stack(scripts[entry.scriptName].properties, data,
                                                       entry.scriptName):
                issues.append(source.issue(
                    path, f"script '{entry.scriptName}' reads the deployed stack (connectTo or $ResourceParam), "
                          "which no longer exists when afterDelete hooks run",
                    "run it in beforeDelete instead"))
    return issues


def _did_you_mean(name: str, names: Mapping[str, Any]) -> str:
    close = get_close_matches(name, sorted(names), n=1)
    return f"did you mean '{close[0]}'?" if close else f"resources: {', '.join(sorted(names))}"


def unrun_hooks_warning(hooks: Hooks | None) -> str | None:
    """What `validate` and a bare `pulumi up` say of a config with hooks: Pulumi itself runs none."""
    named = [f"{hook}: {', '.join(entry.scriptName for entry in getattr(hooks, hook) or [])}"
             for hook in HOOK_NAMES if hooks is not None and getattr(hooks, hook)]
    if not named:
        return None
    return (f"this config's hooks ({'; '.join(named)}) run only with `stacktape-pulumi up` / `destroy` or "
            "stacktape_pulumi.automation; `pulumi up` and `pulumi destroy` do not run them. Run them yourself "
            "with `stacktape-pulumi script:run CONFIG --scriptName NAME`.")
