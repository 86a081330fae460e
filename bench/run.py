"""The benchmark of issue 7 (``make bench``): throughput, latency, queries and memory per page.

For every database (SQLite, PostgreSQL) and size N (1,000, 10,000, 100,000 events) it:

1. creates its own database (``bench/out/bench-N.sqlite3``, PostgreSQL ``events_bench_N``),
   migrates, loads the seed (the Alliance conference) and runs ``generate_events N`` and ANALYZE
   (an existing database with the right number of events is reused; BENCH_REGENERATE=1 rebuilds);
2. resolves each page of ``bench/pages.py`` and counts its SQL queries (``bench/probe.py``, in its
   own process), saving each page's body as a static file;
3. serves the site with gunicorn (2 sync workers, production settings, DEBUG off) on a free port
   of 127.0.0.1, once with no cache ("uncached") and once with the page cache in Redis ("cached"),
   and measures each page with wrk at concurrency 1 and 8: requests/s, p50 and p90 latency, and
   the workers' peak resident memory while the page was measured; in the cached run also the
   page's saved copy served as a static file by the same workers, giving the ratio page/static.

It prints one Markdown table and writes it to bench/out/latest.md (BENCH_README=1 also puts it in
docs/performance.md). Settings come from the environment:

    BENCH_SIZES=1000,10000,100000   BENCH_DATABASES=sqlite,postgres   BENCH_MODES=uncached,cached
    BENCH_DURATION=3 (seconds per wrk run)   BENCH_PAGES=home,event list (default: all)
    BENCH_PG=postgres://postgres@127.0.0.1:5432   BENCH_REDIS=redis://127.0.0.1:6379/0
    BENCH_RESUME=1 (reuse the saved results of sizes an interrupted run finished)
    BENCH_LANGUAGES=en,de (every page in each: "event page [de]" is the event page in German)
"""

import contextlib
import datetime as dt
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
WRK = shutil.which("wrk") or "/usr/bin/wrk"
SEED = 1
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


def setting(name, default):
    return os.environ.get(name, default)


