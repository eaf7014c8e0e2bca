"""`bucket`: what a bucket's config asks for that this version cannot build."""

from stacktape_pulumi.checks.registry import BuildProblem, resource_check
from stacktape_pulumi.config.models.bucket import BUCKET_TYPE, BucketProps


@resource_check(BUCKET_TYPE)
def bucket_problems(name: str, props: BucketProps | None) -> list[BuildProblem]:
    """What a bucket's config asks for that this version cannot build."""
    problems: list[BuildProblem] = []
    if props is None:
        return problems
    if props.directoryUpload is not None:
        problems.append(BuildProblem(("directoryUpload",), "directoryUpload is not supported yet", at_key=True,
                                     hint="upload files with pulumi_aws.s3.BucketObjectv2, or `aws s3 sync` after "
                                          "`pulumi up`"))
    if props.cdn is not None and props.cdn.enabled:
        problems.append(BuildProblem(("cdn",), "cdn is not supported yet", at_key=True,
                                     hint="put CloudFront in front of the bucket with pulumi_aws.cloudfront"))
    return problems

