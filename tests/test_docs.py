"""The README documents the tool as it is: every command, every option, every
public API name, and the shell examples of its Commands section run.

The examples run in a scratch folder laid out like the repository's (``seeds/``
and ``../shared`` link to the real ones), so what they write (``exports/``,
``tagged/``, ``events.csv``) lands there, never in the work tree. An example
that needs a file the repository does not have is listed in NEEDS_FILES with
that file; the list is checked both ways, so it cannot go stale silently.
"""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import timeline
from timeline.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

# example -> the input it names that is not in the repository (a reader's own files)
NEEDS_FILES = {
    'timeline build articles.jsonl --title "Iranian drones in Ukraine" --table events.parquet':
        "articles.jsonl",
    "timeline build notes.txt --published 2022-11-03": "notes.txt",
    "timeline build page.html --table events.json --format timelinejs": "page.html",
    "timeline tag corpus/ --format timeml --out-dir tagged/": "corpus/",
}


def _mentioned(word: str) -> bool:
    """``word`` in the README as a whole token (``--json`` is not ``--json-lines``)."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", README) is not None


def _options():
    for name, command in sorted(cli.commands.items()):
        for param in command.params:
            if isinstance(param, click.Option):
                yield pytest.param(name, param, id=f"{name} {'/'.join(param.opts)}")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_in_the_readme(name):
    assert f"timeline {name}" in README, f"README has no `timeline {name}` example"


@pytest.mark.parametrize("name, option", list(_options()))
def test_every_option_is_in_the_readme(name, option):
    assert any(_mentioned(o) for o in option.opts + option.secondary_opts), (
        f"`timeline {name}` option {'/'.join(option.opts)} is not in the README")


def _public_api():
    assert timeline.__all__  # the package declares its API
    for name in timeline.__all__:
        yield name
    for name in dir(timeline.Timeline):  # the methods and fields of a build's result
        if not name.startswith("_"):
            yield f"Timeline.{name}"
    for name in timeline.Timeline.__dataclass_fields__:
        if not name.startswith("_"):
            yield f"Timeline.{name}"


@pytest.mark.parametrize("name", sorted(set(_public_api())))
def test_every_public_name_is_in_the_readme(name):
    if name.startswith("Timeline."):
        attr = name.split(".", 1)[1]
        # a Timeline is used as tl (README: tl = timeline.build(...))
        assert re.search(rf"\btl\.{attr}\b|\bTimeline\.{attr}\b|`{attr}`", README), (
            f"{name} is not in the README")
    else:
        assert re.search(rf"\btimeline\.{name}\b|`{name}`", README) or (
            name[0].isupper() and _mentioned(name)), f"timeline.{name} is not in the README"


def _examples() -> list[str]:
    section = README.split("\n## Commands", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert blocks, "the Commands section has no sh block"
    lines = []
    for block in blocks:
        for line in block.splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                lines.append(shlex.join(shlex.split(line, comments=True)))
    return lines


def _canonical(example: str) -> str:
    return shlex.join(shlex.split(example))


EXAMPLES = _examples()


def test_the_skipped_examples_are_in_the_readme_and_need_a_missing_file():
    runnable = {_canonical(e) for e in EXAMPLES}
    for example, needs in NEEDS_FILES.items():
        assert _canonical(example) in runnable, f"not in the README any more: {example}"
        assert needs in shlex.split(example)
        assert not (ROOT / needs).exists(), f"{needs} exists now: run `{example}` in the test"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A folder laid out like the work tree: seeds/ and ../shared are the real ones."""
    top = tmp_path_factory.mktemp("docs")
    work = top / "work"
    work.mkdir()
    (work / "seeds").symlink_to(ROOT / "seeds")
    (top / "shared").symlink_to(ROOT.parent / "shared")
    return work


@pytest.mark.parametrize("example", [e for e in EXAMPLES
                                     if _canonical(e) not in map(_canonical, NEEDS_FILES)])
def test_readme_example_runs(example, scratch, monkeypatch):
    args = shlex.split(example)
    assert args[0] == "timeline", example
    args, out = (args[: args.index(">")], args[args.index(">") + 1]) if ">" in args else (args, None)
    for a in args[1:]:
        if a.startswith(("seeds", "../shared")) and not (scratch / a).exists():
            pytest.fail(f"`{example}` names {a}, which is not in the repository")
    monkeypatch.chdir(scratch)
    r = CliRunner().invoke(cli, args[1:], catch_exceptions=False)
    assert r.exit_code == 0, f"`{example}` exited {r.exit_code}:\n{r.output}"
    if out is not None:
        Path(out).write_text(r.stdout, encoding="utf-8")
        assert Path(out).stat().st_size > 0
