"""Checking answers against Open Referral's own HSDS 3.0 schemas: unmodified
copies of the specification's files in tests/hsds/spec (PROVENANCE.md there says
where from), resolved among themselves, formats checked."""

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC = Path(__file__).parent / "hsds" / "spec"
BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted(SPEC.glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        resources.append((BASE + path.name, resource))
    return Registry().with_resources(resources)


def openapi() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SPEC / "openapi.json").read_text())
    return loaded


@cache
def _validator(name: str) -> Draft202012Validator:
    schema = {"$ref": BASE + name}
    return Draft202012Validator(
        schema,
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def problems(name: str, instance: Any) -> list[str]:
    """Where `instance` breaks the official schema `name` (e.g. service.json)."""
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in _validator(name).iter_errors(instance)
    ]


def page_problems(instance: Any, item: str) -> list[str]:
    """Where a paged answer breaks HSDS's Page envelope, or an item the schema
    `item`."""
    page = openapi()["components"]["schemas"]["Page"]
    checker = Draft202012Validator(
        page, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    found = [f"(page) {e.message}" for e in checker.iter_errors(instance)]
    for position, one in enumerate(instance.get("contents", [])):
        found += [f"contents/{position}/{p}" for p in problems(item, one)]
    return found


def metadata_problems(instance: Any) -> list[str]:
    """Where an answer to GET / breaks what the OpenAPI description gives."""
    content = openapi()["paths"]["/"]["get"]["responses"]["200"]["content"]
    schema = content["application/json"]["schema"]
    checker = Draft202012Validator(
        schema, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return [e.message for e in checker.iter_errors(instance)]


def properties(name: str) -> dict[str, Any]:
    """The official schema's properties of `name`."""
    schema: dict[str, Any] = json.loads((SPEC / name).read_text(encoding="utf-8"))
    found: dict[str, Any] = schema["properties"]
    return found


def required(name: str) -> list[str]:
    schema: dict[str, Any] = json.loads((SPEC / name).read_text(encoding="utf-8"))
    found: list[str] = schema.get("required", [])
    return found
