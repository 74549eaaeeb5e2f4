"""The batching proxy gives each thread its own result, identical to decoding it alone (real tiny.en)."""

from __future__ import annotations

import threading
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from pipeline.audio import decode
from pipeline.config import Config
from pipeline.transcribe import FasterWhisperTranscriber, load_whisper_model

ASR_SET = Path(__file__).parent / "data" / "asr"
CLIPS = [ASR_SET / f"vm0{n}.wav" for n in (1, 2, 3)]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tiny():
    config = Config()
    return replace(config.transcription, model="tiny.en", cpu_threads=1)


def _in_threads(calls, session=None) -> list:
    """Run each call in its own thread, all released together (inside `session()` when given, as a
    transcription is); their results in order."""
    results: list = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(i, call):
        with session() if session else nullcontext():
            start.wait()
            results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_each_caller_gets_its_own_result_equal_to_decoding_alone(tiny):
    from faster_whisper.audio import pad_or_trim
    from faster_whisper.tokenizer import Tokenizer

    model = load_whisper_model(tiny, workers=2, batch_size=3)
    proxy = model.model
    tokenizer = Tokenizer(model.hf_tokenizer, False, task="transcribe", language="en")
    encoded = [model.encode(pad_or_trim(model.feature_extractor(decode(p).samples))) for p in CLIPS]
    # Different previous text of one length: the start-of-transcript token sits at one position.
    texts = (" Refill for my blood pressure pills.", " Call me back about the bill please.", "")
    prompts = [[tokenizer.sot_prev, *tokenizer.encode(t)[:8], *tokenizer.sot_sequence] if t
               else list(tokenizer.sot_sequence) for t in texts]
    prompts[2] = prompts[0]
    options = dict(beam_size=5, return_scores=True, return_no_speech_prob=True, max_length=448)
    alone = [proxy._model.generate(e, [p], **options)[0] for e, p in zip(encoded, prompts, strict=True)]

    batched = _in_threads([lambda i=i: proxy.generate(encoded[i], [prompts[i]], **options)[0] for i in range(3)],
                          proxy.session)
    assert proxy.batches == {3: 1}  # one CTranslate2 call for the three
    for one, many in zip(alone, batched, strict=True):
        assert many.sequences_ids == one.sequences_ids
        assert many.scores == pytest.approx(one.scores, abs=1e-5)
        assert many.no_speech_prob == pytest.approx(one.no_speech_prob, abs=1e-5)
    assert len({tuple(r.sequences_ids[0]) for r in batched}) == 3  # three different messages


def test_calls_with_other_options_or_prompt_shapes_are_decoded_alone(tiny):
    model = load_whisper_model(tiny, workers=2, batch_size=2)
    proxy = model.model
    from faster_whisper.audio import pad_or_trim
    from faster_whisper.tokenizer import Tokenizer

    tokenizer = Tokenizer(model.hf_tokenizer, False, task="transcribe", language="en")
    encoded = model.encode(pad_or_trim(model.feature_extractor(decode(CLIPS[0]).samples)))
    greedy = dict(beam_size=1, max_length=448)
    sampled = dict(beam_size=1, sampling_temperature=0.4, sampling_topk=0, max_length=448)
    short = list(tokenizer.sot_sequence)
    longer = [tokenizer.sot_prev, *tokenizer.encode(" Hello."), *short]

    def call(prompt, options):
        return proxy.generate(encoded, [prompt], **options)

    results = _in_threads([lambda: call(short, greedy), lambda: call(short, sampled)], proxy.session)
    results += _in_threads([lambda: call(short, greedy), lambda: call(longer, greedy)], proxy.session)
    assert proxy.batches == {1: 4}  # nothing stacked, nobody stuck
    assert all(len(r) == 1 for r in results)


def test_transcripts_from_shared_batched_model_equal_one_at_a_time(tiny):
    """Three messages at once through one batching model: word for word what each gives alone."""
    samples = [decode(p).samples for p in CLIPS]
    rules = Config().paths.rules_dir
    alone = FasterWhisperTranscriber(tiny, rules)
    expected = [alone.transcribe(s) for s in samples]
    shared = load_whisper_model(tiny, workers=2, batch_size=3)
    transcribers = [FasterWhisperTranscriber(tiny, rules, model=shared) for _ in samples]
    got = _in_threads([lambda t=t, s=s: t.transcribe(s) for t, s in zip(transcribers, samples, strict=True)])
    assert max(shared.model.batches) > 1  # some beam searches were stacked
    for one, many in zip(expected, got, strict=True):
        assert many.text == one.text
        assert [(w.word, w.start, w.end) for w in many.words] == [(w.word, w.start, w.end) for w in one.words]
        assert many.confidence == pytest.approx(one.confidence, abs=1e-3)


def test_each_thread_keeps_its_own_encoder_memory(tiny):
    model = load_whisper_model(tiny)
    features = np.zeros((80, 3000), dtype="float32")
    first = model.encode(features)
    assert model.encode(features) is first  # remembered in this thread
    other = _in_threads([lambda: model.encode(features)])[0]
    assert other is not first  # another thread encodes its own
