"""Every command of the CLI given bad arguments (issue 18: 0 tracebacks).

Wrong types, missing and unreadable files, bad dates, bad ``--where``,
conflicting options: each run must end with exactly one ``Error:`` line that
names the argument or input at fault, exit 2 (usage) or 1 (the input or the
environment), and show no traceback and no raw escape sequence. The cases
cover every command ``timeline --help`` lists; a test checks that none is
left out.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED = SEEDS / "003_28bf6bd65512fe70.txt"
ESC = "\x1b[31m"  # a terminal escape (red text) inside a file name


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Scratch inputs: good, missing, unreadable, not an article, a store, a damaged one."""
    d = tmp_path_factory.mktemp("bad-args")
    good = d / "good.txt"
    good.write_text("---\npublished: 2022-11-03\n---\nThe council met on Monday.\n", "utf-8")
    unreadable = d / "unreadable.txt"
    if os.geteuid() == 0:  # root reads any mode: a file whose read fails for everyone
        if not Path("/proc/self/mem").exists():
            pytest.skip("needs /proc/self/mem (Linux) to have an unreadable file as root")
        unreadable.symlink_to("/proc/self/mem")
    else:
        unreadable.write_text("The council met on Monday.", "utf-8")
        unreadable.chmod(0)
    (d / "empty").mkdir()
    (d / "notes.docx").write_bytes(b"PK\x03\x04 not an article")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (d / "a-file").write_text("x", "utf-8")
    (d / "folder.html").mkdir()  # a folder where a file is to be written
    (d / "not-a-store").mkdir()
    (d / "not-a-store" / "keep.txt").write_text("someone's file", "utf-8")
    (d / "bad.tml").write_text("<TimeML><TEXT>unclosed", "utf-8")
    (d / f"evil{ESC}.txt").write_text("", "utf-8")  # empty: skipped, and named
    store = d / "store"
    r = CliRunner().invoke(cli, ["build", str(SEED), "-q", "-o", str(d / "p.html"),
                                 "--store", str(store)])
    assert r.exit_code == 0, r.output
    damaged = d / "damaged"
    shutil.copytree(store.resolve(), damaged)
    for part in damaged.rglob("*.parquet"):
        part.write_bytes(b"PAR1 truncated")
    return d


