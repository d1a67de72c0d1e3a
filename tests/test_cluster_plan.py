"""benchmarks/cluster_plan.py: the merge windows of a synthetic archive and the schedule of its graph.

No measuring here: the costs are fixed below (about what the benchmark measures on
two cores), so the checks are on the derived structure and on the computed
schedules, never on how long something took.
"""
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from timeline import scale, windows

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("cluster_plan", ROOT / "benchmarks" / "cluster_plan.py")
cp = importlib.util.module_from_spec(_spec)
sys.modules["cluster_plan"] = cp  # dataclasses look their module up
_spec.loader.exec_module(cp)

COSTS = cp.Costs(
    measure_docs=0, documents=0, mentions=0, part_docs=256, mentions_per_doc=8.3,
    scan_s_per_doc=2e-5, process_s_per_doc=6e-3, resolver_s_per_doc=2e-7,
    write_s_per_month=3e-3, write_s_per_row=1e-5, parts_peak_mb=250, worker_base_mb=200,
    # most mentions date their own month, some the month before, a few a year back
    offsets={0: 0.62, -1: 0.25, 1: 0.05, -2: 0.03, -12: 0.04}, undated=0.01,
    merge_points=[{"mentions": 1000, "cpu_s": 1.2, "peak_mb": 290}],
    merge_fit=(4e-4, 1.3), memory_fit=(0.02, 1.15),
    settle_s_per_shared=6e-5, rows_per_core=0.07,
    client_other_s_per_window=0.05,
    remerge_per_shared=2e-3, remerge_size=40)


def test_windows_are_what_the_windowing_code_cuts():
    s = cp.derive(60_000, COSTS, chunk=1024, months=24, first="2021-01", peak_month="2022-02")
    assert sum(s.per_month.values()) == 60_000 and sum(s.parts) == 60_000
    assert len(s.parts) == 59
    plan = windows.plan(s.counts, scale.MERGE_BLOCK_ROWS, windows.halo_days())
    assert s.plan_len == len(plan) == len(s.windows)
    assert [w.months for w in s.windows] == [w.months for w in plan]
    # every month partition in exactly one window's block, every mention in one core
    blocks = [m for w in s.windows for m in w.months]
    assert sorted(blocks) == sorted(s.counts) and len(blocks) == len(set(blocks))
    assert sum(w.core for w in s.windows) == pytest.approx(s.mentions)
    for w in s.windows:  # a halo adds mentions, and only a window with a neighbour shares any
        assert w.mentions >= w.core - 1e-6
        assert (w.shared > 0) == any(x.no == w.no and (x.prev_hi is not None or x.next_lo is not None) for x in plan)
    # the story month is the busiest: its window is the largest one
    assert max(s.windows, key=lambda w: w.mentions).months == ("2022-02",)
    # the model runs one task per window the plan cut
    kinds = Counter(k for k, *_ in cp.model(s, COSTS, 4).log)
    assert kinds["window"] == len(plan)
    assert kinds["process"] == kinds["scan"] == len(s.parts)
    assert kinds["write month"] == len(s.counts)


def test_more_workers_never_lengthen_the_schedule():
    s = cp.derive(200_000, COSTS, chunk=2048, months=36, first="2020-01", peak_month="2022-02")
    work = (sum(s.parts) * (COSTS.scan_s_per_doc + COSTS.process_s_per_doc)
            + sum(w.cost_s + w.remerge_s for w in s.windows))
    crit = cp.critical_path(s, COSTS)
    spans = []
    for n in (1, 2, 4, 8, 16):
        m = cp.model(s, COSTS, n)
        assert m.makespan >= work / n - 1e-6  # no schedule beats the work spread evenly
        assert m.makespan >= crit - 1e-6
        spans.append(m.makespan)
    assert spans == sorted(spans, reverse=True)
    assert spans[0] / spans[1] > 1.5  # two workers do help here
    # the client's settlement is serial: a bound no worker count removes
    assert crit >= sum(w.client_s for w in s.windows)


def test_localcluster_runs_the_graph_in_order():
    pytest.importorskip("distributed")
    s = cp.derive(20_000, COSTS, chunk=1024, months=12, first="2022-01", peak_month="2022-02")
    scales = cp.auto_scales(s, COSTS, 2, 0.3)  # each phase about 0.3 s on 2 workers
    sim = cp.simulate(s, COSTS, 2, scales)
    model = cp.model(s, COSTS, 2)
    assert Counter(k for k, *_ in sim.log) == Counter(k for k, *_ in model.log)
    log = {}
    for kind, where, a, z in sim.log:
        log.setdefault(kind, []).append((a, z))
    # the shuffle's barrier: no month is written before every part is processed,
    # and no window merged before every month is written
    assert min(a for a, _ in log["write month"]) >= max(z for _, z in log["process"])
    assert min(a for a, _ in log["window"]) >= max(z for _, z in log["write month"])
    # the client settles the windows in plan order, each once it is merged
    assert len(log["settle"]) == len(log["window"]) == s.plan_len
    for (a, _), (_, z) in zip(log["settle"], log["window"]):
        assert a >= z
    # sleeping never takes less than asked: the scaled-back makespan is at least the
    # critical path and the work spread over the 2 workers
    work = sum(z - a for k, *_, a, z in sim.log if k not in ("resolve ids", "settle"))
    assert sim.makespan >= cp.critical_path(s, COSTS) * 0.99
    assert sim.makespan >= work / 2 * 0.99
