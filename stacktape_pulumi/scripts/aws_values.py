"""`$Secret` and `$SsmParam` values for scripts, read with botocore (the AWS SDK the project already has).

The client is created on first use, so a script that reads no secret needs no AWS credentials.
Any failure (no credentials, no such secret, access denied) is one line naming the value.
"""

from collections.abc import Callable
from typing import Any

from stacktape_pulumi.scripts import ScriptError


def _client(service: str, region: str) -> Any:
    import botocore.session  # imported when a script first reads AWS: script:run stays fast otherwise

    return botocore.session.get_session().create_client(service, region_name=region)


def _aws_call(what: str, call: Callable[[], Any]) -> Any:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return call()
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise ScriptError(f"{what}: {error.get('Code', 'error')}: {error.get('Message', exc)}") from None
    except BotoCoreError as exc:
        raise ScriptError(f"{what}: {exc}") from None


def _reader(service: str, region: str, what: str, fetch: Callable[[Any, str], str]) -> Callable[[str], str]:
    """`fetch(client, name)` with one client per reader, created on first use; failures as one line."""
    clients: list[Any] = []

    def read(name: str) -> str:
        described = what.format(name=name, region=region)
        if not clients:
            clients.append(_aws_call(described, lambda: _client(service, region)))
        return str(_aws_call(described, lambda: fetch(clients[0], name)))

    return read


def _secret_string(client: Any, name: str) -> str:
    answer = client.get_secret_value(SecretId=name)
    if "SecretString" not in answer:
        raise ScriptError(f"cannot read secret '{name}': it holds binary data, not a string")
    return str(answer["SecretString"])


def _parameter_value(client: Any, name: str) -> str:
    return str(client.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"])


def secret_reader(region: str) -> Callable[[str], str]:
    """Secrets Manager: a secret's string value, by name or ARN."""
    return _reader("secretsmanager", region, "cannot read secret '{name}' in {region}", _secret_string)


def parameter_reader(region: str) -> Callable[[str], str]:
    """Parameter Store: a parameter's value (SecureString values decrypted)."""
    return _reader("ssm", region, "cannot read SSM parameter '{name}' in {region}", _parameter_value)
