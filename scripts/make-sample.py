#!/usr/bin/env python3
"""make-sample.py: writes folio's own small sample archive into data/sample/.

Deterministic: the same seed gives byte-identical mbox files. The text is
generated from word lists written for this project; no real mail is used.
Run from the repository root: scripts/make-sample.py
"""
import email.header
import email.utils
import random
import time
import os

SEED = 20261122
OUT = os.path.join(os.path.dirname(__file__), "..", "data", "sample")

PEOPLE = [
    ("Ada Lindqvist", "ada@folio.example"),
    ("Bram Okafor", "bram@folio.example"),
    ("Chloé Durand", "chloe@folio.example"),
    ("Dmitri Volkov", "dmitri@folio.example"),
    ("Eun-ji Park", "eunji@folio.example"),
    ("Farah Haddad", "farah@folio.example"),
    ("Gustavo Reis", "gustavo@folio.example"),
    ("Hiroshi Tanaka", "hiroshi@folio.example"),
]

TOPICS = [
    "index generation swap", "spool directory fsync", "threading with ghost parents",
    "wildcard expansion limit", "charset fallback for latin1", "stemming of plurals",
    "cross-posted announcements", "mbox From_ line escaping", "result cache eviction",
    "date range queries", "attachment names in search", "compaction schedule",
    "reindex from the store", "access grants for tiers", "HTML mail to text",
]

WORDS = ("archive message thread reply index search query list store commit batch "
         "writer reader generation snippet phrase stem prefix header body quote "
         "attachment charset parser limit cache revision spool deliver daemon "
         "latency throughput benchmark memory disk fsync rename crash repair").split()


def sentence(rng, n=12):
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def paragraph(rng):
    return " ".join(sentence(rng, rng.randint(6, 16)) for _ in range(rng.randint(2, 5)))


def body_text(rng, topic, quoted=None):
    parts = []
    if quoted:
        parts.append("On an earlier day someone wrote:")
        parts.extend("> " + line for line in quoted.splitlines()[:6])
        parts.append("")
    parts.append("About the %s:" % topic)
    parts.append(paragraph(rng))
    parts.append("")
    parts.append(paragraph(rng))
    return "\n".join(parts)


def mbox_entry(headers, body, when):
    t = time.gmtime(when)
    stamp = time.strftime("%a %b ", t) + "%2d" % t.tm_mday + time.strftime(" %H:%M:%S %Y", t)
    from_line = "From %s  %s" % (headers["From"][1], stamp)
    lines = [from_line]
    name, addr = headers["From"]
    lines.append("From: %s <%s>" % (email.header.Header(name, "utf-8").encode() if not name.isascii() else name, addr))
    for key in ("To", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "List-Id",
                "MIME-Version", "Content-Type", "Content-Transfer-Encoding"):
        if key in headers and headers[key]:
            lines.append("%s: %s" % (key, headers[key]))
    lines.append("")
    for line in body.splitlines():
        lines.append(">" + line if line.startswith("From ") else line)
    lines.append("")
    return "\n".join(lines) + "\n"


def make_list(rng, name, count, start, cross=None):
    entries, messages = [], []
    when = start
    threads = []
    for i in range(count):
        when += rng.randint(600, 40000)
        person = rng.choice(PEOPLE)
        mid = "%s.%d.%d@folio.example" % (name, i, rng.randint(1000, 9999))
        if threads and rng.random() < 0.6:
            root = rng.choice(threads[-8:])
            parent = rng.choice(root["members"])
            refs = parent["refs"] + [parent["mid"]]
            subject = "Re: " + root["subject"]
            body = body_text(rng, root["topic"], parent["body"])
            msg = {"mid": mid, "refs": refs[-10:], "body": body, "subject": subject}
            root["members"].append(msg)
        else:
            topic = rng.choice(TOPICS)
            subject = "[%s] %s" % (name, topic)
            body = body_text(rng, topic)
            msg = {"mid": mid, "refs": [], "body": body, "subject": subject}
            threads.append({"topic": topic, "subject": subject, "members": [msg]})
        if i % 17 == 5:
            body += "\n\nGrüße aus Köln, naïve café résumé — 日本語のテキストも検索できます。"
            msg["body"] = body
        headers = {
            "From": person, "To": "%s@folio.example" % name, "Subject": msg["subject"],
            "Date": email.utils.formatdate(when, usegmt=False),
            "Message-ID": "<%s>" % mid,
            "In-Reply-To": "<%s>" % msg["refs"][-1] if msg["refs"] else "",
            "References": " ".join("<%s>" % r for r in msg["refs"]),
            "List-Id": "<%s.folio.example>" % name,
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=utf-8",
            "Content-Transfer-Encoding": "8bit",
        }
        entries.append(mbox_entry(headers, body, when))
        messages.append((headers, body, when))
    return entries, messages


def main():
    rng = random.Random(SEED)
    os.makedirs(OUT, exist_ok=True)
    start = 1420070400  # 2015-01-01
    users, _ = make_list(rng, "folio-users", 160, start)
    dev, dev_msgs = make_list(rng, "folio-dev", 120, start + 86400)
    core, _ = make_list(rng, "folio-core", 40, start + 2 * 86400)
    # Three folio-dev announcements also went to folio-users (cross-posts).
    for headers, body, when in dev_msgs[:3]:
        h = dict(headers)
        h["List-Id"] = "<folio-users.folio.example>"
        users.append(mbox_entry(h, body, when))
    for name, entries in (("folio-users", users), ("folio-dev", dev), ("folio-core", core)):
        with open(os.path.join(OUT, name + ".mbox"), "w", encoding="utf-8", newline="\n") as f:
            f.write("".join(entries))


if __name__ == "__main__":
    main()
