"""House rules that keep the layers apart."""
import ast
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_domain_package_never_imports_streamlit():
    offenders = [str(p) for p in (ROOT / "kam").rglob("*.py") if "streamlit" in _imports(p)]
    assert offenders == []


def test_every_page_file_is_listed_in_the_navigation():
    import re
    listed = set(re.findall(r'"(pages/[a-z0-9_]+\.py)"', (ROOT / "app.py").read_text(encoding="utf-8")))
    on_disk = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert on_disk == listed


def test_pages_run_no_sql_of_their_own():
    offenders = [p.name for p in (ROOT / "pages").glob("*.py")
                 if "duckdb" in _imports(p) or ".execute(" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_tables_are_drawn_through_ui_tables_so_a_missing_value_shows_as_a_dash():
    files = [*(ROOT / "pages").glob("*.py"), *(ROOT / "ui").rglob("*.py"), ROOT / "app.py"]
    offenders = [p.name for p in files if p.name != "tables.py" and "st.dataframe(" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_ui_tables_shows_missing_values_as_a_dash(monkeypatch):
    import streamlit as st

    from ui import tables
    seen = {}
    monkeypatch.setattr(st, "dataframe", lambda data, **options: seen.update(options))
    tables.dataframe([1, None], hide_index=True)
    assert seen == {"hide_index": True, "placeholder": "—"}
    tables.dataframe([1, None], placeholder="")  # a caller may still choose
    assert seen["placeholder"] == ""
