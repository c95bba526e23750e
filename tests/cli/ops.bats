#!/usr/bin/env bats
# Operations: the installed systemd units, socket activation, sd_notify,
# journal priorities, online backup and restore, reload.

load helpers

setup() { TMP=$(mktemp -d /tmp/adf-test.XXXXXX); chmod 755 "$TMP"; }
teardown() { teardown_adfd; }

install_tree() {
	make -C "$BUILDDIR" -s install DESTDIR="$TMP/root" >"$TMP/install.log" 2>&1
	UNITS=$(find "$TMP/root" -name adfd.service -printf '%h\n')
	PREFIX=$(sed -n 's|^ExecStart=\(.*\)/sbin/adfd.*|\1|p' "$UNITS/adfd.service")
}

@test "make install puts units, config, templates, man pages and completion in place" {
	install_tree
	for f in sbin/adfd bin/adfctl libexec/adf/adf-print etc/adf/adfd.conf share/man/man8/adfd.8 share/man/man1/adfctl.1 \
		share/man/man5/adfd.conf.5 share/adf/templates/rappel-j7.txt; do
		[ -e "$TMP/root$PREFIX/$f" ] || { echo "missing $f"; return 1; }
	done
	[ -e "$UNITS/adfd.socket" ]
	find "$TMP/root" -path '*sysusers.d/adf.conf' | grep -q .
	find "$TMP/root" -path '*completions/adfctl' | grep -q .
	find "$TMP/root" -path '*tmpfiles.d/adf.conf' | grep -q .
	"$TMP/root$PREFIX/sbin/adfd" -n -c "$TMP/root$PREFIX/etc/adf/adfd.conf"
}

@test "systemd-analyze verify says nothing about the units; the exposure score is 1.2 at most" {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze is missing"
	install_tree
	mkdir "$TMP/units"
	# the units' paths point into the DESTDIR tree, so that verify finds them
	for f in adfd.service adfd.socket; do
		sed "s|$PREFIX/|$TMP/root$PREFIX/|g" "$UNITS/$f" >"$TMP/units/$f"
	done
	run env MANPATH="$TMP/root$PREFIX/share/man" systemd-analyze verify "$TMP/units/adfd.service" "$TMP/units/adfd.socket"
	[ "$status" -eq 0 ]
	# verify exits 0 even when it drops a misspelt directive: any output fails
	[ -z "$output" ]
	run systemd-analyze security --offline=true --root="$TMP/root" --threshold=15 adfd.service
	[ "$status" -eq 0 ]
	[[ "$output" == *"Overall exposure level for adfd.service: 1."* ]]
	score=$(echo "$output" | sed -n 's/.*Overall exposure level for adfd.service: \([0-9.]*\).*/\1/p')
	"$PY" -c "import sys; sys.exit(0 if float('$score') <= 1.2 else 1)"
	# bounds a runaway adfd cannot pass
	for bound in LimitNOFILE=4096 TasksMax=32 MemoryMax=512M; do
		grep -qx "$bound" "$TMP/units/adfd.service"
	done
	# a single directive barely moves the score: each key one is checked
	systemd-analyze security --offline=true --root="$TMP/root" --json=short adfd.service >"$TMP/sec.json"
	"$PY" - "$TMP/sec.json" <<'PY'
import json, sys
got = {x["name"]: x["set"] for x in json.load(open(sys.argv[1]))}
need = ["NoNewPrivileges=", "ProtectSystem=", "ProtectHome=", "PrivateTmp=", "PrivateDevices=",
        "ProtectKernelTunables=", "ProtectKernelModules=", "ProtectKernelLogs=",
        "ProtectControlGroups=", "ProtectProc=", "RestrictNamespaces=~user", "RestrictSUIDSGID=",
        "LockPersonality=", "MemoryDenyWriteExecute=", "SystemCallArchitectures=",
        "SystemCallFilter=~@privileged", "CapabilityBoundingSet=~CAP_SYS_ADMIN",
        "User=/DynamicUser=", "PrivateMounts=", "ProtectClock=", "RestrictRealtime="]
missing = [n for n in need if not got.get(n)]
assert not missing, missing
# not PrivateUsers= (peers would all be uid 65534), not PrivateNetwork= (SMTP)
assert got["PrivateUsers="] is False and got["PrivateNetwork="] is False
PY
	grep -q "^Type=notify" "$UNITS/adfd.service"
	grep -q "^WatchdogSec=" "$UNITS/adfd.service"
	grep -q "^ExecReload=/bin/kill -HUP \$MAINPID" "$UNITS/adfd.service"
	grep -q "^ListenStream=/run/adf/adfd.sock" "$UNITS/adfd.socket"
}

@test "socket activation: adfctl talks to adfd through the socket systemd made" {
	command -v systemd-socket-activate >/dev/null || skip "systemd-socket-activate is missing"
	SOCK=$TMP/activated.sock
	CONF=$TMP/adfd.conf
	LOG=$TMP/adfd.log
	printf 'state_directory = "%s";\nsocket = "%s/unused.sock";\n' "$TMP" "$TMP" >"$CONF"
	systemd-socket-activate -l "$SOCK" "$ADFD" -c "$CONF" >>"$LOG" 2>&1 &
	ADFD_PID=$!
	wait_until 10 test -S "$SOCK"
	run ctl status
	[ "$status" -eq 0 ]
	[ ! -e "$TMP/unused.sock" ]
}

