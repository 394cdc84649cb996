"""What a folder holds: every entry below it, each either a regular file to read or a reason it is not read.

Nothing is passed over in silence: hidden files and folders, broken or folder symbolic links, FIFOs,
sockets and devices, unreadable files and folders each come back as an :class:`Entry` with a
``problem`` that the load report shows with its fix.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Entry:
    """One entry of a corpus folder: ``problem`` is ``None`` for a regular, readable file."""

    path: Path
    problem: str | None = None


def walk(root: Path) -> list[Entry]:
    """Every entry below ``root`` (or ``root`` itself when it is a file), sorted by path."""
    if not root.is_dir():
        return [_file_entry(root)]
    entries: list[Entry] = []

    def unlisted(error: OSError) -> None:
        entries.append(Entry(Path(error.filename or root), f"cannot list the folder ({error.strerror or error}); "
                                                            "give the toolkit read and execute permission on it"))

    for folder, dirs, files in os.walk(root, onerror=unlisted):
        here = Path(folder)
        for name in list(dirs):
            problem = _folder_problem(here / name)
            if problem:
                dirs.remove(name)
                entries.append(Entry(here / name, problem))
        entries += [_file_entry(here / name) for name in files]
    return sorted(entries, key=lambda e: str(e.path))


def _folder_problem(path: Path) -> str | None:
    if path.name.startswith("."):
        return "hidden folder (its name starts with '.'): not read; rename it to load its files"
    if path.is_symlink():
        return (f"symbolic link to a folder ({os.readlink(path)}): not followed, to avoid loops; "
                "load that folder itself or copy its files here")
    return None


def _file_entry(path: Path) -> Entry:
    if path.name.startswith("."):
        return Entry(path, "hidden file (its name starts with '.'): not read; rename it to load it")
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return Entry(path, f"broken symbolic link (points to {os.readlink(path)}); fix or remove the link")
    except OSError as exc:
        return Entry(path, f"cannot read the file ({exc.strerror or exc}); check its permissions")
    if not stat.S_ISREG(mode):
        return Entry(path, f"not a regular file ({_kind(mode)}): not read; copy its content into a file")
    if not os.access(path, os.R_OK):
        return Entry(path, "cannot read the file (permission denied); give read permission, e.g. chmod u+r")
    return Entry(path)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a file"
