"""UI strings of the frame, the accounts list and Account 360. key -> (中文, English)."""
STRINGS: dict[str, tuple[str, str]] = {
    "app.title": ("关键客户管理", "Key Account Management"),
    "section.insights": ("洞察", "Insights"),
    "section.accounts": ("客户", "Accounts"),
    "section.data": ("数据与设置", "Data & settings"),
    "sidebar.user": ("我的名字", "Your name"),
    "sidebar.user_placeholder": ("用于记录修改人", "recorded on every change"),
    "sidebar.as_of": ("截至日期", "As of"),
    "sidebar.regions": ("区域", "Region"),
    "sidebar.owners": ("负责人", "Owner"),
    "sidebar.industries": ("行业", "Industry"),
    "page.accounts": ("客户列表", "Accounts"),
    "page.account_360": ("客户 360", "Account 360"),
}
STRINGS.update({
    "accounts.search": ("搜索客户名称或编号", "Search by account name or id"),
    "accounts.count": ("共 {n} 个客户", "{n} accounts"),
    "col.account_id": ("客户编号", "Account id"),
    "col.name": ("客户名称", "Account"),
    "col.industry": ("行业", "Industry"),
    "col.region": ("区域", "Region"),
    "col.owner": ("负责人", "Owner"),
    "col.revenue_12m": ("近12个月收入", "Revenue, last 12 months"),
    "col.last_order_date": ("最近下单", "Last order"),
    "col.open_pipeline": ("在手商机金额", "Open pipeline"),
    "col.contract_end_date": ("合同到期", "Contract ends"),
})
