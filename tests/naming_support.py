"""The physical names the offline engine gives resources named by Pulumi or completed by AWS (`bucketPrefix`)."""

from stacktape_pulumi.components.bucket import bucket_prefix
from stacktape_pulumi.engine.canned import auto_name, completed_prefix

STACK = "stacktape-dev"
STACK_URN = "urn:pulumi:dev::stacktape::"


def bucket(resource: str) -> str:
    """The offline name of the bucket of `bucket` resource `resource` in stack `stacktape-dev`."""
    return completed_prefix(bucket_prefix(STACK, resource),
                            f"{STACK_URN}stacktape:index:Bucket$aws:s3/bucket:Bucket::{resource}-bucket")


def log_backup_bucket(owner: str, owner_type: str) -> str:
    """The offline name of the log-forwarding backup bucket of component `owner` of type `owner_type`."""
    return completed_prefix(bucket_prefix(STACK, f"{owner}-logs"),
                            f"{STACK_URN}stacktape:index:{owner_type}$aws:s3/bucket:Bucket::{owner}-log-backup-bucket")


def table(resource: str) -> str:
    """The offline auto-name of the table of `dynamo-db-table` resource `resource`."""
    logical = f"{resource}-table"
    return auto_name(logical, f"{STACK_URN}stacktape:index:DynamoDbTable$aws:dynamodb/table:Table::{logical}")
