#!/usr/bin/env bats
# adfctl and adfd speaking: status, reference data, help, exit codes.

load helpers

setup() { start_adfd; }
teardown() { teardown_adfd; }

@test "status answers with the version, the schema and the caller's admin role" {
	run ctl status
	[ "$status" -eq 0 ]
	[[ "$output" == *"your_role   admin"* ]]
	run ctl status --json
	[ "$(echo "$output" | pyjson 'd["schema"]')" = "$(ls "$TESTS_SRCDIR"/../schema/*.sql | wc -l)" ]
	[ "$(echo "$output" | pyjson 'd["your_uid"]')" = "$(id -u)" ]
}

@test "the 101 Départements are shipped, Corsica and overseas included, in INSEE order" {
	run ctl departement list --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | pyjson 'len(d)')" = 101 ]
	codes=$(echo "$output" | pyjson '" ".join(x["code"] for x in d)')
	[[ "$codes" == *" 19 2A 2B 21 "* ]]
	[[ "$codes" == *" 95 971 972 973 974 976" ]]
	run ctl departement list --region Corse
	[[ "$output" == *"Corse-du-Sud"* && "$output" == *"Haute-Corse"* ]]
	[ "${#lines[@]}" -eq 3 ]
}

@test "departement show: a known code, an unknown one, a malformed one" {
	run ctl departement show 05
	[ "$status" -eq 0 ]
	[[ "$output" == *"Hautes-Alpes"* ]]
	run ctl departement show 975
	[ "$status" -eq 1 ]
	[[ "$output" == *"not_found: unknown Département 975"* ]]
	run ctl departement show 99
	[ "$status" -eq 2 ]
	[[ "$output" == *"not a Département code"* ]]
}

@test "help comes from the command table" {
	run ctl help
	[ "$status" -eq 0 ]
	for c in "status" "departement list" "cycle add" "tour plan" "atelier add" "atelier cancel" "audit list" "batch"; do
		[[ "$output" == *"$c"* ]]
	done
	run ctl atelier add --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--departement"* && "$output" == *"--capacity"* && "$output" == *"role: admin"* ]]
	run ctl atelier
	[ "$status" -eq 2 ]
	[[ "$output" == *"atelier show"* ]]
}

@test "usage errors exit 2 without reaching the daemon" {
	run ctl frobnicate
	[ "$status" -eq 2 ]
	run ctl atelier show
	[ "$status" -eq 2 ]
	[[ "$output" == *"missing id"* ]]
	run ctl atelier show one
	[ "$status" -eq 2 ]
	run ctl atelier list --colour red
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option --colour"* ]]
	run ctl atelier add --date 2017-09-31 --time 08:30
	[ "$status" -eq 2 ]
	[[ "$output" == *"not a valid date"* ]]
}

@test "no daemon answering exits 3" {
	run "$ADFCTL" -s "$TMP/nothing.sock" status
	[ "$status" -eq 3 ]
	[[ "$output" == *"cannot reach adfd"* ]]
}

@test "pipelined requests are answered in order" {
	req=''
	for i in $(seq 1 50); do req="$req{\"id\":$i,\"cmd\":\"departement.show\",\"args\":{\"code\":\"05\"}}\n"; done
	run raw_request "$req"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 50 ]
	for i in $(seq 1 50); do
		[[ "${lines[$((i - 1))]}" == "{\"id\":$i,\"v\":1,\"ok\":true,"* ]]
	done
}

@test "batch loads the first cycle from the seeds" {
	run ctl batch <"$TESTS_SRCDIR/fixtures/cycle-2017.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 9 ]
	run ctl atelier list --cycle 1 --json
	[ "$(echo "$output" | pyjson 'len(d)')" = 8 ]
}

@test "every command of the table is documented in adfctl(1)" {
	man="$TESTS_SRCDIR/../man/adfctl.1"
	ctl help | awk '/^  [a-z]/ {sub(/^  /, ""); split($0, part, /  +/); print part[1]}' >"$TMP/commands"
	[ "$(wc -l <"$TMP/commands")" -gt 20 ]
	while read -r words; do
		words=${words%% \[*}
		grep -q "^\.B ${words}\b" "$man" || {
			echo "\"$words\" is missing from adfctl.1"
			return 1
		}
	done <"$TMP/commands"
}

@test "every setting adfd reads is documented in adfd.conf(5)" {
	man="$TESTS_SRCDIR/../man/adfd.conf.5"
	grep -oE '(STR|INT|SIZE|CHOICE)\("[a-z_.]+"|\{"[a-z_.]+", S_' "$TESTS_SRCDIR/../daemon/core/settings.c" |
		sed 's/.*"\([a-z_.]*\)".*/\1/' >"$TMP/settings"
	[ "$(wc -l <"$TMP/settings")" -gt 30 ]
	grep -qx "http.registrations_per_hour" "$TMP/settings"
	while read -r name; do
		grep -qF "$name" "$man" || {
			echo "\"$name\" is missing from adfd.conf.5"
			return 1
		}
	done <"$TMP/settings"
}

@test "the protocol's version is on every request and answer: a mismatch is a clear error, never a misread" {
	run raw_request '{"id":1,"v":1,"cmd":"status"}\n{"id":2,"v":99,"cmd":"status"}\n{"id":3,"cmd":"status"}\n'
	"$PY" - "$output" <<'PY'
import json, sys
a = [json.loads(l) for l in sys.argv[1].splitlines()]
assert all(x["v"] == 1 for x in a), a
assert a[0]["ok"] and a[2]["ok"], a
assert not a[1]["ok"] and "protocol version 99: this adfd speaks version 1" in a[1]["error"]["message"], a[1]
PY
	# an adfd that speaks another version (a stand-in on a socket of its own)
	"$PY" - "$TMP/old.sock" <<'PY' &
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1]); s.listen(1)
for _ in range(2):  # adfctl status, then adfctl batch
    c, _ = s.accept()
    c.makefile().readline()
    c.sendall(json.dumps({"id": 1, "v": 2, "ok": True, "data": {"strange": 1}}).encode() + b"\n")
    c.close()
PY
	stub=$!
	wait_until 10 test -S "$TMP/old.sock"
	run "$ADFCTL" -s "$TMP/old.sock" status
	[ "$status" -eq 4 ]
	[[ "$output" == *"adfd answers in protocol version 2, adfctl speaks 1"* ]]
	# batch reads answers with the same reader: told, never passed on
	run "$ADFCTL" -s "$TMP/old.sock" batch <<<'{"id":1,"v":1,"cmd":"status"}'
	wait "$stub"
	[ "$status" -eq 4 ]
	[[ "$output" == *"adfd answers in protocol version 2, adfctl speaks 1"* ]]
	[ "$(hits strange <<<"$output")" -eq 0 ]
}
