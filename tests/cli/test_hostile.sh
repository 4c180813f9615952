#!/bin/sh
# Hostile text through the real program: the seeds of tests/fuzz/seeds
# (escape sequences, C1 controls, bidi overrides, zero-width and combining
# characters, emoji sequences, invalid UTF-8, NUL bytes, a 100 kB line) and
# every string of the big list of naughty strings (WQ_TESTDATA) go into
# statements, consumer and merchant names (case add, import) and evidence
# file names and contents (evidence add), and must come back byte for byte
# from export (CSV, JSON and GB18030), case show --json and the database,
# while the human-readable output holds none of their control characters.
# What cannot be stored as it is must be refused with a message that says
# why: bytes that are not UTF-8 in text, NUL in an imported field.  (A NUL
# cannot be a command-line argument; in evidence contents it is kept.)
# Under the sanitizers (WQ_SANITIZED), where a start costs ten times as
# much, the commands run once per string take those with a control
# character and every third of the others; the imports and exports still
# carry every string.
. "$(dirname "$0")/lib.sh"

export WEIQUAN_NOW=2026-03-02T09:00:00Z
export LC_ALL=C.UTF-8
unset LANGUAGE

python3 - "$WEIQUAN" "$TMP" "${WQ_TESTDATA:-}" "${WQ_SRCDIR:-$(dirname "$0")/../..}" \
	"$(fresh_db hostile)" "$(fresh_db copy)" <<'EOF'
import csv, hashlib, io, json, os, re, sqlite3, subprocess, sys

weiquan, tmp, testdata, srcdir, db, copy = sys.argv[1:]
on_postgresql = db.startswith(("postgresql://", "postgres://"))


def psql(query):
    """The rows of a query on PostgreSQL, each a list of its fields
    (the caller makes them hexadecimal where bytes matter)."""
    p = subprocess.run(["psql", "-X", "-A", "-t", "-q", db, "-c", query],
                       stdout=subprocess.PIPE, check=True)
    return [line.split("|") for line in p.stdout.decode().splitlines()]
n = 0
failed = 0


def tap(good, desc, *diag):
    global n, failed
    n += 1
    if not good:
        failed += 1
    print(("ok %d - %s" if good else "not ok %d - %s") % (n, desc))
    if not good:
        for line in diag[:12]:
            print("#   " + str(line)[:300])
    sys.stdout.flush()


