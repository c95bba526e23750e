#!/usr/bin/env bats
# Registrations: capacity, the FIFO waiting list, check-in, CSV in and out,
# statistics, personal data.

load helpers

setup() {
	start_adfd
	# a coming Atelier, and one from the seeds that took place long ago
	ctl atelier add --departement 33 --date "$(workday 100)" --time 09:00 --end 12:30 \
		--title "La Gironde solidaire" --venue "Hôtel du Département" --city Bordeaux \
		--capacity 3 >/dev/null
	ctl atelier add --departement 05 --date 2017-09-27 --time 08:30 --title "Gap" \
		--venue "Hôtel du Département" --city Gap --capacity 300 >/dev/null
}
teardown() { teardown_adfd; }

reg() { ctl register 1 --name "$1" --email "$2" --category "${3:-public}" >/dev/null; }
status_of() { ctl registration show "$1" --json | pyjson 'd["status"], d["position"]'; }

@test "capacity 3, five people: 3 confirmed, 2 waitlisted in order; cancel and growth promote" {
	for i in 1 2 3 4 5; do reg "Personne $i" "p$i@example.fr"; done
	[ "$(status_of 3)" = "('confirmed', None)" ]
	[ "$(status_of 4)" = "('waitlisted', 1)" ]
	[ "$(status_of 5)" = "('waitlisted', 2)" ]
	run ctl registration cancel 2 --reason "empêchée" --json
	[ "$status" -eq 0 ]
	# the organiser hears whom the seat went to
	[ "$(echo "$output" | pyjson '[(p["id"], p["name"]) for p in d["promoted"]]')" = "[(4, 'Personne 4')]" ]
	[ "$(status_of 4)" = "('confirmed', None)" ]
	[ "$(status_of 5)" = "('waitlisted', 1)" ]
	ctl registration show 4 --json | pyjson '[e["kind"] for e in d["events"]]' | grep -q "'waitlisted', 'promoted'"
	ctl atelier update 1 --capacity 4 >/dev/null
	[ "$(status_of 5)" = "('confirmed', None)" ]
	run ctl atelier stats 1 --json
	[ "$(echo "$output" | pyjson 'd["confirmed"], d["waitlisted"], d["cancelled"], d["fill_rate"]')" = "(4, 0, 1, 1.0)" ]
}

@test "registering twice answers conflict with the existing registration, never a second row" {
	reg "Marie Dupont" "marie@example.fr"
	run ctl register 1 --name "Marie D." --email "  MARIE@Example.FR " --category elu
	[ "$status" -eq 1 ]
	[[ "$output" == *"conflict:"*"already registered to Atelier 1 (registration 1, confirmed)"* ]]
	run ctl registration list 1 --json
	[ "$(echo "$output" | pyjson 'len(d)')" = 1 ]
	# after a cancellation the same row comes back, at the end of the queue
	ctl registration cancel 1 >/dev/null
	reg "Marie Dupont" "marie@example.fr"
	run ctl registration list 1 --json
	[ "$(echo "$output" | pyjson 'len(d), d[0]["status"]')" = "(1, 'confirmed')" ]
}

@test "20 concurrent clients race for the last seat: exactly one gets it" {
	reg "Un" "un@example.fr"
	reg "Deux" "deux@example.fr"
	pids=()
	for i in $(seq 1 20); do
		"$ADFCTL" -s "$SOCK" --json register 1 --name "Course $i" --email "course$i@example.fr" \
			--category public >"$TMP/race.$i" 2>&1 &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p"; done
	run ctl registration list 1 --status confirmed --json
	[ "$(echo "$output" | pyjson 'len(d)')" = 3 ]
	run ctl registration list 1 --status waitlisted --json
	[ "$(echo "$output" | pyjson 'len(d)')" = 19 ]
	[ "$(echo "$output" | pyjson 'sorted(x["position"] for x in d) == list(range(1, 20))')" = True ]
}

