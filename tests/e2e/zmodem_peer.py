#!/usr/bin/env python3
"""Plays the user's terminal for a ZMODEM transfer with the console.

Runs weiquan on a pty (80x24), types keys, and when the console starts
sz or rz (its ZMODEM header on the session) runs the other program of
lrzsz on the master side, as Xshell or SecureCRT would; or cancels the
transfer with five Ctrl-X.  One step per argument:

  key:TEXT       type TEXT (\\r for Enter)
  see:TEXT       wait until TEXT appears in the output
  receive:DIR    wait for sz, then run rz in DIR
  send:FILE      wait for rz, then run sz FILE
  send-all:DIR   wait for rz, then run sz with every file in DIR
  cancel-send    wait for sz, then cancel it
  cancel-receive wait for rz, then cancel it
  break-send:FILE:DIR  wait for rz, run sz FILE, and once part of it is
                 in the console's private directory (under DIR), kill sz
                 and cancel: a transfer broken in the middle
  swap-send:FILE:DIR:OTHER  wait for rz, move the console's private
                 directory (under DIR) aside and put a symbolic link to
                 OTHER in its place, as any process of the user's could,
                 then run sz FILE

With "-" for DB and LOGIN, WEIQUAN is the whole command line to run,
split as a shell would (an ssh client that reaches the console).

Prints "ok STEP" or "not ok STEP: why" for each step, stops at the first
failure, and hangs up on the console at the end."""
import os
import pty
import select
import shlex
import subprocess
import sys
import time
import fcntl
import glob
import struct
import termios

ZRQINIT = b"**\x18B00"  # sz asks the terminal to receive
ZRINIT = b"**\x18B01"   # rz says it is ready to receive
TIMEOUT = 30.0


