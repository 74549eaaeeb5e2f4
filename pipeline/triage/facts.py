"""Facts read from a whole message: temperature, days since a procedure, ages, weeks pregnant,
whether the patient is on a blood thinner. Red-flag rules test them (`requires:` in
rules/red_flags.yaml); the numbers that matter clinically live there, not here.

Unknown facts are None: each rule says whether an unknown fact lets it fire.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .medications import MedicationHit
from .numbers import spoken_to_digits
from .ruleset import Condition, FactVocabulary

NUM = r"(\d{1,3}(?:\.\d+)?)"
_TEMP_CONTEXT = re.compile(r"\b(fever|temp|temperature|running|thermometer|reading|read|degrees|fiebre|hot|°)", re.I)
_TEMP_NUMBER = re.compile(rf"(?<![\d.]){NUM}(?![\d])\s*(°|degrees|grados)?\s*(f|c|celsius|fahrenheit)?\b", re.I)
_AGE = re.compile(r"(?<![\d.])(\d{1,3})[ -](day|days|week|weeks|month|months|year|years|yr)[ -]?(old)\b", re.I)
# "my son is ten weeks", "baby girl, 10 wk": an infant's age in weeks said without "old" (a mother's
# "I'm 32 weeks" is a gestation: only a child word before the number counts, and only up to 26 weeks)
_AGE_WEEKS_SAID = re.compile(r"\b(?:son|daughter|baby|boy|girl|infant|newborn|grandson|granddaughter|little one|twins?)"
                             r"(?:.s| is| was|,)? (?:only |just |about |almost |barely )?(\d{1,2}) ?(?:weeks?|wks?)\b"
                             r"(?! ?(?:ago|pregnant|along|out|since|post|after|later|early|premature))", re.I)
_AGE_ES = re.compile(r"\b(?:bebé|bebe|niño|niña|hijo|hija|papá|papa|mamá|mama|padre|madre|abuel[oa]|espos[oa]|"
                     r"señora?|tiene)\s+(?:de\s+)?(\d{1,3})\s+"
                     r"(días|día|semanas|semana|meses|mes|años|año)\b(?!\s+(?:de\s+)?(?:embarazo|embarazada))",
                     re.I)
_WEEKS_PREG = re.compile(r"(?<![\d.])(\d{1,2})\s*(weeks|wks|semanas)(?!\s*(ago|out|since|after|later|post|from))",
                         re.I)
# "I'm 32 weeks" said plainly is a gestation ("6 weeks out / post-op / into ..." are not)
_PREG_CONTEXT = re.compile(r"\b(pregnan\w*|expecting|weeks along|embarazada|contractions|baby|due date|water broke)|"
                           r"\b(i.?m|i am|she.?s|she is)\s+\d{1,2}\s*weeks\b"
                           r"(?!\s*(ago|out|since|after|post|from|into|of|on))",
                           re.I)
_PREGNANT = re.compile(r"\b(pregnan\w*|expecting a baby|weeks along|embarazada|\d+ weeks (pregnant|along))\b|"
                       r"\b(i'?m|i am|she'?s|she is|my wife is) \d+ (weeks|wks)\b", re.I)
_AGO = re.compile(r"(?<![\d.])(\d{1,3})\s*(day|days|week|weeks|month|months|year|years)\s*(ago|out|since|back)\b", re.I)
_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|miércoles|jueves|"
                      r"viernes|sábado|domingo)\b", re.I)
# Blood sugar readings (not an A1C): the lowest one stated is what matters for a low.
_GLUCOSE = re.compile(r"\b(?:blood sugars?|sugars?|glucose|readings?|bs)\b(?:(?!\ba1c\b)[^.?!\d]){0,40}?"
                      r"(?<![\d.])(\d{2,3})(?![\d.])", re.I)
# Something else that, with a stiff neck, points to meningitis (red_flags.yaml `meningitis_signs`).
_FEVER_OR_HEADACHE = re.compile(r"\b(fever\w*|temperature|temp|chills|headache\w*|head (hurts|is killing)|"
                                r"light (hurts|bothers)|(sensitive|sensitivity) to (the )?light|bright lights?|fiebre|"
                                r"dolor de cabeza)\b", re.I)
# A medicine is named (list or generic word or a drug-name ending): lets `drug_skin_reaction` fire.
MEDICINE_WORD = re.compile(r"\b(medicine|medication|meds|pills?|tablets?|antibiotics?|prescription|dose|shot|vaccine|"
                            r"injection|cream|ointment|inhaler|drug|pastilla|medicina|"
                            r"(started|put) (me|him|her|them) on|"
                            r"\w+(cillin|mycin|cycline|floxacin|statin|pril|sartan|olol|azole|prazole|dipine|gliptin|"
                            r"formin))\b", re.I)
_BP = re.compile(r"\b(?:blood pressure|pressure|bp|b\.p\.|presión|presion)\b[^.?!\d]{0,30}?(\d{2,3})\s*"
                 r"(?:over|/|sobre)\s*(\d{2,3})\b", re.I)
_INR = re.compile(r"\binr\b[^.?!\d]{0,60}?(\d{1,2}(?:\.\d+)?)(?![\d])", re.I)
# Lab values read out by a patient, a lab or a hospital (a hemoglobin A1c is not a hemoglobin).
_HEMOGLOBIN = re.compile(r"\b(?:hemoglobin|haemoglobin|hgb|h and h|blood count)\b(?!\s*a\s?1\s?c)[^.?!\d]{0,25}?"
                         r"(?<![\d.])(\d{1,2}(?:\.\d)?)(?![\d])", re.I)
_POTASSIUM = re.compile(r"\b(?:potassium|potasio)\b[^.?!\d]{0,25}?(?<![\d.])(\d(?:\.\d)?)(?![\d])", re.I)
_SODIUM = re.compile(r"\b(?:sodium|sodio)\b[^.?!\d]{0,25}?(?<![\d.])(\d{3})(?![\d.])", re.I)
# An age said without "years old": "she's 91", "he is 79 years", "I'm 15" (not a temperature or a dose).
_AGE_SAID = re.compile(r"\b(?:he|she|i|mom|mother|dad|father|grandma|grandpa|patient)(?:'s| is| am|'m| was)"
                       r"(?: (?:about|almost|nearly|over))? (\d{1,3})\b(?![.\d])"
                       r"(?! ?(?:degrees|°|percent|%|pounds|lbs|kilos|mg|over|minutes|hours|days|weeks|months|dollars|"
                       r"inches|feet|o.clock|am|pm|and a half|point))", re.I)
_POSTPARTUM = re.compile(r"\b(post.?partum|gave birth|(delivered|had) (my|the|our|a|her) (baby|son|daughter|twins)|"
                         r"since (the|my|her) (delivery|c.?section)|(baby|delivery|c.?section) (was )?"
                         r"(\d+|a|two|three|four|five|six) (days?|weeks?) ago|(di a luz|parto) hace)", re.I)
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365, "yr": 365, "día": 1, "semana": 7, "mes": 30, "año": 365}


@dataclass(frozen=True)
class Facts:
    temperature_f: float | None = None
    days_since_procedure: int | None = None
    procedure_mentioned: bool | None = None
    youngest_age_days: int | None = None
    oldest_age_years: float | None = None
    weeks_pregnant: float | None = None
    on_blood_thinner: bool | None = None
    pregnant: bool | None = None
    medication_mentioned: bool | None = None
    glucose_mg_dl: float | None = None  # lowest blood sugar stated
    fever_or_headache: bool | None = None
    systolic_bp: float | None = None  # highest blood pressure stated
    diastolic_bp: float | None = None
    inr: float | None = None  # highest INR stated
    hemoglobin: float | None = None  # lowest stated (g/dL)
    potassium: float | None = None  # highest stated (mmol/L); a low one is in potassium_low
    potassium_low: float | None = None
    sodium: float | None = None  # lowest stated (mmol/L); a high one is in sodium_high
    sodium_high: float | None = None
    frail_elder: bool | None = None  # 75 or older, or living in a care home
    postpartum: bool | None = None  # gave birth in the last weeks
    serotonergic_drugs: int | None = None  # how many different serotonergic medicines are named
    severe_hypertension: bool | None = None  # a reading of 220 or more over anything, or anything over 120 or more
    insulin_mentioned: bool | None = None
    critical_medicine: bool | None = None  # cannot be missed: type 1 insulin, seizure, transplant, buprenorphine
    # triage12: a critical medicine or any blood thinner/antiplatelet (clot, valve, fresh-stent protection):
    # being out of one, or missing a dose, cannot wait until tomorrow
    cannot_miss_medicine: bool | None = None
    temperature_at_stated_limit: bool | None = None  # a reading at or above the fever limit a clinician gave
    # triage13: an emergency visit already called the problem harmless ("went to the ER, they said it was a
    # pulled muscle") and the caller does not say it came back
    cleared_after_visit: bool | None = None

    def get(self, name: str):
        return getattr(self, name)


_INSULIN = re.compile(r"\b(insulin|lantus|humalog|novolog|levemir|tresiba|basaglar|toujeo|admelog|fiasp|lispro|"
                      r"glargine|semglee|apidra|lyumjev|humulin|novolin|insulina)\b", re.I)
_TYPE_1 = re.compile(r"\b(type (1|one|i)|t1d?|juvenile diabet\w*|tipo (1|uno))\b", re.I)
# Medicines whose missed doses cause harm within a day: seizures, rejection, opioid withdrawal and relapse
_CRITICAL_MEDICINE = re.compile(
    r"\b(keppra|levetiracetam|lamictal|lamotrigine|dilantin|phenytoin|depakote|valproate|valproic|tegretol|"
    r"carbamazepine|trileptal|oxcarbazepine|vimpat|lacosamide|briviact|onfi|clobazam|"
    r"zonisamide|zonegran|phenobarbital|primidone|mysoline|xcopri|cenobamate|fycompa|perampanel|epidiolex|"
    r"(seizure|epilepsy|anti.?seizure|anti.?epileptic|anticonvulsant) "
    r"(medicines?|medications?|meds?|pills?|tablets?|drugs?)|"
    r"(medicina|medicamento|pastillas?) (para|de) (la |las |los )?(convulsiones|epilepsia|ataques)|"
    r"tacrolimus|prograf|envarsus|cyclosporine|neoral|mycophenolate|cellcept|myfortic|sirolimus|rapamune|"
    r"anti.?rejection|(transplant|rejection) (medicines?|medications?|meds?|pills?|drugs?)|"
    r"suboxone|subutex|buprenorphine|zubsolv|methadone|"
    # triage12: Parkinson's levodopa (stopping it abruptly is dangerous)
    r"sinemet|rytary|carbidopa|levodopa)\b", re.I)
# triage12: steroid replacement for adrenal failure (a missed day can bring on a crisis)
_ADRENAL = re.compile(r"\b(addison\w*|adrenal (insufficiency|failure|crisis)|no adrenal|"
                      r"adrenals? (don.?t|do not) work)\b", re.I)
_STEROID = re.compile(r"\b(hydrocortisone|cortef|prednisone|prednisolone|fludrocortisone|florinef|steroids?)\b", re.I)


_EMERGENCY_VISIT = re.compile(r"\b(er|e\.r\.|emergency (room|department)|urgent care|the hospital|the ed|a&e)\b", re.I)
_CLEARED = re.compile(
    r"\b(said|says|told (me|us|him|her)|thought|turned out|diagnosed)\b[^.?!]{0,40}\b(muscle|muscular|pulled|strain\w*|"
    r"anxiety|panic|heartburn|reflux|acid|gas|indigestion|costochondritis|nothing serious|"
    r"(heart|ekg|ecg|tests?|everything|troponin|bloodwork|blood work|scan|x.?ray) "
    r"(was |were |is |are |looked |came back )?"
    r"(all )?(fine|normal|okay|ok|good|clear|negative))\b", re.I)
_CAME_BACK = re.compile(r"\b(again|came back|coming back|come back|back now|is back|it.?s back|returned|"
                        r"still (have|having|hurts?|there|feel)|worse|(and|but) now|right now|started up|keeps)\b",
                        re.I)


def cleared_after_visit(text: str) -> bool:
    """An ER or urgent-care visit already called the problem harmless, and the caller does not say it is back."""
    return bool(_EMERGENCY_VISIT.search(text) and _CLEARED.search(text) and not _CAME_BACK.search(text))


def _critical_medicine(text: str) -> bool:
    """A medicine whose doses cannot be missed for a day: seizure, transplant, opioid-agonist, Parkinson's,
    type 1 insulin, adrenal steroid replacement."""
    return bool(_CRITICAL_MEDICINE.search(text)
                or (_INSULIN.search(text) and _TYPE_1.search(text))
                or (_ADRENAL.search(text) and _STEROID.search(text)))


def _unit_days(unit: str) -> int:
    unit = unit.lower()
    for key, days in _UNIT_DAYS.items():
        if unit.startswith(key):
            return days
    return 1


# triage12: a fever limit a clinician gave ("call if it's over 101", "anything above 100.4", "the cutoff
# is 38"): the number is an instruction, not a reading. Read apart so the reading can be compared with it.
_LIMIT_NUM = r"(?<![\d.])(\d{2,3}(?:\.\d)?)(?![\d])"
_FEVER_LIMIT = re.compile(
    # "call if it goes over 101", "phone once the temp is above 100.4", "anything higher than 38"
    r"\b(?:(?:call|phone|ring|contact|page|report|let \w+ know|come in|go in|get seen)\b[^.?!]{0,50}?"
    r"\b(?:if|once|when|for)\b[^.?!]{0,40}?|(?:anything|any (?:temp\w*|fever|reading))\s+)"
    r"(?:over|above|higher than|more than|greater than|past|exceeds|reaches|hits|hit|at or above)\s+(?:a\s+)?"
    + _LIMIT_NUM +
    # "call for 101 or more", "call at 100.4", "the cutoff is 38.3"
    r"|\b(?:call|phone|ring)\b[^.?!]{0,50}?\b(?:if|once|when|for|at)\b[^.?!]{0,30}?"
    + _LIMIT_NUM + r"\s*(?:°\s*f?\s*|degrees\s*)?(?:or|and) (?:more|higher|above|over|up)\b"
    r"|\b(?:call|phone|ring)\s+(?:us\s+|me\s+|them\s+)?at\s+" + _LIMIT_NUM +
    r"|\b(?:limit|cut.?off|threshold)\b[^.?!\d]{0,20}?" + _LIMIT_NUM, re.I)


def fever_limits(text: str) -> list[tuple[float, int, int]]:
    """(limit in °F, start, end of the number) for each fever limit the message quotes."""
    out = []
    for m in _FEVER_LIMIT.finditer(text):
        group = next(i for i in range(1, 5) if m.group(i))
        value = float(m.group(group))
        if 34 <= value <= 43:
            value = round(value * 9 / 5 + 32, 1)
        if 99 <= value <= 105:
            out.append((value, m.start(group), m.end(group)))
    return out


def without_fever_limits(text: str, limits: list[tuple[float, int, int]] | None = None) -> str:
    """The text with each quoted fever limit's number blanked (same length, so offsets still hold)."""
    for _, start, end in fever_limits(text) if limits is None else limits:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def temperature_at_stated_limit(text: str, limits: list[tuple[float, int, int]] | None = None) -> bool:
    """A temperature read out (not the limit itself) at or above a fever limit the message quotes."""
    limits = fever_limits(text) if limits is None else limits
    if not limits:
        return False
    blanked = without_fever_limits(text, limits)
    # a number said just after the limit is a reading even without a temperature word ("..., it was 101.1")
    after = " ".join("temp " + blanked[end:end + 80] for _, _, end in limits)
    readings = temperatures_f(blanked) + temperatures_f(after)
    return any(r >= min(v for v, _, _ in limits) for r in readings)


