#!/usr/bin/env bats
# The public site in a real browser (Debian's Chromium, playwright-core):
# register from a phone, get the mail, cancel from its link, and the
# waiting list moves up. Screenshots are kept in $ARTIFACTS.
# Needs: chromium, node and `npm ci` in tests/browser (./dev test does it).

load ../cli/helpers

setup() {
	TMP=$(mktemp -d /tmp/adf-test.XXXXXX)
	chmod 755 "$TMP"
	ARTIFACTS=${ARTIFACTS:-$TMP/artifacts}
	mkdir -p "$ARTIFACTS"
}
teardown() {
	stop_sink
	teardown_adfd
}

browser() { # PHASE TARGET
	node "$TESTS_SRCDIR/browser/site.mjs" "$1" "$2" "$ARTIFACTS"
}

@test "a participant registers on a phone, cancels from the mail's link, and the first on the waiting list gets the seat" {
	HTTP_PORT=$(free_port)
	BASE="http://127.0.0.1:$HTTP_PORT"
	start_sink
	start_adfd "http = { port = $HTTP_PORT; base_url = \"$BASE\"; };" \
		"mail = { transport = \"smtp\"; smtp_url = \"smtp://127.0.0.1:$SINK_PORT\"; retry_base = 1; };"
	# the Gap Atelier of the seeds, on a coming date, with one seat
	ctl atelier add --departement 05 --date "$(workday 100)" --time 08:30 --end 12:30 --capacity 1 \
		--title "Les Hautes-Alpes agissent utile et solidaire" --venue "Hôtel du Département" \
		--city Gap >/dev/null
	load_fixture gap-programme.ndjson
	ctl atelier add --departement 69 --date "$(workday 135)" --time 09:00 --capacity 100 \
		--title "Le Rhône, territoire d'innovation" --venue "Hôtel du Département" --city Lyon >/dev/null

	run browser register "$BASE"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(ctl registration list 1 --json | pyjson '[(r["name"], r["status"]) for r in d]')" = \
		"[('Hélène Roux', 'confirmed')]" ]
	# someone registered by an organiser waits for the seat
	ctl register 1 --name "Paul Petit" --email paul.petit@example.fr --category public >/dev/null
	wait_until 30 sink_has 2
	link=$(mails | pyjson "[m for m in d if m['to'] == 'helene.roux@example.fr'][0]['list_unsubscribe']" | tr -d '<>')
	[[ "$link" == "$BASE/annulation/"* ]]

	run browser cancel "$link"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(ctl registration list 1 --json | pyjson '[(r["name"], r["status"]) for r in d]')" = \
		"[('Hélène Roux', 'cancelled'), ('Paul Petit', 'confirmed')]" ]
	wait_until 30 sh -c "'$PY' '$TESTS_SRCDIR/cli/mailcheck.py' '$SINK' | grep -q 'place s.est lib'"
	[ "$(mails | pyjson "[m['to'] for m in d if m['subject'].startswith('Une place')]")" = \
		"['paul.petit@example.fr']" ]
	for shot in tour programme refused confirmation cancel cancelled; do
		[ -s "$ARTIFACTS/$shot.png" ]
	done
}

@test "after the Atelier: the survey on a phone, by keyboard alone; the Atelier's page gives its replay and slides" {
	HTTP_PORT=$(free_port)
	BASE="http://127.0.0.1:$HTTP_PORT"
	start_adfd "http = { port = $HTTP_PORT; base_url = \"$BASE\"; };"
	ctl atelier add --departement 05 --date "$(paris_day)" --time 00:01 --end 23:59 --capacity 10 \
		--title "Les Hautes-Alpes agissent utile et solidaire" --venue "Hôtel du Département" \
		--city Gap --force >/dev/null
	id=$(ctl register 1 --civility Mme --first Hélène --last Roux --email helene.roux@example.fr \
		--category agent --checkin --json | pyjson 'd["id"]')
	token=$(ctl registration show "$id" --json | pyjson 'd["token"]')
	ctl atelier links 1 --replay-url https://video.example.fr/gap \
		--slides-url https://ateliers.example.fr/supports/gap.pdf >/dev/null
	ctl atelier held 1 >/dev/null
	run browser survey "$BASE/avis/$token"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(ctl atelier stats 1 --json | pyjson 'd["survey"]["answers"]')" = 1 ]
	run browser past "$BASE/ateliers/1"
	echo "$output"
	[ "$status" -eq 0 ]
	for shot in survey surveyed past; do
		[ -s "$ARTIFACTS/$shot.png" ]
	done
}
