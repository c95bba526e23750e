#!/usr/bin/env bats
# Signals, restarts, reloads and the database's version.

load helpers

setup() { start_adfd; }
teardown() { teardown_adfd; }

@test "SIGTERM exits 0, removes the socket, and the data is there after a restart" {
	load_fixture cycle-2017.ndjson
	stop_adfd
	[ ! -e "$SOCK" ]
	grep -q "stopped" "$LOG"
	restart_adfd
	run ctl atelier list --json
	[ "$(echo "$output" | pyjson 'len(d)')" = 8 ]
}

@test "SIGTERM answers the requests already sent before exiting" {
	load_fixture cycle-2017.ndjson
	run "$PY" - "$SOCK" "$ADFD_PID" <<'PY'
import json, os, signal, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b'{"id":0,"cmd":"status"}\n')
assert s.recv(65536).endswith(b"\n")  # accepted: the daemon knows this client
s.sendall(b"".join(b'{"id":%d,"cmd":"atelier.list"}\n' % i for i in range(1, 201)))
os.kill(int(sys.argv[2]), signal.SIGTERM)
data = b""
s.settimeout(10)
while chunk := s.recv(65536):
    data += chunk
answers = [json.loads(line) for line in data.splitlines()]
print(len(answers), all(a["ok"] for a in answers), [a["id"] for a in answers] == list(range(1, 201)))
PY
	[ "$output" = "200 True True" ] || { echo "$output"; cat "$LOG"; false; }
	wait "$ADFD_PID"
	ADFD_PID=
	check_log_clean
}

@test "SIGHUP reloads the config; a bad new one keeps the old" {
	sed -i 's/"nogroup"/"no-such-group"/' "$CONF"
	kill -HUP "$ADFD_PID"
	wait_until 10 grep -q "reload: settings read" "$LOG"
	grep -q "reload: settings read" "$LOG"
	if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
		run setpriv --reuid=65534 --regid=65534 --clear-groups "$TMP/adfctl" -s "$SOCK" status
		[ "$status" -eq 1 ]
		[[ "$output" == *"forbidden"* ]]
	fi
	echo 'limits = { max_line = ; };' >"$CONF"
	kill -HUP "$ADFD_PID"
	wait_until 10 grep -q "keeping the current settings" "$LOG"
	grep -q "adfd.conf:1: syntax error.*keeping the current settings" "$LOG"
	run ctl status
	[ "$status" -eq 0 ]
}

@test "a database newer than this adfd is refused, untouched" {
	stop_adfd
	"$PY" -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("PRAGMA user_version = 999"); c.commit()' "$TMP/adf.db"
	run "$ADFD" -c "$CONF"
	[ "$status" -eq 1 ]
	[[ "$output" == *"schema version 999, newer than this adfd"* ]]
	[ "$("$PY" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA user_version").fetchone()[0])' "$TMP/adf.db")" = 999 ]
}

@test "check-config validates and exits without touching the state" {
	run "$ADFD" -n -c "$CONF"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$CONF: ok"* ]]
}

@test "on embedded defaults adfd runs in ./state, for the quick start" {
	stop_adfd
	cd "$TMP"
	"$ADFD" >"$LOG" 2>&1 &
	ADFD_PID=$!
	SOCK=$TMP/state/adfd.sock
	wait_for_answer
	[ -S state/adfd.sock ]
	[ -f state/adfd.db ]
	[ "$(stat -c %a state/adfd.sock)" = 660 ]
	run "$ADFCTL" status
	[ "$status" -eq 0 ]
}

@test "the shipped example config is valid" {
	run "$ADFD" -n -c "$TESTS_SRCDIR/../conf/adfd.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"adfd.conf: ok"* ]]
}

@test "./dev demo twice on the same folder gives the same demo, and Ctrl-C stops adfd each time" {
	stop_adfd
	port=$(free_port)
	for round in 1 2; do
		# a process group with the default SIGINT, as a terminal's Ctrl-C finds it
		ADF_DEMO_STATE="$TMP/demo" ADF_DEMO_HTTP_PORT=$port ADFD="$ADFD" ADFCTL="$ADFCTL" \
			"$PY" -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.setsid()
os.execvp("sh", ["sh", sys.argv[1], "demo"])' "$TESTS_SRCDIR/../dev" >"$TMP/demo$round.log" 2>&1 &
		demo_pid=$!
		wait_until 60 grep -q "public site:" "$TMP/demo$round.log"
		"$ADFCTL" -s "$TMP/demo/adfd.sock" --json status >"$TMP/status$round"
		for what in "practice list" "atelier list" "person list"; do
			"$ADFCTL" -s "$TMP/demo/adfd.sock" --json $what | pyjson 'len(d)'
		done >"$TMP/counts$round"
		# the next Atelier got its own reminders and its four people
		next=$("$ADFCTL" -s "$TMP/demo/adfd.sock" --json atelier list | pyjson 'd[-1]["id"]')
		"$ADFCTL" -s "$TMP/demo/adfd.sock" --json atelier list | pyjson 'd[-1]["city"]' | grep -qx Bordeaux
		[ "$("$ADFCTL" -s "$TMP/demo/adfd.sock" --json reminder list "$next" | pyjson '[r["name"] for r in d if r["source"] == "own"]')" = "['j-15min', 'j-10min']" ]
		[ "$("$ADFCTL" -s "$TMP/demo/adfd.sock" --json registration list "$next" | pyjson 'len(d)')" = 4 ]
		kill -INT -- -"$demo_pid"
		wait "$demo_pid" || true
		run "$ADFCTL" -s "$TMP/demo/adfd.sock" status
		[ "$status" -eq 3 ]
		[ "$(pgrep -f "$TMP/demo/demo.conf" | wc -l)" -eq 0 ]
	done
	# seven practices, the eight seeds and the next Atelier; the same twice
	[ "$(sed -n 1,2p "$TMP/counts1" | tr '\n' ' ')" = "7 9 " ]
	cmp "$TMP/counts1" "$TMP/counts2"
}

@test "a crash leaves a line in the log" {
	kill -SEGV "$ADFD_PID"
	rc=0
	wait "$ADFD_PID" || rc=$?
	ADFD_PID=
	# killed by the signal; a sanitizer build reports it and exits 1
	[ "$rc" -ne 0 ]
	# adfd's own line, or the sanitizer's report where it catches the signal
	grep -q "adfd: crashed on SIGSEGV" "$LOG" || grep -q "AddressSanitizer: SEGV\|AddressSanitizer:DEADLYSIGNAL" "$LOG"
}
