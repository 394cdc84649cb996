"""The ``toolkit report CORPUS --out DIR`` subcommand: argparse only at import, the analyses inside the handler."""
from __future__ import annotations

import sys
from pathlib import Path


def add_report_parser(subparsers):
    """Add the ``report`` subcommand to an argparse ``subparsers`` object; its handler is ``args.func(args)``."""
    parser = subparsers.add_parser(
        "report", help="analyse a corpus and write a self-contained HTML report",
        description="Load a corpus, analyse it (overview, key phrases over time, keyness by year, stance by "
                    "target, topics) and write DIR/report.html (figures embedded) and DIR/tables/*.csv.")
    parser.add_argument("corpus", type=Path, help="a file or folder of briefings (e.g. corpus/)")
    parser.add_argument("--out", type=Path, default=Path("report"), help="output folder (default report/)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstrap and topic model (default 0)")
    parser.add_argument("--topics", type=int, default=None, help="number of topics (default: from the corpus size)")
    parser.add_argument("--phrase", action="append", dest="phrases", metavar="PHRASE",
                        help="key phrase to follow (repeatable; default: mil-to-mil relations and six more)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run_report)
    return parser


def run_report(args) -> int:
    """Run the ``report`` subcommand: write the report, print where it is and what it found."""
    from .._checks import ToolkitError
    from .render import make_report

    try:
        report, path = make_report(args.corpus, out=args.out, random_state=args.seed, k=args.topics,
                                   phrases=tuple(args.phrases) if args.phrases else None,
                                   progress=not args.no_progress)
    except ToolkitError as exc:
        print(f"toolkit report: {exc}", file=sys.stderr)
        return 2
    overview = dict(zip(report.overview["measure"], report.overview["value"]))
    print(f"report written to {path}  ({sum(report.seconds.values()):.1f} s)")
    print(f"briefings: {overview['briefings']}  turns: {overview['turns']}  words: {overview['words']:,}  "
          f"dates: {overview['first date']} .. {overview['last date']}")
    if len(report.phrase_totals):
        print("key phrases: " + ", ".join(f"{r.term} {r.n}" for r in report.phrase_totals.itertuples()))
    print(f"corpus hash: {report.provenance['corpus_hash']}  seed: {args.seed}")
    for note in report.notes:
        print(f"note: {note}")
    return 0
