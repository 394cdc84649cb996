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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``toolkit`` command."""
    parser = argparse.ArgumentParser(prog="toolkit", description="MND Discourse Toolkit: discourse analysis of press briefings.")
    commands = parser.add_subparsers(dest="command", required=True)
    summary = commands.add_parser("summary", help="load a corpus and print an overview")
    summary.add_argument("corpus", type=Path, help="a file or folder of briefings (e.g. corpus/)")
    summary.set_defaults(func=_run_summary)
    add_report_parser(commands)
    add_fetch_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``toolkit`` console script."""
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
