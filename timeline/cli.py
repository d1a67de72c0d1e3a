"""The `timeline` command: a thin click layer over timeline.api.

Each command parses options, calls the API, formats the output, and turns
library errors into one clear line with a non-zero exit.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

import click

from . import api
from .temporal import TENSES

DEFAULT_HTML = "exports/timeline.html"


def _date_option(name: str, help: str):
    def convert(ctx, param, value):
        try:
            return api.parse_date(value, name)
        except ValueError as e:
            raise click.BadParameter(str(e)) from None
    return click.option(name, callback=convert, metavar="DATE", help=help)


def input_options(f):
    """Options shared by every command that reads articles."""
    @click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
    @_date_option("--published", "Publication date for inputs that carry none (YYYY-MM-DD).")
    @click.option("--allow-undated", is_flag=True,
                  help="Keep documents with no publication date: absolute dates still "
                       "count, relative ones stay unanchored.")
    @click.option("--field", "fields", multiple=True, metavar="NAME=COLUMN",
                  help="Map a JSON lines / CSV column to a field (id, url, title, "
                       "published, text, source), e.g. --field text=body.")
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


def _read(inputs, published, allow_undated, fields, quiet=False, strict=False, title=None):
    """Build the timeline, report skipped inputs on stderr, enforce --strict."""
    try:
        tl = api.build(inputs, published=published, allow_undated=allow_undated,
                       fields=fields, title=title)
    except (ValueError, FileNotFoundError) as e:
        raise click.ClickException(str(e)) from None
    for s in tl.skipped:
        click.echo(f"skipped {s.input}: {s.reason}", err=True)
    if not tl.documents:
        raise click.ClickException("no document could be read (see the lines above)")
    if strict and tl.skipped:
        raise click.ClickException(f"{len(tl.skipped)} input(s) skipped and --strict is set")
    return tl


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
              type=click.Path(dir_okay=False), help="The HTML timeline to write.")
@click.option("--table", "tables", multiple=True, type=click.Path(dir_okay=False),
              help="Also write the event table (.csv, .json, .parquet, .md, .ics, "
                   ".timelinejs.json, .tml); repeatable.")
@click.option("--title", help="Title of the chart.")
@click.option("--group-by", help="Lanes of the chart: source, doc_id, kind or any column.")
@click.option("--plotlyjs", type=click.Choice(["inline", "cdn"]), default="inline",
              show_default=True, help="Inline plotly.js (works offline) or load it from a CDN.")
@click.option("--strict", is_flag=True, help="Exit non-zero if any input was skipped.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def build(inputs, published, allow_undated, fields, output, tables, title, group_by,
          plotlyjs, strict, quiet):
    """Build the timeline of INPUT files or folders into an HTML page.

    \b
    Example:
      timeline build seeds/ -o exports/timeline.html --table exports/timeline.csv
      timeline build articles.jsonl --title "Iranian drones in Ukraine"
    """
    tl = _read(inputs, published, allow_undated, fields, quiet, strict, title)
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        tl.to_html(out, include_plotlyjs=True if plotlyjs == "inline" else "cdn",
                   group_by=group_by)
        for t in tables:
            tl.save(t)
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"wrote {out}" + "".join(f", {t}" for t in tables), err=True)
    click.echo(tl.summary(), err=True)


def _mention_json(m) -> dict:
    iv = m.interval
    return {"text": m.text, "value": m.value, "type": m.type, "mod": m.mod,
            "start": iv.to_json()["start"] if iv else None,
            "end": iv.to_json()["end"] if iv else None,
            "granularity": iv.granularity if iv else None,
            "anchor": m.anchor, "rule": m.rule}


@cli.command()
@click.argument("phrase")
@_date_option("--anchor", "The reference date (YYYY-MM-DD) the phrase is relative to.")
@click.option("--tense", type=click.Choice(TENSES),
              help="Tense of the clause, for bare months and weekdays.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def resolve(phrase, anchor, tense, fmt):
    """Resolve a date PHRASE relative to an anchor date.

    \b
    Example:
      timeline resolve "next Tuesday" --anchor 2022-11-03
      timeline resolve "before the end of this year" --anchor 2022-11-03 --format json
    """
    if anchor is None:
        raise click.UsageError("give the reference date with --anchor YYYY-MM-DD")
    m = api.resolve(phrase, anchor, tense=tense)
    if m is None:
        raise click.ClickException(f"no temporal expression in {phrase!r}")
    d = _mention_json(m)
    if fmt == "json":
        click.echo(json.dumps(d, ensure_ascii=False))
        return
    span = f"[{d['start']}, {d['end']}) {d['granularity']}" if d["start"] else "no interval"
    mod = f" mod={d['mod']}" if d["mod"] else ""
    click.echo(f"{m.text!r} -> {d['value']} ({d['type']}{mod}) {span}; "
               f"rule {d['rule']}, anchor {d['anchor']}")


@cli.command()
@input_options
@click.option("--format", "fmt", type=click.Choice(["json", "timeml"]), default="json",
              show_default=True)
@click.option("--out-dir", type=click.Path(file_okay=False),
              help="Write one file per document (<input stem>.json or .tml).")
def tag(inputs, published, allow_undated, fields, fmt, out_dir):
    """Tag the temporal expressions of INPUT documents (TimeML TIMEX3).

    With one document, prints its JSON list; with several, one JSON object per
    line ({"id": ..., "mentions": [...]}) unless --out-dir is given.  TimeML
    (.tml) inputs are read with their creation time as the publication date.

    \b
    Example:
      timeline tag seeds/003_28bf6bd65512fe70.txt
      timeline tag corpus/*.tml --format timeml --out-dir tagged/
    """
    from .sources.timeml import write_timeml
    tl = _read(inputs, published, allow_undated, fields, quiet=True)
    single = len(tl.documents) == 1
    for doc in tl.documents:
        mentions = api.tag(doc.text, doc.published)
        if fmt == "timeml":
            body = write_timeml(doc, mentions)
        else:
            body = json.dumps([m.to_json() for m in mentions], ensure_ascii=False,
                              indent=2 if (single or out_dir) else None)
        if out_dir:
            stem = Path(doc.path).stem if doc.path and single else doc.id
            stem = stem.replace("/", "_").replace(":", "_")
            path = Path(out_dir) / f"{stem}.{'tml' if fmt == 'timeml' else 'json'}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body + "\n", encoding="utf-8")
        elif single or fmt == "timeml":
            click.echo(body)
        else:
            click.echo(json.dumps({"id": doc.id, "mentions": json.loads(body)},
                                  ensure_ascii=False))


@cli.command()
@input_options
@_date_option("--from", "Only events that overlap this date or later.")
@_date_option("--to", "Only events that overlap this date or earlier.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
def events(inputs, published, allow_undated, fields, fmt, **dates):
    """List the events of INPUT documents, ordered, optionally within a date range.

    \b
    Example:
      timeline events seeds/ --from 2022-09-01 --to 2022-10-31
      timeline events articles.jsonl --format csv > events.csv
    """
    from . import export
    from .table import filter_range
    tl = _read(inputs, published, allow_undated, fields, quiet=True)
    df = filter_range(tl.events, dates.get("from"), dates.get("to"))
    if fmt == "csv":
        click.echo(export.to_csv(df), nl=False)
    elif fmt == "json":
        click.echo(export.to_json(df))
    else:
        for row in df.itertuples():
            start = row.start.date().isoformat() if row.start == row.start else "undated"
            click.echo(f"{start}  {row.timex:<12} {row.kind:<9} {row.title}  [{row.source or row.doc_id}]")
        click.echo(f"{len(df)} event(s)", err=True)


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
    except (ValueError, FileNotFoundError) as e:
        raise click.ClickException(str(e)) from None
    if as_json:
        click.echo(json.dumps(report_to_json(report), indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(report))


def main():
    cli()
