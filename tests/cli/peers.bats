#!/usr/bin/env bats
# Roles from SO_PEERCRED: admins change, readers read, strangers get nothing.
# Other users are played with setpriv, which needs root.

load helpers

setup() {
	[ "$(id -u)" -eq 0 ] || skip "playing other uids needs root"
	command -v setpriv >/dev/null || skip "setpriv (util-linux) is missing"
	start_adfd 'admin_group = "adm";'
	ctl cycle add "Cycle 2017-2018" --from 2017-09 --to 2018-06 >/dev/null
}
teardown() { teardown_adfd; }

# as UID GID adfctl-args...: runs adfctl as another user with no
# supplementary groups.
as() {
	local uid=$1 gid=$2
	shift 2
	setpriv --reuid="$uid" --regid="$gid" --clear-groups "$TMP/adfctl" -s "$SOCK" "$@"
}

@test "a member of the read group reads but may not write" {
	run as 65534 65534 status --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | pyjson 'd["your_role"]')" = read ]
	run as 65534 65534 atelier list
	[ "$status" -eq 0 ]
	run as 65534 65534 tour plan --cycle 1 --rule "last wednesday" --time 08:30
	[ "$status" -eq 0 ]
	run as 65534 65534 atelier add --cycle 1 --date 2017-09-27 --time 08:30 --draft
	[ "$status" -eq 1 ]
	[[ "$output" == *"forbidden: atelier.add needs the admin role; uid 65534 has read"* ]]
	run as 65534 65534 tour plan --cycle 1 --rule "last wednesday" --time 08:30 --apply
	[ "$status" -eq 1 ]
	[[ "$output" == *"forbidden: tour.plan needs the admin role"* ]]
	run ctl atelier list --json
	[ "$output" = "[]" ]
	# refused writes are in the audit log, with who tried
	run ctl audit list --uid 65534 --json
	[ "$(echo "$output" | pyjson 'len(d)')" = 2 ]
	[ "$(echo "$output" | pyjson 'd[0]["outcome"]')" = forbidden ]
	run ctl status
	[ "$status" -eq 0 ]
}

@test "a stranger is refused everything, reads included" {
	run as 4242 4242 status
	[ "$status" -eq 1 ]
	[[ "$output" == *"forbidden: status needs the read role; uid 4242 has no role"* ]]
	run as 4242 4242 cycle add "Cycle X" --from 2019-09 --to 2020-06
	[ "$status" -eq 1 ]
	run ctl cycle list --json
	[ "$(echo "$output" | pyjson 'len(d)')" = 1 ]
}

@test "a member of the admin group by its primary gid may write" {
	gid=$(getent group adm | cut -d: -f3)
	run as 4243 "$gid" atelier add --cycle 1 --date 2017-09-27 --time 08:30 --draft
	[ "$status" -eq 0 ]
	run ctl audit list --json
	[ "$(echo "$output" | pyjson 'd[0]["uid"]')" = 4243 ]
	[ "$(echo "$output" | pyjson 'd[0]["outcome"]')" = ok ]
}

@test "the role comes from the groups the peer's process has (SO_PEERGROUPS), not from the group database" {
	command -v useradd >/dev/null || skip "useradd is missing"
	user=adftest$$
	useradd --no-create-home --shell /usr/sbin/nologin --groups adm "$user"
	uid=$(id -u "$user")
	gid=$(id -g "$user")
	# its login groups: adm, as a supplementary group (SO_PEERCRED carries
	# only the primary gid, which is not adm)
	run setpriv --reuid="$uid" --regid="$gid" --init-groups "$TMP/adfctl" -s "$SOCK" \
		atelier add --cycle 1 --date 2017-09-27 --time 08:30 --draft
	admin_by_login=$status
	# the same user, having dropped its groups: the database still lists
	# it in adm, its process is not
	run setpriv --reuid="$uid" --regid="$gid" --clear-groups "$TMP/adfctl" -s "$SOCK" \
		atelier add --cycle 1 --date 2017-10-25 --time 08:30 --draft
	dropped=$status
	dropped_output=$output
	userdel "$user" 2>/dev/null || true
	[ "$admin_by_login" -eq 0 ]
	[ "$dropped" -eq 1 ]
	[[ "$dropped_output" == *"forbidden: atelier.add needs the admin role; uid $uid has no role"* ]]
	# a uid the database puts in no group, whose process has adm
	run setpriv --reuid=4244 --regid=4244 --groups="$(getent group adm | cut -d: -f3)" \
		"$TMP/adfctl" -s "$SOCK" atelier add --cycle 1 --date 2017-11-29 --time 08:30 --draft
	[ "$status" -eq 0 ]
}

