"""Writes to adfd until it dies: registers people one request at a time,
now and then cancels one of its confirmed registrations, and appends every
acknowledged registration to a file at once, so that after a kill -9 the
test knows what adfd promised. Usage: loadclient.py SOCKET ATELIER PREFIX OUT"""
import json
import random
import socket
import sys

sock_path, atelier, prefix, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
s = socket.socket(socket.AF_UNIX)
try:
    s.connect(sock_path)
except OSError:
    sys.exit(0)
f = s.makefile("rwb")
log = open(out, "a")
confirmed = []
try:
    for i in range(100000):
        if confirmed and random.random() < 0.2:
            rid = confirmed.pop(random.randrange(len(confirmed)))
            req = {"id": i, "cmd": "registration.cancel", "args": {"id": rid}}
        else:
            email = "%s-%d@example.fr" % (prefix, i)
            req = {"id": i, "cmd": "register",
                   "args": {"atelier": atelier, "name": "Charge %d" % i, "email": email,
                            "category": "public"}}
        f.write((json.dumps(req) + "\n").encode())
        f.flush()
        line = f.readline()
        if not line:
            break
        answer = json.loads(line)
        if not answer.get("ok"):
            continue
        data = answer["data"]
        if req["cmd"] == "register":
            log.write("registered %s %d\n" % (data["email"], data["id"]))
            if data["status"] == "confirmed":
                confirmed.append(data["id"])
        else:
            log.write("cancelled %d\n" % data["id"])
        log.flush()
except (OSError, ValueError):
    pass
