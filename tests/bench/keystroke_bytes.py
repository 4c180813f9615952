#!/usr/bin/env python3
"""Bytes the console writes to the terminal per keystroke, through a pty at
80x24: what a mediator on a slow SSH link pays for each key.  Prints the
median and maximum for moving the queue cursor, paging and opening a case.
Usage: keystroke_bytes.py WEIQUAN DB LOGIN"""
import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import termios
import time


def read_until_quiet(fd, quiet=0.25, limit=5.0):
    data = b""
    end = time.time() + limit
    while time.time() < end:
        ready, _, _ = select.select([fd], [], [], quiet)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data


def main():
    weiquan, db, login = sys.argv[1:4]
    pid, fd = pty.fork()
    if pid == 0:
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8",
                   LC_ALL="C.UTF-8")
        os.execvpe(weiquan, [weiquan, "--db", db, "--user", login], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    first = read_until_quiet(fd, quiet=1.0, limit=20)
    if len(first) < 500:
        sys.exit("the console did not start: "
                 + first.decode("utf-8", "replace").strip())
    print(f"first screen: {len(first)} bytes")

    def measure(key, times):
        sizes = []
        for _ in range(times):
            os.write(fd, key)
            sizes.append(len(read_until_quiet(fd)))
        return sizes

    for label, key, times in (("move the queue cursor (j)", b"j", 30),
                              ("move it back (k)", b"k", 10),
                              ("page down (space)", b" ", 5)):
        s = measure(key, times)
        print(f"{label:32} median {statistics.median(s):7.0f} bytes,"
              f" max {max(s):6d}")
    s = measure(b"\r", 1)
    print(f"{'open a case (Enter)':32} {s[0]:7d} bytes")
    s = measure(b"\t", 3)
    print(f"{'switch pane (Tab)':32} median {statistics.median(s):7.0f} bytes")
    s = measure(b"q", 1)
    print(f"{'back to the queue (q)':32} {s[0]:7d} bytes")
    os.write(fd, b"Q")
    read_until_quiet(fd)
    os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
