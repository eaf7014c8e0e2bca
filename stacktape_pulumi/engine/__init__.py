"""Offline engine: the real Pulumi SDK under a recording mock monitor, no CLI, no AWS."""

from stacktape_pulumi.engine.offline import RecordedInvoke, RecordedResource, Recording, run_offline

__all__ = ["RecordedInvoke", "RecordedResource", "Recording", "run_offline"]
