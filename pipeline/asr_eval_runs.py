"""Which configurations `vmtriage eval asr` runs, on which data sets (the I/O around asr_eval)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path

from .asr_eval import EvalSummary, evaluate, format_table
from .config import Config, TranscriptionConfig
from .model_registry import ModelError
from .paths import PROJECT_ROOT
from .transcribe import build_transcriber

PHONE_SET = PROJECT_ROOT / "tests" / "data" / "asr"
# The same voicemails read by flite's voices, closer to a person than espeak's (see its script).
FLITE_PHONE_SET = PROJECT_ROOT / "tests" / "data" / "asr_flite"
# ... and by espeak-ng driving MBROLA diphone voices (recorded human diphones).
MBROLA_PHONE_SET = PROJECT_ROOT / "tests" / "data" / "asr_mbrola"
REAL_SPEECH = PROJECT_ROOT.parent / "shared" / "data" / "real" / "speech"


def label(tc: TranscriptionConfig) -> str:
    prompt = f"prompt:{tc.prompt_mode}" if tc.use_domain_prompt else "no prompt"
    if tc.use_domain_prompt and tc.prompt_file != "prompt.txt":
        prompt += f" ({tc.prompt_file})"
    extras = f" beam {tc.beam_size}" + ("" if tc.word_timestamps else " no-words")
    extras += f" hst {tc.hallucination_silence_threshold:g}" if tc.hallucination_silence_threshold else ""
    extras += f" threads {tc.cpu_threads}" if tc.cpu_threads else ""
    return f"{tc.engine}:{Path(tc.model).name} {prompt}{extras}"


def parse_settings(items: list[str] | tuple[str, ...]) -> dict:
    """`KEY=VALUE` pairs as [transcription] settings, typed like their defaults."""
    known = {f.name: f.default for f in fields(TranscriptionConfig)}
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or key not in known:
            raise ValueError(f"{item!r}: use KEY=VALUE with KEY one of {sorted(known)}")
        default = known[key]
        if isinstance(default, bool):
            out[key] = value.lower() in ("1", "true", "yes", "on")
        else:
            out[key] = type(default)(value) if isinstance(default, int | float | str) else value
    return out


def configurations(base: TranscriptionConfig, *, models=(), engine=None, prompt=None, prompt_mode=None,
                   beam_size=None, word_timestamps=None, cpu_threads=None, compare=False,
                   openai_checkpoint=None, settings=None) -> list[TranscriptionConfig]:
    changes = {k: v for k, v in dict(engine=engine, prompt_mode=prompt_mode, beam_size=beam_size,
                                     word_timestamps=word_timestamps, cpu_threads=cpu_threads).items()
               if v is not None}
    tc = replace(base, **{**(settings or {}), **changes})
    prompts = (True, False) if compare and prompt is None else (tc.use_domain_prompt if prompt is None else prompt,)
    names = models or (("tiny.en", "base") if compare else (tc.model,))
    runs = [replace(tc, model=m, use_domain_prompt=p) for m in names for p in prompts]
    if openai_checkpoint:
        runs += [replace(tc, engine="openai-whisper", model=str(openai_checkpoint), use_domain_prompt=p)
                 for p in prompts]
    return runs


def run_asr_eval(config: Config, *, data_dir: Path | None = None, real_dir: Path | None = None,
                 echo: Callable[[str], None] = print, on_summary: Callable[[EvalSummary], None] | None = None,
                 **options) -> list[EvalSummary]:
    if data_dir:
        data_sets = [("phone set", Path(data_dir))]
    else:
        data_sets = [("phone set", PHONE_SET)] + [
            (name, folder) for name, folder in (("phone set, flite", FLITE_PHONE_SET),
                                                ("phone set, mbrola", MBROLA_PHONE_SET)) if folder.is_dir()]
    real_dir = real_dir or (REAL_SPEECH if REAL_SPEECH.is_dir() else None)
    if real_dir:
        data_sets.append(("real speech", Path(real_dir)))
    from .triage import Triager

    triager = Triager(config.paths.rules_dir)  # the triage the practice runs: what the patient gets
    summaries = []
    for tc in configurations(config.transcription, **options):
        try:
            transcriber = build_transcriber(tc, config.paths.rules_dir)
        except (ModelError, ImportError) as exc:
            echo(f"skipped {label(tc)}: {exc}")
            continue
        for set_name, directory in data_sets:
            summary = evaluate(transcriber, directory, name=f"{label(tc)} | {set_name}", triager=triager)
            echo(format_table([summary]).splitlines()[-1])
            summaries.append(summary)
            on_summary and on_summary(summary)
        del transcriber
    return summaries
