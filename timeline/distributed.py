"""The Dask engine: the same pipeline on a Dask cluster, the store written as Parquet by month.

    with distributed.run(["archive.jsonl"], store="events/") as r:      # a LocalCluster
        ...
    distributed.run(["archive.jsonl"], store="/shared/events", scheduler="tcp://host:8786")

The parts of :mod:`timeline.partition` (line ranges of JSON lines, record
ranges of CSV, row ranges of Parquet, groups of other files) are scanned for
their document ids as a dask.bag; the client makes the ids unique in input
order; then each part is read, tagged and tabulated under its final ids as
one partition of a dask.dataframe, shuffled by month so each month lands
whole in one partition, and written there as hive partitions
(``month=YYYY-MM/part-0.parquet``) by the local engine's writer. The merge
windows (:mod:`timeline.windows`) then run as tasks, each reading its months
from the store; the client only settles the rows two windows both claim and
writes the event table. The store equals the local engine's.

On a real cluster the inputs and the store folder must be paths every worker
and the client can reach (a shared file system), and timeline must be
installed on the workers.
"""
from __future__ import annotations

import contextlib
import dataclasses
import logging
import warnings
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from . import locking, partition, store as st
from .partition import CHUNK_DOCS, ReadOptions, Resolver
from .scale import MERGE_BLOCK_ROWS, Build, BuildResult, default_workers, report, usage


def _frame(r: partition.PartResult):
    return r.frame


def _light(r: partition.PartResult):
    # the frame goes through the shuffle, the rest to the client; a copy, since
    # the _frame task may not have read r yet (tasks share it on the worker)
    return dataclasses.replace(r, frame=None)


def _rss() -> int:
    return partition.peak_rss_kb()


def _write(df, out: Path):
    """Write the months of one shuffled partition (each month is whole in one)."""
    import pandas as pd
    months = []
    for month, g in df.groupby(st.PARTITION, sort=False):
        st.write_month(out, str(month), st.sort_frame(g).reset_index(drop=True))
        months.append(str(month))
    return pd.DataFrame({"month": pd.Series(months, dtype="string")})


@contextlib.contextmanager
def client(scheduler: str | None = None, workers: int | None = None, processes: bool = True):
    """A Client of the cluster at ``scheduler``, else of a new LocalCluster of
    ``workers`` single-threaded workers (processes, unless ``processes=False``)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ValueError("the Dask engine needs dask: pip install 'timeline[dask]'") from None
    if scheduler:
        with Client(scheduler) as c:
            yield c
        return
    with LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1,
                      processes=processes, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as c:
        yield c


def run(inputs: Iterable[str | Path] | str | Path, *, scheduler: str | None = None,
        workers: int | None = None, store: str | Path | None = None,
        chunk_docs: int = CHUNK_DOCS, published: str | date | None = None,
        allow_undated: bool = False, fields: dict[str, str] | None = None,
        merge: bool = True, statements: bool = False, merge_block: int = MERGE_BLOCK_ROWS,
        keep_documents: bool = False,
        processes: bool = True,
        progress: Callable[[object], None] | None = None) -> BuildResult:
    """Build the event store of ``inputs`` on a Dask cluster (see the module docstring).

    ``scheduler``: the address of a running scheduler; without one, a
    LocalCluster of ``workers`` workers (default: all cores) is started and
    stopped. Other arguments as in :func:`timeline.scale.run`.
    """
    opts = ReadOptions.of(published, allow_undated, fields)
    parts = list(partition.plan(inputs, chunk_docs))
    with Build(store, merge, statements, merge_block) as b:
        if not parts:
            return b.finish([], {}, {}, keep_documents)
        with client(scheduler, workers, processes) as c:
            if processes and not scheduler:
                # a new worker's peak RSS includes its parent's size at spawn
                c.run(partition.reset_peak_rss)
                c.run(locking.watch_parent)  # the workers end if this process is killed
            light = _compute(parts, opts, keep_documents, b.mentions, counts=merge)
            if progress:
                for r in light:
                    report(progress, r)
            # the merge windows as tasks, at most two per worker at a time; the
            # client settles their edges and writes the months
            ahead = 2 * max(1, len(c.scheduler_info().get("workers", {})) or 1)
            done = b.finish(light, {}, usage(light)[1], keep_documents,
                            lambda fn, *a: c.submit(fn, *a, pure=False), ahead)
            done.peak_rss_kb = {str(k): v for k, v in c.run(_rss).items()}
            return done


def _compute(parts, opts, keep_documents, out: Path, counts: bool = False
             ) -> list[partition.PartResult]:
    import dask
    import dask.bag as db
    import dask.dataframe as dd
    from dask import delayed

    ids = db.from_sequence(parts, npartitions=len(parts)).map(partition.scan, opts).compute()
    resolver = Resolver()
    keys = [resolver.add(x) for x in ids]
    results = [delayed(partition.process, pure=True)(p, opts, first, renames, keep_documents,
                                                     counts=counts,
                                                     dask_key_name=f"timeline-part-{p.no}")
               for p, (first, renames) in zip(parts, keys)]
    meta = partition.events_frame([])[0]
    frames = dd.from_delayed([delayed(_frame)(r) for r in results], meta=meta, verify_meta=False)
    # whole months in one partition, so each is sorted and written once, by one
    # task, with the same writer as the local engine (the same files)
    write = frames.shuffle(on=st.PARTITION).map_partitions(
        _write, out, meta={"month": "string"}, enforce_metadata=False)
    with warnings.catch_warnings():
        # the part tasks feed the dataframe and the list of results: one compute runs them once
        warnings.filterwarnings("ignore", "Computing mixed collections")
        _, light = dask.compute(write, [delayed(_light)(r) for r in results])
    return light
