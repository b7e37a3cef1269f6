"""What each model table accepts from an import: its columns, their kinds, what is required, and its key.

In: nothing (a declaration). Out: `TABLES`, read by mapping (which columns a sheet may fill), validate (how each
column is parsed and what a row needs) and commit (the key that decides create / update / unchanged). Columns
starting with '_' are import-only helpers that never reach the table as such: `_account_name` is resolved to an
account_id, `_cancelled` turns an order line's amount negative, an opportunity's `_stage_date` dates the stage
history row its import adds.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"   # text | id | date | number | money | fraction | rate | integer | bool | stage | channel | status
    required: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]              # columns identifying a row (an id is generated when a sheet has none)
    id_prefix: str = ""               # prefix of generated ids; "" when the key must come from the file
    account_ref: bool = False         # has account_id, resolvable from an account name
    id_from: tuple[str, ...] = ()     # columns a generated id is derived from

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


_ACCOUNT = (Column("account_id", "id"), Column("_account_name"))

TABLES: dict[str, TableSpec] = {spec.name: spec for spec in (
    TableSpec("owners", (Column("name", required=True), Column("manager"), Column("team"), Column("region"),
                         Column("email"), Column("active", "bool")), key=("name",)),
    TableSpec("accounts", (Column("account_id", "id"), Column("name", required=True), Column("industry"),
                           Column("region"), Column("owner"), Column("created_date", "date"),
                           Column("contract_end_date", "date"), Column("strategic", "bool")),
              key=("account_id",), id_prefix="ACC-"),
    TableSpec("contacts", (Column("contact_id", "id"), *_ACCOUNT, Column("name", required=True), Column("role"),
                           Column("phone", "id"), Column("email"), Column("is_key", "bool"),
                           Column("active_from", "date"), Column("active_to", "date"),
                           Column("_first_name"), Column("_last_name")),
              key=("contact_id",), id_prefix="CON-", account_ref=True, id_from=("account_id", "name")),
    TableSpec("orders", (Column("order_id", "id"), Column("line_no", "integer"), *_ACCOUNT,
                         Column("order_date", "date", required=True), Column("amount", "money"),
                         Column("gross_margin", "money"), Column("product"), Column("quantity", "number"),
                         Column("unit_price", "money"), Column("_cancelled"),
                         Column("_margin_rate", "rate")),
              key=("order_id", "line_no"), id_prefix="ORD-", account_ref=True,
              id_from=("account_id", "order_date", "product", "quantity", "amount")),
    TableSpec("payments", (Column("invoice_id", "id", required=True), *_ACCOUNT, Column("invoice_date", "date"),
                           Column("due_date", "date"), Column("amount", "money", required=True),
                           Column("amount_paid", "money"), Column("paid_date", "date")),
              key=("invoice_id",), account_ref=True),
    TableSpec("interactions", (Column("interaction_id", "id"), *_ACCOUNT,
                               Column("interaction_date", "date", required=True),
                               Column("channel", "channel", required=True), Column("owner"), Column("summary"),
                               Column("satisfaction", "number"), Column("nps", "integer")),
              key=("interaction_id",), id_prefix="INT-", account_ref=True,
              id_from=("account_id", "interaction_date", "channel", "summary")),
    TableSpec("opportunities", (Column("opportunity_id", "id"), *_ACCOUNT, Column("name"), Column("owner"),
                                Column("stage", "stage", required=True), Column("amount", "money"),
                                Column("probability", "fraction"), Column("created_date", "date"),
                                Column("expected_close_date", "date"), Column("closed_date", "date"),
                                Column("loss_reason"), Column("_stage_date", "date")),
              key=("opportunity_id",), id_prefix="OPP-", account_ref=True, id_from=("account_id", "name")),
    TableSpec("opportunity_stage_history", (Column("opportunity_id", "id", required=True),
                                            Column("stage", "stage", required=True),
                                            Column("entered_date", "date", required=True)),
              key=("opportunity_id", "stage", "entered_date")),
    TableSpec("follow_ups", (Column("follow_up_id", "integer"), *_ACCOUNT, Column("owner"), Column("due_date", "date"),
                             Column("channel", "channel"), Column("action"), Column("status", "status"),
                             Column("outcome"), Column("next_step"), Column("next_step_date", "date"),
                             Column("warning_rule")),
              key=("account_id", "due_date", "action"), account_ref=True),
)}

# Write order: referenced tables first, so an order's new account exists before the order.
ORDER = ("owners", "accounts", "contacts", "orders", "payments", "interactions", "opportunities",
         "opportunity_stage_history", "follow_ups")

# The editable columns of a follow-up, as recorded in its event log (the follow-ups area reads the same set).
FOLLOW_UP_EDITABLE = ("account_id", "owner", "due_date", "channel", "action", "status", "outcome", "next_step",
                      "next_step_date", "warning_rule")
