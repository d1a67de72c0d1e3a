"""The event store under faults: killed builds, concurrent builds, readers during rebuilds,
bad --where expressions. Run on demand (a few minutes on two cores):

    python benchmarks/faults.py                  # 240-document archives, 10 random kills
    python benchmarks/faults.py --docs 120 --kills 5 --json

Two synthetic archives (benchmarks/scale.py's generator; A of --docs documents,
B of half as many) are built into --work (default /tmp/timeline-faults), never
into the repository. Every build is ``timeline build ARCHIVE --store S`` in its
own process (--workers 2). "Complete" means: ``store.verify`` passes (each
listed file there, row counts as ``_timeline.json`` says) and the documents,
events and mentions equal those of a clean build of A or of B.

- kill at random: the store holds one archive's build; a build of the other is
  killed (SIGKILL, the parent only) at a random moment of its run; the store
  must be complete (old or new), the parent's worker processes gone within 5 s,
  and its spill folder removed by the next build.
- kill at each publish step: SIGKILL just before/after each rename of the
  publish (a wrapper patches ``os.symlink``/``os.replace``/``Path.rename``),
  also for a store folder written before versioned folders.
- concurrent builds: a second build of the same store started 0 s .. one build
  time after the first: each exit code and message, and the store after both.
- readers during rebuilds: a process queries the store in a loop while it is
  rebuilt; a read fails (an exception) or is mixed (a row count that is
  neither archive's).
- bad --where: CLI runs of malformed or hostile expressions; a traceback
  (an exception other than a clean exit) counts as a failure.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def build_cmd(archive: Path, store: Path, out: Path, workers: int = 2) -> list[str]:
    return [sys.executable, "-m", "timeline", "build", str(archive), "--store", str(store),
            "-o", str(out), "--workers", str(workers), "-q"]


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    ppid = int(f.read().rsplit(") ", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    out, todo = set(), [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


class Bench:
    def __init__(self, work: Path, docs: int, workers: int):
        from scale import make_archive
        self.work, self.workers = work, workers
        work.mkdir(parents=True, exist_ok=True)
        self.archives = {}
        for name, n in (("A", docs), ("B", max(2, docs // 2))):
            path = work / f"archive-{name}-{n}.jsonl"
            if not path.exists():
                make_archive(path, n, seed=11 if name == "A" else 12)
            self.archives[name] = path
        self.ref: dict[str, dict] = {}
        self.build_s = {}
        saved = work / f"ref-{docs}.json"  # clean builds, reused by the next run
        if saved.exists():
            self.ref, self.build_s = json.loads(saved.read_text())
        for name, path in self.archives.items():
            store = work / f"ref-{name}"
            if name in self.ref and store.exists() and self.counts(store) == self.ref[name]:
                continue
            t = time.perf_counter()
            self.run_build(path, store)
            self.build_s[name] = time.perf_counter() - t
            self.ref[name] = self.counts(store)
        saved.write_text(json.dumps([self.ref, self.build_s]))

    def run_build(self, archive: Path, store: Path, **kw) -> subprocess.CompletedProcess:
        r = subprocess.run(build_cmd(archive, store, self.work / "t.html", self.workers),
                           env=ENV, capture_output=True, text=True, timeout=900, **kw)
        if r.returncode:
            raise SystemExit(f"build failed: {r.stderr}")
        return r

    @staticmethod
    def counts(store: Path) -> dict:
        from timeline import store as st
        m = st.verify(store)
        return {"documents": m["documents"], "events": m["events"],
                "mentions": m.get("mentions", {}).get("events")}

    def state(self, store: Path) -> str:
        """Which clean build the store equals: A, B, "missing", or what is wrong."""
        from timeline import store as st
        if not store.exists():
            return "missing"
        try:
            got = self.counts(store)
            st.read(store)
        except Exception as e:  # noqa: BLE001 - the figure is what went wrong
            return f"unreadable ({type(e).__name__}: {str(e)[:80]})"
        return next((k for k, v in self.ref.items() if v == got), f"incomplete {got}")

    def fresh(self, name: str, which: str) -> Path:
        store = self.work / name
        for p in [store, *self.work.glob(f".{name}.*")]:
            if p.is_symlink() or p.is_file():
                p.unlink()
            elif p.exists():
                shutil.rmtree(p)
        src = self.work / f"ref-{which}"  # a copy of the clean build, as a version folder
        version = self.work / f".{name}.@copy-{which}"
        shutil.copytree(src.parent / os.readlink(src), version, symlinks=True)
        os.symlink(version.name, store)
        return store

    # -------------------------------------------------------------- scenarios

    def random_kills(self, n: int, seed: int = 5) -> dict:
        """``n`` builds killed at a random moment of their run (uniform over the build
        time, which is re-estimated whenever a build ends before its kill: such a run
        does not count, the next one is drawn shorter)."""
        rng = random.Random(seed)
        store = self.fresh("kill", "A")
        est = dict(self.build_s)
        have, rows, orphans, finished = "A", [], 0, 0
        while len(rows) < n and finished < 3 * n:
            other = "B" if have == "A" else "A"
            at = rng.uniform(0.02, 0.98) * est[other]
            t = time.perf_counter()
            p = subprocess.Popen(build_cmd(self.archives[other], store, self.work / "t.html",
                                           self.workers), env=ENV, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            kids: set[int] = set()
            while time.perf_counter() - t < at and p.poll() is None:
                kids |= descendants(p.pid)
                time.sleep(0.05)
            if p.poll() is not None:  # it ended first: no kill, a better estimate
                finished += 1
                est[other] = time.perf_counter() - t
                have = other if p.returncode == 0 else have
                continue
            kids |= descendants(p.pid)
            p.send_signal(signal.SIGKILL)
            p.wait()
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and any(running(k) for k in kids):
                time.sleep(0.1)
            alive = sum(running(k) for k in kids)
            orphans += alive
            got = self.state(store)
            spill = list(Path(tempfile.gettempdir()).glob(f"timeline-{p.pid}-*"))
            rows.append({"at_s": round(at, 2), "of_s": round(est[other], 1),
                         "workers_seen": len(kids), "workers_left": alive, "store": got,
                         "was": have, "spill_left_after_kill": len(spill), "pid": p.pid})
            have = got if got in self.ref else have
        # the next build removes the spill folders of the killed ones
        self.run_build(self.archives[have], store)
        leaked = sum(len(list(Path(tempfile.gettempdir()).glob(f"timeline-{r['pid']}-*")))
                     for r in rows)
        ok = sum(r["store"] in self.ref for r in rows)
        return {"kills": len(rows), "complete": ok, "orphan_workers": orphans,
                "ended_before_kill": finished, "stale_spill_after_next_build": leaked,
                "runs": rows}

    def step_kills(self) -> dict:
        steps = [("symlink", "before"), ("symlink", "after"), ("replace", "before"),
                 ("replace", "after"), ("rename", "after")]
        rows = []
        store = self.fresh("step", "A")
        for fn, when in steps:
            legacy = fn == "rename"
            if legacy:  # a store folder from before versions, at the path itself
                target = store.parent / os.readlink(store)
                store.unlink()
                shutil.copytree(target, store)
                shutil.rmtree(target)
            wrapper = textwrap.dedent(f"""
                import os, signal, sys
                from pathlib import Path
                fn, when = {fn!r}, {when!r}
                if fn == "rename":
                    real = Path.rename
                    def patched(self, *a):
                        real(self, *a)
                        os.kill(os.getpid(), signal.SIGKILL)
                    Path.rename = patched
                else:
                    real = getattr(os, fn)
                    def patched(*a, **k):
                        if when == "before":
                            os.kill(os.getpid(), signal.SIGKILL)
                        real(*a, **k)
                        os.kill(os.getpid(), signal.SIGKILL)
                    setattr(os, fn, patched)
                from timeline.cli import cli
                sys.argv = ["timeline"] + sys.argv[1:]
                cli()
            """)
            cmd = build_cmd(self.archives["B"], store, self.work / "t.html", self.workers)
            r = subprocess.run([sys.executable, "-c", wrapper, *cmd[3:]], env=ENV,
                               capture_output=True, text=True, timeout=900)
            got = self.state(store)
            self.run_build(self.archives["A"], store)  # and the next build recovers
            rows.append({"step": f"kill {when} {fn}" + (" (old folder store)" if legacy else ""),
                         "exit": r.returncode, "store": got, "next_build": self.state(store)})
        ok = sum(r["store"] in self.ref and r["next_build"] == "A" for r in rows)
        return {"steps": len(rows), "complete": ok, "runs": rows}

    def concurrent(self, offsets: list[float]) -> dict:
        rows = []
        store = self.fresh("conc", "B")
        for off in offsets:
            cmd = build_cmd(self.archives["A"], store, self.work / "t1.html", self.workers)
            p1 = subprocess.Popen(cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
            time.sleep(off)
            cmd2 = build_cmd(self.archives["B"], store, self.work / "t2.html", self.workers)
            p2 = subprocess.Popen(cmd2, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
            e1, e2 = p1.communicate(timeout=900)[1], p2.communicate(timeout=900)[1]
            busy = "being built by another process" in e2
            rows.append({"offset_s": off, "first": p1.returncode, "second": p2.returncode,
                         "second_refused": busy,
                         "tracebacks": ("Traceback" in e1) + ("Traceback" in e2),
                         "store": self.state(store)})
        ok = sum(r["store"] in self.ref and r["tracebacks"] == 0 for r in rows)
        return {"offsets": len(rows), "complete": ok, "runs": rows}

    def readers(self, rebuilds: int) -> dict:
        store = self.fresh("read", "A")
        reader = textwrap.dedent(f"""
            import json, sys, time
            from datetime import date
            from timeline import store as st
            while True:
                out = []
                for _ in range(5):
                    try:
                        n = len(st.query({str(store)!r}))
                        m = int(st.counts({str(store)!r}, "month")["count"].sum())
                        out.append([n, m])
                    except Exception as e:
                        out.append(f"{{type(e).__name__}}: {{e}}")
                print(json.dumps(out), flush=True)
        """)
        p = subprocess.Popen([sys.executable, "-c", reader], env=ENV, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        t = time.perf_counter()
        try:
            for i in range(rebuilds):
                self.run_build(self.archives["B" if i % 2 == 0 else "A"], store)
        finally:
            p.kill()
        secs = time.perf_counter() - t
        reads = [x for line in p.stdout.read().splitlines() if line.strip()
                 for x in json.loads(line)]
        from timeline import store as st
        sizes = {}
        for k in self.ref:
            s = self.work / f"ref-{k}"
            sizes[k] = (len(st.query(s)), int(st.counts(s, "month")["count"].sum()))
        failed = [x for x in reads if isinstance(x, str)]
        # a query and a count are two reads: each must be one build's, not both one's
        ns, ms = {v[0] for v in sizes.values()}, {v[1] for v in sizes.values()}
        mixed = [x for x in reads if not isinstance(x, str) and (x[0] not in ns or x[1] not in ms)]
        return {"rebuilds": rebuilds, "seconds": round(secs, 1), "reads": len(reads),
                "failed": len(failed), "mixed": len(mixed), "examples": (failed + mixed)[:3]}

    def bad_where(self) -> dict:
        from click.testing import CliRunner

        from timeline.cli import cli
        store = self.work / "ref-B"
        exprs = ["kind ==", "(kind == 'expected'", "~deadline", "kind > 3", "n_sources == 'two'",
                 "start > 3", "__import__('os')", "kind == -'x'", "a\x00", "lambda: 1",
                 " | ".join(["kind == 'x'"] * 10_000), "not " * 5000 + "deadline",
                 "~" * 3000 + "deadline", "(" * 500 + "deadline" + ")" * 500,
                 " & ".join(["deadline"] * 300), "kind in [" + ", ".join(["'x'"] * 3000) + "]",
                 "text.str.contains(3)", "n_sources.str.startswith('x')", "start >= 'soon'"]
        tracebacks, multi, rc0 = 0, 0, 0
        for e in exprs:
            r = CliRunner().invoke(cli, ["events", "--store", str(store), "--where", e])
            tracebacks += r.exception is not None and not isinstance(r.exception, SystemExit)
            multi += r.exit_code != 0 and len(r.output.strip().splitlines()) != 1
            rc0 += r.exit_code == 0
        # a damaged store, too
        damaged = self.fresh("damaged", "B")
        base = damaged.parent / os.readlink(damaged)
        first = next(base.glob("month=*/*.parquet"))
        first.write_bytes(b"PAR1 not parquet")
        r = CliRunner().invoke(cli, ["events", "--store", str(damaged)])
        return {"expressions": len(exprs), "tracebacks": tracebacks, "multi_line": multi,
                "accepted": rc0, "damaged_store_traceback":
                    r.exception is not None and not isinstance(r.exception, SystemExit),
                "damaged_store_message": r.output.strip()[:160]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=240)
    ap.add_argument("--kills", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rebuilds", type=int, default=4)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "timeline-faults")
    ap.add_argument("--only", default="kills,steps,concurrent,readers,where",
                    help="the parts to run, comma-separated")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    b = Bench(a.work, a.docs, a.workers)
    T = b.build_s["A"]
    out = {"docs": {k: v["documents"] for k, v in b.ref.items()},
           "build_s": {k: round(v, 1) for k, v in b.build_s.items()}}
    print(f"archives: A {b.ref['A']}, B {b.ref['B']}; one build {T:.1f} s (A), "
          f"{b.build_s['B']:.1f} s (B)", flush=True)
    only = set(a.only.split(","))
    if "kills" in only:
        out["random_kills"] = r = b.random_kills(a.kills)
        print(f"SIGKILL at {r['kills']} random moments: {r['complete']}/{r['kills']} stores "
              "complete "
              f"and readable; {r['orphan_workers']} worker process(es) outlived the parent; "
              f"{r['stale_spill_after_next_build']} stale spill folder(s) after the next build "
              f"({r['ended_before_kill']} build(s) ended before their kill: not counted)",
              flush=True)
        for x in r["runs"]:
            print(f"  kill at {x['at_s']:5.1f} s of ~{x['of_s']:.0f} s: store {x['store']} (was "
                  f"{x['was']}), {x['workers_seen']} worker(s) seen, {x['workers_left']} left, "
                  f"spill folders left {x['spill_left_after_kill']}")
    if "steps" in only:
        out["step_kills"] = r = b.step_kills()
        print(f"SIGKILL at each publish step: {r['complete']}/{r['steps']} stores complete "
              "(old or new) and recovered by the next build", flush=True)
        for x in r["runs"]:
            print(f"  {x['step']:<38} store {x['store']}, next build {x['next_build']}")
    if "concurrent" in only:
        offsets = [0.0, 0.3, 1.0, round(T / 2, 1), round(T * 0.9, 1), round(T * 1.2, 1)]
        out["concurrent"] = r = b.concurrent(offsets)
        print(f"concurrent builds at {len(offsets)} offsets: {r['complete']}/{r['offsets']} stores "
              "complete, no traceback", flush=True)
        for x in r["runs"]:
            print(f"  second build +{x['offset_s']:4.1f} s: exit {x['first']}/{x['second']}"
                  f"{' (refused: busy)' if x['second_refused'] else ''}, store {x['store']}")
    if "readers" in only:
        out["readers"] = r = b.readers(a.rebuilds)
        print(f"reader during {r['rebuilds']} rebuilds ({r['seconds']} s): {r['reads']} reads, "
              f"{r['failed']} failed, {r['mixed']} mixed {r['examples'] or ''}", flush=True)
    if "where" in only:
        out["bad_where"] = r = b.bad_where()
        print(f"bad --where: {r['expressions']} expressions, {r['tracebacks']} tracebacks, "
              f"{r['multi_line']} multi-line errors, {r['accepted']} accepted; damaged store: "
              f"traceback {r['damaged_store_traceback']}, {r['damaged_store_message']!r}")
    out["total_s"] = round(time.perf_counter() - t0, 1)
    print(f"total {out['total_s']} s")
    if a.json:
        print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
