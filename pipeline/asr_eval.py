"""ASR evaluation: word error rate after normalisation and recall of clinical red-flag terms.

A data folder holds audio files and `references.tsv` (columns `file`, `reference`, optional
`terms` separated by `|`). A file name may end in `#left` or `#right` to pick one channel of a
stereo recording. The real-time factor counts everything a message costs: decoding, the audio
measures (VAD included) and transcription.
"""

from __future__ import annotations

import csv
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import jiwer
import numpy as np

from . import audio as audio_stage
from . import quality
from .records import URGENCY_RANK
from .transcribe import Transcriber

DIGITS = "zero one two three four five six seven eight nine".split()
TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORDS = set(DIGITS + TEENS + TENS[2:] + ["hundred", "thousand", "oh", "point"])
ORDINALS = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
            "nine": "ninth", "twelve": "twelfth"}
SPELLINGS = {"etc": "et cetera", "etcetera": "et cetera", "em": "them",
             "dr": "doctor", "mr": "mister", "mrs": "missus", "ok": "okay", "lightheaded": "light headed",
             "nosebleed": "nose bleed", "cannot": "can not"}
CONTRACTIONS = {"i'm": "i am", "i've": "i have", "i'll": "i will", "it's": "it is", "he's": "he is",
                "she's": "she is", "that's": "that is", "we're": "we are", "they're": "they are",
                "you're": "you are", "don't": "do not", "doesn't": "does not", "didn't": "did not",
                "can't": "can not", "won't": "will not", "isn't": "is not",
                "wasn't": "was not", "haven't": "have not", "let's": "let us"}


