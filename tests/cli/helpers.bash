# Shared by the bats suites: a real adfd in a temp folder, driven by the
# real adfctl. Waits poll for a state with a bounded timeout; no bare sleeps.

PY=/usr/bin/python3
# adfctl speaks the locale's language: the suites read its English, the
# same on every machine (french.bats asks for French where it wants it)
export LC_ALL=C.UTF-8 LANGUAGE=

# start_adfd [extra settings...]: writes a config in a fresh folder, starts
# adfd on it and waits until it answers.
start_adfd() {
	if [ -z "${TMP:-}" ]; then
		TMP=$(mktemp -d /tmp/adf-test.XXXXXX)
		chmod 755 "$TMP"
	fi
	SOCK=$TMP/adfd.sock
	CONF=$TMP/adfd.conf
	LOG=$TMP/adfd.log
	# adfctl is copied where another uid can run it, whatever the build dir.
	cp "$ADFCTL" "$TMP/adfctl"
	chmod 755 "$TMP/adfctl"
	write_config "$@"
	$ADFD_WRAPPER "$ADFD" -c "$CONF" >>"$LOG" 2>&1 &
	ADFD_PID=$!
	wait_for_answer
}

write_config() {
	{
		echo "state_directory = \"$TMP\";"
		echo "socket = \"$SOCK\";"
		echo "database = \"$TMP/adf.db\";"
		# Wide open so that the daemon itself decides who may do what.
		echo 'socket_mode = "0666";'
		echo 'read_group = "nogroup";'
		echo 'log_level = "debug";'
		for line in "$@"; do echo "$line"; done
	} >"$CONF"
}

restart_adfd() {
	$ADFD_WRAPPER "$ADFD" -c "$CONF" >>"$LOG" 2>&1 &
	ADFD_PID=$!
	wait_for_answer
}

# ADFD_WRAPPER runs adfd under a tool, e.g. valgrind (see ./dev test).
ADFD_WRAPPER=${ADFD_WRAPPER:-}

# Polls until adfd answers status, for at most 10 s (60 s under a wrapper).
wait_for_answer() {
	for _ in $(seq "$([ -n "$ADFD_WRAPPER" ] && echo 1200 || echo 200)"); do
		if "$ADFCTL" -s "$SOCK" status >/dev/null 2>&1; then return 0; fi
		if ! kill -0 "$ADFD_PID" 2>/dev/null; then
			echo "adfd died:" >&2
			cat "$LOG" >&2
			return 1
		fi
		sleep 0.05
	done
	echo "adfd did not answer within 10 s" >&2
	cat "$LOG" >&2
	return 1
}

# Stops adfd with SIGTERM; fails unless it exits 0 with a clean log
# (no sanitizer report).
stop_adfd() {
	[ -n "${ADFD_PID:-}" ] || return 0
	kill -TERM "$ADFD_PID" 2>/dev/null || true
	local rc=0
	wait "$ADFD_PID" || rc=$?
	ADFD_PID=
	if [ "$rc" -ne 0 ]; then
		echo "adfd exited with $rc" >&2
		cat "$LOG" >&2
		return 1
	fi
	check_log_clean
}

check_log_clean() {
	if grep -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$LOG" >&2; then
		return 1
	fi
}

teardown_adfd() {
	local rc=0
	stop_adfd || rc=$?
	[ -n "${TMP:-}" ] && rm -rf "$TMP"
	return $rc
}

ctl() {
	"$ADFCTL" -s "$SOCK" "$@"
}

# raw_request BYTES...: sends the bytes (printf format) on one connection,
# closes its writing side and prints every answer line.
raw_request() {
	printf "$@" | "$PY" "$TESTS_SRCDIR/cli/rawclient.py" "$SOCK"
}

# Loads NDJSON requests through adfctl batch; fails if any is refused.
load_fixture() {
	ctl batch <"$TESTS_SRCDIR/fixtures/$1" >/dev/null
}

# pyjson EXPR: evaluates a Python expression on the JSON read from stdin (d).
pyjson() {
	"$PY" -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}

