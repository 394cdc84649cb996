"""The ``toolkit report CORPUS --out DIR`` subcommand: argparse only at import, the analyses inside the handler."""
from __future__ import annotations

import argparse
from pathlib import Path

MAX_SEED = 2**32 - 1  # numpy's largest seed


def add_report_parser(subparsers):
    """Add the ``report`` subcommand to an argparse ``subparsers`` object; its handler is ``args.func(args)``."""
    parser = subparsers.add_parser(
        "report", help="analyse a corpus and write a self-contained HTML report",
        description="Load a corpus, analyse it (overview, key phrases over time, keyness by year, stance by "
                    "target, topics) and write DIR/report.html (figures embedded) and DIR/tables/*.csv.")
    parser.add_argument("corpus", type=Path, help="a file or folder of briefings (e.g. corpus/)")
    parser.add_argument("--out", type=Path, default=Path("report"), help="output folder (default report/)")
    parser.add_argument("--seed", type=_seed, default=0, help="seed of the bootstrap and topic model (default 0)")
    parser.add_argument("--topics", type=_topic_count, default=None,
                        help="number of topics, 2 or more (default: from the corpus size)")
    parser.add_argument("--phrase", action="append", dest="phrases", metavar="PHRASE",
                        help="key phrase to follow (repeatable; default: mil-to-mil relations and six more)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run_report)
    return parser


def _whole_number(text: str, low: int, high: int | None, wanted: str) -> int:
    """``text`` as an integer in ``low..high``, or an argparse error saying what is ``wanted``."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {wanted}") from None
    if value < low or high is not None and value > high:
        raise argparse.ArgumentTypeError(f"{value} is not {wanted}")
    return value


def _seed(text: str) -> int:
    return _whole_number(text, 0, MAX_SEED, f"an integer from 0 to {MAX_SEED}")


def _topic_count(text: str) -> int:
    return _whole_number(text, 2, None, "an integer >= 2")


def run_report(args) -> int:
    """Run the ``report`` subcommand: write the report, print where it is and what it found.

    CORPUS and ``--out`` are checked first: a bad one raises :class:`toolkit.ToolkitError` before any computation.
    """
    from .._checks import ToolkitError
    from .._outputs import prepare_output_folder
    from .render import make_report

    if not args.corpus.exists():
        raise ToolkitError(f"argument 'corpus': {args.corpus} does not exist; give a file or folder of briefings "
                           "(e.g. corpus/).")
    out = prepare_output_folder(args.out, func=None, arg="--out", folders=("tables",))
    report, path = make_report(args.corpus, out=out, random_state=args.seed, k=args.topics,
                               phrases=tuple(args.phrases) if args.phrases else None,
                               progress=not args.no_progress)
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
