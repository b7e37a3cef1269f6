"""Encodings: the most plausible codec wins over the first that decodes; a byte that fits none is located."""
import pytest

from kam.errors import InputError
from kam.ingest import encodings, readers

WESTERN = "Customer,Amount\nMüller GmbH,100\nLindström AB,50\n"
TAIWAN = "客戶名稱,金額\n台灣積體電路製造股份有限公司,100\n鴻海精密工業,200\n"


def test_a_windows_1252_file_that_gbk_also_decodes_reads_as_western_letters():
    data = WESTERN.encode("cp1252")
    assert "M黮ler" in data.decode("gbk")  # the trap: GBK decodes these bytes without an error
    assert encodings.text_encoding("x.csv", data) == ("cp1252", 0)
    assert encodings.decode("x.csv", data) == WESTERN


def test_a_big5_file_reads_as_traditional_chinese():
    data = TAIWAN.encode("cp950")
    assert encodings.text_encoding("x.csv", data) == ("cp950", 0)
    assert readers.read_file("x.csv", data)[0].grid.iat[1, 0] == "台灣積體電路製造股份有限公司"


@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_gbk_and_gb18030_files_still_read_as_gb18030(codec):
    data = "客户名称,金额\n华为技术,1\n".encode(codec)
    assert encodings.text_encoding("x.csv", data) == ("gb18030", 0)


@pytest.mark.parametrize("data, expected", [
    ("a,b\n".encode("utf-8-sig"), ("utf-8", 3)),
    ("客户".encode("utf-16"), ("utf-16", 0)),
    ("客户".encode(), ("utf-8", 0)),
])
def test_a_bom_or_valid_utf8_decides_at_once(data, expected):
    assert encodings.text_encoding("x.csv", data) == expected


@pytest.mark.parametrize("text, codec, share", [
    ("Müller GmbH", "cp1252", 1.0),           # ü between Latin letters
    ("»ªÎª,1", "cp1252", 0.0),                # GBK's 华为 read as Windows-1252: a run of symbols
    ("Société Générale", "cp1252", 1.0),
    ("M黮ler", "gb18030", 0.0),               # 黮 is outside GB2312's common characters
    ("华为黮", "gb18030", 2 / 3),
    ("台灣鰉", "cp950", 2 / 3),                # 鰉 is a Big5 level-2 (rare) character
    ("caf\ufffd 华为", "utf-8", 2 / 3),        # the replacement character is what a stray byte decodes to
    ("plain ASCII", "gb18030", 0.0),
])
def test_plausibility_is_the_share_of_likely_non_ascii_characters(text, codec, share):
    assert encodings.plausibility(text, codec) == pytest.approx(share)


@pytest.mark.parametrize("bom, offset", [(b"", 34), (b"\xef\xbb\xbf", 37)])
def test_a_utf8_file_with_one_stray_byte_is_refused_naming_its_line_and_byte_offset(bom, offset):
    # 客户,备注\n = 6+1+6+1 = 14 bytes; 华为,ok\n = 6+4 -> 24; 腾讯,caf = 6+4 -> the stray byte at 34 (+3 for a BOM)
    data = bom + "客户,备注\n华为,ok\n腾讯,caf".encode() + b"\xe9\n"
    with pytest.raises(InputError) as caught:
        readers.read_file("x.csv", data)
    assert caught.value.reason.startswith(f"line 3, byte offset {offset}: byte 0xE9 is not valid UTF-8")


def test_a_bad_byte_past_the_sample_is_located_when_the_whole_file_is_decoded(monkeypatch):
    # GBK: 客户,金额\n = 4+1+4+1 = 10 bytes; 华为,1\n = 4+3 -> 17 bytes, the sample; x at 17, 0xFF at 18
    monkeypatch.setattr(encodings, "SAMPLE_BYTES", 17)
    data = "客户,金额\n华为,1\n".encode("gbk") + b"x\xff,2\n"
    with pytest.raises(InputError, match="line 3, byte offset 18: byte 0xFF is not valid GBK/GB18030"):
        readers.read_file("x.csv", data)


def test_bytes_no_candidate_reads_plausibly_are_an_unknown_encoding():
    with pytest.raises(InputError, match="unknown text encoding"):
        encodings.text_encoding("x.csv", b"a,b\n\x81\x8d\x8f,1\n")