@test "sd_notify: READY, STATUS, watchdog pings, RELOADING on SIGHUP, STOPPING on SIGTERM" {
	"$PY" - "$TMP/notify.sock" "$TMP/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(30)
with open(sys.argv[2], "a") as log:
    try:
        while True:
            log.write(s.recv(4096).decode() + "\n---\n")
            log.flush()
    except socket.timeout:
        pass
PY
	listener=$!
	wait_until 10 test -S "$TMP/notify.sock"
	export NOTIFY_SOCKET=$TMP/notify.sock WATCHDOG_USEC=400000
	start_adfd
	unset NOTIFY_SOCKET WATCHDOG_USEC
	wait_until 10 grep -q "READY=1" "$TMP/notify.log"
	wait_until 10 grep -q "STATUS=0 Ateliers scheduled, 0 mails queued, 0 failed" "$TMP/notify.log"
	pings_at_least() { [ "$(grep -c WATCHDOG=1 "$TMP/notify.log")" -ge "$1" ]; }
	wait_until 10 pings_at_least 3
	kill -HUP "$ADFD_PID"
	wait_until 10 grep -q "RELOADING=1" "$TMP/notify.log"
	stop_adfd
	wait_until 10 grep -q "STOPPING=1" "$TMP/notify.log"
	kill "$listener" 2>/dev/null || true
}

@test "under the journal, log lines carry syslog priorities" {
	CONF=$TMP/adfd.conf
	LOG=$TMP/adfd.log
	SOCK=$TMP/adfd.sock
	printf 'state_directory = "%s";\nsocket = "%s";\n' "$TMP" "$SOCK" >"$CONF"
	: >"$LOG"
	JOURNAL_STREAM=$(stat -c '%d:%i' "$LOG") "$ADFD" -c "$CONF" >>"$LOG" 2>&1 &
	ADFD_PID=$!
	wait_until 10 test -S "$SOCK"
	ctl atelier show 99 >/dev/null 2>&1 || true
	grep -q "^<6>adfd .* ready" "$LOG" || grep -q "^<6>" "$LOG"
	[ "$(hits "^adfd: info" "$LOG")" -eq 0 ]
}

@test "a backup taken under a write load restores to a sound database with every acknowledged registration" {
	start_adfd
	ctl atelier add --departement 33 --date "$(workday 100)" --time 09:00 --title T --venue V \
		--city Bordeaux --capacity 5000 >/dev/null
	for i in $(seq 1 100); do ctl register 1 --name "Avant $i" --email "avant$i@example.fr" --category public >/dev/null; done
	# writers keep going while the backup is taken
	(for i in $(seq 1 300); do "$ADFCTL" -s "$SOCK" register 1 --name "Pendant $i" --email "pendant$i@example.fr" --category public >/dev/null 2>&1; done) &
	writer=$!
	run ctl backup copie.db --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | pyjson 'd["file"]')" = "$TMP/backups/copie.db" ]
	wait "$writer"
	run ctl backup copie.db
	[ "$status" -eq 1 ]
	[[ "$output" == *"exists already"* ]]
	# never a path, never through a link, never for the world to read
	for name in "$TMP/ailleurs.db" ../../tmp/evil.db .cache; do
		run ctl backup "$name"
		[ "$status" -eq 1 ]
		[[ "$output" == *"is not a plain file name"* ]]
	done
	[ ! -e "$TMP/ailleurs.db" ]
	ln -s "$TMP/cible.db" "$TMP/backups/lien.db"
	run ctl backup lien.db
	[ "$status" -eq 1 ]
	[ ! -e "$TMP/cible.db" ]
	[ "$(stat -c %a "$TMP/backups/copie.db")" = 640 ]
	mv "$TMP/backups/copie.db" "$TMP/copie.db"
	"$PY" - "$TMP/copie.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
emails = {r[0] for r in c.execute("SELECT email FROM registration")}
assert all("avant%d@example.fr" % i in emails for i in range(1, 101))
PY
	total=$(ctl registration list 1 --limit 1000 --json | pyjson 'len(d)')
	[ "$total" -eq 400 ]
	# restore: refused while adfd runs, then done, then served
	run "$ADFD" -c "$CONF" --restore "$TMP/copie.db"
	[ "$status" -eq 1 ]
	[[ "$output" == *"stop it before restoring"* ]]
	# nor through another socket on the same database
	sed "s|^socket = .*|socket = \"$TMP/other.sock\";|" "$CONF" >"$TMP/other.conf"
	run "$ADFD" -c "$TMP/other.conf" --restore "$TMP/copie.db"
	[ "$status" -eq 1 ]
	[[ "$output" == *"another adfd is running on the database"* ]]
	[ "$(ctl registration list 1 --limit 1000 --json | pyjson 'len(d)')" -eq 400 ]
	stop_adfd
	run "$ADFD" -c "$CONF" --restore "$TMP/copie.db"
	[ "$status" -eq 0 ]
	echo "not a database" >"$TMP/junk.db"
	run "$ADFD" -c "$CONF" --restore "$TMP/junk.db"
	[ "$status" -eq 1 ]
	restart_adfd
	restored=$(ctl registration list 1 --limit 1000 --json | pyjson 'len(d)')
	[ "$restored" -ge 100 ]
	[ "$restored" -le 400 ]
}

@test "adfctl reload reads the config again; a bad one is refused and the old one kept" {
	start_adfd
	run ctl reload
	[ "$status" -eq 0 ]
	echo "limits = { max_line = ; };" >>"$CONF"
	run ctl reload
	[ "$status" -eq 1 ]
	[[ "$output" == *"syntax error"* ]]
	run ctl status
	[ "$status" -eq 0 ]
	run ctl version
	[[ "$output" == "adfctl "* ]]
}