def temperatures_f(text: str) -> list[float]:
    """Body temperatures stated in the message, in °F (Celsius converted), near a temperature word."""
    out = []
    for m in _TEMP_NUMBER.finditer(text):
        value = float(m.group(1))
        window = text[max(0, m.start() - 45):m.end() + 15]
        unit = (m.group(3) or "").lower()
        if not _TEMP_CONTEXT.search(window):
            continue
        if 95 <= value <= 108 and unit not in ("c", "celsius"):
            out.append(value)
        elif 34 <= value <= 43 and ("." in m.group(1) or unit in ("c", "celsius") or m.group(2)):
            out.append(round(value * 9 / 5 + 32, 1))
    return out


def ages_days(text: str, vocab: FactVocabulary) -> list[int]:
    ages = [int(m.group(1)) * _unit_days(m.group(2)) for m in _AGE.finditer(text)]
    ages += [int(m.group(1)) * 365 for m in _AGE_SAID.finditer(text) if 1 <= int(m.group(1)) <= 110
             and not _TEMP_CONTEXT.search(text[max(0, m.start() - 40):m.end() + 20])]
    ages += [int(m.group(1)) * _unit_days(m.group(2)) for m in _AGE_ES.finditer(text)]
    ages += [int(m.group(1)) * 7 for m in _AGE_WEEKS_SAID.finditer(text) if 1 <= int(m.group(1)) <= 26]
    lowered = text.lower()
    ages += [days for word, days in vocab.infant_words.items() if re.search(rf"\b{re.escape(word)}\b", lowered)]
    return ages


