"""Static images of the timeline for print reports (plotly + kaleido + Chromium)."""
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import cli

SEEDS = str(Path(__file__).resolve().parents[1] / "seeds")
pytest.importorskip("kaleido")


@pytest.mark.browser
@pytest.mark.parametrize("suffix,magic", [(".png", b"\x89PNG"), (".svg", b"<svg"), (".pdf", b"%PDF")])
def test_build_writes_a_static_image(tmp_path, suffix, magic):
    out = tmp_path / f"timeline{suffix}"
    r = CliRunner().invoke(cli, ["build", SEEDS, "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    head = out.read_bytes()[:400]
    assert magic in head
    assert out.stat().st_size > 5000


@pytest.mark.browser
def test_static_image_has_no_interactive_controls(tmp_path):
    out = tmp_path / "timeline.svg"
    r = CliRunner().invoke(cli, ["build", SEEDS, "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    svg = out.read_text(encoding="utf-8")
    assert "rangeslider" not in svg and "rangeselector" not in svg
    assert "Timeline of 2 articles" in svg  # the default title
