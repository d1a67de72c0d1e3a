"""The `timeline` command: a thin click layer over timeline.api.

Each command parses options, calls the API, formats the output, and turns
library errors into one clear line with a non-zero exit.
"""
from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path

import click

from . import api, pipeline, shown
from .partition import CHUNK_DOCS
from .sources import NO_DATE
from .temporal import TENSES

DEFAULT_HTML = "exports/timeline.html"
STATEMENTS_HELP = ("Also place undated statements (\"Kirby said ...\") at their article's "
                   "publication date; without it they only add sources to dated events.")
# what --table can write (timeline.export.FORMATS), with the short names too
TABLE_FORMATS = ("csv", "json", "parquet", "md", "markdown", "timelinejs", "ics",
                 "tml", "timeml", "html")


def _safe(text) -> str:
    """``text`` fit to print on a terminal (:func:`timeline.shown.terminal`)."""
    return shown.terminal(text)


class _Group(click.Group):
    """The command group; every error message it shows is :func:`_safe` (they name
    files and quote values, which may hold escape sequences)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.ClickException as e:
            e.message = _safe(e.message)
            raise


def _date_option(name: str, help: str, years: bool = False, aliases: tuple[str, ...] = ()):
    """A YYYY-MM-DD option; ``years``: a publication date, within the table's years."""
    def convert(ctx, param, value):
        from .sources.encoding import SourceError
        from .sources.records import check_years
        try:
            when = api.parse_date(value, name)
            return check_years(when, name) if years else when
        except (ValueError, SourceError) as e:
            raise click.BadParameter(str(e)) from None
    return click.option(name, *aliases, callback=convert, metavar="DATE", help=help)


def input_options(f=None, *, required: bool = True):
    """Options shared by every command that reads articles (``required=False``:
    for a command that can answer without INPUT, e.g. from a store)."""
    if f is None:
        return functools.partial(input_options, required=required)

    @click.argument("inputs", nargs=-1, required=required,
                    metavar="INPUT..." if required else "[INPUT]...")
    @_date_option("--published", "Publication date for inputs that carry none (YYYY-MM-DD).",
                  years=True)
    @click.option("--allow-undated", is_flag=True,
                  help="Keep documents with no publication date: absolute dates still "
                       "count, relative ones stay unanchored.")
    @click.option("--field", "fields", multiple=True, metavar="NAME=COLUMN",
                  help="Map a JSON lines / CSV column to a field (id, url, title, "
                       "published, text, source), e.g. --field text=body.")
    @click.option("--strict", is_flag=True, help="Exit non-zero if any input was skipped.")
    @click.option("-q", "--quiet", is_flag=True,
                  help="No progress bar (it is shown only on a terminal anyway).")
    @functools.wraps(f)
    def wrapper(*args, fields=(), **kwargs):
        mapping = {}
        for item in fields:
            name, sep, column = item.partition("=")
            if not sep:
                raise click.BadParameter(f"{item!r}: write NAME=COLUMN", param_hint="--field")
            mapping[name.strip()] = column.strip()
        return f(*args, fields=mapping or None, **kwargs)
    return wrapper


def _read(inputs, published, allow_undated, fields, quiet=False, strict=False, title=None,
          statements=False, build=True):
    """Build the timeline (or, ``build=False``, only read the documents) with a
    progress bar on a terminal, report skipped inputs on stderr, enforce --strict."""
    import sys
    from types import SimpleNamespace

    from .progress import Progress, estimate_total
    show = not quiet and sys.stderr.isatty()
    try:
        with Progress(estimate_total(inputs) if show else None, enabled=show) as bar:
            if build:
                tl = api.build(inputs, published=published, allow_undated=allow_undated,
                               fields=fields, title=title, progress=bar.update,
                               statements=statements)
            else:
                docs, skipped = api.read(inputs, published=published,
                                         allow_undated=allow_undated, fields=fields,
                                         progress=bar.update)
                tl = SimpleNamespace(documents=docs, skipped=skipped)
    except (ValueError, FileNotFoundError) as e:
        raise click.ClickException(str(e)) from None
    _report_skipped(tl.skipped, len(tl.documents), allow_undated, strict)
    return tl