@test "no registration for a past, cancelled, draft or unknown Atelier; bad e-mail and category" {
	run ctl register 2 --name A --email a@example.fr --category elu
	[ "$status" -eq 1 ]
	[[ "$output" == *"Atelier 2 took place on 2017-09-27: registrations are closed"* ]]
	ctl atelier add --departement 33 --date "$(workday 135)" --time 09:00 --draft >/dev/null
	run ctl register 3 --name A --email a@example.fr --category elu
	[[ "$output" == *"Atelier 3 is a draft"* ]]
	ctl atelier add --departement 33 --date "$(workday 170)" --time 09:00 --title T --venue V \
		--city Bordeaux --capacity 10 >/dev/null
	ctl atelier cancel 4 >/dev/null
	run ctl register 4 --name A --email a@example.fr --category elu
	[[ "$output" == *"Atelier 4 is cancelled"* ]]
	run ctl register 99 --name A --email a@example.fr --category elu
	[[ "$output" == *"not_found: no Atelier 99"* ]]
	# one that ended earlier today is past too (unless this runs at 00:02)
	ctl atelier add --departement 33 --date "$(paris_day)" --time 00:01 --end 00:02 --title T \
		--venue V --city Bordeaux --capacity 10 --force >/dev/null
	run ctl register 5 --name A --email a@example.fr --category elu
	[ "$status" -eq 1 ]
	[[ "$output" == *"Atelier 5 took place on $(paris_day): registrations are closed"* ]]
	run ctl register 1 --name A --email "a@example" --category elu
	[ "$status" -eq 1 ]
	[[ "$output" == *"is not a valid e-mail address"* ]]
	# no SMTPUTF8: an address with accents could never be delivered
	run ctl register 1 --name A --email "hélène@example.fr" --category elu
	[ "$status" -eq 1 ]
	[[ "$output" == *"letters with accents cannot be delivered"* ]]
	run ctl register 1 --name A --email a@example.fr --category sorcier
	[ "$status" -eq 2 ]
	[[ "$output" == *"is not one of elu|agent|partenaire|presse|entreprise|public"* ]]
	run ctl registration list 1 --json
	[ "$output" = "[]" ]
}

@test "check-in is idempotent; a walk-in registers and checks in at once; the token stays secret" {
	# the Atelier is today and has begun: check-in is open, attendance counts
	ctl atelier update 1 --date "$(paris_day)" --time 00:01 --end 23:59 --force >/dev/null
	reg "Marie Dupont" "marie@example.fr"
	run ctl registration checkin 1 MARIE@example.fr --json
	[ "$(echo "$output" | pyjson 'd["status"], d["already_checked_in"]')" = "('attended', False)" ]
	run ctl registration checkin 1 marie@example.fr --json
	[ "$(echo "$output" | pyjson 'd["status"], d["already_checked_in"]')" = "('attended', True)" ]
	run ctl registration checkin 1 nobody@example.fr
	[ "$status" -eq 1 ]
	[[ "$output" == *"not_found"* ]]
	run ctl register 1 --name "Sur place" --email walkin@example.fr --category public --checkin --json
	[ "$(echo "$output" | pyjson 'd["status"]')" = attended ]
	reg "Trois" "trois@example.fr"
	run ctl register 1 --name "En trop" --email extra@example.fr --category public --checkin
	[ "$status" -eq 1 ]
	[[ "$output" == *"full: Atelier 1 is full (3 seats): use force to admit a walk-in"* ]]
	run ctl register 1 --name "En trop" --email extra@example.fr --category public --checkin --force
	[ "$status" -eq 0 ]
	token=$(ctl registration show 1 --json | pyjson 'd["token"]')
	[ "${#token}" -eq 64 ]
	run ctl registration list 1 --json
	[[ "$output" != *"$token"* && "$output" != *"token"* ]]
	run ctl atelier stats 1 --json
	[ "$(echo "$output" | pyjson 'd["attended"], d["attendance_rate"]')" = "(3, 0.75)" ]
}

