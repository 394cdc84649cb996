"""Python's cyclic garbage collector paused while a corpus is processed."""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector (restored after), as a ``with`` block or a decorator.

    Loading and splitting a corpus allocates millions of small lists, tuples and dicts that form no cycles
    (reference counting frees them), and each full collection walks every object alive (pandas, pyarrow and NLTK
    hold hundreds of thousands): at 10× about 0.3 s of ``load_briefings`` and of ``split_sentences`` each
    (alternated runs), about a sixth of ``score_stance``. Forked pool workers inherit the pause.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