def _report_skipped(skipped, documents: int, allow_undated: bool, strict: bool):
    """Skipped inputs on stderr; an error when nothing was read, or with --strict."""
    for s in skipped:
        click.echo(_safe(f"skipped {s.input}: {s.reason}"), err=True)
    undated = sum(s.reason == NO_DATE for s in skipped)
    if undated and not allow_undated:
        click.echo(f"{undated} input(s) had no publication date: --published YYYY-MM-DD "
                   "dates them all, or --allow-undated keeps them (their absolute dates "
                   "count; relative ones stay unanchored)", err=True)
    if not documents:
        raise click.ClickException("no document could be read (see the lines above)")
    if strict and skipped:
        raise click.ClickException(f"{len(skipped)} input(s) skipped and --strict is set")


def _cannot_write(e: OSError, target=None) -> click.ClickException:
    """One line for a failed write: atomic.WriteError names its file; a folder that
    could not be made (a file in the way) is named with what was to be written."""
    from . import atomic
    from .store import in_the_way
    if isinstance(e, atomic.WriteError):
        return click.ClickException(str(e))
    return click.ClickException(f"cannot write {target or e.filename}: {in_the_way(e)}")


def _check_range(dates: dict) -> None:
    """--from after --to selects nothing: a usage error, not an empty answer."""
    if dates.get("from") and dates.get("to") and dates["from"] > dates["to"]:
        raise click.UsageError(f"--from {dates['from']} is after --to {dates['to']}: give the "
                               "earlier date to --from")


def _sources(row) -> str:
    """Who reports an event row: its sources (all of them once merged)."""
    import pandas as pd
    for v in (getattr(row, "sources", None), row.source, row.doc_id):
        if isinstance(v, str) and v and not pd.isna(v):
            return v
    return ""


def _summary(tl, count: int, what: str = "event(s)", note: str = "") -> str:
    """The last line of every run: documents read, what was found, inputs skipped."""
    return pipeline.summary(len(tl.documents), count, len(tl.skipped), what, note)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="timeline")
def cli():
    """Turn news articles into an ordered, sourced, interactive timeline.

    \b
    Example:
      timeline build seeds/ --table exports/timeline.csv
      timeline resolve "next Tuesday" --anchor 2022-11-03
    """


@cli.command()
@input_options
@click.option("-o", "--output", default=DEFAULT_HTML, show_default=True,
              type=click.Path(dir_okay=False), help="The timeline to write: .html (interactive) or .png/.svg/.pdf (static, needs kaleido and Chromium).")
@click.option("--table", "tables", multiple=True, type=click.Path(dir_okay=False),
              help="Also write the event table (.csv, .json, .parquet, .md, .ics, "
                   ".timelinejs.json, .tml, .html); repeatable.")
@click.option("--format", "table_format", metavar="FORMAT",
              type=click.Choice(TABLE_FORMATS, case_sensitive=False),
              help="Format of the --table files instead of their extension's: "
                   + ", ".join(TABLE_FORMATS) + ".")
@click.option("--title", help="Title of the chart.")
@click.option("--group-by", help="Lanes of the chart: source, doc_id, kind or any column.")
@click.option("--chart", type=click.Choice(["auto", "marks", "density"]), default="auto",
              show_default=True,
              help="One mark per event, or events per day/week/month with drill-down to "
                   "the events of a zoomed range; auto: density past 20,000 dated events.")
@click.option("--plotlyjs", type=click.Choice(["inline", "cdn"]), default="inline",
              show_default=True, help="Inline plotly.js (works offline) or load it from a CDN.")
@click.option("--store", type=click.Path(file_okay=False), metavar="DIR",
              help="Keep the event table in DIR as Parquet partitioned by month, for "
                   "fast date queries (timeline events --store DIR).")
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="Processes that read and date documents (default: all cores); with "
                   "--engine dask, the workers of the local Dask cluster.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Run on this machine's cores, or on a Dask cluster "
                                      "(a local one unless --scheduler is given).")
