"""ASR evaluation: normalisation, term recall, references, and the `vmtriage eval asr` command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.asr_eval import FileResult, add_triage, load_references, load_samples, normalise, summarise, term_found
from pipeline.cli import main
from pipeline.paths import RULES_DIR
from pipeline.triage import Triager

FIXTURES = Path(__file__).parent / "fixtures"
PHONE_SET = Path(__file__).parent / "data" / "asr"


def test_numbers_are_compared_as_spoken():
    assert normalise("A fever of 102.") == normalise("a fever of one hundred and two")
    assert normalise("over 400") == normalise("over four hundred")


def test_phone_numbers_are_compared_digit_by_digit():
    assert normalise("call 555-212-0199") == "call five five five two one two zero one nine nine"


def test_case_punctuation_and_contractions_do_not_count_as_errors():
    assert normalise("Hi, I'm Dr. Patel's patient; I can't breathe!") == normalise(
        "hi I am doctor patels patient I can not breathe")


def test_a_term_is_found_only_as_whole_words():
    assert term_found("stroke", "I think she is having a stroke.")
    assert not term_found("stroke", "a fine brushstroke")
    assert not term_found("short of breath", "ideal short on breath")


def test_a_term_heard_in_singular_or_plural_is_found():
    # "my wounds from the surgery" still carries the clinical word "wound"; measured before: missed
    assert term_found("wound", "My wounds from the surgery have opened up")
    assert term_found("contractions", "I am having a contraction every five minutes")
    assert not term_found("pus", "they are in part coming out")


def test_ordinals_are_compared_as_spoken():
    assert normalise("For the 20th time, on the 1st, the 32nd") == (
        "for the twentieth time on the first the thirty second")


def test_a_hundred_is_one_hundred():
    assert normalise("a fever of a hundred and two") == normalise("a fever of 102")


def test_abbreviations_are_compared_in_full():
    assert normalise("Philip Steels, etc.") == normalise("philip steels et cetera")
    assert normalise("God bless 'em") == normalise("god bless them")
    assert normalise("my e-mail") == normalise("my email")


def test_term_recall_and_corpus_wer():
    results = [FileResult("a", "chest pain now", "chest pain now", 0.0, ["chest pain"], [], 3.0, 0.3, 0.9, False),
               FileResult("b", "my incision is bleeding", "my decision is leading", 0.5, ["incision", "bleeding"],
                          ["incision", "bleeding"], 3.0, 0.3, 0.9, False)]
    summary = summarise("x", results)
    assert summary.wer == pytest.approx(2 / 7)
    assert summary.term_recall == pytest.approx(1 / 3)
    assert summary.rtf == pytest.approx(0.1)


def test_triage_kept_counts_red_flag_clips_whose_transcript_triages_as_urgent_as_said():
    results = [FileResult("a", "My husband has chest pain.", "My husband has chess pain.", 0.2, [], [], 3, 0.3, 0.9,
                          False),
               FileResult("b", "My husband has chest pain.", "My husband has a chest.", 0.4, [], [], 3, 0.3, 0.9,
                          False),
               FileResult("c", "I need a refill of my metformin.", "I need a rifle.", 0.4, [], [], 3, 0.3, 0.9,
                          False)]
    add_triage(results, Triager(RULES_DIR, model_path=None))
    summary = summarise("x", results)
    assert [r.red_flag for r in results] == [True, True, False]
    assert summary.red_flag_files == 2 and summary.triage_kept == pytest.approx(0.5)
    assert summary.lowered_unflagged == 1  # b: lowered, and nothing asked a person to listen


@pytest.mark.parametrize("folder", [PHONE_SET, PHONE_SET.with_name("asr_flite"),
                                    PHONE_SET.with_name("asr_mbrola")])
def test_phone_set_has_at_least_30_voicemails_with_red_flag_terms(folder):
    references = load_references(folder)
    assert len(references) >= 30
    assert all((folder / r.file).is_file() and r.terms for r in references)
    assert all(term_found(t, r.reference) for r in references for t in r.terms)  # terms are in what was said


@pytest.mark.parametrize("name", ["asr_flite", "asr_mbrola"])
def test_every_phone_set_reads_the_same_voicemails(name):
    # the sets differ only by voice, so their scores compare
    assert load_references(PHONE_SET.with_name(name)) == load_references(PHONE_SET)


def test_one_channel_of_a_stereo_file_can_be_evaluated():
    left = load_samples(FIXTURES / "formats", "stereo.wav#left")
    right = load_samples(FIXTURES / "formats", "stereo.wav#right")
    assert abs(left).max() > 0.1 and abs(right).max() < 0.01


@pytest.mark.slow
def test_eval_asr_command_reports_wer_and_term_recall(tmp_path):
    shutil.copy(FIXTURES / "voicemails" / "chest_pain.wav", tmp_path / "chest_pain.wav")
    (tmp_path / "references.tsv").write_text(
        "file\treference\tterms\nchest_pain.wav\tHello, this is Robert Smith. I have had chest pain since this "
        "morning and my chest feels tight. I am having trouble breathing. Please call me back right away."
        "\tchest pain|trouble breathing\n")
    result = CliRunner().invoke(main, ["eval", "asr", "--data", str(tmp_path), "--model", "tiny.en", "--json",
                                       "--real", str(tmp_path)])
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout.splitlines()[0])
    assert first["files"] == 1 and 0.0 <= first["wer"] < 0.5 and first["term_recall"] is not None
    assert first["red_flag_files"] == 1 and first["triage_kept"] is not None


def test_any_transcription_setting_can_be_set_for_an_eval_run():
    from pipeline.asr_eval_runs import configurations, parse_settings
    from pipeline.config import TranscriptionConfig

    settings = parse_settings(["hallucination_silence_threshold=0.5", "condition_on_previous_text=true",
                               "prompt_file=prompt_vocab.txt"])
    (tc,) = configurations(TranscriptionConfig(), settings=settings)
    assert (tc.hallucination_silence_threshold, tc.condition_on_previous_text, tc.prompt_file) == (
        0.5, True, "prompt_vocab.txt")
    with pytest.raises(ValueError, match="KEY=VALUE"):
        parse_settings(["no_such_setting=1"])