@test "CSV import: BOM, ';', quoted newlines and accents, French headers" {
	run ctl registration import 1 "$TESTS_SRCDIR/fixtures/inscriptions.csv" --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | pyjson 'd["imported"], d["confirmed"], [r["line"] for r in d["rows"]]')" = "(3, 3, [2, 3, 5])" ]
	run ctl registration list 1 --json
	[ "$(echo "$output" | pyjson '[(x["name"], x["organisation"], x["category"]) for x in d]')" = \
		"[('Marie Dupont', 'CD 05; service \"jeunesse\"', 'elu'), ('Jérôme Le Grand', 'Ville de Mâcon', 'agent'), ('Hélène Martin', 'Département de la Gironde', 'partenaire')]" ]
	# the Nom and Prénom columns stay apart
	[ "$(echo "$output" | pyjson '[(x["last_name"], x["first_name"]) for x in d]')" = \
		"[('Dupont', 'Marie'), ('Le Grand', 'Jérôme'), ('Martin', 'Hélène')]" ]
	# a surname of two words without a particle, which a split could not find
	printf 'Nom;Prénom;Courriel;Catégorie\nMartin Leroy;Jean;jean@example.fr;agent\n' >"$BATS_TEST_TMPDIR/two.csv"
	ctl registration import 1 "$BATS_TEST_TMPDIR/two.csv" >/dev/null
	[ "$(ctl registration list 1 --json | pyjson '[(x["last_name"], x["first_name"]) for x in d][-1]')" = "('Martin Leroy', 'Jean')" ]
	# a Nom left empty is said, not guessed from the Prénom; names keep
	# register's limits
	long=$("$PY" -c 'print("x" * 101)')
	printf 'Nom;Prénom;Courriel;Catégorie\n;Paul;paul@example.fr;agent\n%s;Ann;ann@example.fr;agent\n' "$long" >"$BATS_TEST_TMPDIR/bad.csv"
	run ctl registration import 1 "$BATS_TEST_TMPDIR/bad.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"line 2: no surname (the Nom column is empty)"* ]]
	[[ "$output" == *"line 3: a name longer than 100 characters"* ]]
}

@test "CSV import is all or nothing: every bad row named by line; --skip-invalid; --dry-run" {
	run ctl registration import 1 "$TESTS_SRCDIR/fixtures/inscriptions-bad.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"bad_request: 3 bad row(s): nothing imported"* ]]
	[[ "$output" == *"line 3: \"bob-at-example.fr\" is not a valid e-mail address"* ]]
	[[ "$output" == *"line 4: unknown category \"sorcière\""* ]]
	[[ "$output" == *"line 6: ALICE@example.fr appears twice in the file (first on line 2)"* ]]
	run ctl registration list 1 --json
	[ "$output" = "[]" ]
	run ctl registration import 1 "$TESTS_SRCDIR/fixtures/inscriptions-bad.csv" --skip-invalid --dry-run --json
	[ "$(echo "$output" | pyjson 'd["dry_run"], d["imported"], len(d["skipped"])')" = "(True, 2, 3)" ]
	run ctl registration list 1 --json
	[ "$output" = "[]" ]
	run ctl registration import 1 "$TESTS_SRCDIR/fixtures/inscriptions-bad.csv" --skip-invalid --json
	[ "$(echo "$output" | pyjson 'd["imported"], [r["line"] for r in d["rows"]]')" = "(2, [2, 5])" ]
	# rows already registered are bad rows the next time
	run ctl registration import 1 "$TESTS_SRCDIR/fixtures/inscriptions-bad.csv"
	[[ "$output" == *"line 2: alice@example.fr is already registered (registration 1)"* ]]
}

@test "one stray quote rejects its line, not the file; --skip-invalid skips it and exits 5" {
	printf 'nom,email,categorie\nMarie Dupont,marie@example.fr,elu\nJean "Jr,jean@example.fr,public\n"Paul,paul@example.fr,public\nAnne Roux,anne@example.fr,agent\n' >"$TMP/stray.csv"
	run ctl registration import 1 "$TMP/stray.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"2 bad row(s): nothing imported"* ]]
	[[ "$output" == *"line 3: a quotation mark is not closed"* ]]
	[[ "$output" == *"line 4: a quotation mark is not closed"* ]]
	[ "$(ctl registration list 1 --json | pyjson 'len(d)')" = 0 ]
	run ctl registration import 1 "$TMP/stray.csv" --skip-invalid --json
	[ "$status" -eq 5 ]
	[ "$(echo "$output" | pyjson '[r["line"] for r in d["rows"]], [r["line"] for r in d["skipped"]]')" = "([2, 5], [3, 4])" ]
	# a file without a bad row exits 0 with --skip-invalid too
	printf 'nom,email,categorie\nLéa Petit,lea@example.fr,elu\n' >"$TMP/good.csv"
	run ctl registration import 1 "$TMP/good.csv" --skip-invalid
	[ "$status" -eq 0 ]
}

