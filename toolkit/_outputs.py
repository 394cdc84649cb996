"""Output folders checked before any work: created when missing, refused (with the fix) when they cannot be written."""
from __future__ import annotations

import tempfile
from pathlib import Path

from ._checks import ToolkitError


def prepare_output_folder(path: str | Path, *, func: str | None, arg: str, folders: tuple[str, ...] = ()) -> Path:
    """Create the output folder ``path`` (and its ``folders``) or raise a one-line :class:`ToolkitError`.

    Called before any download or computation, so that a wrong ``--out`` costs nothing.

    Parameters
    ----------
    path : str or Path
        The output folder; created with its parents when missing.
    func : str or None
        The function named in the message (``"fetch_briefings"``); None for a command's option.
    arg : str
        The argument named in the message (``"out"``, ``"--out"``).
    folders : tuple of str
        Sub-folders written later (``("raw",)``), created and checked too.

    Returns
    -------
    Path
        ``path`` as a Path.

    Raises
    ------
    ToolkitError
        When ``path`` (or a sub-folder) is an existing file, cannot be created, or cannot be written.

    Examples
    --------
    >>> prepare_output_folder("report/", func=None, arg="--out", folders=("tables",))  # doctest: +SKIP
    PosixPath('report')
    """
    where = f"{func}(): " if func else ""
    folder = Path(path)
    for target in (folder, *(folder / name for name in folders)):
        _make_writable_folder(target, f"{where}argument {arg!r}: ")
    return folder


def _make_writable_folder(folder: Path, prefix: str) -> None:
    if folder.exists() and not folder.is_dir():
        raise ToolkitError(f"{prefix}{folder} is a file, not a folder; give a folder (created if missing) "
                           "or move the file away.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ToolkitError(f"{prefix}cannot create the folder {folder} ({exc.strerror}); "
                           "give a folder whose parents are folders you can write to.") from None
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise ToolkitError(f"{prefix}{folder} is not writable ({exc.strerror}); "
                           "give a folder you can write to, or change its permissions.") from None
