"""The process pool that :func:`toolkit.count_terms`, :func:`toolkit.split_sentences` and :func:`toolkit.score_stance`
share (``n_jobs=``).

A task function is applied to blocks of rows, in a pool of forked processes where the platform allows (so the
task, with its compiled word lists, a user's stemmer or the stance model, needs no pickling: only the blocks
travel), and the results come back in the order of the blocks, as in the serial path.
"""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from ._checks import ToolkitError

_WORKER_TASK: Callable | None = None


def n_workers(n_jobs, *, func: str) -> int:
    """Processes for ``n_jobs`` (``-1``: one per CPU); a clear error for anything else."""
    workers = (os.cpu_count() or 1) if n_jobs == -1 else n_jobs
    if not isinstance(workers, int) or workers < 1:
        raise ToolkitError(f"{func}(): n_jobs={n_jobs!r} must be a positive number of processes or -1 (one per "
                           "CPU).")
    return workers


def task_rows(n_rows: int, workers: int, *, smallest: int, largest: int) -> int:
    """Rows per task: about four tasks a process, so every process has work, within ``smallest``..``largest``."""
    return int(min(largest, max(smallest, -(-n_rows // (4 * workers)))))


def _set_worker_task(task: Callable) -> None:
    global _WORKER_TASK
    _WORKER_TASK = task


def _run_worker_task(block):
    return _WORKER_TASK(block)


def ordered_map(task: Callable, blocks: Iterable, workers: int) -> Iterator:
    """``task(block)`` for each block, in order: in this process (``workers == 1``) or in a pool of ``workers``
    processes, at most two blocks a process in flight (the blocks are not all copied at once)."""
    if workers == 1:
        yield from map(task, blocks)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                             initializer=_set_worker_task, initargs=(task,)) as pool:
        pending: deque = deque()
        for block in blocks:
            pending.append(pool.submit(_run_worker_task, block))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