@test "capacity and the waiting list apply to imported rows in file order" {
	reg "Déjà là" "deja@example.fr"
	reg "Aussi là" "aussi@example.fr"
	run ctl registration import 1 "$TESTS_SRCDIR/fixtures/inscriptions.csv" --json
	[ "$(echo "$output" | pyjson '[r["status"] for r in d["rows"]]')" = "['confirmed', 'waitlisted', 'waitlisted']" ]
	run ctl registration list 1 --status waitlisted --json
	[ "$(echo "$output" | pyjson '[(x["name"], x["position"]) for x in d]')" = "[('Jérôme Le Grand', 1), ('Hélène Martin', 2)]" ]
}

@test "bad CSV files: not UTF-8, empty, no e-mail column, broken quotes, unknown Atelier" {
	printf 'nom,email,categorie\nJos\xe9,jose@example.fr,public\n' >"$TMP/latin1.csv"
	run ctl registration import 1 "$TMP/latin1.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"latin1.csv: line 2: not valid UTF-8"* ]]
	: >"$TMP/empty.csv"
	run ctl registration import 1 "$TMP/empty.csv"
	[[ "$output" == *"empty.csv: the file is empty"* ]]
	printf 'nom,organisation\nA,B\n' >"$TMP/noemail.csv"
	run ctl registration import 1 "$TMP/noemail.csv"
	[[ "$output" == *"line 1: the header names no e-mail column"* ]]
	printf 'nom,email,categorie\n"A,a@example.fr,public\n' >"$TMP/quotes.csv"
	run ctl registration import 1 "$TMP/quotes.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"line 2: a quotation mark is not closed"* ]]
	run ctl registration import 1 "$TMP/missing.csv"
	[[ "$output" == *"missing.csv: cannot open"* ]]
	run ctl registration import 99 "$TESTS_SRCDIR/fixtures/inscriptions.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"no Atelier 99"* ]]
	run ctl registration list 1 --json
	[ "$output" = "[]" ]
}

@test "a CSV file with a NUL byte is refused with its line, nothing imported" {
	printf 'nom,email,categorie\nMarie Dupont,marie@example.fr,elu\nJean\0Martin,jean@example.fr,elu\n' >"$TMP/nul.csv"
	run ctl registration import 1 "$TMP/nul.csv"
	[ "$status" -ne 0 ]
	[[ "$output" == *"line 3: a NUL byte (this is not a text file)"* ]]
	[ "$(ctl registration list 1 --json | pyjson 'len(d)')" = 0 ]
}

@test "a CSV file too large for one request gets adfd's reason, not a broken pipe" {
	"$PY" -c '
print("nom,email,categorie")
for i in range(60000): print("Personne %d,p%d@example.fr,public" % (i, i))' >"$TMP/big.csv"
	run ctl registration import 1 "$TMP/big.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"request line longer than 1048576 bytes"* ]]
	[[ "$output" != *"Broken pipe"* ]]
	run ctl status
	[ "$status" -eq 0 ]
	[ "$(ctl registration list 1 --json | pyjson 'len(d)')" = 0 ]
}

@test "export round trip: export, import into another Atelier, same data" {
	ctl atelier update 1 --capacity 50 >/dev/null
	ctl registration import 1 "$TESTS_SRCDIR/fixtures/inscriptions.csv" >/dev/null
	ctl atelier add --departement 44 --date "$(workday 205)" --time 09:00 --title Nantes --venue V \
		--city Nantes --capacity 50 >/dev/null
	ctl registration export 1 --separator ';' --bom >"$TMP/export.csv"
	head -c 3 "$TMP/export.csv" | od -An -tx1 | grep -q "ef bb bf"
	run ctl registration import 3 "$TMP/export.csv"
	[ "$status" -eq 0 ]
	a=$(ctl registration list 1 --json | pyjson '[(x["name"], x["email"], x["organisation"], x["category"]) for x in d]')
	b=$(ctl registration list 3 --json | pyjson '[(x["name"], x["email"], x["organisation"], x["category"]) for x in d]')
	[ "$a" = "$b" ]
	ctl registration export 1 --format json | pyjson 'len(d)' | grep -qx 3
}

