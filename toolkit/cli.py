"""The ``toolkit`` command: ``toolkit summary CORPUS``, ``toolkit report CORPUS --out DIR``, ``toolkit fetch SOURCE --out DIR``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .fetch.cli import add_fetch_parser
from .report.cli import add_report_parser


def summarise(corpus: Path) -> str:
    """A plain-text overview of a corpus: briefings by source, kind, language, spokesperson, dates, turns."""
    from .corpus import load_briefings
    from .turns import pair_dyads, split_turns

    briefings, report, _ = load_briefings(corpus, with_report=True)
    turns = split_turns(briefings)
    dyads = pair_dyads(turns)
    lines = [
        f"corpus: {corpus}",
        f"briefings: {len(briefings)}  turns: {len(turns)}  question/answer dyads: {len(dyads)}  words: {briefings['n_words'].sum():,}",
        f"dates: {briefings['date'].min():%Y-%m-%d} .. {briefings['date'].max():%Y-%m-%d}" if briefings["date"].notna().any() else "dates: none found",
    ]
    for column in ("source", "kind", "lang", "spokesperson"):
        counts = briefings[column].fillna("(unknown)").value_counts()
        lines.append(f"{column}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    lines.append("turns by role: " + ", ".join(f"{k} {v}" for k, v in turns["role"].value_counts().items()))
    lines.append("load report: " + ", ".join(f"{k} {v}" for k, v in report["action"].value_counts().items()))
    for row in report[report["action"].isin(["skipped", "warning"])].itertuples():
        lines.append(f"  {row.action}: {row.source} [{row.record}]: {row.reason}")
    return "\n".join(lines)


def _run_summary(args: argparse.Namespace) -> int:
    print(summarise(args.corpus))
    return 0


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line (``toolkit report: <problem>; see ...``), status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message}; see '{self.prog} --help'\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``toolkit`` command."""
    parser = _Parser(prog="toolkit", description="MND Discourse Toolkit: discourse analysis of press briefings.")
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    commands = parser.add_subparsers(dest="command", required=True)
    summary = commands.add_parser("summary", help="load a corpus and print an overview")
    summary.add_argument("corpus", type=Path, help="a file or folder of briefings (e.g. corpus/)")
    summary.set_defaults(func=_run_summary)
    add_report_parser(commands)
    add_fetch_parser(commands)
    for command in commands.choices.values():  # also after the command: toolkit fetch ... --debug
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                             help="show the full traceback of an error")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``toolkit`` console script: the command's exit status.

    A user error (a bad option, an unwritable output, a corpus that cannot be read) ends with one line
    ``toolkit <command>: <problem and fix>`` on stderr and status 2; ``--debug`` shows the traceback instead.
    """
    args = build_parser().parse_args(argv)
    if args.debug:
        return args.func(args)
    from ._checks import ToolkitError  # after parsing, so that --help stays light

    try:
        return args.func(args)
    except (ToolkitError, OSError) as exc:
        print(f"toolkit {args.command}: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"toolkit {args.command}: interrupted", file=sys.stderr)
        return 130


def _one_line(exc: Exception) -> str:
    """The message of a user error on one line; an OSError says which file and suggests --debug."""
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror}; check the path and its permissions (--debug shows the traceback)"
    return " ".join(str(exc).splitlines())


if __name__ == "__main__":
    sys.exit(main())
