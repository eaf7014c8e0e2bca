"""Container images from source: generated Dockerfiles, .dockerignore rules, content hashes, build plans.

Pure and local (no Docker daemon, no AWS): `components/images.py` turns a plan into the
docker-build `Image` pushed to the stack's ECR repository.
"""

from typing import Any

from stacktape_pulumi.images.dockerfiles import SUPPORTED_LANGUAGES, BuildpackSpec, generate_dockerfile, language_of
from stacktape_pulumi.images.hashing import ContextDigest, hash_context
from stacktape_pulumi.images.ignore import IgnoreRules
from stacktape_pulumi.images.plan import (
    GENERATED_DIR,
    BuildPlan,
    buildpack_plan,
    dockerfile_plan,
    generated_dockerfile_path,
    image_tag,
    nixpacks_plan,
    platform_for,
)

IMAGE_TYPE = "docker-build:index:Image"


def generated_dockerfiles(doc: dict[str, Any]) -> list[str]:
    """Locations of the generated Dockerfiles among the images of a `preview --json` document."""
    marker = GENERATED_DIR.as_posix()
    found = []
    for resource in doc.get("resources", []):
        location = ((resource.get("inputs") or {}).get("dockerfile") or {}).get("location")
        if resource.get("type") == IMAGE_TYPE and isinstance(location, str) and marker in location:
            found.append(location)
    return sorted(found)


def generated_dockerfiles_note(doc: dict[str, Any]) -> str:
    """The preview's line saying where generated Dockerfiles were written ("" when none were)."""
    found = generated_dockerfiles(doc)
    return f"Generated Dockerfiles (read them, or build them by hand): {', '.join(found)}\n" if found else ""


__all__ = [
    "GENERATED_DIR",
    "SUPPORTED_LANGUAGES",
    "BuildPlan",
    "BuildpackSpec",
    "ContextDigest",
    "IgnoreRules",
    "buildpack_plan",
    "dockerfile_plan",
    "generate_dockerfile",
    "generated_dockerfile_path",
    "generated_dockerfiles",
    "generated_dockerfiles_note",
    "hash_context",
    "image_tag",
    "language_of",
    "nixpacks_plan",
    "platform_for",
]