@test "the export is for a French spreadsheet by default; --format csv is for other tools" {
	reg "Marie Dupont" marie@example.fr elu
	ctl registration checkin 1 marie@example.fr --force >/dev/null
	ctl atelier update 1 --capacity 1 >/dev/null
	reg "Jean Martin" jean@example.fr
	# an import keeps civility, Nom and Prénom apart
	printf 'Civilité;Nom;Prénom;Courriel;Catégorie\nMadame;Le Goff;Annie;annie@example.fr;Élue\n' >"$TMP/annie.csv"
	ctl registration import 1 "$TMP/annie.csv" >/dev/null
	ctl registration export 1 >"$TMP/fr.csv"
	head -c 3 "$TMP/fr.csv" | od -An -tx1 | grep -q "ef bb bf"
	at=$(ctl registration show 1 --json | pyjson 'd["registered_at"]')
	paris=$(TZ=Europe/Paris date -d "$at" '+%d/%m/%Y %H:%M')
	"$PY" - "$TMP/fr.csv" "$paris" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig"), delimiter=";"))
assert rows[0] == ["n°", "civilité", "NOM", "prénom", "e-mail", "organisation", "catégorie", "statut",
                   "rang d'attente", "inscrit par", "inscrit le", "présent le"], rows[0]
assert rows[1][1:10] == ["", "Dupont", "Marie", "marie@example.fr", "", "élu", "présent", "", "organisateurs"], rows[1]
assert rows[1][10] == sys.argv[2], (rows[1][10], sys.argv[2])
assert rows[2][7:10] == ["liste d'attente", "1", "organisateurs"], rows[2]
assert rows[3][1:4] == ["Mme", "Le Goff", "Annie"] and rows[3][6:8] == ["élue", "liste d'attente"], rows[3]
assert rows[3][8:10] == ["2", "import"], rows[3]
PY
	run ctl registration export 1 --format csv
	[[ "${lines[0]}" == "id,civility,last_name,first_name,email,organisation,category,status,position,source,registered_at,attended_at,name"* ]]
	[[ "${lines[1]}" == *",Dupont,Marie,marie@example.fr,,elu,attended,,adfctl,$at,"* ]]
	# what it exports, it imports again
	ctl atelier add --departement 44 --date "$(workday 205)" --time 09:00 --title Nantes --venue V \
		--city Nantes --capacity 50 >/dev/null
	run ctl registration import 3 "$TMP/fr.csv"
	[ "$status" -eq 0 ]
	[ "$(ctl registration list 3 --json | pyjson 'sorted(x["email"] for x in d)')" = "['annie@example.fr', 'jean@example.fr', 'marie@example.fr']" ]
	[ "$(ctl registration list 3 --json | pyjson '[(x["last_name"], x["first_name"]) for x in d if x["email"] == "annie@example.fr"][0]')" = "('Le Goff', 'Annie')" ]
}

@test "export neutralises cells that a spreadsheet would run as formulas" {
	ctl register 1 --name "=HYPERLINK(\"http://x\")" --email f1@example.fr --org "+33 1 23" --category public >/dev/null
	ctl register 1 --name "@SUM(A1)" --email f2@example.fr --org "-2" --category public >/dev/null
	run ctl registration export 1 --format csv
	[[ "$output" == *"\"'=HYPERLINK(\"\"http://x\"\")\""* ]]
	[[ "$output" == *"\"'+33 1 23\""* ]]
	[[ "$output" == *"\"'@SUM(A1)\",,f2@example.fr,\"'-2\""* ]]
	[[ "$output" != *",=HYP"* && "$output" != *",@SUM"* ]]
	# whatever separator the spreadsheet splits on, ours or another, and
	# whether it honours quotes or not, no piece starts a formula
	ctl atelier update 1 --capacity 10 >/dev/null
	ctl register 1 --name "x;=1+2" --email f3@example.fr --org 'a,@SUM(1)' --category public >/dev/null
	ctl register 1 --name "y; \"-3" --email f4@example.fr --org "b;+1" --category public >/dev/null
	for sep in , ';'; do
		ctl registration export 1 --separator "$sep" >"$TMP/export.csv"
		"$PY" - "$TMP/export.csv" <<'PY'
import csv, sys
text = open(sys.argv[1], encoding="utf-8-sig").read()
for split in ",;\t":
    for line in text.splitlines():
        for piece in line.split(split):
            p = piece.lstrip(' "')
            assert not p or p[0] not in "=+-@", (split, line, piece)
    # and a parser that honours quotes gets the names back, marked
    cells = [c for row in csv.reader(text.splitlines(), delimiter=split) for c in row]
    assert not any(c.lstrip(' "')[:1] in ("=", "+", "-", "@") for c in cells if c), cells
PY
	done
	ctl registration export 1 --format json | grep -q '"x;=1+2"'
}

