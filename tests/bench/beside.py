#!/usr/bin/env python3
"""The figures bench_queries and bench_find printed on two databases, side
by side (make bench: SQLite's and PostgreSQL's of the same cases): each
timed figure of a line as FIRST ms, SECOND ms, their ratio and what was
timed, a line of the second file paired with the first's that reads the
same but for its numbers.  A figure where the second takes over RATIO
times as long and over SLOW_MS is marked "!"; where the two counted other
rows, both counts follow.

Usage: beside.py FIRST_FILE SECOND_FILE [FIRST_NAME SECOND_NAME]"""
import re
import sys

RATIO = 3.0
SLOW_MS = 16.0
MS = re.compile(r"(\d+\.\d+) ms")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def shape(line):
    return NUMBER.sub("#", line.replace("  (over 20 ms)", "").strip())


def rows(line):
    m = re.search(r" ms\s+(\d+) (?:rows)?", line)
    return m.group(1) if m else None


def what(line):
    """The line without its timings, row count and target marks."""
    text = re.sub(r"^\s*\d+\.\d+ ms\s+(\d+ (rows)?)?\s*", "", line.rstrip())
    text = re.sub(r"; its count \d+\.\d+ ms \((-?\d+)\)", r" (\1 in all)",
                  text)
    return text.replace("  (over 20 ms)", "")


def main():
    if len(sys.argv) not in (3, 5):
        sys.exit(__doc__)
    names = sys.argv[3:5] or ["sqlite", "postgresql"]
    with open(sys.argv[1]) as f:
        first = f.readlines()
    with open(sys.argv[2]) as f:
        second = f.readlines()
    print(f"{names[0] + ' ms':>12} {names[1] + ' ms':>14} {'ratio':>6}  "
          "what")
    at = 0
    marked = 0
    for line in first:
        match = next((k for k in range(at, len(second))
                      if shape(second[k]) == shape(line)), None)
        a = MS.findall(line)
        if not a:
            print(f"{'':>35}{line.rstrip()}")
            continue
        b = MS.findall(second[match]) if match is not None else []
        if match is not None:
            at = match + 1
        label = what(line)
        if match is not None and rows(line) != rows(second[match]):
            label += f" (rows: {rows(line)}, {rows(second[match])})"
        for i, ms in enumerate(a):
            x = float(ms)
            row = f"{x:12.2f} "
            if i < len(b):
                y = float(b[i])
                ratio = y / x if x > 0 else 0
                row += f"{y:14.2f} {ratio:6.1f}"
                if ratio > RATIO and y > SLOW_MS:
                    row += " !"
                    marked += 1
                else:
                    row += "  "
            else:
                row += f"{'-':>14} {'-':>6}  "
            print(f"{row} {label}{', its count' if i else ''}")
    print(f"!: {names[1]} over {RATIO:g}x {names[0]}'s and over "
          f"{SLOW_MS:g} ms ({marked})")


if __name__ == "__main__":
    main()
