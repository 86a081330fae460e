"""The benchmark's own parts: reading wrk's report, the page table, and the printed table."""

import pytest
from django.core.management import call_command
from django.test import Client

from bench import pages, run

WRK_REPORT = """Running 3s test @ http://127.0.0.1:35503/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   159.55ms  155.05ms 767.09ms   86.82%
    Req/Sec    35.02     20.68    90.00     68.63%
  Latency Distribution
     50%  105.00ms
     75%  163.79ms
     90%    1.02s
     99%  731.70ms
  188 requests in 3.06s, 1.62MB read
  Socket errors: connect 0, read 0, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:     61.43
Transfer/sec:    540.73KB
"""


def test_wrk_report_gives_throughput_percentiles_and_errors(monkeypatch):
    monkeypatch.setattr(run.subprocess, "run", lambda *args, **kwargs: type("R", (), {"stdout": WRK_REPORT}))

    result = run.wrk("http://127.0.0.1:1/", 8)

    assert result == {"rps": 61.43, "p50": 105.0, "p90": 1020.0, "errors": 5}


@pytest.mark.parametrize(
    ("text", "ms"), [("850.00us", 0.85), ("12.5ms", 12.5), ("1.50s", 1500.0), ("2.00m", 120_000.0)]
)
def test_wrk_durations_are_read_in_milliseconds(text, ms):
    assert run.milliseconds(text) == pytest.approx(ms)


@pytest.mark.django_db
def test_page_table_resolves_the_pages_that_exist_on_a_generated_calendar(seed):
    call_command("generate_events", 300, seed=2, articles=10, verbosity=0)
    client = Client()

    answers = {}
    for name, candidates in pages.PAGES.items():
        urls = [url for url in candidates() if url]
        answers[name] = next((url for url in urls if client.get(url).status_code == 200), None)

    assert answers["home"] == "/en/"
    german = dict(pages.pages_in_languages(["de"]))
    assert german["event list [de]"] == ["/de/events/"]
    assert german["month calendar [de]"][0].startswith("/de/events/calendar/")
    assert client.get(german["event page [de]"][0], headers={"accept-language": "en"}).status_code == 200
    assert answers["event list"] == "/en/events/"
    assert answers["conference .ics"] == f"/en/events/{pages.CONFERENCE_SLUG}.ics"
    assert answers["event page"].startswith("/en/events/")
    assert answers["filtered list"].startswith("/en/events/?category=")
    assert answers["category page"].startswith("/en/categories/")
    # Slots for pages other issues add: candidates are offered, skipped while none answers.
    assert {name for name, url in answers.items() if url is None} <= {
        "month calendar",
        "search",
        "calendar .ics",
    }


def test_table_shows_one_row_per_page_with_ratio_to_the_static_file():
    measured = {"rps": 500.0, "p50": 1.5, "p90": 2.25, "errors": 0}
    static = {"c1": {**measured, "rps": 1000.0}, "c8": {**measured, "rps": 2000.0}}
    row = {
        "database": "postgres",
        "size": 100000,
        "mode": "cached",
        "page": "event list",
        "queries": 4,
        "cached_queries": 0,
        "bytes": 13 * 1024,
        "c1": measured,
        "c8": {**measured, "rps": 1500.0},
        "static_result": static,
        "peak_mb": 61.4,
        "peak_private_mb": 48.6,
    }

    lines = run.table([row]).splitlines()

    assert len(lines) == 3
    assert lines[2] == (
        "| PostgreSQL | 100,000 | event list | cached | 0 | 13 | 500 | 1.5 | 2.2 | 1500 | 1.5 | 2.2 | 2000 "
        "| 0.50 | 0.75 | 61 (49) |"
    )
