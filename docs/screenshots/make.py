"""Regenerate the HTML briefing screenshots in this folder (README "What the HTML looks like").

    python docs/screenshots/make.py

Briefs ``examples/council-vote.html`` with the CLI (``python -m briefer brief ... --format
html``), opens the page in Debian's headless Chromium (``apt-get install chromium``) through
Playwright (``pip install '.[test]'``), and writes three PNGs:

- ``desktop.png``: 1280 px wide, the article text with the source filter on one source;
- ``phone.png``: 390 px wide, the attributed claims, grouped by source with their colour keys;
- ``print.png``: the print stylesheet (``emulate_media(print)``) on an A4-wide page.

Nothing is fetched: the page is a local file and Chromium's background requests are off.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser_support import ARGS  # noqa: E402  (the browser tests' flags: one list of them)

EXAMPLE = ROOT / "examples" / "council-vote.html"
CHROMIUM = "/usr/bin/chromium"
PICKED = "s3"  # the council leader: three claims, mentioned as "he" twice


def briefing_page(folder: Path) -> Path:
    out = folder / "council-vote.html"
    command = [sys.executable, "-m", "briefer", "brief", str(EXAMPLE), "--format", "html"]
    subprocess.run([*command, "-o", str(out)], check=True, cwd=ROOT)
    return out


def shoot(page: Page, selector: str, name: str) -> None:
    page.evaluate("(s) => document.querySelector(s).scrollIntoView()", selector)
    page.screenshot(path=str(HERE / name))
    print(f"{name}: {(HERE / name).stat().st_size // 1000} KB")


def main() -> int:
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as driver:
        url = briefing_page(Path(folder)).as_uri()
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            desktop = browser.new_page(viewport={"width": 1280, "height": 860})
            desktop.goto(url)
            desktop.locator(f"#src-{PICKED} button.src-filter").click()
            shoot(desktop, "#sec-article", "desktop.png")
            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.goto(url)
            shoot(phone, "#sec-claims", "phone.png")
            paper = browser.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
            paper.goto(url)
            paper.emulate_media(media="print")
            shoot(paper, "#sec-article", "print.png")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
