"""`python -m kam import` on real-world oddities: an HTML export named .xls imports; a row with an unquoted comma
stops the import naming its row."""
import json

from kam.__main__ import main

ORDERS_HTML = ("<html><head><meta charset='utf-8'></head><body><table>"
               "<tr><td>订单号</td><td>日期</td><td>客户名称</td><td>金额</td></tr>"
               "<tr><td>H0</td><td>2025-03-01</td><td>华为技术有限公司</td><td>100</td></tr>"
               "<tr><td>H1</td><td>2025-03-02</td><td>比亚迪股份有限公司</td><td>1,000.50</td></tr>"
               "</table></body></html>")


def test_an_html_table_saved_as_xls_imports_its_orders(tmp_path, capsys):
    path = tmp_path / "订单导出.xls"
    path.write_text(ORDERS_HTML, encoding="utf-8")
    assert main(["import", str(path), "--db", str(tmp_path / "kam.duckdb"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["tables"]["orders"]["created"] == 2
    assert summary["errors"] == []


def test_a_csv_row_with_an_unquoted_comma_stops_the_import_naming_its_row(tmp_path, capsys):
    path = tmp_path / "orders.csv"
    path.write_text("订单号,日期,客户名称,金额\nW1,2025-03-01,华为,100\nW2,2025-03-02,腾讯,1,234.50\n", encoding="utf-8")
    assert main(["import", str(path), "--db", str(tmp_path / "kam.duckdb"), "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["errors"][0]
    assert (error["file"], error["row"]) == ("orders.csv", 3)
    assert error["reason"].startswith("5 fields where the header has 4: an unquoted comma")
