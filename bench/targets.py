"""Issue 16's targets, each measured and printed beside its target (part of ``make bench``).

For SQLite and PostgreSQL (the benchmark's databases of ``bench/run.py``: ``generate_events N``
with the seed, reused when they exist) it measures, in separate processes (``bench/targets_probe.py``):

- the uncached event page at 1,000 and 100,000 events: CPU per request through the WSGI
  application as gunicorn calls it, and its SQL queries;
- search at 100,000 events: p50 of a one-word, a two-word and a no-hit query;
- the whole calendar as one .ics at 100,000 events, without and with ``DJANGO_SITE_URL``;
- an editor's save through the admin of an event with sessions and documents at 100,000 events;
- an import of BENCH_IMPORT_EVENTS events (default 100,000) from one file into an empty database
  (``bench/import_speed.py``): time, and peak memory;

and on PostgreSQL with Redis, the mixed load: gunicorn with 4 workers, wrk at 32 connections for
BENCH_LOAD_SECONDS (default 60) over home, list, busy month, eight event pages, a filtered list,
search, the subscription feed and RSS, with the page cache on and off, then the same with an editor
saving an event through the admin every second.

It prints a Markdown table and writes it to bench/out/targets.md (BENCH_DOCS=1 also puts it in
docs/performance.md). Settings: BENCH_DATABASES, BENCH_PG, BENCH_REDIS as for ``bench/run.py``;
BENCH_TARGETS=event page,search,feed,save,import,load (default: all); BENCH_IMPORT_EVENTS;
BENCH_LOAD_SECONDS.
"""

import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run
from bench.run import OUT, PYTHON, ROOT, log, setting

TARGETS = setting("BENCH_TARGETS", "event page,search,feed,save,import,load").split(",")
IMPORT_EVENTS = int(setting("BENCH_IMPORT_EVENTS", "100000"))
LOAD_SECONDS = int(setting("BENCH_LOAD_SECONDS", "60"))
BIG, SMALL = 100_000, 1_000
DOCS_START, DOCS_END = "<!-- targets:start -->", "<!-- targets:end -->"
NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
# The figures for the event page (gunicorn, CPU per request): this site 3.7 ms, the baseline
# (django-scheduler 0.12) 1.6 ms, measured on the machine; the target is the baseline's.
EVENT_PAGE_TARGET_MS = 1.6
SEARCH_TARGET_MS = {"postgres": 50, "sqlite": 100}
SAVE_TARGET_MS = 150
IMPORT_TARGET_S = 60