def _cases():
    """(command, args, exit code, words the error output must contain); {d} is the
    scratch folder, {seed} a good article."""
    seed = "{seed}"
    return [
        # build
        ("build", [], 2, ["INPUT"]),
        ("build", ["{d}/missing.txt"], 1, ["{d}/missing.txt", "no such file"]),
        ("build", ["{d}/unreadable.txt"], 1, ["{d}/unreadable.txt", "cannot read"]),
        ("build", ["{d}/binary.txt"], 1, ["{d}/binary.txt", "not a text file"]),
        ("build", ["{d}/notes.docx"], 1, ["notes.docx", "unsupported file type"]),
        ("build", ["{d}/empty"], 1, ["{d}/empty", "no article files"]),
        ("build", [seed, "--published", "2022-13-45"], 2, ["--published", "2022-13-45"]),
        ("build", [seed, "--published", "yesterday"], 2, ["--published", "YYYY-MM-DD"]),
        ("build", [seed, "--published", "1500-06-01"], 2, ["--published", "1678-2261"]),
        ("build", [seed, "--workers", "0"], 2, ["--workers"]),
        ("build", [seed, "--workers", "two"], 2, ["--workers", "two"]),
        ("build", [seed, "--chunk-size", "-3"], 2, ["--chunk-size"]),
        ("build", [seed, "--format", "docx", "--table", "{d}/t.docx"], 2, ["--format", "docx"]),
        ("build", [seed, "--format", "csv"], 2, ["--format", "--table"]),
        ("build", [seed, "-o", "{d}/p.html", "--table", "{d}/t.docx"], 1, ["{d}/t.docx"]),
        ("build", [seed, "-o", "{d}/p.html", "--table", "{d}/a-file/t.csv"], 1, ["{d}/a-file"]),
        ("build", [seed, "-o", "{d}/folder.html"], 2, ["{d}/folder.html"]),
        ("build", [seed, "-o", "{d}/a-file/p.html"], 1, ["{d}/a-file"]),
        ("build", [seed, "-o", "{d}/p.docx"], 1, ["{d}/p.docx"]),
        ("build", [seed, "-o", "{d}/p.md"], 2, ["{d}/p.md", "--table {d}/p.md"]),
        ("build", [seed, "--field", "text"], 2, ["--field", "NAME=COLUMN"]),
        ("build", [seed, "--field", "body=text"], 1, ["body", "field"]),
        ("build", [seed, "--chart", "pie"], 2, ["--chart", "pie"]),
        ("build", [seed, "--engine", "spark"], 2, ["--engine", "spark"]),
        ("build", [seed, "--engine", "local", "--scheduler", "tcp://127.0.0.1:9"], 2,
         ["--scheduler", "--engine local"]),
        ("build", [seed, "-o", "{d}/p.html", "--store", "{d}/a-file"], 2, ["{d}/a-file"]),
        ("build", [seed, "-o", "{d}/p.html", "--store", "{d}/not-a-store"], 1,
         ["{d}/not-a-store", "not a timeline store"]),
        ("build", [seed, "-o", "{d}/p.html", "--store", "{d}/a-file/s"], 1, ["{d}/a-file"]),
        ("build", [seed, "-o", "{d}/p.html", "--group-by", "nonsense"], 2,
         ["--group-by", "nonsense"]),
        ("build", [seed, "--strict", "{d}/missing.txt", "-o", "{d}/p.html"], 1,
         ["{d}/missing.txt", "--strict"]),
        ("build", [seed, "--no-such-option"], 2, ["--no-such-option"]),
        # resolve
        ("resolve", [], 2, ["PHRASE"]),
        ("resolve", ["next Tuesday"], 2, ["--anchor"]),
        ("resolve", ["next Tuesday", "--anchor", "2022-02-30"], 2, ["--anchor", "2022-02-30"]),
        ("resolve", ["next Tuesday", "--anchor", "3/11/2022"], 2, ["--anchor", "3/11/2022"]),
        ("resolve", ["next Tuesday", "--anchor", "2022-11-03", "--tense", "pluperfect"], 2,
         ["--tense", "pluperfect"]),
        ("resolve", ["next Tuesday", "--anchor", "2022-11-03", "--format", "xml"], 2,
         ["--format", "xml"]),
        ("resolve", ["the cat sat", "--anchor", "2022-11-03"], 1, ["the cat sat"]),
        ("resolve", ["", "--anchor", "2022-11-03"], 1, ["no temporal expression"]),
        # tag
        ("tag", [], 2, ["INPUT"]),
        ("tag", ["{d}/missing.txt"], 1, ["{d}/missing.txt"]),
        ("tag", ["{d}/unreadable.txt"], 1, ["{d}/unreadable.txt"]),
        ("tag", ["{d}/bad.tml"], 1, ["{d}/bad.tml", "TimeML"]),
        ("tag", [seed, "--format", "csv"], 2, ["--format", "csv"]),
        ("tag", [seed, "--out-dir", "{d}/a-file"], 2, ["{d}/a-file"]),
        ("tag", [seed, "--out-dir", "{d}/a-file/out"], 1, ["{d}/a-file"]),
        ("tag", ["{d}/evil" + ESC + ".txt"], 1, ["evil\\x1b[31m.txt", "empty file"]),
        # events
        ("events", [], 2, ["INPUT", "--store"]),
        ("events", [seed, "--store", "{d}/store"], 2, ["--store", "not both"]),
        ("events", [seed, "--from", "2022-11-31"], 2, ["--from", "2022-11-31"]),
        ("events", [seed, "--from", "2022-11-03", "--to", "2022-10-01"], 2, ["--from", "--to"]),
        ("events", [seed, "--where", "kind =="], 1, ["--where"]),
        ("events", [seed, "--where", "(kind == 'expected'"], 1, ["--where"]),
        ("events", [seed, "--where", "__import__('os').system('true')"], 1, ["--where"]),
        ("events", [seed, "--where", "n_sources == 'two'"], 1, ["--where", "n_sources"]),
        ("events", [seed, "--where", "nonsense > 3"], 1, ["--where", "nonsense"]),
        ("events", ["--store", "{d}/store", "--where", "kind > 3"], 1, ["--where", "kind"]),
        ("events", ["--store", "{d}/store", "--where", " | ".join(["kind == 'x'"] * 5000)], 1,
         ["--where"]),
        ("events", ["--store", "{d}/missing-store"], 1, ["{d}/missing-store"]),
        ("events", ["--store", "{d}/not-a-store"], 1, ["{d}/not-a-store", "not a timeline store"]),
        ("events", ["--store", "{d}/damaged"], 1, ["{d}/damaged", "damaged"]),
        ("events", ["--store", "{d}/a-file"], 2, ["{d}/a-file"]),
        ("events", [seed, "--format", "xlsx"], 2, ["--format", "xlsx"]),
        ("events", ["{d}/missing.txt"], 1, ["{d}/missing.txt"]),
        # explain
        ("explain", [], 2, ["EVENT_ID"]),
        ("explain", ["e283b13452f8"], 2, ["INPUT"]),
        ("explain", ["nosuchevent", seed], 1, ["nosuchevent"]),
        ("explain", ["e283b13452f8", "{d}/missing.txt"], 1, ["{d}/missing.txt"]),
        ("explain", ["e283b13452f8", seed, "--format", "yaml"], 2, ["--format", "yaml"]),
        # summarize
        ("summarize", [seed], 2, ["--dates"]),
        ("summarize", [seed, "--dates", "0"], 2, ["--dates"]),
        ("summarize", [seed, "--dates", "many"], 2, ["--dates", "many"]),
        ("summarize", [seed, "--dates", "3", "--sentences", "0"], 2, ["--sentences"]),
        ("summarize", [seed, "--dates", "3", "--from", "2022-11-03", "--to", "2022-10-01"], 2,
         ["--from", "--to"]),
        ("summarize", [seed, "--dates", "3", "--format", "pdf"], 2, ["--format", "pdf"]),
        ("summarize", [seed, "--dates", "3", "-o", "{d}/folder.html"], 2, ["{d}/folder.html"]),
        ("summarize", [seed, "--dates", "3", "-o", "{d}/a-file/s.md"], 1, ["{d}/a-file"]),
        ("summarize", ["{d}/missing.txt", "--dates", "3"], 1, ["{d}/missing.txt"]),
        # eval
        ("eval", [], 2, ["GOLD"]),
        ("eval", ["{d}/missing"], 2, ["{d}/missing"]),
        ("eval", ["{d}/empty"], 1, ["{d}/empty"]),
        ("eval", ["{d}/bad.tml"], 1, ["{d}/bad.tml"]),
        ("eval", ["{d}/good.txt"], 1, ["{d}/good.txt"]),
        ("eval", ["{d}/unreadable.txt"], 1, ["{d}/unreadable.txt"]),
        # the group itself
        ("", ["no-such-command"], 2, ["no-such-command"]),
        ("", ["build" + ESC], 2, ["build\\x1b[31m"]),
    ]


CASES = _cases()


def test_every_command_has_bad_argument_cases():
    assert {c for c, *_ in CASES if c} == set(cli.commands)


@pytest.mark.parametrize("command, args, code, words", CASES,
                         ids=[f"{c or 'timeline'}:{' '.join(a)[:60]}" for c, a, _, _ in CASES])
def test_a_bad_argument_gives_one_clear_line(files, command, args, code, words):
    def fill(s: str) -> str:
        return s.replace("{d}", str(files)).replace("{seed}", str(SEED))
    argv = ([command] if command else []) + [fill(a) for a in args]
    r = CliRunner().invoke(cli, argv)
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        import traceback
        pytest.fail("uncaught " + "".join(traceback.format_exception(r.exception)))
    assert "Traceback" not in r.output
    assert "\x1b" not in r.output  # escape sequences are printed escaped
    lines = r.stderr.strip().splitlines()
    assert lines and lines[-1].startswith("Error: "), r.output
    assert sum(line.startswith("Error") for line in lines) == 1, r.stderr
    for word in words:
        assert fill(word) in r.stderr, (word, r.stderr)
    assert r.exit_code == code, r.output
