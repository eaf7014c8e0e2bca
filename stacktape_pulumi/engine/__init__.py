"""Offline engine: the real Pulumi SDK under a recording mock monitor, no CLI, no AWS."""

from stacktape_pulumi.engine.offline import RecordedResource, Recording, run_offline

__all__ = ["RecordedResource", "Recording", "run_offline"]
