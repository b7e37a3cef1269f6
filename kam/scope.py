"""The shared filters every page applies (region, owner, industry), as a value kam functions accept.

`account_filter` turns a Scope into a SQL condition on an accounts alias with bound parameters, so metric
modules can add `AND <condition>` to their own queries without building SQL from values.
"""
from __future__ import annotations

from dataclasses import dataclass

from kam.db import quote_ident


@dataclass(frozen=True)
class Scope:
    regions: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()

    def is_everything(self) -> bool:
        return not (self.regions or self.owners or self.industries)


def account_filter(scope: Scope, alias: str = "a") -> tuple[str, list[str]]:
    """SQL condition (always valid, 'TRUE' when unfiltered) and its parameters for accounts aliased `alias`."""
    clauses, params = ["TRUE"], []
    for column, values in (("region", scope.regions), ("owner", scope.owners), ("industry", scope.industries)):
        if values:
            clauses.append(f"{quote_ident(alias)}.{quote_ident(column)} IN ({', '.join('?' * len(values))})")
            params.extend(values)
    return " AND ".join(clauses), params