@lru_cache(maxsize=8)
def _starts_of_any(words: tuple[str, ...]) -> re.Pattern:
    """Zero-width matches where any of the words starts: one scan instead of one per word."""
    return re.compile(r"(?=\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b)")


def days_since_procedure(text: str, vocab: FactVocabulary) -> tuple[bool, int | None]:
    """(a procedure is mentioned, how many days ago when said near it)."""
    lowered = text.lower()
    spots = [m.start() for m in _starts_of_any(vocab.procedure_words).finditer(lowered)]
    if not spots:
        return False, None
    best: tuple[int, int] | None = None  # (distance, days)

    def consider(pos: int, days: int) -> None:
        nonlocal best
        distance = min(abs(pos - s) for s in spots)
        if distance <= 80 and (best is None or distance < best[0]):
            best = (distance, days)

    for m in _AGO.finditer(lowered):
        consider(m.start(), int(m.group(1)) * _unit_days(m.group(2)))
    for phrase, days in vocab.relative_days.items():
        for m in re.finditer(rf"\b{re.escape(phrase)}\b", lowered):
            consider(m.start(), int(days))
    for m in _WEEKDAY.finditer(lowered):
        consider(m.start(), vocab.weekday_days)
    return True, (best[1] if best else None)


def weeks_pregnant(text: str) -> float | None:
    if not _PREG_CONTEXT.search(text):
        return None
    weeks = [float(m.group(1)) for m in _WEEKS_PREG.finditer(text) if 4 <= int(m.group(1)) <= 43]
    return max(weeks) if weeks else None