def main():
    weiquan, db, login = sys.argv[1:4]
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = dict(os.environ, TERM="xterm-256color")
        argv = (shlex.split(weiquan) if db == "-" and login == "-" else
                [weiquan, "--db", db, "--user", login])
        os.execvpe(argv[0], argv, env)
    out = bytearray()

    def wait_for(token):
        deadline = time.monotonic() + TIMEOUT
        while token not in out:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                try:
                    more = os.read(fd, 65536)
                except OSError:
                    return False
                if not more:
                    return False
                out.extend(more)
                if os.environ.get("ZMODEM_PEER_LOG"):
                    with open(os.environ["ZMODEM_PEER_LOG"], "ab") as log:
                        log.write(more)
        return True

    def cancel():
        # Five Ctrl-X or more cancel a transfer; they are sent again until
        # the console takes its screen back (the alternate screen), since
        # lrzsz may still be setting up its terminal when the first come.
        for _ in range(40):
            os.write(fd, b"\x18" * 10 + b"\b" * 10)
            old = len(out)
            deadline = time.monotonic() + 0.25
            while time.monotonic() < deadline:
                if select.select([fd], [], [], 0.05)[0]:
                    out.extend(os.read(fd, 65536))
                if b"\x1b[?1049h" in out[old:]:
                    return

    def write_peer(proc, data):
        try:
            proc.stdin.write(data)
        except BrokenPipeError:
            pass

    def relay(argv, cwd, start):
        # lrzsz through pipes, as a terminal's own ZMODEM engine (on the
        # pty itself it would change the console's terminal modes): the
        # sender's last word is "OO", and what the console writes after
        # it (its redraw) is the screen's again, not the program's.
        rz = subprocess.Popen(argv, cwd=cwd,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, bufsize=0)
        seen = bytearray(out[out.find(start):])
        write_peer(rz, bytes(seen))
        deadline = time.monotonic() + TIMEOUT
        to_rz = True
        while time.monotonic() < deadline:
            fds = [rz.stdout] + ([fd] if to_rz else [])
            ready, _, _ = select.select(fds, [], [], 0.1)
            if rz.stdout in ready:
                more = os.read(rz.stdout.fileno(), 65536)
                if not more:
                    break
                os.write(fd, more)
            if fd in ready:
                more = os.read(fd, 65536)
                seen.extend(more)
                # "OO" only counts after the sender's ZFIN header.
                fin = seen.find(b"**\x18B08")
                end = seen.find(b"OO", max(fin, len(seen) - len(more) - 1))
                if fin >= 0:
                    # The end is near: rz needs no more than the "OO".
                    deadline = min(deadline, time.monotonic() + 3)
                if fin >= 0 and end >= 0:
                    cut = len(more) - (len(seen) - end - 2)
                    write_peer(rz, more[:cut])
                    out.extend(more[cut:])
                    to_rz = False
                else:
                    write_peer(rz, more)
        try:
            rz.stdin.close()
        except BrokenPipeError:
            pass
        return rz.wait(timeout=TIMEOUT)

    status = 0
    started = time.monotonic()
    for step in sys.argv[4:]:
        verb, _, arg = step.partition(":")
        ok, why = True, ""
        if verb == "key":
            out.clear()
            os.write(fd, arg.replace("\\r", "\r").encode())
        elif verb == "see":
            ok = wait_for(arg.encode())
            why = "not seen"
        elif verb in ("receive", "cancel-send"):
            ok = wait_for(ZRQINIT)
            why = "sz did not start"
            if ok and verb == "receive":
                rc = relay(["rz", "--binary"], arg, ZRQINIT)
                ok, why = rc == 0, f"rz exited {rc}"
            elif ok:
                cancel()
        elif verb in ("send", "send-all", "cancel-receive"):
            ok = wait_for(ZRINIT)
            why = "rz did not start"
            if ok and verb != "cancel-receive":
                files = ([arg] if verb == "send" else
                         sorted(glob.glob(arg + "/*")))
                rc = relay(["sz", "--binary"] + files, None, ZRINIT)
                ok, why = rc == 0, f"sz exited {rc}"
            elif ok:
                cancel()
        elif verb == "swap-send":
            path, private, other = arg.split(":")
            ok = wait_for(ZRINIT)
            why = "rz did not start"
            if ok:
                dirs = glob.glob(private + "/weiquan-zmodem-*")
                ok, why = len(dirs) == 1, f"private directories: {dirs}"
            if ok:
                os.rename(dirs[0], private + "/moved-aside")
                os.symlink(other, dirs[0])
                rc = relay(["sz", "--binary", path], None, ZRINIT)
                ok, why = rc == 0, f"sz exited {rc}"
        elif verb == "break-send":
            path, _, private = arg.partition(":")
            ok = wait_for(ZRINIT)
            why = "rz did not start"
            if ok:
                sz = subprocess.Popen(["sz", "--binary", path], stdin=fd,
                                      stdout=fd, stderr=subprocess.DEVNULL)
                deadline = time.monotonic() + TIMEOUT
                while not any(os.path.getsize(f) > 0 for f in
                              glob.glob(private + "/weiquan-zmodem-*/*")):
                    if time.monotonic() > deadline or sz.poll() is not None:
                        ok, why = False, "no partial file seen"
                        break
                    time.sleep(0.01)
                sz.kill()
                sz.wait()
                cancel()
        if ok:
            print(f"ok {step} ({time.monotonic() - started:.1f} s)")
        else:
            print(f"not ok {step}: {why}; output: "
                  + out[-600:].decode("utf-8", "replace"))
            status = 1
            break
        out_keep = out[-4096:]
        out[:] = out_keep
    # The terminal goes away, as when the SSH link drops: the console
    # leaves on the hangup.
    os.close(fd)
    deadline = time.monotonic() + 10
    while not os.waitpid(pid, os.WNOHANG)[0]:
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            break
        time.sleep(0.05)
    sys.exit(status)


if __name__ == "__main__":
    main()