@click.option("--scheduler", metavar="ADDRESS",
              help="The Dask scheduler to run on (tcp://host:8786); implies --engine dask.")
@click.option("--statements", is_flag=True, help=STATEMENTS_HELP)
@click.option("--no-merge", is_flag=True,
              help="One row per mention: skip merging the mentions of one happening across "
                   "articles (the slowest stage on large archives).")
@click.option("--chunk-size", type=click.IntRange(min=1), default=CHUNK_DOCS, metavar="N",
              show_default=True, help="Documents per task.")
def build(inputs, published, allow_undated, fields, output, tables, table_format, title,
          group_by, chart, plotlyjs, strict, quiet, store, workers, engine, scheduler,
          chunk_size, statements, no_merge):
    """Build the timeline of INPUT files or folders into an HTML page.

    Documents are read, dated and tabulated in parallel and in bounded memory;
    the result is the same for any --workers, --chunk-size or --engine.

    \b
    Example:
      timeline build seeds/ -o exports/timeline.html --table exports/timeline.csv
      timeline build articles.jsonl --title "Iranian drones in Ukraine"
      timeline build page.html --table events.json --format timelinejs
      timeline build archive.jsonl --store events/ --table events.parquet --workers 2
      timeline build archive.jsonl --store /shared/events --scheduler tcp://head:8786
    """
    from . import export
    from .scale import HTML_MAX_EVENTS
    _check_group_by(group_by)
    if table_format and not tables:
        raise click.UsageError("--format is the format of the --table files: give one "
                               "with --table PATH")
    ctx = click.get_current_context()
    if scheduler and engine == "local":
        if ctx.get_parameter_source("engine") is click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError("--scheduler runs on a Dask cluster: drop --engine local")
        engine = "dask"
    out = Path(output)
    try:
        kinds = [export.format_for(t, table_format) for t in tables]  # checked before any work
        page = export.format_for(out)
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    if page not in ("html", "image"):  # "-o events.csv": a table is --table's
        raise click.UsageError(f"-o {output} would write the page as .{out.suffix.lstrip('.')}: "
                               "-o takes .html, .png, .svg or .pdf; write tables with "
                               f"--table {output}")
    tl = _build_run(inputs, published, allow_undated, fields, quiet, strict, store, workers,
                    engine, scheduler, chunk_size, keep_documents="timeml" in kinds,
                    merge=not no_merge, statements=statements, title=title)
    with tl:
        wrote = []
        try:
            if tl.event_count <= HTML_MAX_EVENTS:
                out.parent.mkdir(parents=True, exist_ok=True)
                for t in tables:  # every target checked before anything is written
                    tl.format_for(t, table_format)
                if export.format_for(out) == "image":  # -o timeline.png|.svg|.pdf
                    tl.save(out)
                else:
                    tl.to_html(out, include_plotlyjs=True if plotlyjs == "inline" else "cdn",
                               group_by=group_by,
                               density_view={"auto": None, "marks": False,
                                             "density": True}[chart])
                wrote.append(str(out))
            else:
                click.echo(f"{tl.event_count} events are too many for one page: no {out} "
                           "written; query them with timeline events --store DIR --from "
                           "--to, or build a narrower selection", err=True)
            for t in tables:
                wrote.append(str(tl.save(t, table_format)))
        except ValueError as e:
            raise click.ClickException(str(e)) from None
        except OSError as e:
            raise _cannot_write(e) from None
        if store:
            wrote.append(f"store {store}")
        click.echo(_safe(f"wrote {', '.join(wrote)}"), err=True)
        click.echo(tl.summary(), err=True)


def _check_group_by(group_by: str | None) -> None:
    """--group-by names a column of the event table: checked before any work."""
    from .table import COLUMNS
    if group_by is not None and group_by not in COLUMNS:
        raise click.UsageError(f"--group-by {group_by!r} is not a column of the event table: "
                               f"use one of {', '.join(COLUMNS)}")


