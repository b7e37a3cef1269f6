"""Errors a user can act on. Each names where the problem is so the page can show it with st.error."""
from __future__ import annotations


class KamError(Exception):
    """Base class for errors shown to users (never a traceback)."""


class DatabaseError(KamError):
    """A database operation failed; wraps duckdb's own exception with what we were doing."""


class InputError(KamError):
    """Bad input, located: file, sheet, row (1-based as the user sees it) and column when known."""

    def __init__(self, reason: str, *, file: str | None = None, sheet: str | None = None,
                 row: int | None = None, column: str | None = None) -> None:
        self.reason, self.file, self.sheet, self.row, self.column = reason, file, sheet, row, column
        super().__init__(self.where() + reason)

    def where(self) -> str:
        parts = [f"{label} {value}" for label, value in
                 (("file", self.file), ("sheet", self.sheet), ("row", self.row), ("column", self.column))
                 if value is not None]
        return (", ".join(parts) + ": ") if parts else ""


class ConflictError(KamError):
    """Someone else saved the same record first; carries their current values so the user can see them."""

    def __init__(self, message: str, current: dict | None = None) -> None:
        self.current = current or {}
        super().__init__(message)
