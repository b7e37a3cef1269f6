"""Command line: `python -m kam <command> ...`.

Each command is a module in kam/cli exposing `add_arguments(parser)` and `run(args) -> int` (the exit code).
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from kam import allocator

# command -> (module in kam.cli, one-line help)
COMMANDS = {
    "demo": ("demo", "build the demo company into a database"),
    "import": ("import_files", "import CRM/ERP exports (Excel, CSV, Parquet, SQLite, DuckDB)"),
    "score": ("score", "print tiers, health and warnings"),
    "funnel": ("funnel", "print funnel metrics"),
    "followups": ("followups", "list follow-ups"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kam", description="kam key-account management")
    sub = parser.add_subparsers(dest="command", required=True)
    for command, (module, help_text) in COMMANDS.items():
        cli = importlib.import_module(f"kam.cli.{module}")
        cli.add_arguments(sub.add_parser(command, help=help_text, description=help_text))
        sub.choices[command].set_defaults(run=cli.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    allocator.keep_freed_memory()  # as the app does (kam.allocator)
    return int(args.run(args))


def run_piped(argv: list[str] | None = None) -> int:
    """`main`, quiet when the reader of stdout stops early (`... --json | head`): no traceback for that."""
    try:
        code = main(argv)
        sys.stdout.flush()  # inside the try: a closed pipe surfaces here, not at interpreter exit
        return code
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit flush has nowhere to fail
        return 141  # 128 + SIGPIPE, as a shell reports a command that a closed pipe stopped


if __name__ == "__main__":
    sys.exit(run_piped())