def _build_run(inputs, published, allow_undated, fields, quiet, strict, store, workers,
               engine, scheduler, chunk_size, keep_documents=False, merge=True,
               statements=False, title=None):
    """``timeline.build`` on the local or Dask engine with a progress bar; report
    what was skipped."""
    import sys

    from .progress import Progress, estimate_total
    from .store import StoreError
    show = not quiet and sys.stderr.isatty()
    try:
        with Progress(estimate_total(inputs) if show else None, enabled=show) as bar:
            tl = api.build(inputs, published=published, allow_undated=allow_undated,
                           fields=fields, title=title, progress=bar.update,
                           statements=statements, workers=workers, engine=engine,
                           store=store, scheduler=scheduler, chunk_docs=chunk_size,
                           merge=merge, keep_documents=keep_documents)
    except (ValueError, FileNotFoundError, StoreError) as e:
        raise click.ClickException(str(e)) from None
    except OSError as e:  # e.g. no scheduler at --scheduler
        if "No space left on device" in str(e):  # the store's writes say so themselves
            import tempfile
            raise click.ClickException(
                f"no space left in the temporary folder {tempfile.gettempdir()} the build "
                "spills to: free space there, or point TMPDIR at a larger disk") from None
        raise click.ClickException(f"{type(e).__name__}: {e}") from None
    try:
        _report_skipped(tl.skipped, tl.document_count, allow_undated, strict)
    except click.ClickException:
        tl.close()
        raise
    return tl


def _mention_json(m, unread: tuple[str, ...] = ()) -> dict:
    iv = m.interval
    return {"text": m.text, "phrase": m.phrase or m.text, "value": m.value, "type": m.type,
            "mod": m.mod, "start": iv.to_json()["start"] if iv else None,
            "end": iv.to_json()["end"] if iv else None,
            "granularity": iv.granularity if iv else None,
            "anchor": m.anchor, "rule": m.rule, "unread": list(unread)}


@cli.command()
@click.argument("phrase")
@_date_option("--anchor", "The reference date (YYYY-MM-DD) the phrase is relative to.",
              aliases=("--published",))
@click.option("--tense", type=click.Choice(TENSES),
              help="Tense of the clause, for bare months and weekdays.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--strict", is_flag=True,
              help="Exit with status 1 when part of the phrase was not understood.")
def resolve(phrase, anchor, tense, fmt, strict):
    """Resolve a date PHRASE relative to an anchor date.

    \b
    Example:
      timeline resolve "next Tuesday" --anchor 2022-11-03
      timeline resolve "a week from Tuesday" --anchor 2022-11-03 --format json

    Words of the phrase that no rule read are named on stderr (and, with
    --strict, make the exit status 1): the answer is then for part of it.
    """
    if anchor is None:
        raise click.UsageError("give the reference date with --anchor YYYY-MM-DD")
    reading = api.read_phrase(phrase, anchor, tense=tense)
    m = reading.mention
    if m is None:
        raise click.ClickException(f"no temporal expression in {phrase!r}")
    d = _mention_json(m, reading.unread)
    if fmt == "json":
        click.echo(shown.json_dumps(d))
    else:
        span = f"[{d['start']}, {d['end']}) {d['granularity']}" if d["start"] else "no interval"
        mod = f" mod={d['mod']}" if d["mod"] else ""
        extent = f" (TIMEX3 {m.text!r})" if d["phrase"] != m.text else ""
        click.echo(_safe(f"{d['phrase']!r}{extent} -> {d['value']} ({d['type']}{mod}) {span}; "
                         f"rule {d['rule']}, anchor {d['anchor']}"))
    if reading.unread:
        click.echo(_safe(f"timeline resolve: not understood in {phrase!r}: "
                         f"{' '.join(reading.unread)!r}; the answer is for {d['phrase']!r} only"),
                   err=True)
        if strict:
            sys.exit(1)


# characters a file name cannot hold, or holds badly (a path separator, Windows'
# reserved ones, controls), in a document id, which may be anything
_NOT_IN_NAMES = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')
_NAME_BYTES = 200  # file systems allow 255 bytes a name: room for "-2.json"


