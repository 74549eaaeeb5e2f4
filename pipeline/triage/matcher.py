"""Find red-flag mentions, then judge their context with medspaCy ConText.

Fillers and stammers ("um", "it's it's") are removed first (disfluency.py); mentions keep the
offsets and words of the original text.

Targets come from the regular expressions in rules/red_flags.yaml (one compiled alternation per
rule) plus sounds-like matches for ASR mis-hearings (phonetic.py). They become spaCy entities on a
blank English pipeline with a rule-based sentencizer (no downloaded model), and ConText, with the
voicemail modifier rules of rules/context.yaml, marks each one negated, family, hypothetical,
historical or admin. Such mentions are kept as reasons but set no urgency floor.

medspaCy's own TargetMatcher and PyRuSH sentence splitter gave the same results about ten times
slower (PyRuSH alone took ~7 ms a message), so targets are matched with `re` directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loguru import logger

from .disfluency import clean
from .phonetic import SoundMatcher
from .ruleset import RuleSet
from .spacy_loader import Span, filter_spans  # spaCy without PyTorch

# PyRuSH/medspaCy log at DEBUG with text: transcripts are PHI and must never reach a log.
logger.disable("PyRuSH")
logger.disable("medspacy")

CONTEXT_ATTRS = {
    "NEGATED_EXISTENCE": {"is_negated": True},
    "FAMILY": {"is_family": True},
    "HYPOTHETICAL": {"is_hypothetical": True},
    "HISTORICAL": {"is_historical": True},
    "ADMIN": {"is_admin": True},
}
CONTEXT_FLAGS = ("is_negated", "is_family", "is_hypothetical", "is_historical", "is_admin")


@dataclass(frozen=True)
class Mention:
    rule_id: str
    text: str
    start: int  # character offsets
    end: int
    context: str  # "" when the mention is current, asserted and about the patient
    by: str = "pattern"  # pattern | sound


class RedFlagMatcher:
    """Text in, red-flag mentions with ConText judgements out."""

    def __init__(self, ruleset: RuleSet):
        import spacy
        from medspacy.context import ConText, ConTextRule

        for attr in CONTEXT_FLAGS:
            if not Span.has_extension(attr):
                Span.set_extension(attr, default=False)
        if not Span.has_extension("vmt_by"):
            Span.set_extension("vmt_by", default="pattern")
        self.recent_cues = ruleset.recent_cues
        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("sentencizer")
        self.context = ConText(self.nlp, rules=None, span_attrs=CONTEXT_ATTRS)
        self.context.add([
            ConTextRule(r.literal, r.category, pattern=r.pattern, direction=r.direction,
                        max_scope=_terminator_scope(r.direction, r.max_scope))
            for r in ruleset.context_rules
        ])
        self.patterns = [_compile_rule(rule.id, rule.patterns) for rule in ruleset.red_flags]
        self.sounds = SoundMatcher([(rule.id, phrase) for rule in ruleset.red_flags for phrase in rule.sounds_like])

    def _hits(self, text: str, skip: frozenset[str] = frozenset()) -> list[tuple[int, int, str, str]]:
        """(start, end, rule id, pattern|sound) for every target in the raw text."""
        lowered = text.lower()
        same = len(lowered) == len(text)  # offsets carry over (true for all but a few Unicode letters)
        hits = [(m.start(), m.end(), rule_id, "pattern") for rule_id, on_lower, anycase in self.patterns
                if rule_id not in skip
                for m in (on_lower.finditer(lowered) if on_lower is not None and same else anycase.finditer(text))]
        for hit in self.sounds.find(text):
            if hit.rule_id in skip or _spelled_out(text[hit.start:hit.end], hit.phrase):
                continue  # words spelled right are the patterns' job (they judge "a little short of breath")
            # Words a pattern already read (of any rule: "short of breath when I walk" is the milder
            # rule's) are not read again by sound.
            if not any(a < hit.end and hit.start < b for a, b, _, by in hits if by == "pattern"):
                hits.append((hit.start, hit.end, hit.rule_id, "sound"))
        return hits

    def _targets(self, doc, hits) -> list[Span]:
        spans, seen = [], set()
        for start, end, rule_id, by in hits:
            span = doc.char_span(start, end, label=rule_id, alignment_mode="expand")
            if span is not None and len(span) and (rule_id, span.start) not in seen:
                seen.add((rule_id, span.start))
                span._.vmt_by = by
                spans.append(span)
        return spans

    def mentions(self, original: str, skip: frozenset[str] = frozenset()) -> list[Mention]:
        """Mentions found in the text without its fillers and stammers (disfluency.py); their
        offsets and words are those of the original text. Rules in `skip` are not searched (the
        caller knows they cannot apply: a fact they require is not stated)."""
        cleaned = clean(original)
        text = cleaned.text
        hits = self._hits(text, skip)
        if not hits:
            return []  # most messages: no tokenising, no ConText
        doc = self.nlp(text)
        spans = self._targets(doc, hits)
        out = []
        # Overlapping mentions of different rules are all kept: ConText runs once per group of
        # non-overlapping spans so each one gets its own context.
        remaining = sorted(spans, key=lambda s: (s.start, -len(s)))
        while remaining:
            group = filter_spans(remaining)
            ids = {(s.start, s.end, s.label_) for s in group}
            remaining = [s for s in remaining if (s.start, s.end, s.label_) not in ids]
            doc.ents = group
            self.context(doc)
            contexts = _contexts(doc, self.recent_cues)
            for ent in doc.ents:
                by = next((s._.vmt_by for s in group if s.start == ent.start and s.end == ent.end
                           and s.label_ == ent.label_), "pattern")
                start, end = cleaned.span(ent.start_char, ent.end_char)
                out.append(Mention(ent.label_, original[start:end], start, end,
                                   contexts.get((ent.start, ent.end), ""), by))
        out.sort(key=lambda m: m.start)
        return out


CATEGORY_NAMES = {"NEGATED_EXISTENCE": "negated", "FAMILY": "family", "HYPOTHETICAL": "hypothetical",
                  "HISTORICAL": "historical", "ADMIN": "admin"}


def _terminator_scope(direction: str, max_scope: int | None) -> int | None:
    """A terminator gets a one-token window: medspaCy only lets a terminator cut a scope that
    *overlaps* its own by its (start/end) test, and a whole-sentence terminator scope contains a short
    cue's scope without "overlapping" it, so "bill from the ..., also my temp was 101.6" stayed admin."""
    return 1 if direction.upper() == "TERMINATE" and max_scope is None else max_scope


