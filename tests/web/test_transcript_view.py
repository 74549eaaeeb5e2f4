"""The transcript on the message page: evidence highlighted, words mapped to their times."""

from __future__ import annotations

import yaml

from pipeline.records import CONCERNS
from pipeline.web.callback_scripts import callback_script
from pipeline.web.transcript_view import runs, tokens

TEXT = "I have chest pain and no fever."
WORDS = [{"word": w, "start": float(n), "end": n + 0.9} for n, w in
         enumerate([" I", " have", " chest", " pain", " and", " no", " fever."])]
REASONS = [
    {"kind": "rule", "label": "Chest pain", "urgency": "emergency", "start": 7, "end": 17},
    {"kind": "context", "label": "Fever (negated, no floor)", "urgency": "urgent", "start": 25, "end": 30},
]


def test_the_words_behind_a_red_flag_are_marked_with_its_urgency():
    marked = {t.text: t.mark for t in tokens(TEXT, WORDS, REASONS)}
    assert marked["chest"] == marked["pain"] == "emergency"
    assert marked["fever."] == "context" and marked["have"] == ""


def test_each_word_carries_the_time_whisper_gave_it():
    assert [t.start_s for t in tokens(TEXT, WORDS, [])] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]


def test_a_highlighted_phrase_is_one_run():
    assert [(r.mark, len(r.tokens)) for r in runs(tokens(TEXT, WORDS, REASONS))] == [
        ("", 2), ("emergency", 2), ("", 2), ("context", 1)]


def test_no_scripts_file_means_no_script(tmp_path):
    assert callback_script(tmp_path, "refill") is None


def test_a_script_for_the_concern_is_read_from_rules(tmp_path):
    # Every concern has an entry, as the callbacks loader (pipeline/scripts.py) requires.
    entries = {c: {"title": c.title(), "say": [f"Calling about your {c}"], "ask": ["Which pharmacy"]} for c in CONCERNS}
    (tmp_path / "scripts.yaml").write_text(yaml.safe_dump({"scripts": entries}))
    script = callback_script(tmp_path, "refill")
    assert (script["title"], script["lines"][:2]) == ("Refill", ["Calling about your refill", "Ask: Which pharmacy"])