class _FileNames:
    """One file name per document for ``tag --out-dir``: never two documents in
    one file. Ids that map to the same name (``a/b``, ``a_b``, ``a:b``; or
    ``A``, ``a`` on a case-insensitive disk) get ``-2``, ``-3``... and a note."""

    def __init__(self):
        self.taken: dict[str, tuple[str, str]] = {}  # case-folded name -> (name, id)

    def add(self, stem: str, doc_id: str, ext: str) -> str:
        import hashlib
        base = _NOT_IN_NAMES.sub("_", stem).lstrip(".") or "_"
        if len(base.encode("utf-8")) > _NAME_BYTES:  # cut, kept apart by a hash of the id
            cut = base.encode("utf-8")[:_NAME_BYTES - 9].decode("utf-8", "ignore")
            base = f"{cut}-{hashlib.sha1(stem.encode('utf-8')).hexdigest()[:8]}"
        name, n = f"{base}.{ext}", 1
        while name.casefold() in self.taken:
            n += 1
            name = f"{base}-{n}.{ext}"
        if n > 1:
            other, first = self.taken[f"{base}.{ext}".casefold()]
            click.echo(_safe(f"{doc_id} written to {name}: {other} holds {first}"), err=True)
        self.taken[name.casefold()] = (name, doc_id)
        return name


@cli.command()
@input_options
@click.option("--format", "fmt", type=click.Choice(["json", "timeml"]), default="json",
              show_default=True)
@click.option("--out-dir", type=click.Path(file_okay=False),
              help="Write one file per document (<input stem>.json or .tml).")
def tag(inputs, published, allow_undated, fields, fmt, out_dir, strict, quiet):
    """Tag the temporal expressions of INPUT documents (TimeML TIMEX3).

    With one document, prints its JSON list; with several, one JSON object per
    line ({"id": ..., "mentions": [...]}) unless --out-dir is given.  TimeML
    (.tml) inputs are read with their creation time as the publication date.

    \b
    Example:
      timeline tag seeds/003_28bf6bd65512fe70.txt
      timeline tag corpus/*.tml --format timeml --out-dir tagged/
    """
    from . import atomic
    from .sources.timeml import write_timeml
    tl = _read(inputs, published, allow_undated, fields, quiet, strict, build=False)
    single = len(tl.documents) == 1
    found = 0
    names = _FileNames()
    for doc, mentions in api.tag_documents(tl.documents):
        if isinstance(mentions, api.Skipped):  # the tagger failed on it
            tl.skipped.append(mentions)
            click.echo(_safe(f"skipped {mentions.input}: {mentions.reason}"), err=True)
            continue
        found += len(mentions)
        if fmt == "timeml":
            body = write_timeml(doc, mentions)
        else:
            body = shown.json_dumps([m.to_json() for m in mentions],
                                    indent=2 if (single or out_dir) else None)
        if out_dir:
            stem = Path(doc.path).stem if doc.path and single else doc.id
            path = Path(out_dir) / names.add(stem, doc.id, "tml" if fmt == "timeml" else "json")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                atomic.write_text(path, body + "\n")  # aside, fsync, rename
            except OSError as e:
                raise _cannot_write(e, path) from None
        elif single or fmt == "timeml":
            click.echo(body)
        else:
            click.echo(shown.json_dumps({"id": doc.id, "mentions": json.loads(body)}))
    click.echo(_summary(tl, found, "temporal expression(s)"), err=True)


@cli.command()
@input_options(required=False)
@_date_option("--from", "Only events that overlap this date or later.")
@_date_option("--to", "Only events that overlap this date or earlier.")
@click.option("--where", metavar="EXPR",
              help="Only events that satisfy EXPR, e.g. \"kind == 'expected'\", "
                   "\"source in ['Reuters', 'AP']\", \"text.str.contains('drone')\".")
@click.option("--store", type=click.Path(file_okay=False), metavar="DIR",
              help="Answer from the event store in DIR (timeline build --store DIR) "
                   "instead of reading INPUT.")
