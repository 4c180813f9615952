#!/usr/bin/env python3
"""The console's response to each step a mediator and a supervisor take,
driven through a pty at 80x24 on one or more databases (make bench: the
2,000- and the 1,000,000-case demo), as a table: for each step the median
and the maximum time from the key to the first byte of the redraw and to
its last byte, the bytes written, and the ratio of the largest database's
first-byte median to the smallest's.

The last byte of a redraw is the last output before QUIET_MS of silence;
the silence itself is not counted.  A search's first byte is its
result's, not the cursor hidden as the prompt closes (Console.step's
first_at).  A step that writes nothing within
NOTHING_MS counts as "no output" (the dashboard's last page, say).

Usage: console_steps.py [--runs N] WEIQUAN LABEL=DB [LABEL=DB...]

DB is what --db takes: a SQLite file (read here with Python's sqlite3) or
a postgresql:// URI (read here with psql).

A benchmark, not a test: the figures go to standard output, a step the
console does not answer makes it stop with the reason."""
import csv
import fcntl
import io
import json
import os
import pty
import select
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import zlib

QUIET_MS = 200
NOTHING_MS = 3000
ROWS, COLS = 24, 80
FIRST_BYTE_TARGET_MS = 16
STARTUP_TARGET_MS = 300
RATIO_TARGET = 1.5
CTRL_X = b"\x18"
# Space marks a case in the queue (screens/keys.c); PgDn pages there.
PAGE_DOWN = b"\x1b[6~"
# The queue's orders as o cycles through them (screens/queue.c).
QUEUE_ORDERS = ("due", "received", "amount", "status", "merchant", "review")
# Each order is sorted by this many times a session: a step of 2 ms
# needs a dozen samples a size to tell its growth from the noise.
SORT_ROUNDS = 4
# Each drill-down is opened this many times a run: a step taken once a
# run has too few samples to tell a 2 ms step's growth from the noise.
DRILL_REPEATS = 5
# The category filter is opened this many times a session, for the same
# reason: twice a session, six samples a size, its median at the rule's
# 2 ms floor moved from 0.6 to 2.2 ms between sizes with nothing read.
FILTER_ROUNDS = 4
# The dashboard is opened and paged through this many times a session,
# and once more for the drill-downs: its first opening in a session
# reads its figures cold, and with three openings a session (nine
# samples a size, three of them cold) the ratio of its median was 0.7 to
# 1.9 over six runs of make bench whose dashboard read the same.
DASHBOARD_ROUNDS = 4
# The words a mediator's searches try, in this order; the session
# searches SEARCHES_A_SESSION of those that fill the first page (19
# rows at 80x24) for the mediator on every database (search_terms()).
# A word that finds one case on the small database and a full page on
# the large draws one row against nineteen: its ratio compares two
# screens, not two databases (发票 did: 0.32 ms against 2.3 in the core,
# 1 row against 19).
SEARCH_WORDS = ("退款", "商家", "订单", "客服", "退货", "物流", "收到",
                "快递", "赔偿", "质量", "发票", "假货")
SEARCHES_A_SESSION = 4
PAGE_ROWS = 19


def query(db, sql, params=()):
    """The rows of a read-only query, ? placeholders bound in order; on
    PostgreSQL every value is text (NULL as '')."""
    if not db.startswith(("postgresql://", "postgres://")):
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()
    args = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    parts = sql.split("?")
    text = parts[0]
    for i, part in enumerate(parts[1:], 1):
        args += ["-v", f"p{i}={params[i - 1]}"]
        text += f":'p{i}'" + part
    out = subprocess.run(args + [db], input=f"COPY ({text}) TO STDOUT"
                         " (FORMAT csv)", capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"psql: {out.stderr.strip()}")
    return [tuple(r) for r in csv.reader(io.StringIO(out.stdout))]


