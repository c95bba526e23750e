#!/usr/bin/env bats
# The Atelier's day: the door (check-in by a badge's code, an e-mail or a
# name, the scan loop), the printed documents, the live view.

load helpers

setup() {
	start_adfd
	# today's Atelier, begun: check-in is open
	ctl atelier add --departement 05 --date "$(paris_day)" --time 00:01 --end 23:59 \
		--title "Les solidarités territoriales" --venue "Hôtel du Département" --city Gap \
		--capacity 3 --force >/dev/null
	# one in a month: its badges open no door today
	ctl atelier add --departement 33 --date "$(workday 30)" --time 09:00 --end 12:30 \
		--title "La Gironde solidaire" --venue "Hôtel du Département" --city Bordeaux \
		--capacity 50 >/dev/null
}
teardown() { teardown_adfd; }

# reg ATELIER CIVILITY NAME EMAIL ORGANISATION CATEGORY (an empty organisation: none)
reg() { ctl register "$1" --civility "$2" --name "$3" --email "$4" ${5:+--org "$5"} --category "$6" --json; }
code_of() { ctl registration show "$1" --json | pyjson 'd["checkin_code"]'; }

@test "the door: a badge's code, an e-mail, a name; twice; unknown, ambiguous, waiting list, another Atelier" {
	reg 1 Mme "Marie Dupont" marie@example.fr "CD 05" elu >/dev/null
	reg 1 M. "Éric Gorde" eric@example.fr "CD 05" agent >/dev/null
	reg 1 M. "Jean Dupont" jean@example.fr "Mairie de Gap" public >/dev/null
	reg 1 Mme "Léa Martin" lea@example.fr "" partenaire >/dev/null    # waiting list
	reg 2 Mme "Anne Roux" anne@example.fr "CD 33" elu >/dev/null
	marie=$(code_of 1)
	[[ "$marie" =~ ^[0-9]{12}$ ]]
	[ "$(code_of 2)" != "$marie" ]
	# the code is no cancel token
	[ "$marie" != "$(ctl registration show 1 --json | pyjson 'd["token"]')" ]

	run ctl checkin 1 "$marie"
	[ "$status" -eq 0 ]
	[ "$output" = "✓ Mme Marie Dupont — elected, CD 05" ]
	[ "$(ctl registration show 1 --json | pyjson 'd["status"]')" = attended ]
	run ctl checkin 1 "$marie"
	[ "$status" -eq 0 ]
	hour=$(TZ=Europe/Paris date +%H:)
	[[ "$output" == "= Mme Marie Dupont — already checked in at $hour"* ]]
	# a person types an e-mail, or words of a name without accents
	run ctl checkin 1 ERIC@example.fr --json
	[ "$(echo "$output" | pyjson 'd["outcome"], d["registration"]["id"]')" = "('checked_in', 2)" ]
	run ctl checkin 1 "gorde"
	[[ "$output" == "= M. Éric Gorde"* ]]
	run ctl checkin 1 dupont
	[ "$status" -eq 1 ]
	[[ "$output" == "? several people: "*"Jean Dupont (Mairie de Gap)"*"Marie Dupont (CD 05)"*": type more of the name"* ]]
	run ctl checkin 1 "jean dup"
	[ "$output" = "✓ M. Jean Dupont — public, Mairie de Gap" ]
	# the digit row of an AZERTY keyboard, as a QWERTY scanner types 1 to 0,
	# and a code with spaces: each read as the digits it means
	run ctl checkin 1 '&é"'"'"'(-è_çà&é' --json
	[ "$(echo "$output" | pyjson 'd["outcome"], d["code"]')" = "('unknown', '123456789012')" ]
	run ctl checkin 1 "0987 6543 2112" --json
	[ "$(echo "$output" | pyjson 'd["outcome"], d["code"]')" = "('unknown', '098765432112')" ]
	run ctl checkin 1 "Personne Inconnue"
	[ "$status" -eq 1 ]
	[ "$output" = "✗ unknown: Personne Inconnue"$'\a' ]
	run ctl checkin 1 lea@example.fr --json
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | pyjson 'd["outcome"], d["registration"]["position"]')" = "('waitlisted', 1)" ]
	[ "$(ctl registration show 4 --json | pyjson 'd["status"]')" = waitlisted ]
	run ctl checkin 1 lea@example.fr --force
	[ "$output" = "✓ Mme Léa Martin — partner" ]
	# Anne's badge is for Bordeaux
	run ctl checkin 1 "$(code_of 5)" --json
	[ "$(echo "$output" | pyjson 'd["outcome"], d["atelier"]')" = "('other_atelier', 2)" ]
	[ "$(ctl registration show 5 --json | pyjson 'd["status"]')" = confirmed ]
	# and Bordeaux's door is not open yet
	run ctl checkin 2 anne@example.fr
	[ "$status" -eq 1 ]
	[[ "$output" == *"check-in opens on"* ]]
	# in French, agreeing with the civility, the hour as the French write it
	run env LC_ALL=fr_FR.UTF-8 "$ADFCTL" -s "$SOCK" checkin 1 "$marie"
	[[ "$output" =~ ^"= Mme Marie Dupont — déjà enregistrée à "[0-9]{1,2}" h "[0-9]{2}$'\a'$ ]]
	run env LC_ALL=fr_FR.UTF-8 "$ADFCTL" -s "$SOCK" checkin 1 eric@example.fr
	[[ "$output" == "= M. Éric Gorde — déjà enregistré à "* ]]
	run ctl checkin 1
	[ "$status" -eq 1 ]
	[[ "$output" == *'missing argument "code"'* ]]
}

