"""Text encodings: which codec an uploaded text file (CSV, TXT, an HTML table) was written in, and its text.

In: the file's bytes. Out: (codec, BOM bytes to skip), or the decoded text; InputError naming the file otherwise.
A BOM or UTF-16's NUL bytes decide at once, and valid UTF-8 is UTF-8. Past that, legacy codecs decode almost any
bytes without error (GBK reads the Windows-1252 bytes of 'Müller' as 'M黮ler'), so each candidate decodes a sample
and the codec whose text is most plausible wins: common GB2312 characters for GBK/GB18030, frequent Big5
characters for Big5, accented letters inside Latin words for Windows-1252, anything but the replacement character
for UTF-8 (a UTF-8 file with a stray byte). Only the sample is decoded per candidate, so a 1M-row file is decoded
once; a byte that does not fit the chosen codec is reported with its line and byte offset.
"""
from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Callable

import pyarrow as pa

from kam.errors import InputError

SAMPLE_BYTES = 64 * 1024          # bytes each candidate codec decodes to be judged: thousands of characters
# Codecs tried on a file that is not valid UTF-8, in order of preference on a tie: the home market's first.
CANDIDATES = ("utf-8", "gb18030", "cp950", "cp1252")
CODEC_NAMES = {"utf-8": "UTF-8", "utf-16": "UTF-16", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",
               "gb18030": "GBK/GB18030", "cp950": "Big5", "cp1252": "Windows-1252 (Western European)"}
# Charset labels as browsers read them (WHATWG): pages labelled gb2312 routinely hold GBK characters.
DECLARED_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "cp950",
                    "iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}
BIG5_FREQUENT_LEAD = 0xC6         # Big5 puts its symbols (A1-A3) and 5,401 frequent characters (A4-C6) first
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_LATIN = "À-ÖØ-öø-ÿŠšŒœŽžŸ"
# A Western accented letter sits inside a word (Müller, Société); CJK bytes read as Windows-1252 come out as runs of
# symbols and letters instead. Typographic quotes, dashes and the euro sign are plausible anywhere.
_WESTERN = re.compile(rf"(?<=[A-Za-z])[{_LATIN}]|[{_LATIN}](?=[A-Za-z])|[€‘’“”–—…]")


def text_encoding(name: str, data: bytes) -> tuple[str, int]:
    """(codec, bytes to skip): a BOM, UTF-16's NUL bytes, valid UTF-8, else the most plausible candidate codec."""
    codec, start = marked_codec(data) or ("utf-8", 0)
    if codec != "utf-8":
        return codec, start
    if is_utf8(memoryview(data)[start:]):
        return codec, start
    if start:  # a UTF-8 BOM, yet a byte that is not UTF-8
        raise _bad_byte(name, data, codec)
    codec = most_plausible(sample(data))
    if codec is None:
        raise InputError("unknown text encoding (tried UTF-8, UTF-16, GBK/GB18030, Big5, Windows-1252)", file=name)
    if codec == "utf-8":  # plausible as UTF-8, yet not valid: say where the bad byte is
        raise _bad_byte(name, data, codec)
    return codec, 0


def marked_codec(data: bytes) -> tuple[str, int] | None:
    """(codec, bytes to skip) when the opening bytes say it: a BOM, or the NUL bytes of BOM-less UTF-16."""
    if data[:3] == b"\xef\xbb\xbf":
        return "utf-8", 3
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16", 0
    if b"\x00" in data[:1000]:
        return ("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"), 0
    return None


def decode(name: str, data: bytes) -> str:
    """The file's text, decoded with the codec text_encoding chooses."""
    return decode_as(name, data, *text_encoding(name, data))


def decode_as(name: str, data: bytes, codec: str, start: int = 0) -> str:
    """The text from byte `start` on, decoded once; a byte that does not fit the codec is located."""
    try:
        return data[start:].decode(codec)
    except UnicodeDecodeError as exc:
        raise _bad_byte(name, data, codec, start + exc.start) from exc