@test "a large export comes in chunks, whole and in order" {
	ctl atelier update 1 --capacity 5000 >/dev/null
	"$PY" -c 'import json
for i in range(1200):
    print(json.dumps({"cmd": "register", "args": {"atelier": 1, "name": "P%d" % i, "email": "p%d@example.fr" % i, "category": "public"}}))' | ctl batch >/dev/null
	run raw_request '{"id":9,"cmd":"registration.export","args":{"atelier":1,"format":"csv"}}\n{"id":10,"cmd":"status"}\n'
	[ "${#lines[@]}" -ge 4 ]
	"$PY" - "$output" <<'PY'
import json, sys
answers = [json.loads(l) for l in sys.argv[1].splitlines()]
chunks = [a for a in answers if a["id"] == 9]
assert all(a["ok"] for a in answers)
assert all(a.get("more") for a in chunks[:-1]) and "more" not in chunks[-1], chunks[-1]
assert answers[-1]["id"] == 10  # the next answer waits for the whole export
csv = "".join(a["data"]["content"] for a in chunks).splitlines()
assert len(csv) == 1201, len(csv)
assert [l.split(",")[0] for l in csv[1:]] == [str(i) for i in range(1, 1201)]
PY
	# adfctl batch prints every chunk of it, then the next answer
	printf '{"id":9,"cmd":"registration.export","args":{"atelier":1,"format":"csv"}}\n{"id":10,"cmd":"status"}\n' |
		ctl batch >"$TMP/batch"
	"$PY" - "$TMP/batch" <<'PY'
import json, sys
answers = [json.loads(l) for l in open(sys.argv[1])]
chunks = [a for a in answers if a["id"] == 9]
assert len(chunks) >= 2 and not chunks[-1].get("more"), len(chunks)
csv = "".join(a["data"]["content"] for a in chunks).splitlines()
assert len(csv) == 1201, len(csv)
assert answers[-1]["id"] == 10, answers[-1]
PY
}