@test "the scan loop: a line each, at once; AZERTY digits; walk-ins; ! lets the last one in; bells" {
	reg 1 Mme "Marie Dupont" marie@example.fr "CD 05" elu >/dev/null
	reg 1 M. "Éric Gorde" eric@example.fr "CD 05" agent >/dev/null
	reg 1 "M." "Paul Durand" paul@example.fr "" public >/dev/null
	reg 1 Mme "Léa Martin" lea@example.fr "" partenaire >/dev/null    # waiting list
	marie=$(code_of 1)
	# a QWERTY scanner on an AZERTY keyboard types the digit row unshifted
	eric=$(code_of 2 | sed 'y/1234567890/\&é"'"'"'(-è_çà/')
	[[ "$eric" != *[0-9]* ]]
	printf '%s\n' "$marie" "$eric" "" "$marie" "nobody" "lea@example.fr" "!" \
		"+ Mme Zoé Arnaud; zoe@example.fr; Région Sud; élue" "!" \
		"+ Sans Courriel; ; ; public" "paul@example.fr" >"$BATS_TEST_TMPDIR/codes"
	run ctl checkin 1 --scan <"$BATS_TEST_TMPDIR/codes"
	[ "$status" -eq 0 ]
	echo "$output" >"$BATS_TEST_TMPDIR/out"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/out")" -eq 10 ]
	[ "${lines[0]}" = "✓ Mme Marie Dupont — elected, CD 05" ]
	[ "${lines[1]}" = "✓ M. Éric Gorde — staff, CD 05" ]
	[[ "${lines[2]}" == "= Mme Marie Dupont — already checked in at "*$'\a' ]]
	[ "${lines[3]}" = "✗ unknown: nobody"$'\a' ]
	[[ "${lines[4]}" == "! Mme Léa Martin — on the waiting list (position 1)"*$'\a' ]]
	[ "${lines[5]}" = "✓ Mme Léa Martin — partner" ]
	# the room is full (3 seats, Léa came in beyond): ! lets the walk-in in too
	[ "${lines[6]}" = "✗ Atelier 1 is full (3 seats): use force to admit a walk-in"$'\a' ]
	[ "${lines[7]}" = "✓ Mme Zoé Arnaud — elected, Région Sud" ]
	[[ "${lines[8]}" == "✗ a walk-in reads: + name; e-mail; organisation; category"$'\a' ]]
	[ "${lines[9]}" = "✓ M. Paul Durand — public" ]
	# bells only where a person must look
	[ "$(hits -c $'\a' "$BATS_TEST_TMPDIR/out")" -eq 5 ]
	run ctl registration list 1 --status attended --json
	[ "$(echo "$output" | pyjson 'sorted(r["name"] for r in d)')" = "['Léa Martin', 'Marie Dupont', 'Paul Durand', 'Zoé Arnaud', 'Éric Gorde']" ]
	[ "$(ctl registration show 5 --json | pyjson 'd["civility"], d["organisation"], d["category"], d["source"]')" = "('Mme', 'Région Sud', 'elu', 'adfctl')" ]
}

@test "the scan loop outlives adfd's idle timeout, and stops with exit 3 when adfd is gone" {
	stop_adfd
	start_adfd 'limits = { idle_timeout = 1; };'
	reg 1 Mme "Marie Dupont" marie@example.fr "CD 05" elu >/dev/null
	reg 1 M. "Éric Gorde" eric@example.fr "CD 05" agent >/dev/null
	reg 1 M. "Paul Durand" paul@example.fr "" public >/dev/null
	{ echo marie@example.fr; sleep 2.5; echo eric@example.fr; } |
		ctl checkin 1 --scan >"$BATS_TEST_TMPDIR/out"
	[ "$(hits -c '^✓' "$BATS_TEST_TMPDIR/out")" -eq 2 ]
	rc=0
	{ sleep 0.2; kill -TERM "$ADFD_PID"; sleep 1; echo paul@example.fr; } |
		ctl checkin 1 --scan >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" || rc=$?
	[ "$rc" -eq 3 ]
	grep -q "cannot reach adfd" "$BATS_TEST_TMPDIR/err"
	wait "$ADFD_PID"
	ADFD_PID=
}