def decode_declared(name: str, data: bytes, declared: str | None) -> str:
    """Markup's text: by its BOM, else by the charset it declares if that decodes it, else as detected. Labels are
    read as browsers read them (gb2312 means GBK, iso-8859-1 means Windows-1252)."""
    codec = DECLARED_ALIASES.get((declared or "").lower(), declared)
    if codec and marked_codec(data) is None:
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            pass  # an unknown label, or a page that is not what it says: judged like any text file
    return decode(name, data)


def is_utf8(data: bytes | memoryview) -> bool:
    """Whether the bytes are valid UTF-8: Arrow's validator (a binary -> string cast, no copy of the text) runs 5-10x
    faster than bytes.decode, which would build the whole str only to throw it away."""
    offsets = pa.array([0, len(data)], pa.int64()).buffers()[1]
    whole = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        whole.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def sample(data: bytes) -> bytes:
    """Up to SAMPLE_BYTES from the start of the first line holding a non-ASCII byte: ASCII tells no codec apart."""
    first = _HIGH_BYTE.search(data)
    start = data.rfind(b"\n", 0, first.start()) + 1 if first else 0
    return data[start:start + SAMPLE_BYTES]


def most_plausible(chunk: bytes) -> str | None:
    """The candidate codec whose decoding of `chunk` is most plausible (the earlier on a tie); None if none is."""
    scores = {}
    for codec in CANDIDATES:
        text = _decoded(chunk, codec)
        if text is not None:
            scores[codec] = plausibility(text, codec)
    best = max(scores, key=scores.get, default=None)
    return best if best is not None and scores[best] > 0 else None


def plausibility(text: str, codec: str) -> float:
    """Share of the non-ASCII characters of `text` that a real file written in `codec` would likely hold."""
    found = Counter(_NON_ASCII.findall(text))
    total = sum(found.values())
    if not total:
        return 0.0
    if codec == "cp1252":  # judged by its neighbours, not by the character alone
        return len(_WESTERN.findall(text)) / total
    likely = _LIKELY[codec]
    return sum(count for char, count in found.items() if likely(char)) / total


def _decoded(chunk: bytes, codec: str) -> str | None:
    """The chunk as text, None if it does not decode; a character cut at the chunk's end is not an error."""
    errors = "replace" if codec == "utf-8" else "strict"  # a UTF-8 file with a stray byte is still UTF-8
    try:
        return codecs.getincrementaldecoder(codec)(errors).decode(chunk, final=False)
    except UnicodeDecodeError:
        return None


def _in_gb2312(char: str) -> bool:
    """GB2312 holds the 6,763 common simplified characters and full-width punctuation; GBK's other 14,000 are rare."""
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _frequent_big5(char: str) -> bool:
    """Big5's symbols and 5,401 frequent characters; its 7,652 others (lead bytes C9-F9) are rare in business text."""
    try:
        code = char.encode("cp950")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and code[0] <= BIG5_FREQUENT_LEAD


_LIKELY: dict[str, Callable[[str], bool]] = {
    "utf-8": lambda char: char != "\ufffd", "gb18030": _in_gb2312, "cp950": _frequent_big5}


def _bad_byte(name: str, data: bytes, codec: str, offset: int | None = None) -> InputError:
    """An InputError naming the line and byte offset (0-based, as hex editors show it) of the first bad byte."""
    if offset is None:
        try:
            data.decode(codec)
        except UnicodeDecodeError as exc:
            offset = exc.start
    offset = offset or 0
    line = (data.count(b"\n", 0, offset) or data.count(b"\r", 0, offset)) + 1  # \r alone: old Mac line ends
    label = CODEC_NAMES.get(codec, codec)
    return InputError(f"line {line}, byte offset {offset}: byte 0x{data[offset:offset + 1].hex().upper()} is not "
                      f"valid {label}, the encoding the rest of the file reads as; save the file again as UTF-8 "
                      "or correct that character", file=name)
