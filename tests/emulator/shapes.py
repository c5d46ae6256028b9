"""Check the emulator's answers against botocore's output shapes.

``validate_output(service, operation, data)`` returns the list of problems
(missing required members, unknown members, wrong types, values outside an
enum); ``checked(service, operation)`` wraps a moto Response method so a reply
that does not match its shape becomes a loud HTTP 500 (``ShapeMismatch``)
instead of a silent lie that boto3 would half-parse.
"""

from __future__ import annotations

import functools
import json
from typing import Any, Callable

import botocore.session
from botocore.model import Shape, StructureShape

_SESSION = botocore.session.get_session()
_MODELS: dict[str, Any] = {}


class ShapeMismatch(Exception):
    """A response that botocore's model does not describe."""


def output_shape(service: str, operation: str) -> StructureShape | None:
    if service not in _MODELS:
        _MODELS[service] = _SESSION.get_service_model(service)
    return _MODELS[service].operation_model(operation).output_shape


def validate_output(service: str, operation: str, data: Any) -> list[str]:
    """Problems with ``data`` as the output of ``service:operation`` (empty list: it matches)."""
    shape = output_shape(service, operation)
    if shape is None:
        return [] if data in (None, {}) else [f"{operation} has no output, got {type(data).__name__}"]
    problems: list[str] = []
    _check(shape, data, operation, problems)
    return problems


def _check(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    kind = shape.type_name
    if value is None:
        return  # JSON null is read as "absent" by botocore
    if kind == "structure":
        _check_structure(shape, value, path, problems)  # type: ignore[arg-type]
    elif kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: expected list, got {type(value).__name__}")
            return
        member = shape.member  # type: ignore[attr-defined]
        for i, item in enumerate(value):
            _check(member, item, f"{path}[{i}]", problems)
    elif kind == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected map, got {type(value).__name__}")
            return
        for k, v in value.items():
            _check(shape.key, k, f"{path}.<key>", problems)  # type: ignore[attr-defined]
            _check(shape.value, v, f"{path}[{k!r}]", problems)  # type: ignore[attr-defined]
    else:
        _check_scalar(shape, value, path, problems)


def _check_structure(shape: StructureShape, value: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"{path}: expected structure, got {type(value).__name__}")
        return
    for name in shape.required_members:
        if value.get(name) is None:
            problems.append(f"{path}.{name}: required member missing")
    for name, item in value.items():
        member = shape.members.get(name)
        if member is None:
            problems.append(f"{path}.{name}: not a member of {shape.name}")
            continue
        _check(member, item, f"{path}.{name}", problems)


def _check_scalar(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    kind = shape.type_name
    if kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: expected string, got {type(value).__name__}")
        elif shape.enum and value not in shape.enum:  # type: ignore[attr-defined]
            problems.append(f"{path}: {value!r} not one of {shape.enum}")  # type: ignore[attr-defined]
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{path}: expected {kind}, got {type(value).__name__}")
    elif kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{path}: expected {kind}, got {type(value).__name__}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: expected boolean, got {type(value).__name__}")
    elif kind == "timestamp":
        # JSON protocols send epoch seconds; ISO 8601 strings are parsed too.
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            problems.append(f"{path}: expected timestamp, got {type(value).__name__}")
    elif kind == "blob":
        if not isinstance(value, (str, bytes)):
            problems.append(f"{path}: expected blob, got {type(value).__name__}")


def checked(service: str, operation: str) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Decorate a moto Response method returning a JSON body: raise ShapeMismatch if the body does not match."""

    def decorate(handler: Callable[..., str]) -> Callable[..., str]:
        @functools.wraps(handler)
        def wrapper(*args: Any, **kwargs: Any) -> str:
            body = handler(*args, **kwargs)
            data = json.loads(body) if isinstance(body, (str, bytes)) and body else {}
            problems = validate_output(service, operation, data)
            if problems:
                raise ShapeMismatch(f"{service}:{operation} response does not match botocore's shape: " + "; ".join(problems))
            return body

        wrapper.shape_checked = (service, operation)  # type: ignore[attr-defined]
        return wrapper

    return decorate