def probe(url, *args, **env):
    environment = run.production_env(url, **env)
    # A deployment without the canonical address: the path every installation takes.
    environment.pop("DJANGO_SITE_URL", None)
    output = subprocess.run(
        [PYTHON, "bench/targets_probe.py", *args],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def verdict(met):
    return "yes" if met else "**no**"


def event_page_rows(database):
    rows = []
    for size in (SMALL, BIG):
        url = run.prepare_database(database, size)
        result = probe(url, "event_page")
        rows.append(
            [
                f"Event page, uncached, {NAMES[database]}, {size:,} events",
                f"{result['cpu_ms']:.1f} ms CPU ({result['wall_ms']:.1f} ms), {result['queries']} queries",
                f"≤ {EVENT_PAGE_TARGET_MS} ms CPU (the baseline's, on the issue's machine)",
                verdict(result["cpu_ms"] <= EVENT_PAGE_TARGET_MS),
            ]
        )
    return rows


def search_rows(database):
    url = run.prepare_database(database, BIG)
    results = probe(url, "search")
    target = SEARCH_TARGET_MS[database]
    rows = [
        [
            f"Search, {name} ({result['url']}), {NAMES[database]}, {BIG:,} events",
            f"p50 {result['wall_ms']:.0f} ms, {result['queries']} queries; ranked (every word in the "
            "title first, then the latest)",
            f"< {target} ms, ranked by relevance then date",
            verdict(result["wall_ms"] < target),
        ]
        for name, result in results.items()
    ]
    return rows


def feed_rows(database):
    url = run.prepare_database(database, BIG)
    results = probe(url, "feed")
    without, with_ = results["without DJANGO_SITE_URL"], results["with DJANGO_SITE_URL"]
    return [
        [
            f"Whole calendar .ics, {NAMES[database]}, {BIG:,} events ({without['vevents']:,} VEVENTs, "
            f"{without['megabytes']:.0f} MB)",
            f"without DJANGO_SITE_URL {without['seconds']:.2f} s, {without['queries']} queries; "
            f"with it {with_['seconds']:.2f} s, {with_['queries']} queries",
            "the same path either way; queries do not grow with the events",
            verdict(without["queries"] == with_["queries"] and without["seconds"] < 2 * with_["seconds"]),
        ]
    ]


def save_rows(database):
    url = run.prepare_database(database, BIG)
    result = probe(url, "save")
    return [
        [
            f"Admin save of an event with {result['sessions']} sessions and {result['documents']} documents, "
            f"{NAMES[database]}, {BIG:,} events",
            f"p50 {result['p50_ms']:.0f} ms ({result['saves']} saves)",
            f"< {SAVE_TARGET_MS} ms",
            verdict(result["p50_ms"] < SAVE_TARGET_MS),
        ]
    ]


# Memory that does not grow with the file: an import of a fifth of the events into an empty
# database is measured too, and the growth (peak resident memory less what the process held with
# the file, before the import) may differ by at most this much (the import before issue 16's third
# stop grew by some 7 KB an event: 560 MB more for 80,000 more events).
IMPORT_GROWTH_SLACK_MB = 50


def import_once(database, events):
    """One import of ``events`` generated events into an empty database: bench/import_speed.py's
    JSON figures, or None if it failed."""
    if database == "sqlite":
        path = OUT / "import-scratch.sqlite3"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        name = run.PG_PREFIX + "import_scratch"
        run.create_postgres_database(name, drop=True)
        url = f"{run.PG_SERVER}/{name}"
    env = run.production_env(url)
    env.pop("DJANGO_SITE_URL", None)
    run.manage(env, "migrate", "--noinput")
    finished = subprocess.run(
        [PYTHON, "bench/import_speed.py", str(events), "--json"],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if finished.returncode:
        log(f"the import failed: {finished.stderr[-3000:]}")
        return None
    return json.loads(finished.stdout.strip().splitlines()[-1])


def import_rows(database):
    small = import_once(database, max(IMPORT_EVENTS // 5, 1))
    result = import_once(database, IMPORT_EVENTS)
    if small is None or result is None:
        return [
            [f"Import of {IMPORT_EVENTS:,} events, {NAMES[database]}", "failed (see the log)", "", "**no**"]
        ]
    rate = result["events"] / result["seconds"]
    projected = "" if IMPORT_EVENTS == BIG else f"; at that rate {BIG:,} events would take {BIG / rate:.0f} s"
    growth, small_growth = (r["peak_mb"] - r["before_mb"] for r in (result, small))
    memory_holds = growth <= small_growth + IMPORT_GROWTH_SLACK_MB
    return [
        [
            f"Import of {result['events']:,} events from one {result['megabytes']:.0f} MB file, "
            f"{NAMES[database]}",
            f"{result['seconds']:.0f} s ({rate:.0f} events/s); memory grew {growth:.0f} MB beyond the "
            f"{result['before_mb']:.0f} MB held with the file (peak {result['peak_mb']:.0f} MB), and "
            f"{small_growth:.0f} MB for {small['events']:,} events{projected}",
            f"{BIG:,} events < {IMPORT_TARGET_S} s; memory that does not grow with the file (growth within "
            f"{IMPORT_GROWTH_SLACK_MB} MB of a fifth of the file's)",
            f"time: {verdict(IMPORT_EVENTS >= BIG and result['seconds'] < IMPORT_TARGET_S)}; "
            f"memory: {verdict(memory_holds)}",
        ]
    ]


def wrk_mixed(base, paths):
    output = subprocess.run(
        [
            run.WRK,
            "--threads=2",
            "--connections=32",
            f"--duration={LOAD_SECONDS}s",
            "--timeout=30s",
            "--latency",
            f"--script={ROOT / 'bench' / 'mixed.lua'}",
            base,
            "--",
            *paths,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return run.wrk_figures(output, ("50", "99"), "the mixed load")


def load_rows():
    url = run.prepare_database("postgres", BIG)
    paths = probe(url, "load_paths")
    results = {}
    for mode in ("cached", "uncached"):
        cache = {
            "cached": {
                "CACHE_URL": f"{run.REDIS}?key_prefix=events_targets_{os.getpid()}",
                "DJANGO_PAGE_CACHE_SECONDS": "600",
            },
            "uncached": {"CACHE_URL": "dummycache://", "DJANGO_PAGE_CACHE_SECONDS": "0"},
        }[mode]
        env = run.production_env(url, BENCH_STATIC_DIR=str(OUT), **cache)
        env.pop("DJANGO_SITE_URL", None)
        env.pop("DJANGO_ICS_FEED_MAX_EVENTS", None)  # the subscription feed as deployed
        with run.gunicorn(env, workers=4) as (base, _sampler):
            for path in paths:  # warm up: every page once
                with contextlib.suppress(OSError):
                    run.urllib.request.urlopen(base + path, timeout=60).read()
            for edits in (False, True):
                log(f"load: {mode}, {'an edit every second' if edits else 'no edits'}")
                editor = {}
                thread = None
                if edits:
                    editor_env = {**env, "PYTHONPATH": str(ROOT)}

                    def edit(base=base, editor_env=editor_env, editor=editor):
                        finished = subprocess.run(
                            [PYTHON, "bench/targets_probe.py", "editor", base, str(LOAD_SECONDS)],
                            cwd=ROOT,
                            env=editor_env,
                            check=False,
                            capture_output=True,
                            text=True,
                        )
                        if finished.returncode:
                            log(f"the editor stopped: {finished.stderr[-2000:]}")
                            editor["failures"] = editor.get("failures", 0) + 1
                        else:
                            editor.update(json.loads(finished.stdout.strip().splitlines()[-1]))

                    thread = threading.Thread(target=edit)
                    thread.start()
                result = wrk_mixed(base, paths)
                if thread:
                    thread.join()
                results[(mode, edits)] = {**result, "editor": editor}
    rows = []
    for (mode, edits), result in results.items():
        label = f"Mixed load, {mode}, {'an editor saving every second' if edits else 'no edits'}"
        measured = (
            f"{result['rps']:.0f} req/s, p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms, "
            f"{result['errors']} errors"
        )
        if edits:
            editor = result["editor"]
            measured += (
                f"; {editor.get('saves', 0)} saves, p50 {editor.get('p50_ms', 0):.0f} ms, "
                f"{editor.get('failures', 0)} failed"
            )
        target, met = "0 errors", result["errors"] == 0
        if edits:
            target += ", every save saved"
            met = met and result["editor"].get("saves", 0) > 0 and not result["editor"].get("failures")
        if edits and mode == "cached":
            calm = results[(mode, False)]["p99"]
            target += f"; p99 < 3 × {calm:.1f} ms (the run without edits)"
            met = met and result["p99"] < 3 * calm
        rows.append(
            [
                label + f" (PostgreSQL + Redis, {BIG:,} events, 4 workers, 32 connections, {LOAD_SECONDS} s)",
                measured,
                target,
                verdict(met),
            ]
        )
    return rows


def report(rows):
    lines = [
        f"Issue 16's targets, measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {run.machine()}.",
        "",
        "| what | measured | target | met |",
        "|---|---|---|---|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    return "\n".join(lines) + "\n"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    run.manage(
        run.production_env(run.database_url("sqlite", 0)), "collectstatic", "--noinput", "--verbosity=0"
    )
    per_database = {
        "event page": event_page_rows,
        "search": search_rows,
        "feed": feed_rows,
        "save": save_rows,
        "import": import_rows,
    }
    rows = []
    for target in TARGETS:
        target = target.strip()
        if target == "load":
            if "postgres" in run.DATABASES:
                log("target: load")
                rows += load_rows()
            continue
        for database in run.DATABASES:
            log(f"target: {target}, {database}")
            rows += per_database[target](database)
    markdown = report(rows)
    (OUT / "targets.md").write_text(markdown)
    print(markdown)
    if setting("BENCH_DOCS", "") == "1":
        path = ROOT / "docs" / "performance.md"
        text = path.read_text()
        start, end = text.index(DOCS_START) + len(DOCS_START), text.index(DOCS_END)
        path.write_text(text[:start] + "\n" + markdown + text[end:])


if __name__ == "__main__":
    main()
