"""`python -m stacktape_pulumi.schema [--check]`: rewrite every generated file, or report the stale ones.

1. `stacktape_pulumi/args.py` (the component args, from the config models);
2. `schema/stacktape-config.schema.json` (the config file's JSON Schema, for editors);
3. `stacktape_pulumi/provider/schema.json` (the provider's package schema, inferred from the args
   the components annotate). When step 1 changed the args, this step runs in a fresh interpreter,
   because the running one has the components bound to the old args classes.
"""

import argparse
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from stacktape_pulumi.schema.config_schema import CONFIG_SCHEMA_PATH, render_config_schema
from stacktape_pulumi.schema.gen_args import GENERATED_PATH, generate
from stacktape_pulumi.schema.registry import PROVIDER_SCHEMA_PATH

PROVIDER_ONLY = "--provider-schema-only"


def _provider_schema() -> str:
    from stacktape_pulumi.provider.host import render_schema, schema_document

    return render_schema(schema_document())


def _sync(path: Path, render: Callable[[], str], check: bool) -> bool:
    """Write (or, with `check`, compare) one generated file; True when it was up to date."""
    text = render()
    current = path.read_text() if path.exists() else None
    if current == text:
        return True
    if check:
        print(f"stale: {path}", file=sys.stderr)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"wrote {path}")
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stacktape_pulumi.schema", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files (exit 1 if any)")
    parser.add_argument(PROVIDER_ONLY, action="store_true", help=argparse.SUPPRESS)
    ns = parser.parse_args(argv)
    if ns.provider_schema_only:
        fresh = [_sync(PROVIDER_SCHEMA_PATH, _provider_schema, ns.check)]
        return 1 if ns.check and not all(fresh) else 0
    fresh = [_sync(GENERATED_PATH, generate, ns.check), _sync(CONFIG_SCHEMA_PATH, render_config_schema, ns.check)]
    if fresh[0] or ns.check:
        fresh.append(_sync(PROVIDER_SCHEMA_PATH, _provider_schema, ns.check))
    else:
        done = subprocess.run([sys.executable, "-m", "stacktape_pulumi.schema", PROVIDER_ONLY], check=False)
        fresh.append(done.returncode == 0)
    return 1 if ns.check and not all(fresh) else 0


if __name__ == "__main__":
    sys.exit(main())
