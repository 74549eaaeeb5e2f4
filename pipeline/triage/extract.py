"""Pull callback details out of a transcript: numbers, date of birth, names, medications and days
since a procedure. Pure functions of the text (and of facts already read)."""

from __future__ import annotations

import re
from datetime import date

import phonenumbers

from ..records import Extraction
from .facts import Facts
from .medications import MedicationHit
from .numbers import spoken_to_digits
from .ruleset import FactVocabulary

DEFAULT_REGION = "US"
_PHONE = re.compile(r"(?<![\d/])(?:\+?1[\s.,-]*)?\(?\d{3}\)?[\s.,-]*\d{3}[\s.,-]*\d{4}(?![\d/])")
MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS.update({"sept": 9, "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
               "agosto": 8, "septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12})
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
            "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
            "twentieth": 20, "thirtieth": 30, "thirty-first": 31}
_ORD = re.compile(r"\b(twenty|thirty)[ -](first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)\b|\b(" +
                  "|".join(sorted(ORDINALS, key=len, reverse=True)) + r")\b", re.I)
_DOB_CUE = re.compile(r"\b(date of birth|birth ?date|birthday|born on|born|d\.?o\.?b\.?|fecha de nacimiento)\b"
                      r"(\s+(is|was|of))?[\s:,-]*", re.I)
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_FORMS = [
    re.compile(rf"^(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+|de\s+)?(?P<m>{_MONTH_NAMES})\.?,?\s+(?:de\s+)?"
               r"(?P<y>\d{4}|\d{2})\b", re.I),
    re.compile(rf"^(?P<m>{_MONTH_NAMES})\.?\s+(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}}|\d{{2}})\b",
               re.I),
    re.compile(r"^(?P<m>\d{1,2})\s*[/.\- ]\s*(?P<d>\d{1,2})\s*[/.\- ]\s*(?P<y>\d{4}|\d{2})\b"),
]
_NAME_CUE = re.compile(r"\b(?:this is|my name is|it'?s|it is|name'?s|habla|me llamo|soy)\s+", re.I)
_CALLING_AFTER = re.compile(r"\b([A-Z][a-z'-]+(?: [A-Z][a-z'-]+){0,2}) (?:calling|here)\b")
RELATIVES = r"(?:mother|mom|father|dad|son|daughter|husband|wife|baby|child|kid|grandmother|grandma|grandfather|" \
            r"grandpa|brother|sister|aunt|uncle|partner|patient|mamá|papá|hijo|hija|esposo|esposa)"
_PATIENT = [
    re.compile(rf"\bmy\s+{RELATIVES},?\s+(?P<name>[A-Z][a-z'-]+(?: [A-Z][a-z'-]+)?)"),
    re.compile(r"\b(?:calling (?:for|about|on behalf of)|patient(?:'s)? name is|patient is|for patient)\s+"
               r"(?P<name>[A-Z][a-z'-]+(?: [A-Z][a-z'-]+)?)"),
]
NOT_NAMES = {"the", "a", "an", "calling", "just", "so", "um", "uh", "hi", "hello", "about", "your", "my", "from",
             "with",
             "dr", "doctor", "nurse", "office", "lab", "pharmacy", "hospital", "i", "me", "we", "again", "regarding",
             "for", "in", "on", "at", "not", "really", "very", "been", "urgent", "mike", "gonna"}
FUNCTION_WORDS = {"the", "a", "an", "and", "i", "is", "it", "this", "calling", "from", "about", "of", "to", "my",
                  "again", "for", "with", "at", "on", "in", "here", "just", "um", "uh", "birthday", "date", "born",
                  "please", "call", "me", "back", "thanks", "thank", "you", "number", "regarding", "patient",
                  "that", "so", "but", "be", "was", "really", "not", "going", "having", "getting", "feeling", "very"}


def callback_numbers(text: str, region: str = DEFAULT_REGION) -> list[str]:
    """Phone numbers said or written in the message, as E.164 (+15552120199), in order, no repeats."""
    out: list[str] = []
    for m in _PHONE.finditer(spoken_to_digits(text)):
        try:
            number = phonenumbers.parse(re.sub(r"[^\d+]", "", m.group(0)), region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            if e164 not in out:
                out.append(e164)
    return out


def _ordinals_to_digits(text: str) -> str:
    def repl(m: re.Match) -> str:
        if m.group(1):
            return str({"twenty": 20, "thirty": 30}[m.group(1).lower()] + ORDINALS[m.group(2).lower()])
        return str(ORDINALS[m.group(3).lower()])
    return _ORD.sub(repl, text)


def _year(y: str) -> int:
    n = int(y)
    if len(y) == 2:
        n += 1900 if n > date.today().year % 100 else 2000
    return n


def date_of_birth(text: str) -> str | None:
    """The date after 'date of birth' / 'birthday' / 'born', as YYYY-MM-DD."""
    norm = spoken_to_digits(_ordinals_to_digits(text))
    for cue in _DOB_CUE.finditer(norm):
        rest = norm[cue.end():cue.end() + 40]
        for form in _DATE_FORMS:
            m = form.match(rest)
            if not m:
                continue
            month = m.group("m")
            month_n = int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip("."))
            try:
                return date(_year(m.group("y")), month_n, int(m.group("d"))).isoformat()
            except (TypeError, ValueError):
                continue
    return None


def _name_after(text: str, start: int) -> str | None:
    words = re.findall(r"[A-Za-zÀ-ÿ'-]+", text[start:start + 40])
    name = []
    lower_text = text == text.lower()
    for w in words[:3]:
        if w.lower() in NOT_NAMES or w.lower() in FUNCTION_WORDS:
            break
        if not (w[0].isupper() or lower_text):
            break
        name.append(w)
    return " ".join(name) if name else None


def caller_name(text: str) -> str | None:
    for m in _NAME_CUE.finditer(text):
        name = _name_after(text, m.end())
        if name:
            return name
    m = _CALLING_AFTER.search(text)
    if m and m.group(1).split()[0].lower() not in NOT_NAMES | FUNCTION_WORDS:
        return m.group(1)
    return None


def patient_name(text: str, caller: str | None) -> str | None:
    """The patient's name when someone calls about another person ("my son Jacob")."""
    for pattern in _PATIENT:
        for m in pattern.finditer(text):
            name = m.group("name")
            first = name.split()[0].lower()
            if first in NOT_NAMES or first in FUNCTION_WORDS or name == caller:
                continue
            return name
    return None


class Extractor:
    def __init__(self, vocabulary: FactVocabulary, region: str = DEFAULT_REGION):
        self.vocabulary = vocabulary
        self.region = region

    def extract(self, text: str, meds: list[MedicationHit], facts: Facts) -> Extraction:
        caller = caller_name(text)
        names: list[str] = []
        for hit in meds:
            if hit.name not in names:
                names.append(hit.name)
        return Extraction(
            callback_numbers=callback_numbers(text, self.region),
            date_of_birth=date_of_birth(text),
            caller_name=caller,
            patient_name=patient_name(text, caller),
            medications=names,
            days_since_procedure=facts.days_since_procedure,
        )