# wait_until SECONDS COMMAND...: polls the command every 0.1 s until it
# succeeds; fails after SECONDS.
wait_until() {
	local limit=$(($1 * 10))
	shift
	for _ in $(seq "$limit"); do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.1
	done
	echo "timed out waiting for: $*" >&2
	# what adfd was doing, to tell a slow machine from a lost wake-up
	[ -n "${LOG:-}" ] && [ -f "$LOG" ] && tail -n 40 "$LOG" >&2
	[ -n "${SOCK:-}" ] && [ -S "$SOCK" ] && "$ADFCTL" -s "$SOCK" mail queue --limit 10 >&2 2>&1
	return 1
}

# gone PID: the process has exited
gone() { ! kill -0 "$1" 2>/dev/null; }

# queue_settled: no mail waits to be sent (nothing pending, nothing sending)
queue_settled() {
	[ "$("$ADFCTL" -s "$SOCK" mail queue --state pending --limit 1 --json)" = "[]" ] &&
		[ "$("$ADFCTL" -s "$SOCK" mail queue --state sending --limit 1 --json)" = "[]" ]
}

# planned_since N: the mail planner finished a run since the log held N of them
planned_since() { [ "$(grep -c 'mail planning: done' "$LOG")" -gt "$1" ]; }

free_port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_sink: a real SMTP server on a free loopback port, writing to $SINK.
start_sink() {
	SINK=$TMP/sink
	SINK_PORT=${SINK_PORT:-$(free_port)}
	"$PY" "$TESTS_SRCDIR/cli/smtp_sink.py" "$SINK_PORT" "$SINK" >"$TMP/sink.log" 2>&1 &
	SINK_PID=$!
	wait_until 10 grep -q ready "$TMP/sink.log"
}

stop_sink() {
	[ -n "${SINK_PID:-}" ] || return 0
	kill "$SINK_PID" 2>/dev/null || true
	wait "$SINK_PID" 2>/dev/null || true
	SINK_PID=
}

sink_count() {
	ls "$SINK" 2>/dev/null | grep -c '\.eml$' || true
}

sink_has() {
	[ "$(sink_count)" -ge "$1" ]
}

# mails [DIR]: the received messages as JSON (see mailcheck.py).
mails() {
	"$PY" "$TESTS_SRCDIR/cli/mailcheck.py" "${1:-$SINK}"
}

# Dates are relative to today, in Paris: a fixed "future" year would fail
# the day it comes, and the near future is where the edge cases live.
# paris_day [DATE EXPRESSION]: "2026-12-02" for "tomorrow", "+100 days"...
paris_day() {
	TZ=Europe/Paris date -d "${1:-today}" +%Y-%m-%d
}

# paris_time EXPRESSION: "HH:MM" in Paris of e.g. "+1 hour"
paris_time() {
	TZ=Europe/Paris date -d "$1" +%H:%M
}

# workday DAYS: the first day at least DAYS days ahead that is no French
# public holiday (computed here, with dateutil's Easter, not by adfd).
workday() {
	"$PY" - "$1" <<'PY'
import sys, datetime, zoneinfo
from dateutil.easter import easter
d = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Paris")).date() + datetime.timedelta(int(sys.argv[1]))
def holidays(y):
    e = easter(y)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    return {datetime.date(y, m, dd) for m, dd in fixed} | {e + datetime.timedelta(n) for n in (1, 39, 50)}
while d in holidays(d.year):
    d += datetime.timedelta(1)
print(d.isoformat())
PY
}

# date_fr DATE: "mercredi 19 mars 2031", written here from Python's
# calendar, independently of adfd's formatting.
date_fr() {
	"$PY" - "$1" <<'PY'
import sys, datetime
d = datetime.date.fromisoformat(sys.argv[1])
days = "lundi mardi mercredi jeudi vendredi samedi dimanche".split()
months = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
print(f"{days[d.weekday()]} {'1er' if d.day == 1 else d.day} {months[d.month - 1]} {d.year}")
PY
}

# hits GREP-ARGS...: how many lines match, 0 when none. bats ignores a bare
# "! grep ..." line unless it is the test's last: write
# [ "$(hits -a x FILE)" -eq 0 ], which can fail (a missing file fails too).
hits() {
	local n
	n=$(grep -c "$@") || [ "$n" = 0 ] || return 1
	echo "$n"
}