class Console:
    """One console session on a pty; every key's timing goes to samples."""

    def __init__(self, weiquan, db, login, samples):
        self.samples = samples
        self.fd = None
        t0 = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ,
                        struct.pack("HHHH", ROWS, COLS, 0, 0))
            env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8",
                       LC_ALL="C.UTF-8")
            env.pop("NO_COLOR", None)
            os.execvpe(weiquan, [weiquan, "--db", db, "--user", login], env)
        self.pid, self.fd = pid, fd
        # The terminal's set-up comes before the queue is loaded: the
        # start-up ends with the last byte of the screen whose title
        # names the user.
        data = b""
        first = None
        title = f"weiquan  {login}".encode()
        while title not in data:
            f, last, more, cpu = self._read_redraw(t0, 60.0)
            if f is None:
                sys.exit("the console did not start: "
                         + data.decode("utf-8", "replace").strip())
            first = f if first is None else first
            data += more
        self.startup = (first, last, len(data), cpu)

    def _read_redraw(self, t0, limit, first_at=None):
        """Output until QUIET_MS of silence: (first ms, last ms, bytes,
        the console's CPU ms when its last byte came), the times from
        t0; first is None when nothing came.  The CPU time is taken at
        the last byte because the console reads ahead once it has drawn
        (the queue's next page, the dashboard's lists further down):
        that work is no part of the redraw the key waited for.  With
        first_at, first is when the output came to hold those bytes
        (None if it never did): see step()."""
        data = b""
        first = last = None
        began = None
        cpu_at_last = self.cpu_ms()
        deadline = t0 + limit
        while True:
            wait = QUIET_MS / 1e3 if began is not None else \
                max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self.fd], [], [], wait)
            now = time.monotonic()
            if not ready:
                break
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            began = now if began is None else began
            last = (now - t0) * 1e3
            cpu_at_last = self.cpu_ms()
            data += chunk
            if first is None and (first_at is None or first_at in data):
                first = last
        return first, last, data, cpu_at_last

    def _drain(self):
        # The last step ended on QUIET_MS of silence already.
        while select.select([self.fd], [], [], 0.02)[0]:
            try:
                if not os.read(self.fd, 65536):
                    break
            except OSError:
                break

    def cpu_ms(self):
        """The console's time on a CPU so far: what a step costs it,
        whatever the other processes on the machine are doing."""
        try:
            with open(f"/proc/{self.pid}/schedstat") as f:
                return int(f.read().split()[0]) / 1e6
        except (OSError, ValueError, IndexError):
            return 0.0

    def step(self, label, keys, expect=None, first_at=None):
        """Sends keys, records the redraw under label, returns its bytes.
        With first_at (text), the redraw's first byte is taken where the
        output comes to hold it: a search hides the cursor at once and
        draws its result only when the list is read, and it is the
        result the key waits for."""
        self._drain()
        cpu = self.cpu_ms()
        t0 = time.monotonic()
        os.write(self.fd, keys)
        first, last, data, cpu_at_last = self._read_redraw(
            t0, NOTHING_MS / 1e3,
            first_at.encode() if first_at is not None else None)
        cpu = cpu_at_last - cpu
        if first_at is not None and first is None and data:
            self.close()
            sys.exit(f"{label}: '{first_at}' was not drawn; the screen "
                     "said: " + data.decode("utf-8", "replace")[-400:])
        if expect is not None and expect.encode() not in data:
            self.close()
            sys.exit(f"{label}: '{expect}' was not drawn; the screen said: "
                     + data.decode("utf-8", "replace")[-400:])
        self.samples.setdefault(label, []).append(
            (first, last, len(data), cpu) if first is not None else None)
        return data

    def type_text(self, label, text):
        for ch in text:
            self.step(label, ch.encode())

    def close(self):
        try:
            os.write(self.fd, b"Q")
            self._drain()
        except OSError:
            pass
        for _ in range(50):
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.1)
        else:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def my_search(weiquan, db, login, text, limit=None):
    """The first page of login's own cases that a search for text finds
    (weiquan case list --json), or None when the search fails."""
    args = [weiquan, "--db", db, "--user", login, "case", "list",
            "--assignee", "me", "--search", text, "--json"]
    if limit:
        args += ["--limit", str(limit)]
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode != 0:
        return None
    return json.loads(out.stdout).get("cases", [])


