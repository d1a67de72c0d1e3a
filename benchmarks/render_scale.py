"""How long the timeline page takes to first render at 1k / 10k / 50k events, next to a
plain ``plotly.express.scatter`` of the same points loaded in the same browser.

    python benchmarks/render_scale.py [--sizes 1000 10000 50000] [--repeat 2] [--out DIR]

Time to first render = from navigation start to the resolution of the page's first
``Plotly.newPlot`` promise (which resolves just after ``plotly_afterplot``), read from
``performance.now()`` in the page. Both pages inline plotly.js, so both pay for parsing
it; sizes are given with and without plotly.js. Uses the system chromium (tests/browser.py).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import plotly.express as px
from plotly.offline import get_plotlyjs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.browser import launch, synthetic_table  # noqa: E402
from timeline import render  # noqa: E402

# Wrap Plotly.newPlot as soon as plotly.js defines window.Plotly, to time its first plot.
HOOK = """
(() => {
  let P;
  Object.defineProperty(window, "Plotly", {configurable: true, get: () => P, set: (v) => {
    P = v;
    const orig = v.newPlot;
    v.newPlot = function () {
      const p = orig.apply(this, arguments);
      p.then(() => { if (window.__firstPlot === undefined) window.__firstPlot = performance.now(); });
      return p;
    };
  }});
})();
"""


def first_render(browser, path: Path) -> float:
    """Milliseconds from navigation start to the first finished Plotly.newPlot."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.add_init_script(HOOK)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="commit")
    page.wait_for_function("() => window.__firstPlot !== undefined && "
                           "document.querySelector('.js-plotly-plot .main-svg')",
                           timeout=300_000, polling=50)
    ms = page.evaluate("window.__firstPlot")
    page.close()
    if errors:
        raise RuntimeError(f"{path.name}: page errors {errors}")
    return ms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 50_000])
    ap.add_argument("--repeat", type=int, default=2, help="loads per page; the median is shown")
    ap.add_argument("--out", type=Path, default=None, help="keep the pages here")
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="timeline-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    js = len(get_plotlyjs().encode("utf-8"))
    print(f"pages in {out}; plotly.js inlined = {js / 1e6:.2f} MB; median of {args.repeat} loads\n")
    head = (f"{'events':>7} {'build s':>8} {'timeline ms':>12} {'px ms':>8} {'ratio':>6} "
            f"{'timeline MB':>12} {'(no js)':>8} {'px MB':>7} {'(no js)':>8}")
    print(head)
    print("-" * len(head))
    with launch() as browser:
        for n in args.sizes:
            table = synthetic_table(n)
            t0 = time.perf_counter()
            tl_path = out / f"timeline-{n}.html"
            render.to_html(table, tl_path, title=f"{n} events")
            build = time.perf_counter() - t0
            dated = table[table["start"].notna()]
            fig = px.scatter(x=dated["start"], y=dated.index, hover_name=dated["title"])
            px_path = out / f"px-{n}.html"
            fig.write_html(px_path, include_plotlyjs=True)
            tl = statistics.median(first_render(browser, tl_path) for _ in range(args.repeat))
            pxt = statistics.median(first_render(browser, px_path) for _ in range(args.repeat))
            tl_mb, px_mb = tl_path.stat().st_size / 1e6, px_path.stat().st_size / 1e6
            print(f"{n:>7} {build:>8.2f} {tl:>12.0f} {pxt:>8.0f} {tl / pxt:>6.2f} "
                  f"{tl_mb:>12.2f} {tl_mb - js / 1e6:>8.2f} {px_mb:>7.2f} {px_mb - js / 1e6:>8.2f}",
                  flush=True)


if __name__ == "__main__":
    main()
