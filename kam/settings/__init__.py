"""One frozen settings object: every weight, threshold and cadence, with its default and meaning.

Each area owns one section module (tiers, health, risk, funnel, cadence); this module composes them, stores them
as versioned JSON rows in settings_versions, and loads the version in force. Saving never edits a version: it adds
one, so history charts can mark when settings changed and scores can be explained against the settings used.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

import duckdb

from kam import db, derived
from kam.settings.cadence import CadenceSettings
from kam.settings.funnel import FunnelSettings
from kam.settings.health import HealthSettings
from kam.settings.risk import RiskSettings
from kam.settings.tiers import TierSettings


@dataclass(frozen=True)
class Settings:
    tiers: TierSettings = field(default_factory=TierSettings)
    health: HealthSettings = field(default_factory=HealthSettings)
    risk: RiskSettings = field(default_factory=RiskSettings)
    funnel: FunnelSettings = field(default_factory=FunnelSettings)
    cadence: CadenceSettings = field(default_factory=CadenceSettings)


def to_dict(settings: Settings) -> dict[str, Any]:
    return dataclasses.asdict(settings)


def from_dict(body: dict[str, Any]) -> Settings:
    """Build settings from stored JSON; unknown keys are ignored, missing ones take their defaults."""
    return _build(Settings, body)


def _build(cls: type, body: Any) -> Any:
    if not dataclasses.is_dataclass(cls) or not isinstance(body, dict):
        return body
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in body:
            kwargs[f.name] = _coerce(f.type, _build(_section_type(cls, f.name), body[f.name]))
    return cls(**kwargs)


def _section_type(cls: type, name: str) -> type | None:
    default = next(f for f in dataclasses.fields(cls) if f.name == name)
    if default.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
        value = default.default_factory()  # type: ignore[misc]
        return type(value) if dataclasses.is_dataclass(value) else None
    return None


def _coerce(annotation: Any, value: Any) -> Any:
    # JSON has no tuples; sections use tuples so that settings stay hashable and immutable.
    if isinstance(value, list):
        return tuple(tuple(v) if isinstance(v, list) else v for v in value)
    return value


def load(con: duckdb.DuckDBPyConnection) -> Settings:
    """The settings version in force (the newest saved), or the defaults when none was saved."""
    body = db.scalar(con, "SELECT body FROM settings_versions ORDER BY version DESC LIMIT 1")
    return Settings() if body is None else from_dict(json.loads(body))


def save(con: duckdb.DuckDBPyConnection, settings: Settings, *, saved_by: str, note: str = "") -> int:
    """Store `settings` as a new version and return its number."""
    with db.transaction(con):
        version = db.scalar(con, "SELECT coalesce(max(version), 0) + 1 FROM settings_versions")
        db.execute(con, "INSERT INTO settings_versions (version, saved_by, note, body) VALUES (?, ?, ?, ?)",
                   [version, saved_by, note, json.dumps(to_dict(settings), ensure_ascii=False)])
        derived.refresh(con, ["settings_versions"])
    return int(version)


def history(con: duckdb.DuckDBPyConnection):
    """Every saved version: version, saved_at, saved_by, note (for marking changes on history charts)."""
    return db.query(con, "SELECT version, saved_at, saved_by, note FROM settings_versions ORDER BY version")


def help_text(section: Any, name: str) -> str:
    """The meaning of a setting, as written beside it (field metadata 'help')."""
    return next(f.metadata.get("help", "") for f in dataclasses.fields(section) if f.name == name)
