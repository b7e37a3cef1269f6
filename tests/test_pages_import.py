"""AppTest of the Import page: upload, read, map, preview, commit, history, undo."""
from tests.ingest_samples import orders_csv

PAGE = "pages/import_data.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _uploaded(app_test, **state):
    at = app_test("tiny", "en", **state)
    at.switch_page(PAGE).run()
    name, data = orders_csv()
    at.file_uploader(key="imp_files").upload(name, data, "text/csv").run()
    at.button(key="imp_read").click().run()
    return at


def test_reading_a_file_proposes_the_table_and_column_mapping(app_test):
    at = _uploaded(app_test)
    assert not at.exception
    assert at.selectbox(key="imp_t_1_0").value == "orders"
    assert at.selectbox(key="imp_c_1_0_orders_1").value == "_account_name"
    assert at.selectbox(key="imp_c_1_0_orders_1").label == "Customer · 100%"


def test_the_preview_shows_counts_and_nothing_is_written_until_commit(app_test):
    at = _uploaded(app_test, user="amy")
    at.button(key="imp_do_preview").click().run()
    counts = at.dataframe[0].value
    assert counts.loc["Orders", ["read", "created", "skipped"]].tolist() == [2, 2, 1]
    assert "Errors (0)" in [s.value for s in at.subheader]
    at.button(key="imp_commit").click().run()
    assert not at.exception
    assert at.success[0].value == "Imported (batch 1): 2 rows created, 0 updated."
    assert at.button(key="imp_undo_1").label == "Undo"


def test_commit_needs_a_user_name(app_test):
    at = _uploaded(app_test)
    at.button(key="imp_do_preview").click().run()
    assert at.button(key="imp_commit").disabled
    assert at.warning[0].value.startswith("Enter your name in the sidebar first")


def test_undo_from_the_history_takes_the_import_back(app_test):
    at = _uploaded(app_test, user="amy")
    at.button(key="imp_do_preview").click().run()
    at.button(key="imp_commit").click().run()
    at.button(key="imp_undo_1").click().run()
    assert at.success[0].value == "Batch 1 undone: the data is as it was before."
    assert [b.key for b in at.button if b.key.startswith("imp_undo_")] == []  # an undone batch has no button


def test_changing_a_column_makes_the_preview_stale(app_test):
    at = _uploaded(app_test)
    at.button(key="imp_do_preview").click().run()
    at.selectbox(key="imp_c_1_0_orders_3").select_index(0).run()
    assert at.info[0].value == "The mapping changed: preview again."


def test_the_page_reads_in_chinese(app_test):
    at = app_test("tiny", "zh")
    at.switch_page(PAGE).run()
    assert at.title[0].value == "数据导入"
    assert not at.exception


def test_a_sqlite_file_lists_its_tables_to_pick_from(app_test):
    import sqlite3
    lite = sqlite3.connect(":memory:")
    lite.execute("CREATE TABLE orders (customer TEXT, order_date TEXT, amount REAL)")
    lite.execute("INSERT INTO orders VALUES ('Acme Corp', '2025-03-01', 5)")
    lite.execute("CREATE TABLE junk (x INT)")
    lite.commit()
    at = app_test("tiny", "en")
    at.switch_page(PAGE).run()
    at.file_uploader(key="imp_files").upload("crm.db", lite.serialize(), "application/octet-stream").run()
    picker = at.multiselect[0]
    assert (picker.label, picker.value) == ("crm.db: tables to import", ["junk", "orders"])
    picker.set_value(["orders"]).run()
    at.button(key="imp_read").click().run()
    assert at.selectbox(key="imp_t_1_0").value == "orders"
    assert [e.label for e in at.expander][1:] == ["crm.db / orders"]


def test_error_reasons_read_in_chinese_on_the_chinese_page(app_test):
    at = app_test("tiny", "zh")
    at.switch_page(PAGE).run()
    data = "客户名称,订单日期,金额\nAcme Corp,下周,5\nAcme Corp,2025-03-01,6\n".encode("gbk")
    at.file_uploader(key="imp_files").upload("订单.csv", data, "text/csv").run()
    at.button(key="imp_read").click().run()
    at.button(key="imp_do_preview").click().run()
    errors = at.dataframe[1].value
    assert errors[["row", "column", "value", "reason"]].values.tolist() == [[2, "订单日期", "下周", "不是日期"]]


def test_an_unreadable_upload_shows_an_error_naming_the_file_not_a_traceback(app_test):
    at = app_test("tiny", "en")
    at.switch_page(PAGE).run()
    at.file_uploader(key="imp_files").upload("broken.xlsx", b"PK\x03\x04 truncated", XLSX).run()
    at.button(key="imp_read").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("file broken.xlsx: cannot read the file as xlsx")


def test_the_page_offers_a_template_per_table(app_test):
    at = app_test("tiny", "en")
    at.switch_page(PAGE).run()
    assert at.expander[0].label == "Import templates (Chinese and English headers)"
    assert not at.exception