SIZES = [int(size) for size in setting("BENCH_SIZES", "1000,10000,100000").split(",")]
DATABASES = setting("BENCH_DATABASES", "sqlite,postgres").split(",")
MODES = setting("BENCH_MODES", "uncached,cached").split(",")
DURATION = int(setting("BENCH_DURATION", "3"))
ONLY_PAGES = [name.strip() for name in setting("BENCH_PAGES", "").split(",") if name.strip()]
PG_SERVER = setting("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# Databases are named PREFIX + N (and dropped on BENCH_REGENERATE=1): keep a prefix of your own.
PG_PREFIX = setting("BENCH_PG_PREFIX", "events_bench_")
REDIS = setting("BENCH_REDIS", "redis://127.0.0.1:6379/0")
# The languages every page is measured in (issue 17): the site's (English), and German.
LANGUAGES = [code.strip() for code in setting("BENCH_LANGUAGES", "en,de").split(",") if code.strip()]
CONCURRENCY = (1, 8)


def log(message):
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def database_url(database, size):
    if database == "sqlite":
        return f"sqlite:///{OUT / f'bench-{size}.sqlite3'}"
    return f"{PG_SERVER}/{PG_PREFIX}{size}"


def production_env(database_url, **extra):
    """The environment of a production deployment (behind no TLS proxy: no redirect, no HSTS)."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        # As in production: the canonical address, so events' feed texts are stored
        # (events.calendar_files.stored).
        "DJANGO_SITE_URL": "http://127.0.0.1",
        # Feeds hold every event they select (the deployed default caps them at 5,000).
        "DJANGO_ICS_FEED_MAX_EVENTS": "1000000",
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
    }
    env.update(extra)
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def probe(env, *args):
    output = subprocess.run(
        [PYTHON, "bench/probe.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output)


def create_postgres_database(name, *, drop):
    import psycopg2

    connection = psycopg2.connect(f"{PG_SERVER}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        if drop:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def prepare_database(database, size):
    """Migrate and fill the database of (database, size); reuse it when it already holds the data."""
    url = database_url(database, size)
    env = production_env(url)
    regenerate = setting("BENCH_REGENERATE", "") == "1"
    if database == "sqlite":
        path = OUT / f"bench-{size}.sqlite3"
        if regenerate:
            path.unlink(missing_ok=True)
    else:
        create_postgres_database(f"{PG_PREFIX}{size}", drop=regenerate)
    manage(env, "migrate", "--noinput")
    expected = size + 2  # the seed's two events
    present = probe(env, "count")
    if present != expected:
        if present > 0:
            raise SystemExit(f"{url} holds {present} events, not {expected}: run with BENCH_REGENERATE=1")
        started = time.monotonic()
        manage(env, "load_seed")
        manage(env, "generate_events", str(size), "--seed", str(SEED))
        log(f"{database} N={size}: generated in {time.monotonic() - started:.1f} s")
    # The texts of every benchmark language, as a site whose feeds in them have been asked for has.
    if probe(env, "feed_texts", *LANGUAGES) != expected:  # written before feed texts, or in fewer languages
        started = time.monotonic()
        manage(env, "refresh_feed_text", *(f"--language={language}" for language in LANGUAGES))
        log(f"{database} N={size}: feed texts written in {time.monotonic() - started:.1f} s")
    # What autovacuum (PostgreSQL) or PRAGMA optimize (SQLite) leave a live database with.
    probe(env, "analyze")
    return url


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_pids(master):
    path = Path(f"/proc/{master}/task/{master}/children")
    with contextlib.suppress(OSError):
        return [int(pid) for pid in path.read_text().split()]
    return []


def rss_mb(pid, field="VmRSS"):
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


class MemorySampler:
    """Samples the gunicorn workers' memory every 50 ms: ``peak()``, the highest resident set size
    (VmRSS) and the highest private part of it (RssAnon: what the worker allocated itself, without
    the files it maps, such as SQLite's memory-mapped database, which are the OS's shared and
    reclaimable page cache), each since the last reset."""

    def __init__(self, master):
        self.master = master
        self.maximum = self.maximum_private = 0.0
        self.running = True
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def readings(self, field):
        return [rss_mb(pid, field) for pid in worker_pids(self.master)]

    def sample(self):
        while self.running:
            self.maximum = max([self.maximum, *self.readings("VmRSS")])
            self.maximum_private = max([self.maximum_private, *self.readings("RssAnon")])
            time.sleep(0.05)

    def reset(self):
        self.maximum = max([0.0, *self.readings("VmRSS")])
        self.maximum_private = max([0.0, *self.readings("RssAnon")])

    def peak(self):
        return self.maximum, self.maximum_private

    def stop(self):
        self.running = False
        self.thread.join()


@contextlib.contextmanager
def gunicorn(env, workers=2):
    port = free_port()
    process = subprocess.Popen(
        [
            GUNICORN,
            "bench.wsgi:application",
            f"--workers={workers}",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
            "--timeout=120",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(base + "/", timeout=10).read()  # noqa: S310 (loopback)
                break
            time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not start")
        sampler = MemorySampler(process.pid)
        yield base, sampler
        sampler.stop()
    finally:
        process.terminate()
        process.wait(timeout=30)


DURATION_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def milliseconds(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * DURATION_UNITS[unit]


def wrk(url, connections):
    """requests/s, p50 ms, p90 ms and error count of ``url`` at ``connections`` concurrent requests."""
    output = subprocess.run(
        [
            WRK,
            f"--threads={min(connections, 2)}",
            f"--connections={connections}",
            f"--duration={DURATION}s",
            "--timeout=60s",
            "--latency",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return wrk_figures(output, ("50", "90"), url)


def wrk_figures(output, percentiles, what):
    """From the output of ``wrk --latency``: requests/s, the latency at each of ``percentiles``
    ("p50": ms, ...) and the error count (non-2xx/3xx answers and socket errors)."""
    found = dict(re.findall(r"^\s+(\d+)%\s+(\d[\d.]*(?:us|ms|s|m))\s*$", output, re.M))
    if not set(percentiles) <= set(found):  # e.g. not one request completed within the run
        log(f"wrk output without percentiles for {what}:\n{output}")
        return {"rps": 0.0, **{f"p{p}": float("nan") for p in percentiles}, "errors": 1}
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    for line in re.findall(r"Socket errors: (.*)$", output, re.M):
        errors += sum(int(n) for n in re.findall(r"\d+", line))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        **{f"p{p}": milliseconds(found[p]) for p in percentiles},
        "errors": errors,
    }


def measure(url, sampler):
    with contextlib.suppress(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=120).read()  # noqa: S310 (warm up: loopback only)
    sampler.reset()
    results = {f"c{connections}": wrk(url, connections) for connections in CONCURRENCY}
    results["peak_mb"], results["peak_private_mb"] = sampler.peak()
    return results


def run_size(database, size):
    url = prepare_database(database, size)
    static_dir = OUT / "static" / f"{database}-{size}"
    shutil.rmtree(static_dir, ignore_errors=True)
    pages = probe(production_env(url), "pages", str(static_dir), *LANGUAGES)
    for page in pages:
        if ONLY_PAGES and page["page"] not in ONLY_PAGES:
            page["skipped"] = "not in BENCH_PAGES"
        if "skipped" in page:
            log(f"{database} N={size}: skipped {page['page']}: {page['skipped']}")
    measured = [page for page in pages if "skipped" not in page]
    rows = []
    for mode in MODES:
        cache = {
            "uncached": {"CACHE_URL": "dummycache://", "DJANGO_PAGE_CACHE_SECONDS": "0"},
            "cached": {
                "CACHE_URL": f"{REDIS}?key_prefix=events_bench_{database}_{size}_{os.getpid()}",
                "DJANGO_PAGE_CACHE_SECONDS": "600",
            },
        }[mode]
        env = production_env(url, BENCH_STATIC_DIR=str(static_dir), **cache)
        with gunicorn(env) as (base, sampler):
            for page in measured:
                log(f"{database} N={size} {mode}: {page['page']} {page['url']}")
                result = measure(base + page["url"], sampler)
                if "static_result" not in page:  # once per page, in the first server of the run
                    page["static_result"] = measure(f"{base}/bench-static/{page['static']}", sampler)
                rows.append({"database": database, "size": size, "mode": mode, **page, **result})
    return rows, [page for page in pages if "skipped" in page]


def ratio(value, ceiling):
    return f"{value / ceiling:.2f}" if ceiling else "–"


def memory(row):
    """ "75 (61)": peak resident MB and its private part (not measured in results saved before it)."""
    private = row.get("peak_private_mb")
    return f"{row['peak_mb']:.0f} ({private:.0f})" if private is not None else f"{row['peak_mb']:.0f}"


def table(rows):
    lines = [
        "| DB | N | page | cache | SQL queries | KB | c1 req/s | c1 p50 ms | c1 p90 ms | c8 req/s "
        "| c8 p50 ms | c8 p90 ms | static c8 req/s | page/static c1 | page/static c8 "
        "| worker peak MB (private) |",
        "|" + "---|" * 16,
    ]
    for row in rows:
        static = row["static_result"]
        queries = row["queries"] if row["mode"] == "uncached" else row["cached_queries"]
        errors = row["c1"]["errors"] + row["c8"]["errors"]
        lines.append(
            "| "
            + " | ".join(
                [
                    "SQLite" if row["database"] == "sqlite" else "PostgreSQL",
                    f"{row['size']:,}",
                    row["page"] + (f" ({errors} errors)" if errors else ""),
                    row["mode"],
                    str(queries),
                    f"{row['bytes'] / 1024:.0f}",
                    f"{row['c1']['rps']:.0f}",
                    f"{row['c1']['p50']:.1f}",
                    f"{row['c1']['p90']:.1f}",
                    f"{row['c8']['rps']:.0f}",
                    f"{row['c8']['p50']:.1f}",
                    f"{row['c8']['p90']:.1f}",
                    f"{static['c8']['rps']:.0f}",
                    ratio(row["c1"]["rps"], static["c1"]["rps"]),
                    ratio(row["c8"]["rps"], static["c8"]["rps"]),
                    memory(row),
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def machine():
    model = ""
    with contextlib.suppress(OSError):
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if "model name" in line
            ),
            "",
        )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    return f"{os.cpu_count()} cores ({model}), commit {commit}"


def report(rows, skipped):
    text = [
        f"Benchmark of {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
        f"gunicorn 2 sync workers, DEBUG off; wrk {DURATION} s per measurement; "
        "uncached = no cache at all, cached = page cache in Redis; static = the same page saved as a file "
        "and served by the same workers through WhiteNoise. SQL queries: an uncached request, or a repeat "
        "request in the cached rows (a streamed .ics is never kept by the page cache). Worker peak MB: "
        "resident set size, and in brackets its private part (without mapped files such as SQLite's "
        "memory-mapped database).",
        "",
        table(rows),
    ]
    if skipped:
        text += ["", "Skipped pages:", ""]
        text += sorted({f"- {page['page']}: {page['skipped']}" for page in skipped})
    return "\n".join(text) + "\n"


def update_readme(markdown):
    readme = ROOT / "docs" / "performance.md"
    text = readme.read_text()
    start, end = text.index(README_START) + len(README_START), text.index(README_END)
    readme.write_text(text[:start] + "\n" + markdown + text[end:])


def main():
    # SIGTERM unwinds like Ctrl-C, so the gunicorn of the current size is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    OUT.mkdir(parents=True, exist_ok=True)
    manage(production_env(database_url("sqlite", 0)), "collectstatic", "--noinput", "--verbosity=0")
    rows, skipped = [], []
    for database in DATABASES:
        for size in SIZES:
            # Each size's results are kept, so BENCH_RESUME=1 can finish an interrupted run.
            saved = OUT / f"result-{database}-{size}.json"
            if setting("BENCH_RESUME", "") == "1" and saved.exists():
                size_rows, size_skipped = json.loads(saved.read_text())
            else:
                size_rows, size_skipped = run_size(database, size)
                saved.write_text(json.dumps([size_rows, size_skipped]))
            rows += size_rows
            skipped += [
                {"page": page["page"], "skipped": page["skipped"].split(":")[0]} for page in size_skipped
            ]
    markdown = report(rows, skipped)
    (OUT / "latest.md").write_text(markdown)
    (OUT / "latest.json").write_text(json.dumps(rows, indent=1, default=str))
    print(markdown)
    if setting("BENCH_README", "") == "1":
        update_readme(markdown)


if __name__ == "__main__":
    main()
