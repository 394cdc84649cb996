"""The ``toolkit fetch`` subcommand."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import ARCHIVE_NAMES, SOURCE_NAMES

EPILOG = """examples:
  toolkit fetch mnd_en --out corpus/mnd_en --since 2024-01-01
  toolkit fetch mfa_zh --out corpus/mfa_zh --since 2020-01-01 --until 2020-06-30 --delay 2
  toolkit fetch mfa_en --out /tmp/mfa --base-url http://127.0.0.1:8000   # a mirror with the same paths
  toolkit fetch mnd_zh --out corpus/mnd_zh_old --archive wayback --since 2015-01-01   # retired pages

Run the same command again to resume or update: saved pages are skipped, failed ones retried.
Exit status 0 when every page was fetched, 1 when some failed (listed in the summary), 2 on bad options or
an --out that cannot be written (checked before any download); --debug shows the traceback of an error."""


def add_fetch_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``fetch`` subcommand to an argparse ``subparsers`` object; its handler is ``args.func(args)``."""
    parser = subparsers.add_parser(
        "fetch",
        help="download briefings from an official archive into a corpus folder",
        description="Walk the listing pages of an official archive and save the article pages as served "
                    "(DIR/raw/) with a manifest (DIR/manifest.csv); toolkit.load_briefings(DIR) then reads "
                    "the folder as a corpus. Sources: mnd_en (eng.mod.gov.cn, eng.chinamil.com.cn), mnd_zh "
                    "(www.mod.gov.cn), mfa_en and mfa_zh (www.fmprc.gov.cn).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("source", choices=SOURCE_NAMES, help="which archive")
    parser.add_argument("--out", required=True, type=Path, help="corpus folder (created if needed)")
    parser.add_argument("--since", help="first date kept, YYYY-MM-DD (listing date)")
    parser.add_argument("--until", help="last date kept, YYYY-MM-DD (listing date)")
    parser.add_argument("--base-url", help="ask this server (mirror, test server) instead of the official host "
                                           "(with --archive: instead of web.archive.org)")
    parser.add_argument("--archive", choices=ARCHIVE_NAMES,
                        help="fetch the retired pre-2023 addresses from the Wayback Machine (CDX listing)")
    parser.add_argument("--start-url", action="append", dest="start_urls", metavar="URL",
                        help="walk this listing page instead of the source's own (repeatable)")
    parser.add_argument("--section", action="append", dest="sections", metavar="NAME",
                        help="walk only this section of the source (repeatable), e.g. mnd_zh: lxjzhzt, lxjzh, "
                             "yzxwfb, fyrthhdjzw, ztjzh")
    parser.add_argument("--delay", type=float, default=1.0, help="seconds between requests (default 1)")
    parser.add_argument("--concurrency", type=int, default=2, help="pages fetched in parallel (default 2)")
    parser.add_argument("--max-pages", type=int, help="listing pages read per section at most")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per request (default 20)")
    parser.add_argument("--retries", type=int, default=3, help="retries after 5xx/timeouts (default 3)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run_fetch)
    return parser


def run_fetch(args: argparse.Namespace) -> int:
    """Run the fetch described by parsed ``args``, print the summary, return the exit status (1: some pages failed).

    Bad options and an unwritable ``--out`` raise :class:`toolkit.ToolkitError` before any request;
    ``toolkit.cli.main`` turns it into one line and exit status 2.
    """
    from .crawl import fetch_briefings

    summary = fetch_briefings(
        args.source, args.out, since=args.since, until=args.until, base_url=args.base_url,
        start_urls=args.start_urls, sections=args.sections, delay=args.delay, concurrency=args.concurrency,
        max_pages=args.max_pages, timeout=args.timeout, retries=args.retries, progress=not args.no_progress,
        archive=args.archive,
    )
    print(summary)
    return 1 if len(summary.failures) else 0


def main(argv: list[str] | None = None) -> int:
    """``python -m toolkit.fetch SOURCE --out DIR ...``: exactly ``toolkit fetch SOURCE --out DIR ...``.

    The same options, one-line errors with exit status 2, and ``--debug``; a leading ``fetch`` is accepted too.
    """
    from ..cli import main as toolkit_main

    argv = list(sys.argv[1:] if argv is None else argv)
    return toolkit_main(argv if argv[:1] == ["fetch"] else ["fetch", *argv])