def number_words(token: str) -> str:
    """Digits as a caller says them: cardinals up to 9999, longer runs (phone numbers) digit by digit."""
    n = int(token)
    if len(token) > 4 or token.startswith("0") and len(token) > 1:
        return " ".join(DIGITS[int(d)] for d in token)
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return TEENS[n - 10]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + DIGITS[n % 10])
    if n < 1000:
        return DIGITS[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + number_words(str(n % 100)))
    return number_words(str(n // 1000)) + " thousand" + ("" if n % 1000 == 0 else " " + number_words(str(n % 1000)))


def ordinal_words(token: str) -> str:
    """"20th" as said: "twentieth"."""
    *head, last = number_words(token).split()
    last = ORDINALS.get(last) or (last[:-1] + "ieth" if last.endswith("y") else last + "th")
    return " ".join([*head, last])


def normalise(text: str) -> str:
    """Lower case, no punctuation, numbers as words, common spellings unified."""
    text = text.lower().replace("’", "'").replace("%", " percent")
    text = re.sub(r"[a-z]+'[a-z]+", lambda m: CONTRACTIONS.get(m.group(), m.group()), text)
    text = re.sub(r"\d+(?:-\d+)+", lambda m: " ".join(DIGITS[int(d)] for d in re.sub(r"\D", "", m.group())), text)
    text = re.sub(r"(\d),(\d{3})", r"\1\2", text)
    text = re.sub(r"(\d)\.(\d)", r"\1 point \2", text)
    text = re.sub(r"\b(\d+)(st|nd|rd|th)\b", lambda m: f" {ordinal_words(m.group(1))} ", text)
    text = re.sub(r"\ba hundred\b", "one hundred", text)  # "a hundred and two" == "102"
    text = re.sub(r"\d+", lambda m: f" {number_words(m.group())} ", text)
    text = re.sub(r"\be-mail", "email", text)  # before punctuation becomes space
    text = re.sub(r"'s\b", "s", text)
    text = re.sub(r"n't\b", "nt", text)
    text = re.sub(r"[^\w\s]", " ", text)
    words = " ".join(SPELLINGS.get(w, w) for w in text.split()).split()
    out = []
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if word == "and" and out and out[-1] == "hundred" and following in NUMBER_WORDS:
            continue  # "one hundred and two" == "102"
        out.append(word)
    return " ".join(out)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def term_found(term: str, hypothesis: str) -> bool:
    """The term as whole words; singular and plural count alike ("wounds" keeps the clinical word
    "wound"), so the recall measures mis-hearings, not grammar."""
    term_words = [_singular(w) for w in normalise(term).split()]
    words = [_singular(w) for w in normalise(hypothesis).split()]
    n = len(term_words)
    return any(words[i:i + n] == term_words for i in range(len(words) - n + 1))


@dataclass
class Reference:
    file: str
    reference: str
    terms: list[str] = field(default_factory=list)


@dataclass
class FileResult:
    file: str
    reference: str
    hypothesis: str
    wer: float
    terms: list[str]
    missed_terms: list[str]
    audio_s: float
    elapsed_s: float
    confidence: float
    needs_listen_hint: bool  # quality.apply said a person must listen (as the pipeline would)
    cpu_s: float = 0.0  # CPU time of all threads: unlike wall time, not inflated by other busy programs
    reference_urgency: str = ""  # the project's triage of what was said ...
    hypothesis_urgency: str = ""  # ... and of what was heard: what the patient actually gets

    @property
    def red_flag(self) -> bool:
        return self.reference_urgency in ("emergency", "urgent")

    @property
    def triage_kept(self) -> bool:
        """The transcript still reaches the urgency of what was said (or higher)."""
        return URGENCY_RANK.get(self.hypothesis_urgency, 99) <= URGENCY_RANK[self.reference_urgency]


@dataclass
class EvalSummary:
    name: str
    files: int
    wer: float
    term_recall: float | None
    terms: int
    rtf: float
    audio_s: float
    elapsed_s: float
    results: list[FileResult]
    cpu_rtf: float = 0.0
    triage_kept: float | None = None  # share of red-flag clips whose transcript triages as urgent as said
    red_flag_files: int = 0
    lowered_unflagged: int = 0  # red-flag clips triaged lower AND not marked for a person to listen


    def headline(self) -> dict:
        return {"name": self.name, "files": self.files, "wer": round(self.wer, 4),
                "term_recall": None if self.term_recall is None else round(self.term_recall, 4),
                "terms": self.terms,
                "triage_kept": None if self.triage_kept is None else round(self.triage_kept, 4),
                "red_flag_files": self.red_flag_files, "lowered_unflagged": self.lowered_unflagged,
                "rtf": round(self.rtf, 3), "cpu_rtf": round(self.cpu_rtf, 3),
                "audio_s": round(self.audio_s, 1)}


def load_references(data_dir: Path) -> list[Reference]:
    path = Path(data_dir) / "references.tsv"
    if not path.is_file():
        path = Path(data_dir) / "transcripts.tsv"
    if not path.is_file():
        raise FileNotFoundError(f"{data_dir} has no references.tsv (columns: file, reference[, terms])")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [Reference(r["file"], r["reference"], [t for t in (r.get("terms") or "").split("|") if t])
            for r in rows]


def load_samples(data_dir: Path, name: str) -> np.ndarray:
    """16 kHz mono samples of a file, or one channel of it for `name#left` / `name#right`."""
    file, _, side = name.partition("#")
    path = Path(data_dir) / file
    if not side:
        return audio_stage.decode(path).samples
    import av

    resampler = av.AudioResampler(format="fltp", layout="stereo", rate=audio_stage.SAMPLE_RATE)
    chunks = []
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            frame.pts = None
            chunks += [out.to_ndarray() for out in resampler.resample(frame)]
    chunks += [out.to_ndarray() for out in resampler.resample(None)]
    return np.concatenate(chunks, axis=1)[0 if side == "left" else 1].astype(np.float32)


def evaluate(transcriber: Transcriber, data_dir: Path, name: str = "", triager=None) -> EvalSummary:
    """WER, term recall and RTF; with a `Triager`, also whether each red-flag clip's transcript
    still triages as urgent as its reference."""
    results = []
    for ref in load_references(data_dir):
        started, cpu_started = time.perf_counter(), time.process_time()
        samples = load_samples(data_dir, ref.file)
        info = audio_stage.measure(samples)  # the per-message measures (VAD included) count toward the cost
        # As the pipeline stores it: a made-up final sentence dropped, the reasons to listen set.
        min_confidence = getattr(getattr(transcriber, "config", None), "min_confidence", 0.55)
        transcript = quality.apply(transcriber.transcribe(samples), info, min_confidence=min_confidence)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        hypothesis = transcript.triage_text if transcript.language != "en" else transcript.text
        reference, hyp = normalise(ref.reference), normalise(hypothesis)
        results.append(FileResult(
            file=ref.file, reference=ref.reference, hypothesis=hypothesis,
            wer=jiwer.wer(reference, hyp) if hyp else 1.0,
            terms=ref.terms, missed_terms=[t for t in ref.terms if not term_found(t, hypothesis)],
            audio_s=samples.size / audio_stage.SAMPLE_RATE, elapsed_s=elapsed,
            confidence=transcript.confidence, needs_listen_hint=transcript.needs_listen, cpu_s=cpu,
        ))
    if triager is not None:
        add_triage(results, triager)
    return summarise(name or transcriber.name, results)


def add_triage(results: list[FileResult], triager) -> None:
    """Triage reference and hypothesis with the project's own triage (sounds-like matching included)."""
    decided = triager.triage_many([r.reference for r in results] + [r.hypothesis for r in results])
    for result, ref, hyp in zip(results, decided[:len(results)], decided[len(results):], strict=True):
        result.reference_urgency, result.hypothesis_urgency = ref.urgency, hyp.urgency


def summarise(name: str, results: list[FileResult]) -> EvalSummary:
    refs = [normalise(r.reference) for r in results]
    hyps = [normalise(r.hypothesis) for r in results]
    terms = sum(len(r.terms) for r in results)
    missed = sum(len(r.missed_terms) for r in results)
    audio_s = sum(r.audio_s for r in results)
    elapsed = sum(r.elapsed_s for r in results)
    flagged = [r for r in results if r.red_flag]
    return EvalSummary(
        name=name, files=len(results), wer=jiwer.wer(refs, hyps) if results else 0.0,
        term_recall=(terms - missed) / terms if terms else None, terms=terms,
        rtf=elapsed / audio_s if audio_s else 0.0, audio_s=audio_s, elapsed_s=elapsed, results=results,
        cpu_rtf=sum(r.cpu_s for r in results) / audio_s if audio_s else 0.0,
        triage_kept=sum(r.triage_kept for r in flagged) / len(flagged) if flagged else None,
        red_flag_files=len(flagged),
        lowered_unflagged=sum(not r.triage_kept and not r.needs_listen_hint for r in flagged),
    )


def format_table(summaries: list[EvalSummary]) -> str:
    lines = [f"{'configuration':<44} {'files':>5} {'WER':>7} {'term recall':>12} {'triage kept':>12} "
             f"{'silent':>6} {'RTF':>6} {'CPU-s/s':>7}"]
    for s in summaries:
        recall = "-" if s.term_recall is None else f"{s.term_recall:.1%} ({s.terms})"
        kept = "-" if s.triage_kept is None else f"{s.triage_kept:.1%} ({s.red_flag_files})"
        silent = "-" if s.triage_kept is None else str(s.lowered_unflagged)
        lines.append(f"{s.name:<44} {s.files:>5} {s.wer:>7.1%} {recall:>12} {kept:>12} "
                     f"{silent:>6} {s.rtf:>6.3f} {s.cpu_rtf:>7.3f}")
    return "\n".join(lines)
