"""Import spaCy without PyTorch.

spaCy's thinc imports PyTorch whenever it is installed (the `[openai]` extra brings it): about 1.4 s
and 400 MB more for `vmtriage run`, for a tokenizer and ConText that never use it. PyTorch is hidden
while spaCy loads; a later `import torch` (the openai-whisper engine) works as usual.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager


@contextmanager
def torch_hidden():
    if "torch" in sys.modules:  # already loaded (openai-whisper engine first): nothing to save
        yield
        return
    sys.modules["torch"] = None  # `import torch` raises ImportError; thinc then runs without it
    try:
        yield
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


with torch_hidden():
    from spacy.tokens import Span
    from spacy.util import filter_spans

__all__ = ["Span", "filter_spans", "torch_hidden"]
