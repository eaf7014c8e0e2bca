"""Field descriptions of the config models, read from their attribute docstrings when a schema is made.

The models' field docstrings are their documentation: they become the descriptions of the config
JSON Schema, of the generated Python args and of the provider schema. pydantic can collect them
itself (`use_attribute_docstrings`), but it does so when each class is created, re-reading the
source of every one of the ~250 model classes: about 0.1 s of every `validate`, which never shows a
description. The models leave that off, and the schema generators read the docstrings here, with
one parse per module, only when they run.
"""

import ast
import inspect
import itertools
import sys
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema


def attribute_docstrings(source: str, *, plain_assignments: bool = True,
                         clean: bool = False) -> dict[str, dict[str, str]]:
    """Class name → attribute → the string statement right after the attribute, for every class of `source`.

    `plain_assignments` counts `name = value` as well as `name: type = value` (Pulumi's analyzer does,
    pydantic does not); `clean` dedents the text as pydantic does (`inspect.cleandoc`).
    """
    docstrings: dict[str, dict[str, str]] = {}
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ClassDef):
            continue
        found = docstrings.setdefault(node.name, {})
        for statement, following in itertools.pairwise(node.body):
            target = (statement.target if isinstance(statement, ast.AnnAssign)
                      else statement.targets[0] if plain_assignments and isinstance(statement, ast.Assign)
                      and len(statement.targets) == 1
                      else None)
            if (isinstance(target, ast.Name) and isinstance(following, ast.Expr)
                    and isinstance(following.value, ast.Constant) and isinstance(following.value.value, str)):
                text = following.value.value
                found[target.id] = inspect.cleandoc(text) if clean else text
    return docstrings


@cache
def _module_docstrings(module_name: str) -> dict[str, dict[str, str]]:
    module = sys.modules[module_name]
    source = Path(inspect.getfile(module)).read_text(encoding="utf-8")
    return attribute_docstrings(source, plain_assignments=False, clean=True)


def field_description(model: type[BaseModel], field_name: str) -> str | None:
    """A field's description: the one given to `Field(description=...)`, else its attribute docstring.

    The docstring is the one written in the class that declares the field, as pydantic would read it:
    a subclass redeclaring a field without a docstring leaves it undocumented.
    """
    info = model.model_fields.get(field_name)
    if info is not None and info.description:
        return info.description
    for owner in model.__mro__:
        if field_name in inspect.get_annotations(owner):
            return _module_docstrings(owner.__module__).get(owner.__name__, {}).get(field_name)
    return None


class DocumentedJsonSchema(GenerateJsonSchema):
    """pydantic's JSON Schema generator, with each model field described by its docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The models whose schemas are being generated, innermost last (a model may be inlined in another's).
        self._models: list[type[BaseModel]] = []

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        self._models.append(schema["cls"])
        try:
            return super().model_schema(schema)
        finally:
            self._models.pop()

    def model_fields_schema(self, schema: core_schema.ModelFieldsSchema) -> JsonSchemaValue:
        generated = super().model_fields_schema(schema)
        if not self._models:
            return generated
        model = self._models[-1]
        properties: dict[str, JsonSchemaValue] = generated.get("properties", {})
        for name, info in model.model_fields.items():
            key = info.alias or name
            value = properties.get(key)
            description = field_description(model, name)
            if value is None or description is None or "description" in value:
                continue
            # Where pydantic puts it: before the title it adds last.
            title = value.pop("title", None)
            value["description"] = description
            if title is not None:
                value["title"] = title
        return generated
