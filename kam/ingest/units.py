"""Money units that headers and unit lines declare -> the factor into base currency units.

In: one header ('金额（万美元）', 'Revenue ($000s)') or one line above a header ('单位：千美元'). Out: the factor
(1e4, 1e3, 1e3), 1.0 for a currency alone ('(USD)', '（元）'), or None when the text declares no money unit.
A magnitude counts only where a money unit can stand: at the end of a bracket or unit line and not glued to a
word or number, so '(kg)', '(km)', '(%)' and '(21000)' declare nothing. A lone letter (k, m) counts only beside a
currency ('$K', 'USD m', 'EUR k'): '(m)' on its own is as likely metres.
"""
from __future__ import annotations

import re
import unicodedata

# Magnitude words -> factor. Spelled-out tens of thousands are listed so that '(ten thousand yuan)', the
# translation of 万元, does not read as thousands.
MAGNITUDES: dict[str, float] = {
    "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3,
    "ten thousand": 1e4, "ten thousands": 1e4, "10000": 1e4, "10,000": 1e4,
    "thousand": 1e3, "thousands": 1e3, "1000": 1e3, "1,000": 1e3, "000": 1e3, "000s": 1e3,
    "million": 1e6, "millions": 1e6, "mn": 1e6, "billion": 1e9, "billions": 1e9, "bn": 1e9,
}
LETTERS: dict[str, float] = {"k": 1e3, "m": 1e6}   # only beside a currency

_CURRENCY = (r"(?:us\$|[$€£¥]|usd|rmb|cny|eur|euros?|gbp|jpy|hkd|dollars?|yuan|"
             r"人民币|美元|欧元|英镑|日元|港币|港元|元)")
_WORD = "|".join(re.escape(word) for word in sorted(MAGNITUDES, key=len, reverse=True))  # longest first
_EDGE = r"(?:^|(?<=[^a-z0-9,.]))"   # the unit starts the text or follows a separator, never a letter or digit
_UNIT = re.compile(
    rf"{_EDGE}(?:in )?(?:{_CURRENCY} ?(?:in )?)?(?P<word>{_WORD})(?: of)? ?{_CURRENCY}?$"   # 万美元, in thousands of USD
    rf"|{_EDGE}(?:{_CURRENCY} ?(?P<after>[km])|(?P<before>[km]) ?{_CURRENCY})$"            # $K, USD m, k USD
    rf"|^(?P<alone>k)$"                                                                      # (k)
    rf"|{_EDGE}{_CURRENCY}$")                                                                # (USD), (元)
_BRACKETED = re.compile(r"[(\[（【]([^)\]）】]*)[)\]）】]")


def unit_factor(text: str) -> float | None:
    """The money unit a header or unit line declares ('金额（万元）', '单位：千美元', 'Amount (in thousands)')."""
    folded = _fold(text)
    candidates = _BRACKETED.findall(folded)
    if not candidates and ("单位" in folded or "unit" in folded):  # a unit line: 单位：万元 / Unit: thousands
        candidates = [re.split(r"单位|units?", folded)[-1].lstrip(": ")]
    for candidate in candidates:
        found = _UNIT.search(candidate.strip())
        if found:
            magnitude = found["word"] or found["after"] or found["before"] or found["alone"]
            return MAGNITUDES.get(magnitude) or LETTERS.get(magnitude) or 1.0
    return None


def _fold(text: str) -> str:
    """NFKC (full-width brackets and colons), lower case, apostrophes dropped ('000 and 000's are 000 and 000s)
    and runs of whitespace made one space, which keeps words apart ('k usd' but not 'kg')."""
    folded = unicodedata.normalize("NFKC", str(text)).lower()
    return re.sub(r"\s+", " ", re.sub(r"['’]", "", folded))


def strip_units(header: str) -> str:
    """A header without its bracketed unit: '金额（万元）' -> '金额'."""
    return _BRACKETED.sub("", str(header)).strip()
