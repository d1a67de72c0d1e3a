"""The import graph rule (scripts/imports.py): no module imports from a stage above
its own, and the module graph has no cycle."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "imports.py"


def _script():
    spec = importlib.util.spec_from_file_location("timeline_imports", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_upward_import_and_no_cycle():
    problems, _ = _script().check()
    assert problems == []


def test_engines_and_pipeline_do_not_import_the_api():
    imp = _script()
    g = imp.graph()
    for name in ("pipeline", "partition", "scale", "distributed", "store"):
        assert not {"timeline.api", "timeline.cli"} & g[f"timeline.{name}"], name
    for name in ("partition", "scale"):  # their documents go through the pipeline
        assert "timeline.pipeline" in g[f"timeline.{name}"], name


def test_the_check_finds_an_upward_import_and_a_cycle():
    imp = _script()
    g = {m: set(v) for m, v in imp.graph().items()}
    g["timeline.table"].add("timeline.render")
    g["timeline.render"].add("timeline.table")
    problems, _ = imp.check(g)
    assert "upward import: timeline.table (table) imports timeline.render (outputs)" in problems
    assert any(p.startswith("import cycle:") and "timeline.table" in p for p in problems)


def test_every_module_has_a_stage_and_the_command_runs():
    imp = _script()
    for name in imp.modules():
        imp.stage_of(name)  # KeyError names a module missing from STAGES
    r = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.rstrip().endswith("no upward import, no cycle")