def _contexts(doc, recent_cues: tuple[str, ...] = ()) -> dict[tuple[int, int], str]:
    """Context of each target from ConText's graph. An edge whose modifier shares words with the
    target is ignored ("the baby hasn't been moving" is the red flag itself, not a negation of it),
    and so is a FAMILY edge whose sentence says it is happening now ("my mom had chest pain an hour
    ago": a relative calling for a patient, not family history)."""
    found: dict[tuple[int, int], str] = {}
    for target, modifier in doc._.context_graph.edges:
        m_start, m_end = modifier.modifier_span
        if m_start < target.end and target.start < m_end:
            continue
        name = CATEGORY_NAMES.get(modifier.category)
        if name == "family" and _is_recent(target.sent.text.lower(), recent_cues):
            continue
        if name == "negated" and _new_clause_after_denial(doc, m_end, target):
            continue
        key = (target.start, target.end)
        if name and (key not in found or list(CATEGORY_NAMES.values()).index(name)
                     < list(CATEGORY_NAMES.values()).index(found[key])):
            found[key] = name
    return found


_LIST_WORDS = {"or", "nor"}
_CLAUSE_STARTS = {"i", "he", "she", "we", "they", "it", "you", "my", "his", "her", "our", "their", "there", "this",
                  "that", "now", "but", "since", "and", "then", "just", "so"}
_DENIALS = {"no", "not", "denies", "without", "never", "n't"}
_BREAKS = (",", ";", "—", "-")
_ASSERTING = {"since", "for", "started", "starting", "today", "tonight", "now", "ago", "all", "this", "still", "keeps",
              "getting", "worse"}


def _short_items(tokens) -> list[list]:
    """Comma-separated pieces of a span (empty pieces dropped)."""
    items, current = [], []
    for t in tokens:
        if t.text in _BREAKS:
            if current:
                items.append(current)
            current = []
        else:
            current.append(t)
    if current:
        items.append(current)
    return items


def _is_list_item(item) -> bool:
    return 1 <= len(item) <= 3 and item[0].lower_ not in _CLAUSE_STARTS and not any(t.lower_ in _DENIALS for t in item)


def _new_clause_after_denial(doc, modifier_end: int, target) -> bool:
    """A comma between a denial and a red flag starts a new clause ("no fever, chest pain since this
    morning"; "I don't have a fever, my chest hurts") unless the sentence is a list of denials: "no
    chest pain, shortness of breath, or dizziness", "denies nausea, sweating, chest pain" (two or more
    bare items before the flag), "denies chest pain, shortness of breath and dizziness" (the flag and
    one bare item joined by "and" end the clause). Only denials before the flag are judged."""
    if modifier_end > target.start:
        return False
    between = doc[modifier_end:target.start]
    if not any(t.text in _BREAKS for t in between):
        return False
    sent_end = target.sent.end
    listed = doc[modifier_end:min(sent_end, target.end + 8)]
    if any(t.lower_ in _LIST_WORDS for t in listed):
        return False
    rest = []  # the words after the flag up to the next break: "since this morning" asserts it
    for t in doc[target.end:sent_end]:
        if t.text in _BREAKS or t.is_punct:
            break
        rest.append(t)
    if any(t.lower_ in _ASSERTING for t in rest):
        return True
    items = _short_items(between)
    if len(items) >= 2 and all(_is_list_item(i) for i in items):
        return False
    if 2 <= len(rest) <= 3 and rest[0].lower_ == "and" and _is_list_item(rest[1:]) and all(
            _is_list_item(i) for i in items):
        return False
    return True


_UPPER_LETTER = re.compile(r"(?<!\\)[A-ZÀ-Þ]")


def _compile_rule(rule_id: str, patterns: tuple[str, ...]) -> tuple[str, re.Pattern | None, re.Pattern]:
    """A rule's patterns as one alternation, case-insensitive, plus (when its letters are all lower case)
    a case-sensitive copy to run on the lower-cased text: the same matches, a third less time."""
    joined = "|".join(f"(?:{p})" for p in patterns)
    on_lower = None if _UPPER_LETTER.search(joined) else re.compile(joined)
    return rule_id, on_lower, re.compile(joined, re.I)


def _spelled_out(found: str, phrase: str) -> bool:
    """The sounds-like phrase is in the text exactly as written: no mis-hearing to recover."""
    return re.sub(r"[^a-z' ]", "", found.lower()).split() == re.sub(r"[^a-z' ]", "", phrase.lower()).split()


def _is_recent(sentence: str, recent_cues: tuple[str, ...]) -> bool:
    return any(re.search(rf"\b{re.escape(cue)}\b", sentence) for cue in recent_cues)
