"""Using the components from plain Pulumi Python, without YAML.

Run it as a Pulumi program (`main: programs/python_components.py` in a Pulumi.yaml of
your own), or offline: `python programs/python_components.py` prints the preview tree.
"""

import pulumi

from stacktape_pulumi import Bucket, MultiContainerWorkload


def program() -> None:
    uploads = Bucket("uploads", {})
    api = MultiContainerWorkload("api", {
        "resources": {"cpu": 0.5, "memory": 1024, "architecture": "arm64"},
        "scaling": {"min_instances": 1, "max_instances": 3},
        # The component object stands for its name: read-write access and STP_UPLOADS_NAME / _ARN.
        "connect_to": [uploads],
        # An Output where the YAML would write $ResourceParam('uploads', 'arn').
        "iam_role_statements": [{"Action": ["s3:GetBucketTagging"], "Resource": [uploads.arn]}],
        "containers": [
            {
                "name": "web",
                "packaging": {"type": "prebuilt-image", "properties": {"image": "public.ecr.aws/nginx/nginx:1.27"}},
                "environment": [
                    {"name": "GREETING", "value": "hello"},
                    {"name": "DB_PASSWORD", "value": "$Secret('app-db.password')"},
                ],
                "events": [{"type": "workload-internal", "properties": {"container_port": 8080}}],
            },
        ],
    })
    pulumi.export("serviceName", api.service.name)


if __name__ == "__main__":
    from stacktape_pulumi.cli import render_tree
    from stacktape_pulumi.engine import run_offline

    print(render_tree(run_offline(program).to_json()), end="")
else:
    program()
