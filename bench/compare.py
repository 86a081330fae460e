"""Two benchmark results side by side: ``python bench/compare.py BEFORE.json AFTER.json [N ...]``.

Reads the ``bench/out/latest.json`` of two runs of ``bench/run.py`` (for example of two commits,
one after the other on the same machine) and prints one Markdown table: for each database, size
(default: the largest in both), page and cache mode, the p50 latency at concurrency 1, the
throughput at concurrency 8 and, for cached pages, the throughput against the same page served as a
static file, before and after, with the change in per cent.
"""

import json
import sys
from pathlib import Path


def key(row):
    return (row["database"], row["size"], row["page"], row["mode"])


def change(before, after, *, higher_is_better):
    if not before:
        return ""
    percent = (after - before) / before * 100
    better = percent > 0 if higher_is_better else percent < 0
    return f"{percent:+.0f}%" + (" (better)" if better and abs(percent) >= 10 else "")


def main(before_path, after_path, *sizes):
    before = {key(row): row for row in json.loads(Path(before_path).read_text())}
    after = {key(row): row for row in json.loads(Path(after_path).read_text())}
    common = [k for k in after if k in before]
    wanted = {int(size) for size in sizes} or {max(k[1] for k in common)}
    print(
        "| DB | N | page | cache | c1 p50 ms before | after | change | c8 req/s before | after | change "
        "| page/static c8 before | after |"
    )
    print("|" + "---|" * 12)
    for k in common:
        if k[1] not in wanted:
            continue
        old, new = before[k], after[k]
        ratios = ["", ""]
        if k[3] == "cached":
            ratios = [
                f"{row['c8']['rps'] / row['static_result']['c8']['rps']:.2f}"
                if row["static_result"]["c8"]["rps"]
                else ""
                for row in (old, new)
            ]
        print(
            "| "
            + " | ".join(
                [
                    "SQLite" if k[0] == "sqlite" else "PostgreSQL",
                    f"{k[1]:,}",
                    k[2],
                    k[3],
                    f"{old['c1']['p50']:.1f}",
                    f"{new['c1']['p50']:.1f}",
                    change(old["c1"]["p50"], new["c1"]["p50"], higher_is_better=False),
                    f"{old['c8']['rps']:.0f}",
                    f"{new['c8']['rps']:.0f}",
                    change(old["c8"]["rps"], new["c8"]["rps"], higher_is_better=True),
                    *ratios,
                ]
            )
            + " |"
        )


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
