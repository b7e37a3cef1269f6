"""Messy export files for the ingest tests, built in code so every quirk is visible here.

Each function returns (file name, bytes). Expected values in the tests are computed by hand from these rows.
"""
from __future__ import annotations

import datetime as dt
import io

import openpyxl


def _save(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def messy_workbook() -> tuple[str, bytes]:
    """A Chinese ERP/CRM export: accounts, orders (title, unit line, header on row 3, 合计, 注), opportunities,
    follow-ups, a product list, an empty sheet and a hidden sheet."""
    book = openpyxl.Workbook()
    accounts = book.active
    accounts.title = "客户档案"
    accounts.append(["客户编号", "客户名称 ", "所属行业", "区域", "负责人", "是否战略客户"])
    accounts.append(["A001", "华为技术有限公司", "通信", "华东", "张伟", "是"])   # exists in tiny: unchanged fields
    accounts.append(["A009", "  宁德时代  ", "新能源", "华南", "张伟", "否"])     # new
    orders = book.create_sheet("销售订单")
    orders["A1"] = "2025年销售订单明细"
    orders.merge_cells("A1:F1")
    orders["A2"] = "单位：万元"
    orders.append(["订单号", "客户名称", "订单日期", "产品", "数量", "金额"])
    orders.append(["SO-100", "华为技术", "2025年3月1日", "Router", "２", "１.５"])        # row 4: 15,000
    orders.append(["SO-101", "宁德时代", dt.date(2025, 3, 2), "Cell", "10", "¥2.5"])    # row 5: 25,000
    orders.append([None, None, None, None, None, None])                                 # row 6: blank
    orders.append(["SO-102", "Acme Corp", 45717, "Valve", "-1", "0.4"])                 # row 7: return, serial date
    orders.append(["SO-103", "华为技术", "not a date", "Router", "1", "1"])              # row 8: rejected
    orders.append(["合计", None, None, None, None, "5.4"])                               # row 9: total
    orders.append(["注：数据来自ERP导出"])                                                # row 10: note
    deals = book.create_sheet("商机")
    deals.append(["商机编号", "客户", "商机名称", "阶段", "预计金额", "赢率"])
    deals.append(["OP1", "华为技术", "5G 核心网扩容", "商务谈判", "500,000", "75%"])     # update of tiny OP1
    deals.append(["OP7", "Acme Corp", "Pumps", "Proposal", "$80,000", "0.5"])         # new
    deals.append(["OP8", "Acme Corp", "Mystery", "Stage X", "1000", ""])               # unknown stage
    tasks = book.create_sheet("跟进计划")
    tasks.append(["客户", "跟进事项", "截止日期", "状态", "跟进方式"])
    tasks.append(["宁德时代", "季度回访", "2026/7/1", "待办", "拜访"])
    products = book.create_sheet("产品清单")
    products.append(["产品编号", "产品名称", "规格", "单价"])
    products.append(["P1", "Router", "1U", "10000"])
    book.create_sheet("空白")
    hidden = book.create_sheet("lookup")
    hidden.append(["客户名称", "区域"])
    hidden.append(["X", "Y"])
    hidden.sheet_state = "hidden"
    return "客户导出.xlsx", _save(book)


def orders_csv(encoding: str = "utf-8", delimiter: str = ",") -> tuple[str, bytes]:
    """An English order-line export: quantity x unit price, no amount, one cancelled line."""
    rows = [["Order No", "Customer", "Order Date", "Item", "Qty", "Unit Price", "Status"],
            ["INV-1", "Acme Corp", "2025-03-01", "Valve", "3", '"1,000.50"', "Posted"],
            ["INV-2", "Acme Corp", "2025/3/5 10:30", "Pump", "1", "2000", "Cancelled"],
            ["Total", "", "", "", "4", "", ""]]
    text = "\n".join(delimiter.join(row) for row in rows) + "\n"
    return f"orders_{encoding}.csv", text.encode(encoding)


def single_sheet(rows: list[list], title: str = "Sheet1") -> tuple[str, bytes]:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return f"{title}.xlsx", _save(book)
