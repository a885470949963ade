"""``briefer eval``: score an engine against human-annotated gold data."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from briefer.deliver.files import write_stdout
from briefer.errors import BrieferError

TASKS = ("attribution", "framing")

_EPILOG = """\
attribution (PolNeAR-format JSONL): precision/recall/F1 of claim source, cue and content spans
and of the whole source+cue+content triple, per outlet too. Exact match: predicted [start, end)
equals the gold span (discontinuous gold is compared by its hull). Overlap: any shared
character (with a gold fragment); gold and predicted spans are paired one to one, largest
overlap first. Gold without a source and claims without a source span add nothing to source
scores; attributions whose cue lies in a record's discard_spans are left out.

framing (BASIL or BABE JSONL): sentence-level agreement with bias/opinion labels.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "eval",
        help="score an engine against gold annotations",
        description="Brief every article of a gold JSONL file and score the result.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("gold", type=Path, metavar="GOLD.jsonl", help="gold annotations")
    parser.add_argument("--task", choices=TASKS, default="attribution", help="what to score")
    parser.add_argument("--engine", default="rules", help="engine to evaluate (default: rules)")
    parser.add_argument("--json", action="store_true", help="print a JSON object")
    parser.add_argument(
        "--report", type=Path, metavar="FILE.html", help="write an HTML error report"
    )
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N records")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit <= 0:
        raise BrieferError("--limit must be a positive number of records")
    if not args.gold.is_file():
        raise BrieferError(f"gold file {args.gold} does not exist; pass a JSONL file")
    if args.task == "attribution":
        from briefer.evaluation.attribution import evaluate_attribution
        from briefer.evaluation.attribution_report import write_attribution_report

        result = evaluate_attribution(args.gold, engine=args.engine, limit=args.limit)
        if args.report is not None:
            write_attribution_report(result, args.report)
    else:
        from briefer.evaluation.framing import evaluate_framing, write_framing_report

        result = evaluate_framing(args.gold, engine=args.engine, limit=args.limit)
        if args.report is not None:
            write_framing_report(result, args.report)
    if args.json:
        write_stdout(json.dumps(result.to_dict(), indent=2))
    else:
        write_stdout("\n".join(result.summary_lines()))
    return 0