def run(*args, db_path=db):
    p = subprocess.run([weiquan, "--db", db_path] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr


# ---- the strings ----
strings = []  # (label, bytes)
seeddir = os.path.join(srcdir, "tests", "fuzz", "seeds")
for name in sorted(os.listdir(seeddir)):
    if name.endswith((".txt", ".bin")):
        with open(os.path.join(seeddir, name), "rb") as f:
            strings.append((name, f.read()))
if testdata:
    with open(os.path.join(testdata, "blns.txt"), "rb") as f:
        for i, line in enumerate(f.read().split(b"\n")):
            if line and not line.startswith(b"#"):
                strings.append(("blns.txt:%d" % (i + 1), line))
else:
    print("# WQ_TESTDATA not set: the seeds only, not the naughty strings")


def is_text(b):
    try:
        b.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\0" not in b


# A statement holds at most 20,000 characters (WQ_STATEMENT_MAX_CHARS),
# whichever way it comes in: longer strings go in cut to that length, and
# whole they must be refused.
LIMIT = 20000
text = [(l, s) for l, s in strings if is_text(s)]
too_long = [(l, s) for l, s in text if len(s.decode()) > LIMIT]
text = [(l, s.decode()[:LIMIT].encode()) for l, s in text]
not_utf8 = [(l, s) for l, s in strings
            if not is_text(s) and b"\0" not in s]

rc, out, err = run("init")
tap(rc == 0, "init", err)
# The seeds' escape sequences would make a person's terminal misbehave:
# the human output is checked for any control character but line ends.
unsafe = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


def count_cases():
    if on_postgresql:
        return int(psql("SELECT count(*) FROM cases")[0][0])
    with sqlite3.connect(db) as c:
        return c.execute("SELECT count(*) FROM cases").fetchone()[0]


# ---- case add ----
# On PostgreSQL every fourth string: the command line is the same on
# both, and the imports below store every one of them there too.
# Under the sanitizers, every string with a control character and every
# third of the others.
every = 3 if os.environ.get("WQ_SANITIZED") else 1
by_hand = text[::4] if on_postgresql else \
    [(l, s) for i, (l, s) in enumerate(text) if unsafe.search(s) or i % every == 0]
added = {}  # number -> bytes
bad = []
for label, s in by_hand:
    rc, out, err = run("case", "add", "--case-type", "complaint",
                       "--case-category", "quality", "--consumer", s,
                       "--merchant", s, "--statement", s)
    if rc != 0:
        bad.append("%s: exit %d: %r" % (label, rc, err[:200]))
    else:
        added[out.decode().strip()] = s
tap(not bad, "case add takes all %d hostile strings as statement, consumer "
    "and merchant" % len(by_hand), *bad)
for label, s in too_long:
    rc, out, err = run("case", "add", "--case-type", "complaint",
                       "--case-category", "quality", "--consumer", "c",
                       "--merchant", "m", "--statement", s)
    tap(rc == 1 and b"longer than 20000 characters" in err,
        "case add refuses all of %s as a statement, saying why" % label,
        rc, err)

before = count_cases()
bad = []
for label, s in not_utf8:
    rc, out, err = run("case", "add", "--case-type", "complaint",
                       "--case-category", "quality", "--consumer", s,
                       "--merchant", "m", "--statement", "s")
    if rc != 1 or b"consumer_name: not valid UTF-8 text" not in err:
        bad.append("%s: exit %d: %r" % (label, rc, err[:200]))
    rc, out, err = run("case", "add", "--case-type", "complaint",
                       "--case-category", "quality", "--consumer", "c",
                       "--merchant", "m", "--statement", s)
    if rc != 1 or b"statement: not valid UTF-8 text" not in err:
        bad.append("%s: exit %d: %r" % (label, rc, err[:200]))
tap(not bad and count_cases() == before and len(not_utf8) >= 3,
    "case add refuses the %d strings that are not UTF-8, naming the field"
    % len(not_utf8), *bad)

# ---- evidence add ----
rc, out, err = run("case", "add", "--case-type", "complaint",
                   "--case-category", "quality", "--consumer", "证据",
                   "--merchant", "店", "--statement", "附证据")
holder = out.decode().strip()
files = os.path.join(tmp, "files")
os.mkdir(files)
attached = []  # (file name, contents)
bad = []
for i, (label, s) in enumerate(strings):
    # The strings that are not text (NUL, bad bytes) or hold a control
    # character, every time.
    if i % every and is_text(s) and not unsafe.search(s):
        continue
    name = s if is_text(s) and b"/" not in s and s not in (b".", b"..") \
        and len(s) <= 255 else b"contents-%d" % i
    if any(name == a[0] for a in attached):
        name = b"contents-%d" % i
    path = os.path.join(files.encode(), name)
    with open(path, "wb") as f:
        f.write(s)
    rc, out, err = run("evidence", "add", holder, path, "--kind", "other",
                       "--party", "complainant")
    os.unlink(path)
    if rc != 0:
        bad.append("%s: exit %d: %r" % (label, rc, err[:200]))
    else:
        attached.append((name, s))
tap(not bad, "evidence add takes every string as contents and, where a "
    "file may be so named, as file name (%d files)"
    % (len(attached) + len(bad)), *bad)

rc, out, err = run("case", "show", holder, "--json")
try:
    shown = json.loads(out)["evidence"]
except ValueError as e:
    shown = []
    bad = ["case show --json is not JSON: %s" % e]
bad = []
for (name, s), e in zip(attached, shown):
    if e["file_name"].encode() != name:
        bad.append("file name %r came back as %r" % (name, e["file_name"]))
    if e["size"] != len(s) or e["sha256"] != hashlib.sha256(s).hexdigest():
        bad.append("%r: size or SHA-256 differ" % name)
tap(not bad and len(shown) == len(attached),
    "case show --json gives every evidence file name, size and SHA-256 "
    "exactly", *bad)

if on_postgresql:
    # holder is a case number weiquan gave: no quote can be in it.
    rows = [(bytes.fromhex(o), bytes.fromhex(t) if t else None, enc.encode())
            for o, t, enc in psql(
                "SELECT encode(e.original, 'hex'),"
                " encode(convert_to(e.text, 'UTF8'), 'hex'), e.encoding"
                " FROM evidence e JOIN cases k ON k.id = e.case_id"
                " WHERE k.number = '%s' ORDER BY e.id" % holder)]
else:
    with sqlite3.connect(db) as c:
        c.text_factory = bytes
        rows = c.execute("SELECT e.original, e.text, e.encoding FROM evidence e"
                         " JOIN cases k ON k.id = e.case_id WHERE k.number = ?"
                         " ORDER BY e.id", (holder,)).fetchall()
bad = ["%r: stored contents differ" % name
       for (name, s), (orig, t, enc) in zip(attached, rows) if orig != s]
bad += ["%r: its text is not the UTF-8 it was" % name
        for (name, s), (orig, t, enc) in zip(attached, rows)
        if enc == b"utf-8" and t != s]
tap(not bad and len(rows) == len(attached),
    "evidence contents are stored byte for byte, NUL and bad bytes "
    "included, and UTF-8 text as itself", *bad)

bad_name = os.path.join(files.encode(), b"bad\xff\xfe name.txt")
with open(bad_name, "wb") as f:
    f.write(b"x")
rc, out, err = run("evidence", "add", holder, bad_name, "--kind", "other",
                   "--party", "complainant")
tap(rc == 1 and b"file name is not valid UTF-8" in err,
    "a file name that is not UTF-8 is refused, saying to rename the file",
    rc, err)

# ---- import ----
HEADER = ("number,type,category,region,status,substate,assignee,received_at,"
          "consumer_name,consumer_phone,consumer_id_number,merchant_name,"
          "merchant_platform,merchant_shop_id,merchant_region,order_no,"
          "amount,order_date,remedy,statement").encode()


def quote(b):
    return b'"' + b.replace(b'"', b'""') + b'"'


def csv_row(s, number=b""):
    return b",".join([number, b"complaint", b"quality", b"", b"", b"", b"",
                      b"", quote(s), b"", b"", quote(s), quote(s), b"", b"",
                      b"", b"", b"", b"", quote(s)])


imported = {}
rows = []
for i, (label, s) in enumerate(text):
    number = b"WQ-2020-%06d" % i
    rows.append(csv_row(s, number))
    imported[number.decode()] = s
path = os.path.join(tmp, "hostile.csv")
with open(path, "wb") as f:
    f.write(HEADER + b"\r\n" + b"\r\n".join(rows) + b"\r\n")
rc, out, err = run("import", path)
tap(rc == 0, "import of a CSV file of every hostile string", err)

objs = []
for i, (label, s) in enumerate(text):
    objs.append({"number": "WQ-2021-%06d" % i, "type": "complaint",
                 "category": "quality", "consumer_name": s.decode(),
                 "merchant_name": s.decode(),
                 "merchant_platform": s.decode(), "statement": s.decode()})
    imported["WQ-2021-%06d" % i] = s
path = os.path.join(tmp, "hostile.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(objs, f)
rc, out, err = run("import", path)
tap(rc == 0, "import of a JSON file of every hostile string", err)

before = count_cases()
for label, s in not_utf8[:3]:
    path = os.path.join(tmp, "bad.csv")
    with open(path, "wb") as f:
        # The CJK around the bad bytes makes GB18030 the likelier guess
        # for the whole file; the explicit UTF-8 is then what is judged.
        f.write(HEADER + b"\r\n" + csv_row("维权".encode()) + b"\r\n"
                + csv_row(s) + b"\r\n")
    rc, out, err = run("import", path, "--encoding", "utf-8")
    tap(rc == 1 and b"bad.csv" in err and count_cases() == before,
        "import refuses %s, which is not UTF-8, naming the file, and "
        "imports nothing" % label, rc, err)
path = os.path.join(tmp, "nul.csv")
with open(path, "wb") as f:
    f.write(HEADER + b"\r\n" + csv_row(b"a\0b") + b"\r\n")
rc, out, err = run("import", path)
tap(rc == 1 and b"nul.csv is not a text file" in err
    and count_cases() == before,
    "import refuses a CSV file with a NUL byte as not text", rc, err)
rc, out, err = run("import", path, "--encoding", "utf-8")
tap(rc == 1 and b"nul.csv:2: field consumer_name: contains a NUL" in err
    and count_cases() == before,
    "... and, read as UTF-8, names the line and field of the NUL", rc, err)
path = os.path.join(tmp, "nul.json")
with open(path, "w") as f:
    json.dump([{"type": "complaint", "category": "quality",
                "consumer_name": "a\0b", "merchant_name": "m",
                "statement": "s"}], f)
rc, out, err = run("import", path)
tap(rc == 1 and b"nul.json:[0]: field consumer_name: contains a NUL" in err
    and count_cases() == before,
    "import refuses a NUL in a JSON string, naming record and field",
    rc, err)

# A value the core refuses is quoted in the message: without its escapes.
path = os.path.join(tmp, "status.csv")
row = csv_row(b"x").split(b",")
row[4] = b"\x1b]0;owned\x07\x1b[2J"
with open(path, "wb") as f:
    f.write(HEADER + b"\r\n" + b",".join(row) + b"\r\n")
rc, out, err = run("import", path)
tap(rc == 1 and b"status.csv:2: status:" in err and not unsafe.search(err),
    "an import refused for a hostile status quotes it without its "
    "control characters", rc, err)

# A case number has one shape (WQ-YYYY-NNNNNN): anything else, a path, an
# escape sequence, a leading U+FEFF or a long one, is refused unquoted.
bad = []
for label, number in [("a path", b"../../etc/x"),
                      ("an escape sequence", b"WQ-2026-\x1b[2J01"),
                      ("a leading U+FEFF", "\ufeffWQ-2026-000001".encode()),
                      ("a long one", "靠".encode() * 11),
                      ("a short one", b"WQ-2026-1")]:
    path = os.path.join(tmp, "number.csv")
    with open(path, "wb") as f:
        f.write(HEADER + b"\r\n" + csv_row(b"x", number) + b"\r\n")
    rc, out, err = run("import", path)
    if not (rc == 1 and b"number.csv:2: field number: not a case number"
            in err and not unsafe.search(err)
            and count_cases() == before):
        bad.append("%s: exit %d: %r" % (label, rc, err[:200]))
tap(not bad, "an import with a number not shaped WQ-YYYY-NNNNNN is refused, "
    "naming the field", *bad)

# ---- export ----
rc, csv_out, err = run("export", "--status", "all")
tap(rc == 0, "export as CSV", err)
rc, json_out, err = run("export", "--status", "all", "--format", "json")
tap(rc == 0, "export as JSON", err)
rc, gb_out, err = run("export", "--status", "all", "--encoding", "gb18030")
tap(rc == 0, "export as GB18030", err)

want = dict(added)
want.update(imported)
records = {r["number"]: r for r in
           csv.DictReader(io.StringIO(csv_out.decode("utf-8"), newline=""))}
bad = []
for number, s in want.items():
    r = records.get(number)
    if r is None:
        bad.append("%s missing from the CSV export" % number)
        continue
    for field in ("statement", "consumer_name", "merchant_name"):
        if r[field].encode() != s:
            bad.append("%s %s: %r became %r" % (number, field, s[:60],
                                                 r[field][:60]))
tap(not bad, "the CSV export gives back all %d cases' strings byte for byte"
    % len(want), *bad)

try:
    records = {r["number"]: r for r in json.loads(json_out)}
except ValueError as e:
    records = {}
bad = []
for number, s in want.items():
    r = records.get(number)
    if r is None:
        bad.append("%s missing from the JSON export" % number)
        continue
    for field in ("statement", "consumer_name", "merchant_name"):
        if r[field].encode() != s:
            bad.append("%s %s: %r became %r" % (number, field, s[:60],
                                                 r[field][:60]))
tap(not bad, "the JSON export gives back all %d cases' strings byte for "
    "byte" % len(want), *bad)

# GB18030 holds all of Unicode: the same text, as weiquan reads it back.
path = os.path.join(tmp, "export-gb18030.csv")
with open(path, "wb") as f:
    f.write(gb_out)
run("init", db_path=copy)
rc, out, err = run("import", path, db_path=copy)
tap(rc == 0, "the GB18030 export imports into a new database", err)
rc, again, err = run("export", "--status", "all", db_path=copy)
tap(again == csv_out,
    "... which exports the same bytes as the first database",
    "%d bytes against %d" % (len(again), len(csv_out)))

# ---- case show ----
bad = []
unsafe_out = []
for number, s in added.items():
    rc, out, err = run("case", "show", number, "--json")
    try:
        d = json.loads(out)
        got = [d["statements"][0]["text"], d["consumer"]["name"],
               d["merchant"]["name"]]
    except (ValueError, KeyError, IndexError) as e:
        bad.append("%s: %s: %r" % (number, e, err[:100]))
        continue
    if any(g.encode() != s for g in got):
        bad.append("%s: %r came back as %r" % (number, s[:60], got))
for number in list(added)[:40]:
    rc, out, err = run("case", "show", number)
    if rc != 0 or unsafe.search(out) or unsafe.search(err):
        unsafe_out.append("%s: exit %d: %r" % (number, rc,
                                               (out + err)[:200]))
tap(not bad, "case show --json gives back every case's statement, consumer "
    "and merchant byte for byte", *bad)
tap(not unsafe_out, "case show prints no control character of the seeds",
    *unsafe_out)
rc, out, err = run("case", "list", "--status", "all", "--limit", "500")
tap(rc == 0 and not unsafe.search(out),
    "case list prints no control character", rc, err)

# Error messages quote what the user typed: an escape sequence there is
# shown, not obeyed.
rc, out, err = run("case", "add", "--case-type", "\x1b]0;pwned\x07",
                   "--case-category", "quality", "--consumer", "x",
                   "--merchant", "y", "--statement", "z")
tap(rc == 1 and b"pwned" in err and not unsafe.search(err),
    "an error quoting a hostile value prints no control character", rc, err)
rc, out, err = run("case", "list", "--colour\x1b[2J")
tap(rc == 2 and not unsafe.search(err),
    "a usage error quoting a hostile option prints no control character",
    rc, err)

print("1..%d" % n)
sys.exit(1 if failed else 0)
EOF
