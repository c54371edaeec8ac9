"""Telegram ids never reach the database in clear: they are replaced by a keyed hash (HMAC-SHA256).

A keyed hash (not a plain hash) because the id space is small enough to enumerate; without the key a leaked
database cannot be joined back to Telegram accounts.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

log = logging.getLogger(__name__)

KEY_FILE = "pseudonym.key"


class Pseudonymizer:
    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("pseudonym key must be at least 16 bytes")
        self._key = key

    def __call__(self, telegram_id: int) -> str:
        return hmac.new(self._key, str(int(telegram_id)).encode(), hashlib.sha256).hexdigest()

    @classmethod
    def from_settings(cls, key: str | None, data_dir: Path) -> Pseudonymizer:
        if key:
            return cls(key.encode())
        return cls(load_or_create_key(data_dir))


def load_or_create_key(data_dir: Path) -> bytes:
    path = data_dir / KEY_FILE
    if path.exists():
        return path.read_text().strip().encode()
    log.warning(
        "PSEUDONYM_KEY is not set: generated a random key in %s. Back it up; losing it unlinks stored data "
        "from the people it belongs to.",
        path,
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value.encode()
