"""`bucket`: what a bucket's config asks for that this version cannot build."""

from stacktape_pulumi.config.models.bucket import BucketProps
from stacktape_pulumi.errors import Problem


def bucket_problems(name: str, props: BucketProps | None) -> list[Problem]:
    """What a bucket's config asks for that this version cannot build."""
    problems: list[Problem] = []
    if props is None:
        return problems
    if props.directoryUpload is not None:
        problems.append(Problem(("directoryUpload",), "directoryUpload is not supported yet", at_key=True,
                                     hint="upload files with pulumi_aws.s3.BucketObjectv2, or `aws s3 sync` after "
                                          "`pulumi up`"))
    if props.cdn is not None and props.cdn.enabled:
        problems.append(Problem(("cdn",), "cdn is not supported yet", at_key=True,
                                     hint="put CloudFront in front of the bucket with pulumi_aws.cloudfront"))
    return problems

