"""Validate a config the way the models and the cross-resource checks do, and return the rendered issues."""

import textwrap
from pathlib import Path

from pydantic import ValidationError

from stacktape_pulumi.checks.cross_resource import check_stack
from stacktape_pulumi.config.loader import load_yaml_file
from stacktape_pulumi.config.models import StacktapeConfig
from stacktape_pulumi.config.validate import issues_from_validation
from stacktape_pulumi.errors import ConfigIssue


def config_issues(tmp_path: Path, text: str) -> list[str]:
    """Write `text` as stacktape.yml, validate it like the CLI does, return the rendered issues."""
    path = tmp_path / "stacktape.yml"
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    loaded = load_yaml_file(path)
    try:
        config = StacktapeConfig.model_validate(loaded.data, context={"config_dir": tmp_path})
    except ValidationError as exc:
        issues = issues_from_validation(exc, loaded.data, loaded.source, root=StacktapeConfig)
    else:
        issues = check_stack(config, loaded.source, loaded.data)
    return [issue.render() for issue in sorted(issues, key=ConfigIssue.sort_key)]