def pick_targets(weiquan, db):
    """The logins and the case the steps work on, the same rule on every
    size: the lowest-numbered open case of a collective group (else of
    none: the group steps are left out) whose first evidence item is text
    and whose order number finds it."""
    supervisor = query(db, "SELECT login FROM users WHERE role ="
                       " 'supervisor' ORDER BY login LIMIT 1")[0][0]
    for grouped in ("IS NOT NULL", "IS NULL"):
        for number, order_no, login in query(
                db, "SELECT c.number, c.order_no, c.assignee FROM cases c"
                " JOIN users u ON u.login = c.assignee"
                f" WHERE c.group_id {grouped} AND c.status <> 'closed'"
                " AND u.role = 'mediator' AND length(c.order_no) >= 10"
                " AND (SELECT text IS NOT NULL FROM evidence e"
                "      WHERE e.case_id = c.id ORDER BY e.id LIMIT 1)"
                " ORDER BY c.id LIMIT 20"):
            rows = my_search(weiquan, db, login, order_no)
            if rows and rows[0].get("number") == number:
                return (login, supervisor, number, order_no,
                        grouped == "IS NOT NULL")
    sys.exit(f"{db}: no open case with text evidence to work on")


def png_bytes(width=800, height=1200):
    """A phone-screenshot-sized PNG of colour bands (no text to read)."""
    raw = b"".join(
        b"\0" + b"".join(bytes((x % 256, (y // 40) * 20 % 256, 160))
                         for x in range(width))
        for y in range(height))

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                         0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def pdf_bytes():
    """A one-page PDF with a line of text, as a scanned contract's
    text layer would have."""
    text = "Order 2026 refund agreed, delivery record attached."
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        " /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET"
    objs.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\n"
                "endstream")
    out, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{o}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return out


MEDIA = (("bench-photo.png", "photo", png_bytes),
         ("bench-contract.pdf", "contract", pdf_bytes))


def media_positions(weiquan, db, login, number):
    """Attaches a photo and a PDF to the case once (the demo has none)
    and returns the positions of the two in its evidence list."""
    names = [r[0] for r in query(
        db, "SELECT e.file_name FROM evidence e JOIN cases c ON c.id ="
        " e.case_id WHERE c.number = ? ORDER BY e.id", (number,))]
    missing = [m for m in MEDIA if m[0] not in names]
    if missing:
        with tempfile.TemporaryDirectory() as d:
            for name, kind, make in missing:
                path = os.path.join(d, name)
                with open(path, "wb") as f:
                    f.write(make())
                subprocess.run([weiquan, "--db", db, "--user", login,
                                "evidence", "add", number, path, "--kind",
                                kind, "--party", "complainant"],
                               check=True, capture_output=True)
        return media_positions(weiquan, db, login, number)
    return [names.index(m[0]) for m in MEDIA]


def consumer_phone(db, number):
    rows = query(db, "SELECT p.phone FROM cases c JOIN consumers p ON"
                 " p.id = c.consumer_id WHERE c.number = ?", (number,))
    return rows[0][0] if rows and rows[0][0] else None


def search_terms(weiquan, databases):
    """SEARCH_WORDS that fill the first page of each database's
    mediator's own cases, at least SEARCHES_A_SESSION of them."""
    words = [w for w in SEARCH_WORDS
             if all(len(my_search(weiquan, d.db, d.mediator, w,
                                  PAGE_ROWS) or ()) == PAGE_ROWS
                    for d in databases)]
    if len(words) < SEARCHES_A_SESSION:
        sys.exit(f"only {len(words)} of {' '.join(SEARCH_WORDS)} fill a"
                 " page of the mediator's cases on every database")
    return words


def sort_changes(c, view):
    """Every order SORT_ROUNDS times round and back to the first
    (screens/queue.c's orders), each order a step of its own: one order
    that grows with the database is lost in the median of six."""
    for _ in range(SORT_ROUNDS):
        for i in range(len(QUEUE_ORDERS)):
            to = QUEUE_ORDERS[(i + 1) % len(QUEUE_ORDERS)]
            c.step(f"{view}: sort change to {to} (o)", b"o")


def mediator_session(c, group_case, order_no, grouped, words,
                     media=None, phone=None):
    c.samples.setdefault("start-up to a drawn queue, mediator", []).append(
        c.startup)
    for _ in range(30):
        c.step("queue: cursor down (j)", b"j")
    for _ in range(10):
        c.step("queue: cursor up (k)", b"k")
    for _ in range(10):
        c.step("queue: page down (PgDn)", PAGE_DOWN)
    c.step("queue: first line (g)", b"g")
    sort_changes(c, "queue")
    for i in range(FILTER_ROUNDS):
        c.step("filter: category list opens (c)", b"c")
        for _ in range(1 + i % 2):
            c.step("filter: move in the list (j)", b"j")
        c.step("filter: apply a category (Enter)", b"\r")
        c.step("filter: clear (x)", b"x")
    for term in words:
        c.step("search: prompt opens (/)", b"/")
        c.type_text("search: a Chinese character typed", term)
        c.step("search: run, Chinese (Enter), to its result", b"\r",
               first_at=f"search: {term}")
        c.step("search: clear (x)", b"x")
    for _ in range(3):
        c.step("case: open from the queue (Enter)", b"\r")
        for _ in range(3):
            c.step("case: next pane (Tab)", b"\t")
        for _ in range(2):
            c.step("case: timeline on/off (t)", b"t")
        for _ in range(2):
            c.step("case: offer ledger on/off (L)", b"L")
        c.step("ruling: note, the editor opens (n)", b"n")
        c.type_text("ruling: a character typed (editor)", "已电话联系")
        c.step("ruling: note recorded (^X)", CTRL_X)
        c.step("case: back to the queue (q)", b"q")
        c.step("queue: cursor down (j)", b"j")
    for _ in range(2):
        c.step("search: prompt opens (/)", b"/")
        os.write(c.fd, order_no.encode())
        c.step("search: run, an order number (Enter)", b"\r",
               expect=group_case)
        c.step("case: open from a search (Enter)", b"\r", expect=group_case)
        # past the merchant's statement to the evidence list
        for _ in range(2):
            c.step("case: next pane (Tab)", b"\t")
        c.step("evidence: open a text item (Enter)", b"\r")
        c.step("evidence: back to the case (q)", b"q")
        at = 0
        for label, pos in zip(("an image", "a PDF"), media or ()):
            for _ in range(pos - at):
                c.step("evidence: next item (j)", b"j")
            at = pos
            c.step(f"evidence: open {label} (Enter)", b"\r")
            c.step("evidence: back to the case (q)", b"q")
        if grouped:
            c.step("group: open (C)", b"C")
            c.step("group: back to the case (q)", b"q")
        c.step("case: back to the queue (q)", b"q")
        c.step("search: clear (x)", b"x")
    for _ in range(2):
        c.step("inbox: opens (M)", b"M")
        c.step("inbox: back to the queue (q)", b"q")
        if phone:
            # a caller gives their phone number: the go-to key
            c.step("find: prompt opens (f)", b"f")
            os.write(c.fd, phone.encode())
            c.step("find: a phone number (Enter)", b"\r",
                   expect=group_case)
            c.step("case: back to the queue (q)", b"q")
    for _ in range(2):
        c.step("intake: form opens (i)", b"i")
        for _ in range(6):
            c.step("intake: next field (j)", b"j")
        c.step("intake: merchant prompt opens (Enter)", b"\r")
        c.type_text("intake: a character typed", "北辰")
        c.step("intake: merchant matches (Enter)", b"\r")
        c.step("intake: leave, asks (q)", b"q")
        c.step("intake: back to the queue (y)", b"y")


def figure_tabs(weiquan, db, supervisor):
    """Tabs from the dashboard's first figure to the overdue cases over
    all clocks and on to the forecast's busiest day (the figures run in
    reading order: status bars, each clock's overdue/today/soon and the
    total's, the forecast days)."""
    r = json.loads(subprocess.run(
        [weiquan, "--db", db, "--user", supervisor, "report", "--json"],
        capture_output=True, text=True, check=True).stdout)
    statuses, clocks = len(r["by_status"]), len(r["due"]["clocks"])
    forecast = r["due"]["all"]["forecast"]
    busiest = max(range(len(forecast)), key=lambda k: forecast[k])
    overdue = statuses + 3 * clocks + 1
    return overdue, statuses + 3 * (clocks + 1) + busiest + 1 - overdue


def supervisor_session(c, tabs):
    c.samples.setdefault("start-up to a drawn queue, supervisor",
                         []).append(c.startup)
    for _ in range(10):
        c.step("all cases: cursor down (j)", b"j")
    for _ in range(5):
        c.step("all cases: page down (PgDn)", PAGE_DOWN)
    # the review order's page of all the cases in review once sorted
    # every open case
    sort_changes(c, "all cases")
    for _ in range(DASHBOARD_ROUNDS):
        c.step("dashboard: opens (D)", b"D")
        for _ in range(12):
            c.step("dashboard: next page (Space)", b" ")
        c.step("dashboard: back to the queue (q)", b"q")
    # the drill-down: overdue over all clocks (past the status bars and
    # the clocks' rows), then the busiest day of the forecast's; each
    # DRILL_REPEATS times, the figure keeping its place on the way back
    c.step("dashboard: opens (D)", b"D")
    for figure, n in zip(("overdue", "a forecast day"), tabs):
        for _ in range(n):
            c.step("dashboard: next figure (Tab)", b"\t")
        for _ in range(DRILL_REPEATS):
            c.step(f"drill-down: {figure} (Enter)", b"\r",
                   expect=" cases  by")
            for _ in range(3):
                c.step("drill-down: page down (PgDn)", PAGE_DOWN)
            c.step("drill-down: back to the dashboard (q)", b"q")
    c.step("dashboard: back to the queue (q)", b"q")


class Database:
    """One database's targets and the samples of its runs."""

    def __init__(self, weiquan, label, db):
        self.weiquan, self.label, self.db = weiquan, label, db
        self.samples = {}
        (self.mediator, self.supervisor, self.case, self.order_no,
         self.grouped) = pick_targets(weiquan, db)
        self.media = media_positions(weiquan, db, self.mediator, self.case)
        self.tabs = figure_tabs(weiquan, db, self.supervisor)
        self.phone = consumer_phone(db, self.case)
        self.seconds = 0.0

    def keep(self):
        """What an installation's worker does while idle, a second after
        a write (weiquan worker): the jobs queued, OCR of the attached
        photo and PDF, done, and the search index merged.  Each note a
        session records is an index segment of its own: after six mediator
        sessions with no worker, the million-case file's index held 13
        segments where the worker had left 3, and a word's search looked
        in each (25 of a search's 38 page reads)."""
        subprocess.run([self.weiquan, "--db", self.db, "worker", "--once"],
                       check=True, capture_output=True)

    def run(self, r, words):
        """Run r's sessions; its searches start at words[r % len(words)],
        so that each run's first search, the one that reads the index
        cold, is of another word."""
        t = time.monotonic()
        self.keep()
        c = Console(self.weiquan, self.db, self.mediator, self.samples)
        mediator_session(c, self.case, self.order_no, self.grouped,
                         [words[(r + i) % len(words)]
                          for i in range(SEARCHES_A_SESSION)],
                         self.media, self.phone)
        c.close()
        c = Console(self.weiquan, self.db, self.supervisor, self.samples)
        supervisor_session(c, self.tabs)
        c.close()
        self.seconds += time.monotonic() - t


def cases_in(db):
    return int(query(db, "SELECT count(*) FROM cases")[0][0])


def summary(values):
    got = [v for v in values if v is not None]
    if not got:
        return None
    return {
        "n": len(got),
        "first": statistics.median(v[0] for v in got),
        "first_max": max(v[0] for v in got),
        "last": statistics.median(v[1] for v in got),
        "last_max": max(v[1] for v in got),
        "bytes": statistics.median(v[2] for v in got),
        "cpu": statistics.median(v[3] for v in got),
    }


def main():
    args = sys.argv[1:]
    runs = 3
    if args[:1] == ["--runs"]:
        runs = int(args[1])
        args = args[2:]
    if len(args) < 2:
        sys.exit(__doc__)
    weiquan = args[0]
    dbs = [a.split("=", 1) for a in args[1:]]
    # Run by run, each database in turn: the machine is shared, and a
    # slow spell of it then falls on every size, not on one size's half
    # of the benchmark.
    load = os.getloadavg()
    databases = [Database(weiquan, label, db) for label, db in dbs]
    words = search_terms(weiquan, databases)
    for r in range(runs):
        for d in databases:
            d.run(r, words)
    labels = []
    for d in databases:
        for k in d.samples:
            if k not in labels:
                labels.append(k)

    print(f"The console at {COLS}x{ROWS} through a pty: ms from the key to "
          "the first and to the last byte")
    print(f"of the redraw (median/max over the samples; the last byte is "
          f"the last output before {QUIET_MS} ms")
    print("of silence, the silence not counted), the console's own CPU time "
          "from the key to the last")
    print("byte (median, /proc/PID/schedstat: what the redraw costs whatever "
          "else runs; not what it reads")
    print("ahead after it has drawn) and the bytes written (median).")
    print(f"  {runs} runs, each database in turn in each; load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} as they began")
    print("  before each run, weiquan worker --once on each database (its "
          "jobs and its index merge, as an installation's worker does "
          "while idle)")
    print(f"  the mediator's searches: {SEARCHES_A_SESSION} a session of "
          f"{' '.join(words)} (the words that fill a page on every"
          " database)")
    for d in databases:
        print(f"  {d.label}: {cases_in(d.db)} cases, as {d.mediator} "
              f"(mediator; case {d.case}, "
              f"{'in a group' if d.grouped else 'no group to open'})"
              f" and {d.supervisor} (supervisor); {runs} runs in "
              f"{d.seconds:.0f} s")
    head = f"{'step':40}{'n':>4}"
    for d in databases:
        head += (f" | {d.label + ': first':>17} {'last':>11} {'cpu':>5}"
                 f" {'bytes':>6}")
    if len(databases) > 1:
        head += f" | {'ratio':>5} {'cpu':>5}"
    print(head)
    missed = []
    for k in labels:
        row = ""
        sums = [summary(d.samples.get(k, [])) for d in databases]
        n = max((s["n"] for s in sums if s), default=0)
        row = f"{k[:40]:40}{n:>4}"
        for s in sums:
            if s is None:
                row += f" | {'no output':>17} {'':>11} {'':>5} {'':>6}"
            else:
                row += (f" | {s['first']:8.1f}/{s['first_max']:<8.1f}"
                        f" {s['last']:5.1f}/{s['last_max']:<5.1f}"
                        f" {s['cpu']:5.1f} {s['bytes']:6.0f}")
        big, small = sums[-1], sums[0]
        startup = k.startswith("start-up")
        # The start-up's first byte is the terminal's set-up: its last
        # byte is the drawn queue.
        what = "last" if startup else "first"
        ratio = cpu_ratio = None
        if len(databases) > 1:
            if big and small and small[what] > 0:
                ratio = big[what] / small[what]
                cpu_ratio = big["cpu"] / small["cpu"] if small["cpu"] else 0
                row += f" | {ratio:5.1f} {cpu_ratio:5.1f}"
            else:
                row += f" | {'-':>5} {'-':>5}"
        target = STARTUP_TARGET_MS if startup else FIRST_BYTE_TARGET_MS
        # A ratio counts when the console's own work grew with it: on a
        # shared machine a 1 ms step's wall time doubles with the load.
        if big and (big[what] > target or
                    (ratio and ratio > RATIO_TARGET and big[what] > 2.0
                     and cpu_ratio > RATIO_TARGET)):
            row += "  !"
            missed.append(k)
        print(row)
    nothing = [k for k in labels
               if any(v is None for d in databases
                      for v in d.samples.get(k, []))]
    print(f"Ratio: the largest database's median over the smallest's, of the "
          f"first byte (start-up: the last) and of the CPU time.")
    print(f"Targets: every step's first byte under {FIRST_BYTE_TARGET_MS} ms "
          f"on the largest database and within {RATIO_TARGET}x of the "
          f"smallest (a ratio counts where the step takes over 2 ms and "
          f"the console's CPU time grew as much: the machine's load "
          f"doubles a 1 ms step's wall time);")
    print(f"start-up to the drawn queue (its last byte) under "
          f"{STARTUP_TARGET_MS} ms.  ", end="")
    print(f"Missed (!): {', '.join(missed)}" if missed else "All met.")
    if nothing:
        print("Keys that drew nothing some of the time (not counted): "
              + ", ".join(nothing))


if __name__ == "__main__":
    main()