_DENIAL_BEFORE = re.compile(r"\b(no|not|without|denies|any|never)\s+(\w+\s+){0,2}$", re.I)


def _asserted(pattern: re.Pattern, text: str) -> bool:
    """The pattern occurs at least once without a denial just before it ("no fever, no headache")."""
    return any(not _DENIAL_BEFORE.search(text[max(0, m.start() - 30):m.start()]) for m in pattern.finditer(text))


def read_facts(text: str, vocab: FactVocabulary, medications: list[MedicationHit],
               blood_thinner_phrases: tuple[str, ...]) -> Facts:
    digits = spoken_to_digits(text)
    limits = fever_limits(digits)  # read once: both the readings and the at-the-limit check use them
    temps = temperatures_f(without_fever_limits(digits, limits))  # "call if over 101" is not a reading
    ages = ages_days(digits, vocab)
    mentioned, days = days_since_procedure(digits, vocab)
    glucose = [float(m.group(1)) for m in _GLUCOSE.finditer(digits) if 15 <= int(m.group(1)) <= 700]
    bps = [(int(m.group(1)), int(m.group(2))) for m in _BP.finditer(digits)
           if 60 <= int(m.group(1)) <= 300 and 30 <= int(m.group(2)) <= 200]
    inrs = [float(m.group(1)) for m in _INR.finditer(digits) if 0.5 <= float(m.group(1)) <= 20]
    lowered = text.lower()
    hgb = [float(m.group(1)) for m in _HEMOGLOBIN.finditer(digits) if 2 <= float(m.group(1)) <= 25]
    potassium = [float(m.group(1)) for m in _POTASSIUM.finditer(digits) if 1.5 <= float(m.group(1)) <= 9.5]
    sodium = [float(m.group(1)) for m in _SODIUM.finditer(digits) if 100 <= float(m.group(1)) <= 180]
    oldest = round(max(ages) / 365, 1) if ages else None
    frail = (oldest is not None and oldest >= 75) or any(
        re.search(rf"\b{re.escape(w)}\b", lowered) for w in vocab.care_home_words)
    serotonergic = {m.name for m in medications if m.name in vocab.serotonergic_medications}
    # "I'm not on any blood thinners" says the opposite
    thinner = any(m.drug_class == "anticoagulant" for m in medications) or any(
        _asserted(re.compile(rf"\b{re.escape(p)}\b", re.I), text) for p in blood_thinner_phrases if p in lowered)
    at_limit = temperature_at_stated_limit(digits, limits)
    critical = _critical_medicine(digits)
    return Facts(
        temperature_f=max(temps) if temps else None,
        days_since_procedure=days,
        procedure_mentioned=True if mentioned else None,
        youngest_age_days=min(ages) if ages else None,
        oldest_age_years=oldest,
        weeks_pregnant=weeks_pregnant(digits),
        on_blood_thinner=True if thinner else None,
        pregnant=True if _PREGNANT.search(digits) else None,
        medication_mentioned=True if medications or MEDICINE_WORD.search(text) else None,
        glucose_mg_dl=min(glucose) if glucose else None,
        fever_or_headache=True if _asserted(_FEVER_OR_HEADACHE, text) else None,
        systolic_bp=max(b[0] for b in bps) if bps else None,
        diastolic_bp=max(b[1] for b in bps) if bps else None,
        inr=max(inrs) if inrs else None,
        hemoglobin=min(hgb) if hgb else None,
        potassium=max(potassium) if potassium else None,
        potassium_low=min(potassium) if potassium else None,
        sodium=min(sodium) if sodium else None,
        sodium_high=max(sodium) if sodium else None,
        frail_elder=True if frail else None,
        postpartum=True if _POSTPARTUM.search(digits) else None,
        serotonergic_drugs=len(serotonergic) or None,
        severe_hypertension=True if any(b[0] >= 220 or b[1] >= 120 for b in bps) else None,
        insulin_mentioned=True if _INSULIN.search(text) else None,
        critical_medicine=True if critical else None,
        cannot_miss_medicine=True if critical or thinner else None,
        temperature_at_stated_limit=True if at_limit else None,
        cleared_after_visit=True if cleared_after_visit(text) else None,
    )


def condition_holds(cond: Condition, facts: Facts) -> bool:
    value = facts.get(cond.fact)
    if value is None:
        return cond.if_unknown == "fire"
    if cond.equals is not None and value != cond.equals:
        return False
    if cond.min is not None and value < cond.min:
        return False
    if cond.max is not None and value > cond.max:
        return False
    return True


def unmet_conditions(conditions: tuple[Condition, ...], facts: Facts) -> list[str]:
    """Human-readable list of the conditions that do not hold (empty when the rule may fire)."""
    unmet = []
    for cond in conditions:
        if not condition_holds(cond, facts):
            value = facts.get(cond.fact)
            bound = " ".join(x for x in (f">= {cond.min}" if cond.min is not None else "",
                                         f"<= {cond.max}" if cond.max is not None else "",
                                         f"= {cond.equals}" if cond.equals is not None else "") if x)
            unmet.append(f"{cond.fact} {'unknown' if value is None else value} (needs {bound})")
    return unmet
