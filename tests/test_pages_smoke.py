"""Every page renders without an exception on an empty database and on the tiny fixture, in both languages."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def _pages() -> list[str]:
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    pages = next(node.value for node in tree.body if isinstance(node, ast.Assign) and node.targets[0].id == "PAGES")
    return [entry.elts[0].value for entry in pages.elts]


@pytest.mark.parametrize("fixture, lang", [("empty", "zh"), ("tiny", "en")])
def test_every_page_renders(app_test, fixture, lang):
    at = app_test(fixture, lang=lang)
    failures = {}
    for page in _pages():
        at.switch_page(page).run()
        if at.exception:
            failures[page] = at.exception[0].value
        assert at.title or at.info or at.header, page   # every page shows its title or what to do first
    assert failures == {}
