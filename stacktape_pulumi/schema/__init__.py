"""The generated interfaces of the package, and how they are made.

- `gen_args`: the component args TypedDicts (`stacktape_pulumi/args.py`) from the pydantic models.
- `config_schema`: the JSON Schema of a whole config file, for editors.
- `registry`: which resource types have args and which components the provider hosts.

`python -m stacktape_pulumi.schema` rewrites every generated file; `--check` only reports drift.
"""
