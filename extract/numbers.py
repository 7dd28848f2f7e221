"""Numbers as written in legal texts: Chinese numerals (一…九十九…一百零三), full-width and ASCII digits."""
from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def parse_number(written: str) -> int | None:
    """第四十二 → 42, 一百零三 → 103, 二〇二四 → 2024, ４２ → 42; None when it is not a number."""
    if written.isdecimal():
        return int(written)  # int() reads full-width digits too
    if not written or any(char not in DIGITS and char not in UNITS for char in written):
        return None
    if not any(char in UNITS for char in written):
        return int("".join(str(DIGITS[char]) for char in written))  # digit by digit: 二〇二四
    total, pending = 0, 0
    for char in written:
        if char in DIGITS:
            pending = DIGITS[char]
        else:
            total += (pending or 1) * UNITS[char]  # 十二: a bare unit counts once
            pending = 0
    return total + pending
