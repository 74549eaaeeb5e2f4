"""The domain prompt comes from rules/, per language, and holds no text Whisper could copy harmfully."""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.config import TranscriptionConfig
from pipeline.paths import RULES_DIR
from pipeline.transcribe import load_domain_prompt

CONFIG = TranscriptionConfig()


def test_english_prompt_is_read_without_its_comment_lines():
    prompt = load_domain_prompt(RULES_DIR, CONFIG, "en")
    assert "incision" in prompt and "bleeding" in prompt and "#" not in prompt


def test_spanish_messages_get_the_spanish_prompt():
    assert "dolor en el pecho" in load_domain_prompt(RULES_DIR, CONFIG, "es")


def test_a_language_without_a_prompt_file_gets_none():
    assert load_domain_prompt(RULES_DIR, CONFIG, "fr") is None


def test_prompt_can_be_turned_off():
    assert load_domain_prompt(RULES_DIR, replace(CONFIG, use_domain_prompt=False), "en") is None


def test_prompts_hold_no_digits_whisper_could_copy_into_a_transcript():
    # Whisper copied "555-212-0199" from an earlier prompt into a transcript: a false callback number.
    for path in RULES_DIR.glob("prompt*.txt"):
        text = " ".join(ln for ln in path.read_text().splitlines() if not ln.startswith("#"))
        assert not re.search(r"\d", text), path.name


def test_translations_are_steered_by_the_sentence_prompt():
    # Spanish -> English with the word prompt gave "pain in my heart"; with sentences "pain in the chest".
    translation = replace(CONFIG, prompt_file=CONFIG.translation_prompt_file)
    assert "incision is bleeding" in load_domain_prompt(RULES_DIR, translation, "en")
