#!/usr/bin/env python3
"""What N open consoles cost the machine while they sit idle and while
other people work: N consoles at 80x24 on one database (mediators on
their queues and on one of their cases, supervisors on the dashboard and
on all cases), first IDLE_S seconds untouched, then BUSY_S seconds while
one mediator records WRITES_PER_S notes a second on their own cases from
the command line.  Prints each phase's CPU time of all the consoles
together (from /proc/PID/stat), as a share of one core, and per console.

Usage: idle_consoles.py [--consoles N] WEIQUAN DB

A benchmark, not a test: figures go to standard output.  The writes add
notes to the database."""
import fcntl
import os
import pty
import random
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time

ROWS, COLS = 24, 80
IDLE_S = 20
BUSY_S = 30
WRITES_PER_S = 4
WRITER = "zhang.wei"


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Console:
    def __init__(self, weiquan, db, login, keys):
        pid, fd = pty.fork()
        if pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ,
                        struct.pack("HHHH", ROWS, COLS, 0, 0))
            env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8",
                       LC_ALL="C.UTF-8")
            os.execvpe(weiquan, [weiquan, "--db", db, "--user", login], env)
        self.pid, self.fd, self.login = pid, fd, login
        self.drain(3.0)
        for k in keys:
            os.write(fd, k)
            self.drain(0.5)

    def drain(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [],
                                        max(0.0, end - time.monotonic()))
            if ready:
                try:
                    if not os.read(self.fd, 65536):
                        return
                except OSError:
                    return

    def close(self):
        try:
            os.write(self.fd, b"Q")
        except OSError:
            pass
        time.sleep(0.2)
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def measure(consoles, seconds, writer=None):
    before = {c.pid: cpu_seconds(c.pid) for c in consoles}
    end = time.monotonic() + seconds
    writes = 0
    next_write = time.monotonic()
    while time.monotonic() < end:
        if writer and time.monotonic() >= next_write:
            writer()
            writes += 1
            next_write += 1.0 / WRITES_PER_S
        # The consoles write to their ptys; someone has to read.
        fds = [c.fd for c in consoles]
        ready, _, _ = select.select(fds, [], [], 0.05)
        for fd in ready:
            try:
                os.read(fd, 65536)
            except OSError:
                pass
    used = sum(cpu_seconds(c.pid) - before[c.pid] for c in consoles)
    return used, writes


def main():
    args = sys.argv[1:]
    n = 20
    if args[:1] == ["--consoles"]:
        n, args = int(args[1]), args[2:]
    if len(args) != 2:
        sys.exit(__doc__)
    weiquan, db = args
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    mediators = [r[0] for r in con.execute(
        "SELECT login FROM users WHERE role = 'mediator' AND login <> ?"
        " ORDER BY login", (WRITER,))]
    supervisors = [r[0] for r in con.execute(
        "SELECT login FROM users WHERE role = 'supervisor' ORDER BY login")]
    targets = [r[0] for r in con.execute(
        "SELECT number FROM cases WHERE assignee = ? AND status <> 'closed'"
        " ORDER BY id LIMIT 50", (WRITER,))]
    con.close()
    if not mediators or not supervisors or not targets:
        sys.exit(f"{db}: needs mediators, a supervisor and open cases of "
                 f"{WRITER} (a demo database)")
    # Three in four consoles are mediators (half of them on a case), the
    # rest supervisors (half on the dashboard, half on all cases).
    plan = []
    for i in range(n):
        if i % 4 == 3:
            sup = supervisors[i % len(supervisors)]
            plan.append((sup, [b"D"] if i % 8 == 3 else [b"v"]))
        else:
            med = mediators[i % len(mediators)]
            plan.append((med, [b"\r"] if i % 2 else []))
    consoles = [Console(weiquan, db, login, keys) for login, keys in plan]
    rng = random.Random(1)

    def write():
        subprocess.run([weiquan, "--db", db, "--user", WRITER, "rule",
                        rng.choice(targets), "note", "回访：已电话联系"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        idle, _ = measure(consoles, IDLE_S)
        busy, writes = measure(consoles, BUSY_S, write)
    finally:
        for c in consoles:
            c.close()
    print(f"{n} consoles at {COLS}x{ROWS} on {db}: {n - n // 4} mediators "
          f"(half on a case), {n // 4} supervisors (dashboard, all cases)")
    for label, used, secs, extra in (
            ("idle", idle, IDLE_S, ""),
            ("busy", busy, BUSY_S,
             f", {writes / BUSY_S:.1f} notes/s by {WRITER}")):
        print(f"  {label}: {used:.2f} s of CPU in {secs} s{extra}: "
              f"{100 * used / secs:.2f}% of a core together, "
              f"{1000 * used / secs / n:.2f} ms/s per console")


if __name__ == "__main__":
    main()