@test "a flood of refused requests is one audit entry a minute, counted; old entries go after audit_retention_months" {
	"$PY" -c 'import json
for i in range(2000):
    print(json.dumps({"id": i, "cmd": "atelier.add", "args": {"date": "2017-09-27", "time": "08:30", "draft": True}}))' >"$TMP/flood"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$TMP/adfctl" -s "$SOCK" batch <"$TMP/flood" >"$TMP/answers" || true
	[ "$(grep -c '"forbidden"' "$TMP/answers")" -eq 2000 ]
	# while adfd runs, the list shows the count not yet written
	run ctl audit list --uid 65534 --json
	[ "$(echo "$output" | pyjson '[(a["command"], a["outcome"], a["count"]) for a in d]')" = "[('atelier.add', 'forbidden', 2000)]" ]
	# an entry from long ago, as if adfd had run for years
	stop_adfd
	"$PY" - "$TMP/adf.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT count(*), sum(count) FROM audit WHERE uid = 65534").fetchone()
assert rows == (1, 2000), rows  # written at shutdown
db.execute("INSERT INTO audit (at, uid, command, outcome) VALUES ('2001-01-01T00:00:00Z', 0, 'cycle.add', 'ok')")
db.commit()
PY
	restart_adfd
	grep -q "audit retention: 1 entry before" "$LOG"
	[ "$(ctl audit list --limit 10000 --json | pyjson 'len([a for a in d if a["at"] < "2002"])')" = 0 ]
	[ "$(ctl audit list --uid 65534 --json | pyjson 'len(d)')" = 1 ]
}

@test "a stranger's connection closes after one answer or two seconds; the last slots are kept for admins" {
	stop_adfd
	write_config 'admin_group = "adm";' 'limits = { max_clients = 16; };'
	restart_adfd
	# one line, one answer, and the connection is over
	run setpriv --reuid=4242 --regid=4242 --clear-groups "$PY" - "$SOCK" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b'{"id":1,"cmd":"status"}\n')
s.settimeout(5)
data = b""
while chunk := s.recv(4096):
    data += chunk
print(data.count(b"\n"), b"forbidden" in data)
# silent: closed within a few seconds, not after idle_timeout (60 s)
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(10)
t = time.monotonic()
assert s.recv(4096) == b""
print(round(time.monotonic() - t) <= 3)
PY
	[ "$output" = $'1 True\nTrue' ]
	# readers fill every slot but the two kept for admins
	setpriv --reuid=65534 --regid=65534 --clear-groups "$PY" - "$SOCK" "$TMP/release" >"$TMP/readers" <<'PY' &
import socket, sys, time, json
held, refused = [], 0
for i in range(20):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    try:
        s.sendall(b'{"id":1,"cmd":"status"}\n')
    except BrokenPipeError:
        pass  # refused at once: the answer is there all the same
    answer = json.loads(s.makefile().readline())
    if answer["ok"]:
        held.append(s)
    else:
        refused += 1
print(len(held), refused, flush=True)
# held until the test has checked the admin's slot (it makes a file), 60 s at most
import os
deadline = time.monotonic() + 60
while not os.path.exists(sys.argv[2]) and time.monotonic() < deadline:
    time.sleep(0.05)
PY
	readers=$!
	wait_until 10 grep -q . "$TMP/readers"
	[ "$(cat "$TMP/readers")" = "14 6" ]
	run ctl status
	touch "$TMP/release"
	[ "$status" -eq 0 ]
	wait "$readers"
}

@test "a reader holds at most max_watchers_per_uid live views; an admin is not counted" {
	ctl atelier add --departement 05 --date "$(paris_day)" --time 00:01 --end 23:59 --title T \
		--venue V --city Gap --capacity 3 --force >/dev/null
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$PY" - "$SOCK" <<'PY'
import json, socket, sys
held, answers = [], []
for i in range(5):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    s.sendall(b'{"id":1,"cmd":"watch","args":{"id":1}}\n')
    answer = json.loads(s.makefile().readline())
    answers.append(answer["ok"] or answer["error"]["code"])
    held.append(s)
print(answers)
PY
	[ "$output" = "[True, True, True, True, 'unavailable']" ]
	# those are closed now (adfd saw them go): the reader may watch again;
	# the admin always could
	only_me() { [ "$(ctl status --json | pyjson 'd["clients"]')" -eq 1 ]; }
	wait_until 10 only_me
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$PY" - "$SOCK" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b'{"id":1,"cmd":"watch","args":{"id":1}}\n')
print(json.loads(s.makefile().readline())["ok"])
PY
	[ "$output" = True ]
	run "$PY" - "$SOCK" <<'PY'
import json, socket, sys
held = []
for i in range(6):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    s.sendall(b'{"id":1,"cmd":"watch","args":{"id":1}}\n')
    held.append(json.loads(s.makefile().readline())["ok"])
print(held)
PY
	[ "$output" = "[True, True, True, True, True, True]" ]
}