@click.option("--statements", is_flag=True, help=STATEMENTS_HELP)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
def events(inputs, published, allow_undated, fields, fmt, strict, quiet, where, store,
           statements, **dates):
    """List the events of INPUT documents, or of a --store, ordered, optionally
    within a date range.

    \b
    Example:
      timeline events seeds/ --from 2022-09-01 --to 2022-10-31
      timeline events articles.jsonl --format csv > events.csv
      timeline events --store events/ --from 2022-10-01 --to 2022-10-31 --where "kind == 'expected'"
    """
    import pandas as pd

    from . import export
    from . import store as st
    from .table import filter_range
    if store and inputs:
        raise click.UsageError("give INPUT files or folders, or --store DIR, not both")
    if not store and not inputs:
        raise click.UsageError("give INPUT files or folders to read, or --store DIR to "
                               "answer from an event store (timeline build INPUT... --store DIR)")
    _check_range(dates)
    try:
        if store:
            df = st.query(store, dates.get("from"), dates.get("to"), where)
            total = st.info(store)["events"]
            tl = None
        else:
            tl = _read(inputs, published, allow_undated, fields, quiet, strict,
                       statements=statements)
            df = st.filter_frame(filter_range(tl.events, dates.get("from"), dates.get("to")),
                                 where)
    except st.StoreError as e:
        raise click.ClickException(str(e)) from None
    if fmt == "csv":
        click.echo(export.to_csv(df), nl=False)
    elif fmt == "json":
        click.echo(export.to_json(df))
    else:
        def text(v):
            return "" if pd.isna(v) else _safe(v)
        for row in df.itertuples():
            start = "undated" if pd.isna(row.start) else row.start.date().isoformat()
            click.echo(f"{start:<10}  {text(row.timex):<12} {text(row.kind):<9} "
                       f"{text(row.title)}  [{_safe(_sources(row))}]")
    ranged = dates.get("from") is not None or dates.get("to") is not None or where
    if tl is None:
        click.echo(f"{len(df)} event(s)" + (f" selected (of {total})" if ranged else "")
                   + f" from the store {_safe(store)}", err=True)
        return
    note = f" in range (of {len(tl.events)})" if ranged else ""
    click.echo(_summary(tl, len(df), note=note), err=True)


