"""Spoken numbers to digits: "one oh one point five" -> "101.5", "five five five" -> "555".

ASR often writes numbers as words. Temperatures, ages, days and phone numbers are read from the
digit form, so every number-word run is rewritten first. A run of single digits is read digit by
digit (phone numbers, "one oh one"); anything else is read as a cardinal ("a hundred and one").
"""

from __future__ import annotations

import re
from functools import lru_cache

UNITS = {"zero": 0, "oh": 0, "o": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
         "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
         "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
SPANISH = {"cero": 0, "uno": 1, "un": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
           "ocho": 8, "nueve": 9}
NUMBER_WORDS = set(UNITS) | set(TENS) | {"hundred"} | set(SPANISH)
_TOKEN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)?|\d+(?:\.\d+)?|[^\sA-Za-z\d]+|\s+")


def _value(word: str) -> int | None:
    word = word.lower()
    return UNITS.get(word, TENS.get(word, SPANISH.get(word)))


def _read_integer(words: list[str]) -> str:
    values = [_value(w) for w in words if w.lower() != "hundred" and w.lower() != "a" and w.lower() != "and"]
    lowered = [w.lower() for w in words]
    if "hundred" not in lowered and len(words) >= 2 and all(v is not None and v < 10 for v in values) \
            and len(values) == len(words):
        return "".join(str(v) for v in values)  # digit by digit
    current = 0
    for w in lowered:
        if w in ("a", "and"):
            continue
        if w == "hundred":
            current = max(current, 1) * 100
            continue
        v = _value(w)
        if v is None:
            continue
        if current == 0:
            current = v
        elif current >= 100 and current % 100 == 0 or current >= 20 and current % 10 == 0 and v < 10:
            current += v  # "a hundred and one", "twenty one"
        else:
            current = int(f"{current}{v}")  # "nineteen ninety", "one twenty three"
    return str(current)


def _split_hyphens(word: str) -> list[str]:
    return word.split("-") if "-" in word and all(p.lower() in NUMBER_WORDS for p in word.split("-")) else [word]


@lru_cache(maxsize=64)  # facts and extraction both read the same message
def spoken_to_digits(text: str) -> str:
    """Rewrite runs of number words as digits; other text is unchanged (offsets may shift)."""
    tokens = _TOKEN.findall(text)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        parts = _split_hyphens(tok)
        if parts[0].lower() in NUMBER_WORDS or (tok.lower() == "a" and _next_word(tokens, i) == "hundred"):
            run, j = list(parts), i + 1
            decimal: list[str] = []
            while j < len(tokens):
                if tokens[j].isspace():
                    j += 1
                    continue
                nxt = tokens[j].lower()
                sub = _split_hyphens(tokens[j])
                if sub[0].lower() in NUMBER_WORDS or (nxt == "and" and _next_word(tokens, j) in NUMBER_WORDS):
                    (decimal if decimal or (run and run[-1] == "point") else run).extend(sub)
                    j += 1
                elif nxt in ("point", "punto") and _next_word(tokens, j) in NUMBER_WORDS:
                    run.append("point")
                    j += 1
                else:
                    break
            if "point" in run:
                idx = run.index("point")
                integer, decimal = run[:idx], run[idx + 1:] + decimal
            else:
                integer = run
            if len(integer) == 1 and integer[0].lower() in ("o", "oh", "a", "uno") and not decimal:
                out.append(tok)
                i += 1
                continue
            digits = _read_integer(integer) if integer else "0"
            if decimal:
                digits += "." + "".join(str(_value(w) or 0) for w in decimal if _value(w) is not None)
            out.append(digits)
            # keep the whitespace that followed the run
            k = j - 1
            while k > i and tokens[k].isspace():
                k -= 1
            if j - 1 > k:
                out.append(" ")
            i = j
            continue
        out.append(tok)
        i += 1
    return "".join(out)


def _next_word(tokens: list[str], i: int) -> str:
    for tok in tokens[i + 1:]:
        if not tok.isspace():
            return tok.lower()
    return ""
