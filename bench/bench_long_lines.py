"""Long single-line articles: time and peak memory of each stage, at 1 MB and 5 MB.

Usage: python bench/bench_long_lines.py [--sizes 1000000,5000000] [--source PATH ...]
       [--formats md,json,html] [--tracemalloc]

The text is the PolNeAR dev articles of ../shared/eval (else the bundled examples; or
``--source`` files: text, or JSONL with a "text" field) with every line break turned into a
space, repeated to the size: once with its sentence punctuation, once with ``.!?`` removed (one
"sentence" of megabytes). Each case runs in a fresh subprocess. Memory is the peak RSS by the
end of each stage (VmHWM, reset once the text is loaded) over the RSS at that point, and that
as a multiple of the input size (target: under 20x); time should grow linearly with the size.
``--tracemalloc`` adds Python-allocation peaks per stage (and slows the run down).
Prints figures only; it asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# News at its usual density of attributions (the default of bench_rules.py too), else the
# bundled examples, which pack about twice as many claims into each kilobyte.
_GOLD = ROOT.parent / "shared" / "eval" / "polnear_attribution_dev.jsonl"
DEFAULT_SOURCES = [_GOLD] if _GOLD.is_file() else sorted((ROOT / "examples").glob("*.txt"))


def _texts(path: Path) -> list[str]:
    if path.suffix == ".jsonl":  # an eval file such as ../shared/eval/polnear_attribution_dev
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line)["text"] for line in lines if line.strip()]
    return [path.read_text(encoding="utf-8")]


def single_line(sources: list[Path], size: int, punctuation: bool) -> str:
    texts = [text for path in sources for text in _texts(path)]
    base = " ".join(" ".join(text.split()) for text in texts)
    if not punctuation:
        base = re.sub(r"[.!?]", "", base)
    repeats = -(-size // (len(base) + 1))
    return " ".join([base] * repeats)[:size]


def _status_mb(field: str) -> float | None:
    try:
        found = re.search(rf"{field}:\s+(\d+) kB", Path("/proc/self/status").read_text())
    except OSError:
        return None
    return int(found.group(1)) / 1024 if found else None


def _reset_peak() -> float:
    """Forget the RSS high-water mark of building the text; the RSS to measure growth from."""
    # Linux: writing 5 resets VmHWM to VmRSS. Elsewhere the peak includes building the text.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _status_mb("VmRSS") or _peak_mb()


def _peak_mb() -> float:
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _measure(trace: bool, baseline: float, step: Callable[[], Any]) -> tuple[Any, dict[str, float]]:
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    result = step()
    elapsed = time.perf_counter() - started
    # The high-water mark only grows: this is the peak so far, over the RSS with the text loaded.
    figures = {"seconds": elapsed, "rss_growth_mb": _peak_mb() - baseline}
    if trace:
        figures["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return result, figures


def child(
    size: int, punctuation: bool, sources: list[Path], formats: list[str], trace: bool
) -> int:
    from briefer.contract import Article
    from briefer.engines.rules import RulesEngine
    from briefer.pipeline import assemble
    from briefer.render import render

    text = single_line(sources, size, punctuation)
    article = Article(text=text)
    engine = RulesEngine()
    warm = engine.analyze(Article(text="Warm-up. The council said the vote was close."))
    for fmt in formats:
        render(assemble(Article(text="Warm-up."), warm, engine_name=engine.name), fmt)
    baseline = _reset_peak()
    stages: dict[str, dict[str, float]] = {}
    draft, stages["engine"] = _measure(trace, baseline, lambda: engine.analyze(article))
    briefing, stages["ground+validate"] = _measure(
        trace, baseline, lambda: assemble(article, draft, engine_name=engine.name)
    )
    for fmt in formats:
        _, stages[f"render {fmt}"] = _measure(trace, baseline, partial(render, briefing, fmt))
    counts = {"claims": len(briefing.claims), "framing": len(briefing.framing)}
    print(json.dumps({"stages": stages, "counts": counts, "peak_rss_mb": _peak_mb()}))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,5000000", help="comma-separated, in chars")
    parser.add_argument(
        "--source", type=Path, action="append", help="text or JSONL file(s) to repeat"
    )
    parser.add_argument("--formats", default="md,json,html", help="renderers to time ('' none)")
    parser.add_argument("--tracemalloc", action="store_true", help="also Python-heap peaks")
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "PUNCT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sources = args.source or DEFAULT_SOURCES
    formats = [fmt for fmt in args.formats.split(",") if fmt]
    if args.child:
        size, punct = args.child
        return child(int(size), punct == "1", sources, formats, args.tracemalloc)

    for size in (int(value) for value in args.sizes.split(",")):
        for punctuation in (True, False):
            label = f"{size / 1e6:g} MB single line, {'with' if punctuation else 'no'} .!?"
            report = _run_child(size, punctuation, sources, args.formats, trace=False)
            # tracemalloc slows everything down and its own bookkeeping inflates the RSS:
            # the traced figures come from a second run.
            traced = (
                _run_child(size, punctuation, sources, args.formats, trace=True)
                if args.tracemalloc
                else None
            )
            if report is None or (args.tracemalloc and traced is None):
                print(f"{label}: failed", file=sys.stderr)
                return 1
            counts = report["counts"]
            print(f"{label} ({counts['claims']} claims, {counts['framing']} framing items):")
            for stage, figures in report["stages"].items():
                growth = figures["rss_growth_mb"]
                line = (
                    f"  {stage:<16} {figures['seconds']:7.2f} s   peak RSS so far "
                    f"+{growth:6.1f} MB ({growth * 2**20 / size:4.1f}x input)"
                )
                if args.tracemalloc and traced is not None:
                    peak = traced["stages"][stage]["traced_peak_mb"]
                    line += f"   traced peak {peak:6.1f} MB ({peak * 2**20 / size:4.1f}x)"
                print(line)
            print(f"  process peak RSS {report['peak_rss_mb']:.0f} MB")
    return 0


def _run_child(
    size: int, punctuation: bool, sources: list[Path], formats: str, *, trace: bool
) -> dict[str, Any] | None:
    command = [sys.executable, __file__, "--child", str(size), "1" if punctuation else "0"]
    command += ["--formats", formats]
    command += [arg for path in sources for arg in ("--source", str(path))]
    if trace:
        command.append("--tracemalloc")
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        return None
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


if __name__ == "__main__":
    raise SystemExit(main())
