#!/usr/bin/env bats
# Bad input gets a clear error, loses nothing, and the daemon keeps answering.

load helpers

setup() { start_adfd 'limits = { idle_timeout = 1; };'; }
teardown() { teardown_adfd; }

still_answers() {
	run ctl status
	[ "$status" -eq 0 ]
}

@test "malformed JSON is a bad_request, and the connection goes on" {
	run raw_request '{"id":1,"cmd":\n{"id":2,"cmd":"status"}\n'
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == *'"ok":false'*'"code":"bad_request"'*'invalid JSON'* ]]
	[[ "${lines[1]}" == '{"id":2,"v":1,"ok":true'* ]]
	run raw_request '[1,2,3]\n"status"\n'
	[[ "${lines[0]}" == *'a request is a JSON object'* ]]
	[[ "${lines[1]}" == *'"code":"bad_request"'* ]]
	still_answers
}

@test "an unknown command, member or argument is a bad_request" {
	run raw_request '{"id":1,"cmd":"atelier.explode"}\n{"id":2,"cmd":"status","x":1}\n{"id":3,"cmd":"status","args":{"verbose":true}}\n'
	[[ "${lines[0]}" == *'"code":"bad_request","message":"unknown command \"atelier.explode\""'* ]]
	[[ "${lines[1]}" == *'unknown request member'* ]]
	[[ "${lines[2]}" == *'unknown argument'* ]]
	still_answers
}

@test "wrong types are refused by the table, before any handler" {
	run raw_request '{"id":1,"cmd":"atelier.show","args":{"id":"1"}}\n{"id":2,"cmd":"atelier.add","args":{"date":"2017-09-27","time":"08:30","capacity":-3,"draft":true}}\n{"id":[1],"cmd":"status"}\n'
	[[ "${lines[0]}" == *'"code":"bad_request","message":"id: expected an integer"'* ]]
	[[ "${lines[1]}" == *'capacity: -3 is out of range 1..100000'* ]]
	[[ "${lines[2]}" == *'id: expected an integer or a string'* ]]
	run ctl atelier list --json
	[ "$output" = "[]" ]
	still_answers
}

@test "an unknown Département is refused with its code" {
	ctl cycle add "Cycle 2017-2018" --from 2017-09 --to 2018-06
	run ctl atelier add --cycle 1 --departement 975 --date 2017-09-27 --time 08:30 \
		--title T --venue V --city C --capacity 10
	[ "$status" -eq 1 ]
	[[ "$output" == *"not_found: unknown Département 975"* ]]
	run raw_request '{"id":1,"cmd":"atelier.add","args":{"departement":"5","date":"2017-09-27","time":"08:30","draft":true}}\n'
	[[ "$output" == *'is not a Département code'* ]]
	run ctl atelier list --json
	[ "$output" = "[]" ]
}

@test "an error message quoting a cut UTF-8 character is still answered (found by fuzzing)" {
	run raw_request '{"id":1,"cmd":"status","args":{"v":"\\\xc3\xb4tel"}}\n{"id":2,"cmd":"status"}\n'
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == *'"ok":false'*'"code":"bad_request"'* ]]
	[[ "${lines[1]}" == '{"id":2,"v":1,"ok":true'* ]]
}

@test "invalid UTF-8 and control characters are refused" {
	run raw_request '{"id":1,"cmd":"cycle.add","args":{"name":"Cycle \xff\xfe","from":"2017-09","to":"2018-06"}}\n'
	[[ "$output" == *'"code":"bad_request","message":"not valid UTF-8 at byte'* ]]
	run raw_request '{"id":2,"cmd":"cycle.add","args":{"name":"Cycle\\u0007","from":"2017-09","to":"2018-06"}}\n'
	[[ "$output" == *'contains a control character'* ]]
	run raw_request '{"id":3,"cmd":"cycle.add","args":{"name":"Cycle\\u0000x","from":"2017-09","to":"2018-06"}}\n'
	[[ "$output" == *'"ok":false'* ]]
	# a C1 CSI drives a terminal; a right-to-left override reverses a name
	for c in '\\u009b' '\\u0085' '\\u202e' '\\u2066' '\\u200f' '\\u2028' '\\ufeff' '\\ufffe' '\\udb40\\udc41'; do
		run raw_request '{"id":4,"cmd":"cycle.add","args":{"name":"Cycle'"$c"'x","from":"2017-09","to":"2018-06"}}\n'
		[[ "$output" == *'contains a control character'* ]]
	done
	# accents, apostrophes and dashes stay welcome
	run raw_request '{"id":5,"cmd":"cycle.add","args":{"name":"Cycle d\u2019été \u2014 Île-de-France","from":"2017-09","to":"2018-06"}}\n'
	[[ "$output" == *'"ok":true'* ]]
	ctl cycle delete 1 >/dev/null
	run ctl cycle list --json
	[ "$output" = "[]" ]
	still_answers
}

