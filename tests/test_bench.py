"""`vmtriage bench`: the harness runs end to end and reports every figure (speed itself is never asserted)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from pipeline.bench import corpus
from pipeline.cli import main
from pipeline.config import Config
from pipeline.process import threads_per_worker

from .conftest import VOICEMAILS


@pytest.mark.slow
def test_quick_bench_on_the_fixtures_reports_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(main, ["bench", "--quick", "--corpus", str(VOICEMAILS), "--model", "tiny.en",
                                       "--small-model", "tiny.en", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    summary = data["summary"]
    assert data["notes"] == []
    assert summary["asr"]["messages"] == 2
    assert set(summary["asr"]["pipeline"]["stages_s"]) == {"decode", "transcribe", "triage", "store"}
    assert summary["asr"]["pipeline_overhead"] is not None
    assert summary["asr"]["small_speedup"] is not None
    assert summary["asr"]["word_timestamps_cost"] is not None
    assert "skipped" in summary["openai"]
    assert summary["backlog"]["one_at_a_time"]["done"] == summary["backlog"]["messages"]
    assert summary["backlog"]["backlog_mode"]["done"] == summary["backlog"]["messages"]
    assert summary["latency"]["drop_to_listed_s"] > 0
    assert summary["latency"]["run_peak_rss_mb"] > 0
    assert set(summary["targets"]) == {"pipeline_overhead", "backlog_speedup", "drop_to_listed_s", "run_peak_rss_mb"}


def test_the_main_set_plans_forty_distinct_voicemails_of_ten_to_ninety_seconds():
    clips = corpus.plan(**corpus.SETS["main"])
    assert len(clips) >= 40
    assert len({c.text for c in clips}) == len(clips)
    assert all(10 <= c.target_s <= 90 for c in clips)
    assert max(c.target_s for c in clips) >= 75


def test_two_workers_share_the_cores_between_them(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 4)
    config = Config()
    config = replace(config, ingest=replace(config.ingest, workers=2))
    assert threads_per_worker(config).transcription.cpu_threads == 2


def test_an_explicit_thread_count_is_kept_with_several_workers(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 4)
    config = Config()
    config = replace(config, ingest=replace(config.ingest, workers=2),
                     transcription=replace(config.transcription, cpu_threads=3))
    assert threads_per_worker(config).transcription.cpu_threads == 3
