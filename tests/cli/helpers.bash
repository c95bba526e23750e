# Shared by the bats suites: a real adfd in a temp folder, driven by the
# real adfctl. Waits poll for a state with a bounded timeout; no bare sleeps.

PY=/usr/bin/python3

# start_adfd [extra settings...]: writes a config in a fresh folder, starts
# adfd on it and waits until it answers.
start_adfd() {
	TMP=$(mktemp -d /tmp/adf-test.XXXXXX)
	chmod 755 "$TMP"
	SOCK=$TMP/adfd.sock
	CONF=$TMP/adfd.conf
	LOG=$TMP/adfd.log
	# adfctl is copied where another uid can run it, whatever the build dir.
	cp "$ADFCTL" "$TMP/adfctl"
	chmod 755 "$TMP/adfctl"
	write_config "$@"
	"$ADFD" -c "$CONF" >>"$LOG" 2>&1 &
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
	"$ADFD" -c "$CONF" >>"$LOG" 2>&1 &
	ADFD_PID=$!
	wait_for_answer
}

# Polls until adfd answers status, for at most 10 s.
wait_for_answer() {
	for _ in $(seq 200); do
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
