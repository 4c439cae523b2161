"""Model objects ↔ plain JSON-ready dicts (for the CLI and for tests).

Dates are written ``yyyy/MM/dd`` and timestamps ``yyyy/MM/dd HH:mm:ss`` as in edXML;
attachment content is summarised (size, SHA-256) by :func:`to_dict` and read from
``content_base64`` or a ``path`` (relative to ``base_dir``) by :func:`from_dict`.
A package dict has ``"kind": "envelope"`` or ``"kind": "status"``.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import types
import typing
from pathlib import Path
from typing import Any

from vanban.edxml import values
from vanban.edxml.errors import EdxmlError
from vanban.edxml.model import Attachment, Envelope, Package, StatusMessage

__all__ = ["to_dict", "from_dict"]

_SKIP = {"signature", "notes"}


def _plain(value: Any, with_content: bool) -> Any:
    if isinstance(value, Attachment):
        d: dict[str, Any] = {
            "content_id": value.content_id,
            "name": value.name,
            "content_type": value.content_type,
            "description": value.description,
            "size": len(value.content),
            "sha256": value.sha256,
        }
        if with_content:
            d["content_base64"] = base64.b64encode(value.content).decode()
        return d
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name), with_content)
            for f in dataclasses.fields(value)
            if f.name not in _SKIP
        }
    if isinstance(value, list):
        return [_plain(v, with_content) for v in value]
    if isinstance(value, dt.datetime):
        return values.format_timestamp(value)
    if isinstance(value, dt.date):
        return values.format_date(value)
    if hasattr(value, "value") and not isinstance(value, (str, int)):
        return value.value
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return str(value.value) if hasattr(value, "value") else value
    return value


def to_dict(pkg: Package, *, with_content: bool = False) -> dict[str, Any]:
    """A JSON-ready dict of ``pkg`` with ``kind`` first."""
    body = _plain(pkg, with_content)
    return {"kind": pkg.kind, **body}


def _bad(where: str, msg: str) -> EdxmlError:
    return EdxmlError(
        f"Dữ liệu JSON không hợp lệ tại “{where}”: {msg}",
        f"Invalid JSON data at '{where}': {msg}",
        code="bad-json",
        location=where,
    )


def _convert(tp: Any, value: Any, where: str, base_dir: Path | None) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            return None
        return _convert(args[0], value, where, base_dir)
    if origin is list:
        if not isinstance(value, list):
            raise _bad(where, "expected a list")
        (item,) = typing.get_args(tp)
        return [_convert(item, v, f"{where}[{i}]", base_dir) for i, v in enumerate(value)]
    if tp is dt.datetime:
        ts, _ = values.read_timestamp(str(value))
        if ts is None:
            raise _bad(where, f"not a timestamp: {value!r}")
        return ts
    if tp is dt.date:
        day, _ = values.read_date(str(value))
        if day is None:
            raise _bad(where, f"not a date: {value!r}")
        return day
    if tp is Attachment:
        return _attachment(value, where, base_dir)
    if dataclasses.is_dataclass(tp):
        return _dataclass(tp, value, where, base_dir)
    if tp is bool:
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)
    if tp is int:
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _bad(where, f"not an integer: {value!r}") from None
    if tp is str:
        return str(value)
    return value


def _attachment(value: Any, where: str, base_dir: Path | None) -> Attachment:
    if not isinstance(value, dict):
        raise _bad(where, "expected an object")
    if "content_base64" in value:
        content = base64.b64decode(value["content_base64"])
    elif "path" in value:
        path = Path(value["path"])
        if base_dir is not None and not path.is_absolute():
            path = base_dir / path
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise _bad(where, str(exc)) from None
    else:
        raise _bad(where, "an attachment needs content_base64 or path")
    return Attachment(
        content_id=values.strip_cid(str(value.get("content_id") or value.get("name", ""))),
        name=str(value.get("name", "")),
        content_type=str(value.get("content_type", "application/octet-stream")),
        content=content,
        description=value.get("description"),
    )


def _dataclass(cls: Any, value: Any, where: str, base_dir: Path | None) -> Any:
    if not isinstance(value, dict):
        raise _bad(where, "expected an object")
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in _SKIP or f.name not in value:
            continue
        kwargs[f.name] = _convert(hints[f.name], value[f.name], f"{where}.{f.name}", base_dir)
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise _bad(where, str(exc)) from None


def from_dict(data: dict[str, Any], *, base_dir: Path | None = None) -> Package:
    """Build an :class:`Envelope` or :class:`StatusMessage` from :func:`to_dict` output."""
    if not isinstance(data, dict):
        raise _bad("$", "expected an object")
    kind = data.get("kind", "status" if "status_code" in data else "envelope")
    cls = StatusMessage if kind == "status" else Envelope
    pkg = _dataclass(cls, {k: v for k, v in data.items() if k != "kind"}, "$", base_dir)
    if isinstance(pkg, StatusMessage):
        pkg.status_code = values.normalise_status_code(pkg.status_code)
    return typing.cast(Package, pkg)
