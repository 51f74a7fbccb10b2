"""Bot API request parameters and errors.

The Bot API accepts the same parameter as a native JSON value (JSON body) or as a
string (query string, urlencoded or multipart form, where python-telegram-bot
JSON-encodes nested objects), so every getter accepts both spellings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]


class ApiError(Exception):
    """An error answer of the Bot API: ``{"ok": false, "error_code": ..., ...}``."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


@dataclass(frozen=True, slots=True)
class UploadedFile:
    filename: str | None
    content_type: str | None
    data: bytes


class Params:
    def __init__(
        self, values: JSON | None = None, files: dict[str, UploadedFile] | None = None
    ) -> None:
        self.values: JSON = values or {}
        self.files: dict[str, UploadedFile] = files or {}

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def str_(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        raise bad_request(f'field "{name}" must be of type String')

    def int_(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise bad_request(f'field "{name}" must be of type Integer')

    def float_(self, name: str) -> float | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value.strip())
            except ValueError:
                pass
        raise bad_request(f'field "{name}" must be a Number')

    def bool_(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes")
        return bool(value)

    def json_(self, name: str, error: str) -> Any:
        """A nested object or array, decoded when it came as a JSON string."""
        value = self.values.get(name)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(error) from None
        return value

    def obj(self, name: str, error: str) -> JSON | None:
        value = self.json_(name, error)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise bad_request(error)
        return value

    def list_(self, name: str, error: str) -> list[Any] | None:
        value = self.json_(name, error)
        if value is None:
            return None
        if not isinstance(value, list):
            raise bad_request(error)
        return value

    def file(self, name: str) -> UploadedFile | None:
        return self.files.get(name)

    def chat_ref(self) -> int | str | None:
        """chat_id as an int when numeric (the usual case) or an ``@username``."""
        value = self.values.get("chat_id")
        if value is None or value == "":
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        try:
            return int(text)
        except ValueError:
            return text