@test "a 2 MiB line gets an error, then the connection closes" {
	big=$(head -c 2097152 /dev/zero | tr '\0' 'x')
	run raw_request "{\"id\":1,\"cmd\":\"status\",\"args\":{\"pad\":\"$big\"}}\n{\"id\":2,\"cmd\":\"status\"}\n"
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == *'"code":"bad_request","message":"request line longer than 1048576 bytes: closing"'* ]]
	still_answers
}

@test "a client that trickles one byte at a time is closed at the idle limit" {
	run "$PY" - "$SOCK" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.settimeout(0.2)
deadline = time.monotonic() + 8
for ch in b'{"id":1,"cmd":"status"}' * 100:
    if time.monotonic() > deadline:
        print("still open after 8 s"); sys.exit(1)
    try:
        s.send(bytes([ch]))
        if s.recv(1) == b"":
            print("closed"); sys.exit(0)
    except socket.timeout:
        pass
    except (BrokenPipeError, ConnectionResetError):
        print("closed"); sys.exit(0)
print("never closed"); sys.exit(1)
PY
	[ "$status" -eq 0 ]
	[ "$output" = closed ]
	grep -q 'no complete request within 1 s: closing' "$LOG"
	still_answers
}

@test "a second adfd on the same socket, or on the same database, refuses to start; the first goes on" {
	run "$ADFD" -c "$CONF"
	[ "$status" -eq 1 ]
	[[ "$output" == *"another adfd is"*"running on"* ]]
	still_answers
	# another socket, the same database: it would resend the first one's
	# mail in flight
	sed "s|^socket = .*|socket = \"$TMP/other.sock\";|" "$CONF" >"$TMP/other.conf"
	run "$ADFD" -c "$TMP/other.conf"
	[ "$status" -eq 1 ]
	[[ "$output" == *"another adfd is running on the database $TMP/adf.db: stop it first"* ]]
	[ ! -e "$TMP/other.sock" ]
	still_answers
	# the database and its WAL are not the world's
	[ "$(stat -c %a "$TMP/adf.db")" = 640 ]
	[ "$(( 0$(stat -c %a "$TMP/adf.db-wal") & 07 ))" -eq 0 ]
}

@test "a stale socket file is replaced; a file that is no socket is left alone" {
	stop_adfd
	"$PY" -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$SOCK"
	[ -S "$SOCK" ]
	restart_adfd
	grep -q "removing stale socket" "$LOG"
	stop_adfd
	echo "precious" >"$SOCK"
	run "$ADFD" -c "$CONF"
	[ "$status" -eq 1 ]
	[[ "$output" == *"exists and is not a socket"* ]]
	[ "$(cat "$SOCK")" = precious ]
}

@test "a bad config file is reported as file:line and exits 78" {
	printf 'socket = "%s";\nlimits = {\n  max_line = "big";\n};\n' "$TMP/x.sock" >"$TMP/bad1.conf"
	run "$ADFD" -c "$TMP/bad1.conf"
	[ "$status" -eq 78 ]
	[[ "$output" == *"$TMP/bad1.conf:3: limits.max_line: expected an integer"* ]]
	printf 'log_level = "info";\nsocket = ;\n' >"$TMP/bad2.conf"
	run "$ADFD" -c "$TMP/bad2.conf"
	[ "$status" -eq 78 ]
	[[ "$output" == *"$TMP/bad2.conf:2: syntax error"* ]]
	printf 'log_level = "info";\nsocket_mdoe = "0660";\n' >"$TMP/bad3.conf"
	run "$ADFD" -c "$TMP/bad3.conf"
	[ "$status" -eq 78 ]
	[[ "$output" == *"$TMP/bad3.conf:2: unknown setting \"socket_mdoe\""* ]]
	for mode in 0777 0400 0640 0662; do
		printf 'socket_mode = "%s";\n' "$mode" >"$TMP/mode.conf"
		run "$ADFD" -n -c "$TMP/mode.conf"
		[ "$status" -eq 78 ]
		[[ "$output" == *"mode.conf:1: socket_mode: \"$mode\" does not suit a socket"* ]]
	done
	printf 'limits = { max_clients = 0; };\n' >"$TMP/bad4.conf"
	run "$ADFD" -n -c "$TMP/bad4.conf"
	[ "$status" -eq 78 ]
	[[ "$output" == *"bad4.conf:1: limits.max_clients: 0 is out of range"* ]]
	# libconfig would read 4294967297 as 1: a typo must not anonymise data
	# after one month
	printf '# 99999999999 in a comment is no setting
mail = { from = "a99999999999@example.fr"; };
retention_months = 4294967297;
' >"$TMP/bad5.conf"
	run "$ADFD" -n -c "$TMP/bad5.conf"
	[ "$status" -eq 78 ]
	[[ "$output" == *"bad5.conf:3: 4294967297 is too large a number"* ]]
	run "$ADFD" -c "$TMP/missing.conf"
	[ "$status" -eq 78 ]
	[[ "$output" == *"missing.conf: cannot read"* ]]
	run "$ADFD" -n -c "$CONF"
	[ "$status" -eq 0 ]
	still_answers
}

