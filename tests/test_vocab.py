"""kam.vocab: labels from exports mapped onto canonical values."""
from kam import vocab


def test_chinese_and_english_stage_names_map_to_the_default_stages():
    assert vocab.canonical_stage("方案/报价") == "proposal"
    assert vocab.canonical_stage(" Closed Won ") == "won"
    assert vocab.canonical_stage("商务谈判") == "negotiation"
    assert vocab.canonical_stage("Ｌｅａｄ") == "lead"   # full-width letters


def test_an_unknown_stage_is_none_so_the_caller_can_report_it():
    assert vocab.canonical_stage("需求调研中xyz") is None


def test_configured_stage_names_win_over_synonyms():
    assert vocab.canonical_stage("线索", ("线索", "成交")) == "线索"
    assert vocab.canonical_stage("proposal", ("线索", "成交")) is None


def test_channels_and_statuses():
    assert vocab.canonical_channel("企业微信") == "wechat"
    assert vocab.canonical_channel("客诉") == "complaint"
    assert vocab.canonical_follow_up_status("已完成") == "done"


def test_salesforces_default_stages_map_to_the_default_funnel():
    labels = ["Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers",
              "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost"]
    assert [vocab.canonical_stage(label) for label in labels] == [
        "lead", "qualified", "qualified", "proposal", "qualified", "proposal", "proposal", "negotiation", "won", "lost"]
