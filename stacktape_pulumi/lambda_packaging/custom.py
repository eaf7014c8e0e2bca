"""`custom-artifact` packaging: a zip the user built, or a directory / single file zipped here.

A `.zip` is deployed as it is. A directory is zipped with every file below it (only VCS
and cache clutter is skipped); a single file becomes a zip holding just that file. Both
are zipped deterministically and cached by content.
"""

import zipfile
from pathlib import Path

from stacktape_pulumi.lambda_packaging.archive import entries_digest, file_entry, tree_entries
from stacktape_pulumi.lambda_packaging.artifacts import SCHEME, LambdaArtifact, PackagingError, existing, store
from stacktape_pulumi.lambda_packaging.files import ALWAYS_SKIPPED
from stacktape_pulumi.lambda_packaging.runtimes import custom_artifact_handler


def package_custom_artifact(function: str, package_path: str, handler: str, runtime: str, *, base_dir: Path,
                            cache: Path) -> LambdaArtifact:
    """Package `packagePath` (relative to the config directory) with the `file:function` handler."""
    source = (base_dir / package_path).resolve()
    aws_handler = custom_artifact_handler(handler)
    if source.is_file() and source.suffix.lower() == ".zip":
        if not zipfile.is_zipfile(source):
            raise PackagingError(f"function '{function}': packagePath '{package_path}' is not a valid zip file")
        return existing(source, handler=aws_handler, runtime=runtime)
    if source.is_dir():
        entries = tree_entries(source, skip=ALWAYS_SKIPPED)
    elif source.is_file():
        entries = {source.name: file_entry(source.name, source)}
    else:
        raise PackagingError(f"function '{function}': packagePath '{package_path}' does not exist "
                             f"(looked for {source})")
    key = entries_digest(entries, SCHEME, "custom-artifact")
    return store(cache, function, key, entries, handler=aws_handler, runtime=runtime)