@test "connections over the per-uid limit are refused cleanly" {
	stop_adfd
	write_config 'limits = { max_clients_per_uid = 2; };'
	restart_adfd
	run "$PY" - "$SOCK" <<'PY'
import socket, sys
held = []
for i in range(2):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); held.append(s)
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(5)
print(s.recv(4096).decode().strip())
PY
	[[ "$output" == *'"code":"unavailable","message":"too many connections from this uid'* ]]
	still_answers
}

@test "out of file descriptors, adfd pauses accepting instead of spinning" {
	stop_adfd
	(ulimit -n 24 && exec "$ADFD" -c "$CONF" >>"$LOG" 2>&1) &
	ADFD_PID=$!
	wait_for_answer
	run "$PY" - "$SOCK" <<'PY'
import socket, sys
held = []
for i in range(40):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); held.append(s)
# each connection gets an answer or waits in the backlog; none crashes adfd
print("opened", len(held))
PY
	[ "$output" = "opened 40" ]
	wait_until 10 grep -q "accept: .*pausing for 1 s" "$LOG"
	grep -q "accept: .*pausing for 1 s" "$LOG"
	# once those are gone, new clients are served again
	wait_for_answer
	[ "$(grep -c 'pausing for 1 s' "$LOG")" -lt 20 ]
}

@test "a client that never reads its answers is not read from past the output cap" {
	stop_adfd
	write_config 'limits = { idle_timeout = 5; max_output = 4096; };'
	restart_adfd
	load_fixture cycle-2017.ndjson
	rss() { awk '/^VmRSS/ { print $2 }' "/proc/$ADFD_PID/status"; }
	before=$(rss)
	# requests for 2 s, never reading an answer; the memory is measured
	# while the connection is still open
	"$PY" - "$SOCK" "/proc/$ADFD_PID/status" >"$TMP/flood" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.setblocking(False)
sent = 0
line = b'{"id":1,"cmd":"atelier.list"}\n'
deadline = time.monotonic() + 2
while time.monotonic() < deadline:
    try:
        sent += s.send(line * 100)
    except BlockingIOError:
        time.sleep(0.01)
rss = [l.split()[1] for l in open(sys.argv[2]) if l.startswith("VmRSS")][0]
print(sent, rss)
PY
	read -r sent after <"$TMP/flood"
	echo "sent $sent bytes; adfd's RSS $before KiB before, $after KiB during" >&2
	# each request read makes a ~5 KiB answer: without the cap, the unread
	# answers pile up in adfd by hundreds of MiB
	[ $((after - before)) -lt 16384 ]
	run ctl status
	[ "$status" -eq 0 ]
}

@test "a slow reader of a long export gets it whole; one that reads nothing is closed after write_timeout" {
	stop_adfd
	write_config 'limits = { idle_timeout = 2; write_timeout = 4; };'
	restart_adfd
	ctl atelier add --departement 33 --date "$(workday 100)" --time 09:00 --title T --venue V \
		--city Bordeaux --capacity 30000 --force >/dev/null
	stop_adfd
	"$PY" - "$TMP/adf.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executemany("INSERT INTO registration (atelier_id, name, email, email_key, category, status,"
               " token, queued_at, registered_at, source) VALUES (1, ?, ?, ?, 'public',"
               " 'confirmed', ?, '2026-01-01', '2026-01-01', 'test')",
               (("Personne %d" % i, "p%d@example.fr" % i, "p%d@example.fr" % i, "t%d" % i)
                for i in range(20000)))
db.commit()
PY
	restart_adfd
	# reads nothing for 3 s (past idle_timeout), then all of it, slowly:
	# these sleeps are the behaviour under test
	ctl registration export 1 | "$PY" -c '
import sys, time
time.sleep(3)  # past idle_timeout before reading: the behaviour under test
n = 0
while True:
    chunk = sys.stdin.buffer.read(65536)
    if not chunk:
        break
    n += chunk.count(b"\n")
    time.sleep(0.05)
print(n)' >"$TMP/lines"
	[ "$(cat "$TMP/lines")" -eq 20001 ]
	# a client that asks and never reads is closed once write_timeout passes
	"$PY" - "$SOCK" "$LOG" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.sendall(b'{"id":1,"cmd":"registration.export","args":{"atelier":1}}\n')
# reads nothing until adfd says it gave up on this client (60 s at most)
deadline = time.monotonic() + 60
while "read none of its answers" not in open(sys.argv[2]).read() and time.monotonic() < deadline:
    time.sleep(0.1)
data = b""
s.settimeout(5)
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
assert data.count(b"\n") < 20000, data.count(b"\n")
PY
	grep -q "read none of its answers within 4 s: closing" "$LOG"
}
