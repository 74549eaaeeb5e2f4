"""The promotion rule: a retrained model that misses more urgent messages is worse than no change.

On every evaluation set the candidate must keep urgent-or-higher recall at least where the current
model has it (no tolerance), and must not lose more than `tolerance` on the other figures, including
the classifier's own urgent-or-higher recall (metrics.py says why).
A figure that cannot be measured on a set (None) is skipped and said so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .metrics import Figures

NO_DROP = ("urgent_recall",)
TOLERATED = ("emergency_recall", "urgent_precision", "concern_accuracy", "model_urgent_recall")
_EPS = 1e-9


@dataclass
class Verdict:
    promote: bool
    reasons: list[str] = field(default_factory=list)  # why refused (empty when promoted)
    notes: list[str] = field(default_factory=list)  # what could not be checked, and what improved


def judge(current: dict[str, Figures], candidate: dict[str, Figures], tolerance: float) -> Verdict:
    """Compare figures per evaluation set (e.g. {"heldout": ..., "reviewed": ...})."""
    reasons, notes = [], []
    for set_name, cur in current.items():
        cand = candidate[set_name]
        if cur.n == 0:
            notes.append(f"{set_name}: empty, nothing checked")
            continue
        for name in NO_DROP + TOLERATED:
            before, after = getattr(cur, name), getattr(cand, name)
            if before is None or after is None:
                notes.append(f"{set_name}: {name} not measurable")
                continue
            allowed = 0.0 if name in NO_DROP else tolerance
            if after < before - allowed - _EPS:
                limit = "must not drop" if name in NO_DROP else f"tolerance {tolerance:g}"
                reasons.append(f"{set_name}: {name} fell from {before:.4f} to {after:.4f} ({limit})")
            elif after > before + _EPS:
                notes.append(f"{set_name}: {name} rose from {before:.4f} to {after:.4f}")
    return Verdict(promote=not reasons, reasons=reasons, notes=notes)