@test "forget: the address is found nowhere afterwards, the numbers stay right" {
	for i in 1 2 3; do reg "Personne $i" "p$i@example.fr" elu; done
	ctl register 1 --civility Mme --name "Marie Secret" --email marie.secret@example.fr --category presse >/dev/null
	ctl person add --first Marie --last Secret --email Marie.Secret@example.fr >/dev/null
	secrets() { "$PY" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT civility, checkin_code, news_consent_at, token FROM registration WHERE id = 4").fetchone())' "$TMP/adf.db"; }
	read -r civility code _ token < <(secrets | tr -d "(),'")
	[ "$civility" = Mme ]
	[ ${#code} -eq 12 ]
	[ ${#token} -eq 64 ]
	ctl registration checkin 1 p1@example.fr --force >/dev/null
	before=$(ctl atelier stats 1 --json | pyjson 'd["confirmed"], d["waitlisted"], d["attended"], d["by_category"]')
	# her confirmation was delivered (maildir, the default), and a mail
	# reader moved it to cur/: the checks below can find her
	wait_until 20 sh -c "ls '$TMP/outbox/new' | wc -l | grep -qx 4"
	for f in $(grep -rl "marie.secret@example.fr" "$TMP/outbox/new"); do mv "$f" "$TMP/outbox/cur/$(basename "$f"):2,S"; done
	[ "$(cat "$TMP"/outbox/cur/* | hits -i "marie.secret")" -gt 0 ]
	[ "$(cat "$TMP/adf.db" "$TMP/adf.db-wal" | hits -a "Secret")" -gt 0 ]
	run ctl person forget MARIE.SECRET@example.fr --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | pyjson 'd["registrations"], d["persons"]')" = "(1, 1)" ]
	# her secrets are gone too: no civility, no badge code, no consent, and
	# a token no link can name
	[[ "$(secrets)" =~ ^"(None, None, None, 'anonyme-4-"[0-9a-f]{32}"')"$ ]]
	# and an admin is handed no link to a page that is gone
	[ "$(ctl registration show 4 --json | pyjson '"cancel_url" in d, "token" in d')" = "(False, False)" ]
	[ "$(ctl atelier stats 1 --json | pyjson 'd["confirmed"], d["waitlisted"], d["attended"], d["by_category"]')" = "$before" ]
	[ "$(ctl registration export 1 | hits -i "marie.secret")" -eq 0 ]
	[ "$(ctl registration export 1 --format json | hits -i "marie.secret")" -eq 0 ]
	# no byte of her address or name: database, WAL, outbox, maildir, log
	for f in "$TMP/adf.db" "$TMP/adf.db-wal" "$LOG"; do
		[ "$(hits -ai "marie.secret" "$f")" -eq 0 ]
		[ "$(hits -a "Secret" "$f")" -eq 0 ]
	done
	[ "$(cat "$TMP"/outbox/new/* "$TMP"/outbox/cur/* /dev/null | hits -ai "secret")" -eq 0 ]
	[ "$(ctl mail queue --json | hits -i "secret")" -eq 0 ]
	[ "$(ls "$TMP/outbox/new" "$TMP/outbox/cur" | grep -c "\.adf\.")" -eq 3 ]
	run ctl audit list --json
	[ "$(echo "$output" | pyjson 'd[0]["command"], d[0]["target"]')" = "('person.forget', 'registrations:1,persons:1,mails:1')" ]
	[[ "$output" != *"secret"* ]]
	run ctl person forget marie.secret@example.fr
	[ "$status" -eq 1 ]
	[[ "$output" == *"no personal data is held for this address"* ]]
	run ctl privacy report --json
	[ "$(echo "$output" | pyjson 'd["registrations_with_personal_data"], d["registrations_anonymised"], d["retention_months"], d["mails_with_personal_data"]')" = "(3, 1, 12, 3)" ]
}

@test "the retention period anonymises old registrations and their mail at start" {
	reg "Ancienne" "ancienne@example.fr"
	wait_until 20 sh -c "grep -rl 'ancienne@example.fr' '$TMP/outbox/new' | grep -q ."
	# the Atelier moves far into the past; the next start applies the retention
	ctl atelier update 1 --date 2020-03-18 >/dev/null
	stop_adfd
	[ "$(cat "$TMP/adf.db" "$TMP/adf.db-wal" | hits -a "ancienne@example.fr")" -gt 0 ]
	restart_adfd
	grep -q "retention: anonymised 1 registration(s) and [1-9][0-9]* mail(s) of Ateliers before" "$LOG"
	for f in "$TMP/adf.db" "$TMP/adf.db-wal" "$LOG"; do
		[ "$(hits -ai "ancienne" "$f")" -eq 0 ]
	done
	[ "$(cat "$TMP"/outbox/new/* /dev/null | hits -ai "ancienne")" -eq 0 ]
	run ctl registration list 1 --json
	[ "$(echo "$output" | pyjson 'd[0]["name"], d[0]["status"]')" = "('Anonyme', 'confirmed')" ]
	[ "$(ctl privacy report --json | pyjson 'd["mails_with_personal_data"]')" = 0 ]
}

@test "cycle stats: the bilan across the tour" {
	ctl cycle add "Le cycle à venir" --from "$(paris_day | cut -c1-7)" \
		--to "$(paris_day "+240 days" | cut -c1-7)" >/dev/null
	ctl atelier update 1 --cycle 1 >/dev/null
	ctl atelier add --cycle 1 --departement 44 --date "$(workday 205)" --time 09:00 --title Nantes \
		--venue V --city Nantes --capacity 10 >/dev/null
	reg "A" "a@example.fr" elu
	reg "B" "b@example.fr" presse
	ctl register 3 --name C --email c@example.fr --category elu >/dev/null
	# a draft of the cycle is no part of its bilan
	ctl atelier add --cycle 1 --date "$(workday 150)" --time 09:00 --draft >/dev/null
	run ctl cycle stats 1 --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | pyjson 'd["total"]["capacity"], d["total"]["confirmed"], d["by_category"]["elu"]["registered"], len(d["ateliers"])')" = "(13, 3, 2, 2)" ]
	# no Atelier of the cycle took place yet: no rate of the cycle (the
	# seats of those to come are not empty yet); each Atelier has its own
	[ "$(echo "$output" | pyjson 'd["total"]["fill_rate"], d["total"]["seated"], [round(a["fill_rate"], 3) for a in d["ateliers"]]')" = "(None, 3, [0.667, 0.1])" ]
	# then one took place: the cycle's rate is that one's
	ctl atelier add --cycle 1 --departement 05 --date "$(paris_day)" --time 00:01 --title Aujourdhui \
		--venue V --city Gap --capacity 4 --force >/dev/null
	ctl register 5 --name "D D" --email d@example.fr --category agent >/dev/null
	[ "$(ctl cycle stats 1 --json | pyjson 'd["total"]["fill_rate"]')" = 0.25 ]
	# for people: tables under their names, never "a=b=1" on one line
	run env LC_ALL=fr_FR.UTF-8 "$ADFCTL" -s "$SOCK" cycle stats 1
	[[ "$output" != *"="* ]]
	[[ "$output" == *$'par catégorie :\n  catégorie  inscrits  présents\n  agent      1         0\n  élu        2         0'* ]]
	run env LC_ALL=fr_FR.UTF-8 "$ADFCTL" -s "$SOCK" atelier stats 1
	[[ "$output" != *"="* ]]
	[[ "$output" == *$'avec une place        2\nconfirmés             2'* ]]
}

@test "check-in opens on the Atelier's day (checkin_days_before earlier); attendance only once it took place" {
	reg "Marie Dupont" "marie@example.fr"
	# Atelier 1 is weeks away: no check-in, no walk-in, unless forced
	run ctl registration checkin 1 marie@example.fr
	[ "$status" -eq 1 ]
	[[ "$output" == *"Atelier 1 takes place on $(workday 100): check-in opens that day (use force"* ]]
	[ "$(status_of 1)" = "('confirmed', None)" ]
	run ctl register 1 --name "Sur place" --email walkin@example.fr --category public --checkin
	[ "$status" -eq 1 ]
	[[ "$output" == *"check-in opens that day"* ]]
	[ "$(ctl registration list 1 --json | pyjson 'len(d)')" = 1 ]
	# forced: recorded, but an Atelier still to come has no attendance rate
	ctl registration checkin 1 marie@example.fr --force >/dev/null
	[ "$(ctl atelier stats 1 --json | pyjson 'd["attended"], d["attendance_rate"]')" = "(1, None)" ]
	# tomorrow's Atelier: closed today by default, open with checkin_days_before = 1
	ctl atelier add --departement 05 --date "$(paris_day tomorrow)" --time 09:00 --title Demain \
		--venue V --city Gap --capacity 5 --force >/dev/null
	ctl register 3 --name "Jean Martin" --email jean@example.fr --category elu >/dev/null
	run ctl registration checkin 3 jean@example.fr
	[ "$status" -eq 1 ]
	stop_adfd
	write_config 'checkin_days_before = 1;'
	restart_adfd
	run ctl registration checkin 3 jean@example.fr
	[ "$status" -eq 0 ]
	# the Gap Atelier took place: its attendance counts, and the cycle's
	ctl atelier update 2 --capacity 300 >/dev/null
	run ctl atelier stats 2 --json
	[ "$(echo "$output" | pyjson 'd["attendance_rate"]')" = None ]
	"$PY" - "$TMP/adf.db" <<'PY'
import sqlite3, sys
# a registration of the Gap Atelier from its day, as an import would leave it
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO registration (atelier_id, name, email, email_key, category, status, token,"
           " queued_at, registered_at, attended_at, source) VALUES (2, 'Ancien', 'a@example.fr',"
           " 'a@example.fr', 'elu', 'attended', 'x', '2017-09-01', '2017-09-01', '2017-09-27', 'test')")
db.commit()
PY
	[ "$(ctl atelier stats 2 --json | pyjson 'd["attendance_rate"]')" = 1.0 ]
}
