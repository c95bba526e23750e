"""Reads the messages a test received (a directory of .eml files, or a
maildir's new/) with Python's email package and prints them as JSON:
to, decoded subject, Message-ID, text body, the iCalendar part parsed by
python3-icalendar, and whether the raw bytes keep to RFC 5322 (CRLF only,
no line over 998 octets)."""
import email
import email.header
import email.policy
import glob
import json
import os
import re
import sys

import icalendar


def decode(value):
    return str(email.header.make_header(email.header.decode_header(value or "")))


def read(path):
    raw = open(path, "rb").read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    lines = raw.split(b"\r\n")
    item = {
        "file": os.path.basename(path),
        "to": msg["To"].addresses[0].addr_spec if msg["To"] else None,
        "to_name": msg["To"].addresses[0].display_name if msg["To"] else None,
        "subject": str(msg["Subject"]),
        "message_id": msg["Message-ID"],
        "date": msg["Date"],
        "headers": [k for k in msg.keys()],
        "list_unsubscribe": msg["List-Unsubscribe"],
        "list_unsubscribe_post": msg["List-Unsubscribe-Post"],
        "crlf_only": re.search(rb"(?<!\r)\n|\r(?!\n)", raw) is None,
        "max_line": max(len(l) for l in lines),
        "body": None,
        "ics": None,
    }
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "text/plain" and item["body"] is None:
            item["body"] = part.get_content()
        elif ctype == "text/calendar":
            cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
            ev = [c for c in cal.walk("VEVENT")][0]
            item["ics"] = {
                "method": str(cal.get("METHOD")),
                "content_type_method": part.get_param("method"),
                "uid": str(ev["UID"]),
                "sequence": int(ev.get("SEQUENCE", 0)),
                "status": str(ev.get("STATUS")),
                "dtstart": ev["DTSTART"].dt.isoformat(),
                "dtend": ev["DTEND"].dt.isoformat() if "DTEND" in ev else None,
                "tzid": ev["DTSTART"].params.get("TZID"),
                "attendee": str(ev.get("ATTENDEE")),
            }
    return item


where = sys.argv[1]
files = sorted(glob.glob(os.path.join(where, "*.eml")) or glob.glob(os.path.join(where, "new", "*")))
print(json.dumps([read(f) for f in files], ensure_ascii=False))