@cli.command()
@click.argument("event_id", metavar="EVENT_ID")
@input_options
@click.option("--statements", is_flag=True, help=STATEMENTS_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def explain(event_id, inputs, published, allow_undated, fields, strict, quiet, statements,
            fmt):
    """Show why EVENT_ID is one event: the mentions merged into it, from which
    articles, with their dates and how similar each is to the event's text.

    EVENT_ID is the event_id of a row of `timeline build`/`timeline events` (or
    of any of its members); INPUT must be what that timeline was built from.

    \b
    Example:
      timeline events articles.jsonl seeds/ --format csv > events.csv
      timeline explain e283b13452f8 ../shared/corpora/news/articles.jsonl seeds/
    """
    import pandas as pd
    tl = _read(inputs, published, allow_undated, fields, quiet, strict, statements=statements)
    try:
        row, members = tl.explain(event_id)
    except KeyError as e:
        raise click.ClickException(str(e.args[0])) from None

    def day(v):
        return "" if pd.isna(v) else v.date().isoformat() if v == v.normalize() else v.isoformat()
    if fmt == "json":
        from . import export
        click.echo(shown.json_dumps({"event": json.loads(export.to_json(pd.DataFrame([row])))[0],
                                     "members": json.loads(export.to_json(members))},
                                    indent=2))
        return
    conflict = "  DATE CONFLICT" if row["date_conflict"] else ""
    click.echo(f"{row['event_id']}  {day(row['start'])} .. {day(row['end'])} "
               f"({row['granularity']}, {row['kind']}){conflict}")
    click.echo(_safe(f"  {row['title']}"))
    click.echo(_safe(f"  sources ({row['n_sources']}): {row['sources']}"))
    if isinstance(row["actors"], str):
        click.echo(_safe(f"  actors: {row['actors']}"))
    click.echo(_safe(f"  date from {row['expression']!r} (rule {row['rule']}, "
                     f"anchor {row['anchor']})"))
    click.echo(f"{len(members)} member mention(s):")
    for m in members.itertuples():
        agree = "" if m.date_agrees else "  [recalls it later]" if m.recalls \
            else "  [date disagrees]"
        who = f" <{m.attribution}>" if isinstance(m.attribution, str) else ""
        click.echo(_safe(f"- {m.event_id}  {day(m.published)} {m.sources}  {m.role}/{m.kind}  "
                         f"{day(m.start)} {m.granularity} "
                         f"{m.expression or '(publication date)'!r}  "
                         f"similarity {m.similarity:.2f}{agree}"))
        click.echo(_safe(f"    {m.text}{who}"))
    click.echo(_summary(tl, len(members), "member mention(s)"), err=True)


@cli.command()
@input_options
@click.option("--dates", "n_dates", type=click.IntRange(min=1), required=True, metavar="L",
              help="How many key dates.")
@click.option("--sentences", type=click.IntRange(min=1), default=2, show_default=True,
              metavar="K", help="Sentences per date, taken whole from the articles.")
@_date_option("--from", "Only dates on or after this one.")
@_date_option("--to", "Only dates on or before this one.")
@click.option("--format", "fmt", type=click.Choice(["json", "md", "html"]),
              help="json: {\"YYYY-MM-DD\": [sentence, ...]}; md / html: dates, sentences "
                   "and their sources. Default: from -o's extension, else json.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to this file instead of stdout.")
@click.option("--title", help="A heading for md and html.")
def summarize(inputs, published, allow_undated, fields, strict, quiet, n_dates, sentences, fmt,
              output, title, **dates):
    """The L key dates of INPUT articles, K sentences each: a timeline summary.

    Dates are ranked by how many articles were published on them, how many
    refer to them (also long after), and how widely their biggest happening
    is reported; each gets the sentences that best represent its events,
    verbatim, with their sources.  Ordered by date.

    \b
    Example:
      timeline summarize articles.jsonl --dates 10
      timeline summarize spill/ --dates 20 --sentences 1 --from 2010-04-20 --to 2010-09-30
      timeline summarize spill/ --dates 15 -o key-dates.md
    """
    from . import atomic
    from . import summarize as sm
    _check_range(dates)
    if fmt is None:
        ext = Path(output).suffix.lower() if output else ""
        fmt = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}.get(ext, "json")
    tl = _read(inputs, published, allow_undated, fields, quiet, strict, title=title)
    try:
        df = tl.summary(dates=n_dates, sentences=sentences, start=dates.get("from"),
                        end=dates.get("to"))
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    body = {"json": lambda: sm.to_json(df) + "\n", "md": lambda: sm.to_markdown(df, title),
            "html": lambda: sm.to_html(df, title)}[fmt]()
    if output:
        try:
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            atomic.write_text(Path(output), body)  # aside, fsync, rename
        except OSError as e:
            raise _cannot_write(e, output) from None
        click.echo(_safe(f"wrote {output}"), err=True)
    else:
        click.echo(body, nl=False)
    n = df["date"].nunique() if len(df) else 0
    click.echo(_summary(tl, n, "key date(s)"), err=True)


@cli.command(name="eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--per-doc", is_flag=True, help="Scores for each document too.")
@click.option("--errors", is_flag=True, help="List every miss, spurious span and wrong value.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def evaluate(gold, per_doc, errors, as_json):
    """Score the tagger on TimeML GOLD files or folders (TempEval-3 Task A).

    \b
    Example:
      timeline eval ../shared/corpora/tbaq
      timeline eval ../shared/corpora/tbaq/TimeBank --errors
    """
    from .evaluate import evaluate_paths, format_report, report_to_json
    try:
        report = evaluate_paths(gold, per_doc=per_doc, errors=errors)
    except (ValueError, OSError) as e:  # each names the file
        raise click.ClickException(str(e)) from None
    if as_json:
        click.echo(shown.json_dumps(report_to_json(report), indent=2))
    else:
        click.echo(format_report(report))


def main():
    cli()
