"""Package attributes imported on first use (PEP 562), for packages whose exports pull in heavy modules.

`stacktape_pulumi` and `stacktape_pulumi.components` export components whose modules import the
AWS SDK; importing the package for one light name (the errors, the stack context) must not
import them all.
"""

import importlib
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, str],
                 namespace: MutableMapping[str, Any]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """`__getattr__` and `__dir__` for `package`: name → the module (absolute) that defines it.

    A looked-up name is stored in the package's `namespace`, so later lookups skip `__getattr__`.
    """

    def getattr_(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module '{package}' has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted({*namespace, *exports})

    return getattr_, dir_
