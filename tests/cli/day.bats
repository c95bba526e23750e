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
teardown() {
	stop_sink
	teardown_adfd
}

# reg ATELIER CIVILITY NAME EMAIL ORGANISATION CATEGORY (an empty organisation: none)
reg() { ctl register "$1" ${2:+--civility "$2"} --name "$3" --email "$4" ${5:+--org "$5"} --category "$6" --json; }
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
	[[ "$output" == *"check-in opens that day"* ]]
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
	[ "${lines[6]}" = "✗ Atelier 1 is full (3 seats): use force to admit a walk-in — type ! to let them in"$'\a' ]
	[ "${lines[7]}" = "✓ Mme Zoé Arnaud — elected, Région Sud" ]
	[[ "${lines[8]}" == "✗ a walk-in reads: + name; e-mail; organisation; category"$'\a' ]]
	[ "${lines[9]}" = "✓ M. Paul Durand — public" ]
	# bells only where a person must look
	[ "$(hits -c $'\a' "$BATS_TEST_TMPDIR/out")" -eq 5 ]
	run ctl registration list 1 --status attended --json
	[ "$(echo "$output" | pyjson 'sorted(r["name"] for r in d)')" = "['Léa Martin', 'Marie Dupont', 'Paul Durand', 'Zoé Arnaud', 'Éric Gorde']" ]
	[ "$(ctl registration show 5 --json | pyjson 'd["civility"], d["organisation"], d["category"], d["source"]')" = "('Mme', 'Région Sud', 'elu', 'door')" ]
}

@test "the scan loop outlives adfd's idle timeout, and stops with exit 3 when adfd is gone" {
	stop_adfd
	start_adfd 'limits = { idle_timeout = 1; };'
	reg 1 Mme "Marie Dupont" marie@example.fr "CD 05" elu >/dev/null
	reg 1 M. "Éric Gorde" eric@example.fr "CD 05" agent >/dev/null
	reg 1 M. "Paul Durand" paul@example.fr "" public >/dev/null
	{ echo marie@example.fr; sleep 2.5; echo eric@example.fr; } | # the sleep: past the idle timeout, the behaviour under test
		ctl checkin 1 --scan >"$BATS_TEST_TMPDIR/out"
	[ "$(hits -c '^✓' "$BATS_TEST_TMPDIR/out")" -eq 2 ]
	rc=0
	{ kill -TERM "$ADFD_PID"; wait_until 30 gone "$ADFD_PID"; echo paul@example.fr; } |
		ctl checkin 1 --scan >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" || rc=$?
	[ "$rc" -eq 3 ]
	grep -q "cannot reach adfd" "$BATS_TEST_TMPDIR/err"
	wait "$ADFD_PID"
	ADFD_PID=
}

@test "the door reads what people and scanners really type: exact names, tabs, bad bytes, odd walk-in lines" {
	ctl atelier update 1 --capacity 20 >/dev/null
	reg 1 M. "Luc Martin" luc@example.fr "" public >/dev/null
	reg 1 M. "Luc Martinez" lucm@example.fr "" public >/dev/null
	for i in 5 15 105; do reg 1 "" "Flood $i" "flood$i@example.fr" "" public >/dev/null; done
	reg 1 M. "Ange Leccia" ange@example.fr "" public >/dev/null
	ctl registration cancel 6 >/dev/null
	# the whole name, and whole words, before parts of words
	run ctl checkin 1 "luc martin" --json
	[ "$(echo "$output" | pyjson 'd["outcome"], d["registration"]["id"]')" = "('checked_in', 1)" ]
	run ctl checkin 1 "flood 5" --json
	[ "$(echo "$output" | pyjson 'd["outcome"], d["registration"]["id"]')" = "('checked_in', 3)" ]
	run ctl checkin 1 flood
	[[ "$output" == "? several people: Flood 105; Flood 15; Flood 5: type more of the name"* ]]
	# one command: --force is the way; someone who had cancelled comes in forced
	run ctl checkin 1 ange@example.fr
	[[ "$output" == "! M. Ange Leccia — registration cancelled: --force lets them in"* ]]
	code=$(code_of 2)
	printf '%s\t\n\xff\xfe\nange@example.fr\n!\n+ M.; m@example.fr; ; public\n+ Mme X; x@example.fr; Org; élue; de trop\n+ Mme Flood Autre; flood15@example.fr; ; public\n' \
		"$code" >"$BATS_TEST_TMPDIR/lines"
	run ctl checkin 1 --scan <"$BATS_TEST_TMPDIR/lines"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "✓ M. Luc Martinez — public" ]
	[ "${lines[1]}" = "✗ not UTF-8 text: is the scanner set for this keyboard?"$'\a' ]
	[ "${lines[2]}" = "! M. Ange Leccia — registration cancelled: type ! to let them in"$'\a' ]
	[ "${lines[3]}" = "✓ M. Ange Leccia — public" ]
	[ "${lines[4]}" = "✗ a walk-in reads: + name; e-mail; organisation; category"$'\a' ]
	[ "${lines[5]}" = "✗ a walk-in reads: + name; e-mail; organisation; category"$'\a' ]
	# a "walk-in" who was registered: checked in as registered, not twice
	[ "${lines[6]}" = "✓ Flood 15 — public" ]
	[ "${#lines[@]}" -eq 7 ]
	[ "$(ctl registration list 1 --json | pyjson 'len(d)')" -eq 6 ]
	# a code and --scan: one or the other
	run ctl checkin 1 "$code" --scan </dev/null
	[ "$status" -eq 2 ]
	# a reader may not check in: the loop stops at once, exit 1
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$TMP/adfctl" -s "$SOCK" checkin 1 --scan <"$BATS_TEST_TMPDIR/lines"
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | grep -c '^✗')" -eq 1 ]
}

# people LIST: registers "civility|name|email|organisation|category" lines to Atelier 1
people() {
	while IFS='|' read -r civ name email org cat; do
		ctl register 1 ${civ:+--civility "$civ"} --name "$name" --email "$email" \
			${org:+--org "$org"} --category "$cat" >/dev/null
	done
}

@test "the sign-in sheet: those expected by surname, accents intact, long text wrapped inside, pages numbered" {
	ctl atelier update 1 --capacity 100 >/dev/null
	people <<-'LIST'
	Mme|Marie Dupont|marie@example.fr|CD 05|elu
	M.|Éric Gorde|eric@example.fr|Conseil départemental des Hautes-Alpes|agent
	|Zoë Ångström-Œuvray|zoe@example.fr|Fédération nationale des associations d'accueil et de réinsertion sociale, délégation Provence-Alpes-Côte d'Azur|partenaire
	M.|Jean-Baptiste Alexandre Maximilien de La Rochefoucauld-Doudeauville|jb@example.fr|Mairie de Gap|elu
	Mme|Annulée Partie|gone@example.fr||public
	M.|Yannick Le Goff|yannick@example.fr||agent
	LIST
	for i in $(seq 1 30); do
		ctl register 1 --name "Participant Numéro$i" --email "p$i@example.fr" --category public >/dev/null
	done
	ctl registration cancel 5 >/dev/null
	ctl checkin 1 marie@example.fr >/dev/null
	ctl atelier emargement 1 --blank 4 >"$BATS_TEST_TMPDIR/sheet.pdf"
	pdftotext "$BATS_TEST_TMPDIR/sheet.pdf" "$BATS_TEST_TMPDIR/sheet.txt"
	txt="$BATS_TEST_TMPDIR/sheet.txt"
	for word in "Feuille d'émargement" "Les solidarités territoriales" "$(date_fr "$(paris_day)")" \
		"Hôtel du Département, Gap (Hautes-Alpes)" "DUPONT Marie" "GORDE Éric" "Zoë" \
		"ÅNGSTRÖM-" "ŒUVRAY" "réinsertion" "délégation" "élue" "agent" "partenaire" \
		"NOM Prénom" "LE GOFF Yannick" "de LA" "DOUDEAUVILLE" \
		"NUMÉRO30 Participant" "Page 1 / 3" "Page 3 / 3" "35 personnes attendues"; do
		grep -qF "$word" "$txt" || { echo "missing: $word"; return 1; }
	done
	# a cancelled registration is not expected
	[ "$(hits -c "Annulée" "$txt")" -eq 0 ]
	# by surname as French usage has it: Ångström as Angstrom, "de La
	# Rochefoucauld" under L, "Le Goff" under L too, numbers in their order
	order=$(grep -oE "ÅNGSTRÖM|DUPONT|GORDE|NUMÉRO2 |NUMÉRO10|ROCHEFOUCAULD|GOFF" "$txt" | tr '\n' ' ')
	[ "$order" = "ÅNGSTRÖM DUPONT GORDE ROCHEFOUCAULD GOFF NUMÉRO2  NUMÉRO10 " ]
	# the organisers' list reads by surname too; --json keeps the ids' order
	order=$(ctl registration list 1 | grep -oE "Ångström|Dupont|Gorde|Jean-Baptiste|Le Goff|Numéro2 |Numéro10" | tr '\n' ' ')
	[ "$order" = "Ångström Dupont Gorde Jean-Baptiste Le Goff Numéro2  Numéro10 " ]
	[ "$(ctl registration list 1 --json | pyjson '[r["id"] for r in d][:3]')" = "[1, 2, 3]" ]
	# 35 people and 4 empty lines for walk-ins: rows numbered 1 to 39
	pdftotext -layout "$BATS_TEST_TMPDIR/sheet.pdf" - | grep -qE "^ *39 *$"
	# every word lies inside the table, none runs off its page
	pdftotext -bbox "$BATS_TEST_TMPDIR/sheet.pdf" - | "$PY" -c '
import re, sys
mm = 72 / 25.4
boxes = [tuple(map(float, m)) for m in re.findall(r"<word xMin=\"([\d.]+)\" yMin=\"([\d.]+)\" xMax=\"([\d.]+)\" yMax=\"([\d.]+)\"", sys.stdin.read())]
assert len(boxes) > 200, len(boxes)
bad = [b for b in boxes if b[0] < 14 * mm or b[2] > 196 * mm or b[3] > 297 * mm]
assert not bad, bad'
}

@test "badges on Avery L7165 labels: each QR code decodes to its own person's check-in code" {
	ctl atelier update 1 --capacity 100 >/dev/null
	people <<-'LIST'
	Mme|Marie Dupont|marie@example.fr|CD 05|elu
	M.|Éric Gorde|eric@example.fr|Conseil départemental des Hautes-Alpes|agent
	|Zoë Ångström|zoe@example.fr|Fédération nationale des associations d'accueil et de réinsertion sociale, délégation Provence-Alpes-Côte d'Azur|partenaire
	Mme|Léa Martin|lea@example.fr||presse
	M.|Paul Durand|paul@example.fr|Mairie de Gap|public
	Mme|Anne Roux|anne@example.fr|Région Sud|elu
	M.|Hugo Bernard|hugo@example.fr|Banque des Territoires|entreprise
	Mme|Inès Petit|ines@example.fr|CCAS de Gap|agent
	M.|Noé Laurent|noe@example.fr|Préfecture|agent
	LIST
	ctl atelier badges 1 >"$BATS_TEST_TMPDIR/badges.pdf"
	[ "$(pdfinfo "$BATS_TEST_TMPDIR/badges.pdf" | awk '/^Pages:/ {print $2}')" -eq 2 ]
	# each label of the sheet, by the Avery L7165 geometry: its QR code and its text
	for id in $(seq 1 9); do
		ctl registration show "$id" --json | pyjson 'd["checkin_code"] + "|" + d["name"]'
	done >"$BATS_TEST_TMPDIR/expected"
	"$PY" - "$BATS_TEST_TMPDIR" <<'PY'
import subprocess, sys
tmp = sys.argv[1]
expected = dict(l.strip().split("|") for l in open(f"{tmp}/expected"))
seen = {}
for n in range(9):
    page, slot = n // 8 + 1, n % 8
    x, y = 4.65 + (slot % 2) * 101.6, 13.1 + (slot // 2) * 67.7
    px = lambda mm, r: str(int(mm / 25.4 * r))
    subprocess.run(["pdftoppm", "-r", "200", "-f", str(page), "-l", str(page), "-x", px(x, 200),
                    "-y", px(y, 200), "-W", px(99.1, 200), "-H", px(67.7, 200), "-png",
                    "-singlefile", f"{tmp}/badges.pdf", f"{tmp}/label"], check=True)
    code = subprocess.run(["zbarimg", "--raw", "-q", f"{tmp}/label.png"], capture_output=True,
                          text=True).stdout.split()
    text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-x", px(x, 72), "-y",
                           px(y, 72), "-W", px(99.1, 72), "-H", px(67.7, 72),
                           f"{tmp}/badges.pdf", "-"], capture_output=True, text=True).stdout
    assert len(code) == 1, (n, code)
    name = expected[code[0]]
    flat = " ".join(text.split())
    assert name in flat, (n, name, flat)
    assert f"{code[0][:4]} {code[0][4:8]} {code[0][8:]}" in flat, (n, flat)
    seen[code[0]] = name
assert seen == expected, (seen, expected)
PY
	# a badge is an admin's to print: its code checks people in (the read
	# group is nogroup here; setpriv plays its member)
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$TMP/adfctl" -s "$SOCK" atelier badges 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"forbidden"* ]]
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$TMP/adfctl" -s "$SOCK" atelier emargement 1 --json
	[ "$status" -eq 0 ]
	# the sheet a reader may print holds no check-in code
	[ "$(echo "$output" | pyjson 'len(d["people"]), sum("checkin_code" in p for p in d["people"])')" = "(9, 0)" ]
}

@test "certificates of attendance: only for who attended, with the Atelier's day and hours" {
	people <<-'LIST'
	Mme|Marie Dupont|marie@example.fr|CD 05|elu
	M.|Éric Gorde|eric@example.fr||agent
	LIST
	ctl checkin 1 marie@example.fr >/dev/null
	ctl registration attestation 1 >"$BATS_TEST_TMPDIR/one.pdf"
	pdftotext "$BATS_TEST_TMPDIR/one.pdf" - | tr '\n' ' ' >"$BATS_TEST_TMPDIR/one.txt"
	for word in "Attestation de présence" "Mme Marie Dupont" "CD 05" \
		"« Les solidarités territoriales »" "le $(date_fr "$(paris_day)"), de 0 h 01 à 23 h 59" \
		"Hôtel du Département, Gap (Hautes-Alpes)"; do
		grep -qF "$word" "$BATS_TEST_TMPDIR/one.txt" || { echo "missing: $word"; cat "$BATS_TEST_TMPDIR/one.txt"; return 1; }
	done
	run ctl registration attestation 2
	[ "$status" -eq 1 ]
	[[ "$output" == *"registration 2 was not checked in (status: confirmed): a certificate of attendance is for those who came"* ]]
	ctl atelier attestations 1 >"$BATS_TEST_TMPDIR/all.pdf"
	[ "$(pdfinfo "$BATS_TEST_TMPDIR/all.pdf" | awk '/^Pages:/ {print $2}')" -eq 1 ]
	[ "$(pdftotext "$BATS_TEST_TMPDIR/all.pdf" - | hits -c "Gorde")" -eq 0 ]
	ctl checkin 1 eric@example.fr >/dev/null
	ctl atelier attestations 1 >"$BATS_TEST_TMPDIR/all.pdf"
	[ "$(pdfinfo "$BATS_TEST_TMPDIR/all.pdf" | awk '/^Pages:/ {print $2}')" -eq 2 ]
	# a PDF is not written to a terminal
	run script -qec "$ADFCTL -s $SOCK atelier attestations 1" /dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"atelier attestations writes a PDF: send it to a file (> attestations.pdf)"* ]]
	# a full disk: said, and the exit status says it
	run bash -c '"$0" -s "$1" registration attestation 1 >/dev/full' "$ADFCTL" "$SOCK"
	[ "$status" -eq 1 ]
	[[ "$output" == *"the PDF was not written whole: do not use it"* ]]
	run bash -c '"$0" -s "$1" atelier emargement 1 >/dev/full' "$ADFCTL" "$SOCK"
	[ "$status" -eq 1 ]
	# the printing program missing, or given no data: said, and no PDF
	ADF_PRINT=/nonexistent/adf-print run ctl atelier attestations 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot run /nonexistent/adf-print"* ]]
	run "$BUILDDIR/adf-print" badges < /dev/null
	[ "$status" -eq 1 ]
	[[ "$output" == *"adf-print: no document data on standard input"* ]]
	run ctl atelier emargement 99
	[ "$status" -eq 1 ]
	[[ "$output" == *"no Atelier 99"* ]]
}

# last_view FILE EXPR: EXPR of the last JSON view a watcher wrote
last_view() { tail -n 1 "$1" | pyjson "$2"; }

@test "adf-print: long names cut on a character with an ellipsis, comments whole, short codes read within bounds" {
	long=$("$PY" -c 'print("Éléonore-" + "é" * 300)')
	org=$("$PY" -c 'print("Département " + "ô" * 300)')
	comment=$("$PY" -c 'print(" ".join(["très-bien-%d" % i for i in range(250)]) + " FIN")')
	"$PY" - "$long" "$org" >"$BATS_TEST_TMPDIR/people.json" <<'PY'
import json, sys
print(json.dumps({"atelier": {"title": "T", "date": "2026-01-05", "time": "09:00", "city": "Gap"},
                  "people": [{"name": sys.argv[1], "organisation": sys.argv[2], "category": "elu",
                              "civility": "Mme", "checkin_code": "123"}]}))
PY
	for kind in emargement badges attestations; do
		"$BUILDDIR/adf-print" $kind <"$BATS_TEST_TMPDIR/people.json" >"$BATS_TEST_TMPDIR/$kind.pdf" 2>"$BATS_TEST_TMPDIR/$kind.err"
		# no warning of a broken character, nothing from a sanitizer
		[ ! -s "$BATS_TEST_TMPDIR/$kind.err" ]
		pdftotext "$BATS_TEST_TMPDIR/$kind.pdf" - | tr -d '\n' >"$BATS_TEST_TMPDIR/$kind.txt"
		[[ "$(cat "$BATS_TEST_TMPDIR/$kind.txt")" != *$'\xef\xbf\xbd'* ]]
	done
	# the sheet shows the name as far as it fits its buffer, and says it was cut
	[[ "$(cat "$BATS_TEST_TMPDIR/emargement.txt")" == *"éé…"* ]]
	# a short check-in code is printed as it is
	[[ "$(cat "$BATS_TEST_TMPDIR/badges.txt")" == *"123"* ]]
	"$PY" - "$comment" >"$BATS_TEST_TMPDIR/cycle.json" <<'PY'
import json, sys
print(json.dumps({"cycle": {"name": "Cycle"}, "totals": {"ateliers": 1},
                  "ateliers": [{"title": "T", "survey": {"comments": [sys.argv[1]]}}]}))
PY
	"$BUILDDIR/adf-print" restitution <"$BATS_TEST_TMPDIR/cycle.json" >"$BATS_TEST_TMPDIR/r.pdf"
	# the comment whole: its last word is there
	pdftotext "$BATS_TEST_TMPDIR/r.pdf" - | tr '\n' ' ' | grep -q "très-bien-249 FIN"
}

@test "watch: adfd pushes a new view when something changes; watchers outlive the idle timeout; Ctrl-C leaves" {
	stop_adfd
	start_adfd 'limits = { idle_timeout = 1; };'
	reg 1 Mme "Marie Dupont" marie@example.fr "CD 05" elu >/dev/null
	"$ADFCTL" -s "$SOCK" watch 1 --json >"$BATS_TEST_TMPDIR/w1" 3>&- &
	w1=$!
	# no id: today's Atelier
	"$ADFCTL" -s "$SOCK" watch --json >"$BATS_TEST_TMPDIR/w2" 3>&- &
	w2=$!
	wait_until 10 test -s "$BATS_TEST_TMPDIR/w1"
	wait_until 10 test -s "$BATS_TEST_TMPDIR/w2"
	[ "$(last_view "$BATS_TEST_TMPDIR/w1" 'd["atelier"]["id"], d["registrations"]["confirmed"], d["registrations"]["attended"]')" = "(1, 1, 0)" ]
	[ "$(last_view "$BATS_TEST_TMPDIR/w2" 'd["atelier"]["id"]')" = 1 ]
	# Marie's confirmation goes out: the view follows the mail too
	wait_until 10 sh -c "tail -n 1 '$BATS_TEST_TMPDIR/w1' | grep -q '\"sent\": *1'"
	[ "$(last_view "$BATS_TEST_TMPDIR/w1" 'd["mail"]["pending"]')" -eq 0 ]
	views=$(wc -l <"$BATS_TEST_TMPDIR/w1")
	sleep 1.5 # past the idle timeout: the behaviour under test (nothing said, nobody dropped)
	[ "$(wc -l <"$BATS_TEST_TMPDIR/w1")" -eq "$views" ]
	[ "$(ctl status --json | pyjson 'd["clients"]')" -eq 3 ]
	ctl checkin 1 marie@example.fr >/dev/null
	wait_until 10 sh -c "tail -n 1 '$BATS_TEST_TMPDIR/w1' | grep -q '\"attended\": *1'"
	[ "$(last_view "$BATS_TEST_TMPDIR/w1" '[p["name"] for p in d["recent"]]')" = "['Marie Dupont']" ]
	wait_until 10 sh -c "tail -n 1 '$BATS_TEST_TMPDIR/w2' | grep -q '\"attended\": *1'"
	# a registration and its confirmation mail: the view follows both
	reg 1 M. "Éric Gorde" eric@example.fr "" agent >/dev/null
	wait_until 10 sh -c "tail -n 1 '$BATS_TEST_TMPDIR/w1' | grep -q '\"confirmed\": *1'"
	# Ctrl-C leaves with 0; adfd lets the connection go
	kill -INT "$w1"
	rc=0
	wait "$w1" || rc=$?
	[ "$rc" -eq 0 ]
	wait_until 10 sh -c "[ \"\$('$ADFCTL' -s '$SOCK' status --json | '$PY' -c 'import json,sys; print(json.load(sys.stdin)[\"clients\"])')\" -eq 2 ]"
	kill -INT "$w2"
	wait "$w2" || true
	# the human view, as a plain terminal shows it
	run timeout -s INT 2 "$ADFCTL" -s "$SOCK" watch 1
	[[ "$output" == *"Atelier 1 — Les solidarités territoriales"* ]]
	[[ "$output" == *"Checked in          1 of 2 expected"* ]]
	[[ "$output" == *"Marie Dupont — CD 05"* ]]
	# no Atelier of that id: said at once
	run ctl watch 99
	[ "$status" -eq 1 ]
	[[ "$output" == *"no Atelier 99"* ]]
}

@test "after the Atelier: thanks and the replay to who came, the replay to who did not, thanks to speakers; once" {
	stop_adfd
	start_sink
	HTTP_PORT=$(free_port)
	BASE="http://127.0.0.1:$HTTP_PORT"
	start_adfd "mail = { transport = \"smtp\"; smtp_url = \"smtp://127.0.0.1:$SINK_PORT\";
		from = \"ateliers@departements.fr\"; retry_base = 1; };" \
		"http = { port = $HTTP_PORT; base_url = \"$BASE\"; };"
	reg 1 Mme "Marie Dupont" marie@example.fr "CD 05" elu >/dev/null
	reg 1 M. "Éric Gorde" eric@example.fr "" agent >/dev/null
	reg 1 M. "Paul Durand" paul@example.fr "" public >/dev/null
	ctl checkin 1 marie@example.fr >/dev/null
	ctl checkin 1 eric@example.fr >/dev/null
	ctl person add --civility Mme --first Claire --last Dumas --email claire@example.fr >/dev/null
	ctl session add 1 --kind table-ronde --title "L'accès aux droits" --start 09:00 --end 10:00 >/dev/null
	ctl speaker add 1 1 --role intervenant >/dev/null
	# Bordeaux's Atelier: someone registered, nobody checked in
	reg 2 Mme "Anne Roux" anne@example.fr "CD 33" elu >/dev/null
	run ctl atelier links 1 --replay-url "javascript:alert(1)"
	[ "$status" -eq 1 ]
	[[ "$output" == *"is not an http:// or https:// address"* ]]
	ctl atelier links 1 --replay-url https://video.example.fr/atelier-gap \
		--slides-url https://ateliers.example.fr/supports/gap.pdf >/dev/null
	run ctl reminder set 1 --name x --offset 1d --after 1d --template merci-participants
	[ "$status" -eq 1 ]
	run ctl reminder set 1 --name x --offset 1d --audience attendees --template merci-participants
	[ "$status" -eq 1 ]
	[[ "$output" == *"after it also attendees"* ]]
	run ctl reminder set 1 --name x --after 31d --template merci-participants
	[ "$status" -eq 1 ]
	# what tomorrow brings: the mails after today's Atelier, to those registered
	[ "$(ctl mail upcoming --days 2 --json | pyjson 'sorted(set(r["rule"] for r in d if r["atelier"] == 1))')" = "['merci', 'merci-intervenants', 'replay']" ]
	# Gap's door is open: the thanks to who came, the replay to who did not
	[ "$(ctl mail upcoming --days 2 --json | pyjson 'sorted((r["rule"], r["to"], r["if_attendance"]) for r in d if r["atelier"] == 1)')" = "[('merci', 'eric@example.fr', False), ('merci', 'marie@example.fr', False), ('merci-intervenants', 'claire@example.fr', False), ('replay', 'paul@example.fr', False)]" ]
	# Bordeaux's is not: those registered, depending on attendance
	[ "$(ctl mail upcoming --days 40 --json | pyjson 'sorted((r["rule"], r["to"], r["if_attendance"]) for r in d if r["atelier"] == 2 and r["rule"] in ("merci", "replay"))')" = "[('merci', 'anne@example.fr', True), ('replay', 'anne@example.fr', True)]" ]
	run env LC_ALL=fr_FR.UTF-8 "$ADFCTL" -s "$SOCK" mail upcoming --days 40
	[[ "$output" == *"selon la présence"* ]]
	# a draft has nothing to show
	ctl atelier add --draft --date "$(workday 60)" --time 09:00 >/dev/null
	run ctl atelier links 3 --replay-url https://video.example.fr/x
	[ "$status" -eq 1 ]
	[[ "$output" == *"Atelier 3 is draft: it has nothing to show"* ]]
	# the four confirmations go first
	wait_until 30 sink_has 4
	stop_adfd
	# both days were two days ago, the Ateliers made the day before: their
	# mails after the end (J+1) are due
	"$PY" - "$TMP/adf.db" <<'PY'
import datetime, sqlite3, sys, zoneinfo
paris = zoneinfo.ZoneInfo("Europe/Paris")
day = datetime.datetime.now(paris).date() - datetime.timedelta(days=2)
start = datetime.datetime.combine(day, datetime.time(0, 1), paris).astimezone(datetime.timezone.utc)
made = (start - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
db = sqlite3.connect(sys.argv[1])
with db:
    db.execute("UPDATE atelier SET date = ?, start_time = '00:01', end_time = '00:02',"
               " starts_at = ?, created_at = ?", (day.isoformat(), start.strftime("%Y-%m-%dT%H:%M:%SZ"), made))
PY
	restart_adfd
	# Marie and Éric thanked, Paul sent the replay, Claire thanked as a speaker
	wait_until 30 sink_has 8
	wait_until 30 queue_settled
	stop_adfd
	plans=$(grep -c 'mail planning: done' "$LOG")
	restart_adfd
	# the planner ran again after the restart and the mailer has nothing left
	wait_until 30 planned_since "$plans"
	wait_until 30 queue_settled
	[ "$(sink_count)" -eq 8 ]
	mails >"$TMP/mails.json"
	after() { pyjson "sorted((m['to'], m['subject'].split(' :')[0]) for m in d if not m['subject'].startswith('Inscription'))" <"$TMP/mails.json"; }
	[ "$(after)" = "[('claire@example.fr', 'Merci pour votre intervention'), ('eric@example.fr', 'Merci de votre venue'), ('marie@example.fr', 'Merci de votre venue'), ('paul@example.fr', \"Vous n'avez pas pu venir\")]" ]
	body() { pyjson "[m['body'] for m in d if m['to'] == '$1' and not m['subject'].startswith('Inscription')][0]" <"$TMP/mails.json" | tr -d '\r'; }
	body marie@example.fr >"$TMP/marie.txt"
	grep -q "^Madame,$" "$TMP/marie.txt"
	grep -q "Revoir l'Atelier : https://video.example.fr/atelier-gap" "$TMP/marie.txt"
	grep -q "à Gap (Hautes-Alpes)." "$TMP/marie.txt"
	# a hint with nothing to say leaves no hole: never two blank lines in a row
	[ "$(ctl mail preview merci-participants --atelier 2 | "$PY" -c 'import sys; print("\n\n\n" in sys.stdin.read().strip())')" = False ]
	[ "$(ctl mail preview merci-participants --atelier 2 | hits -c "Revoir")" -eq 0 ]
	grep -q "Les supports des intervenants : https://ateliers.example.fr/supports/gap.pdf" "$TMP/marie.txt"
	# no cancel link after the day, no invitation to a past event
	[ "$(hits -c "annuler" "$TMP/marie.txt")" -eq 0 ]
	[ "$(pyjson "[m['ics'] for m in d if not m['subject'].startswith('Inscription')]" <"$TMP/mails.json")" = "[None, None, None, None]" ]
	body paul@example.fr | grep -q "Revoir l'Atelier : https://video.example.fr/atelier-gap"
	# those who came are asked their opinion, by their own link; not the others
	survey=$(grep -o "Votre avis en deux minutes, anonyme : .*" "$TMP/marie.txt" | sed 's/.* : //')
	[ "$survey" = "$BASE/avis/$(ctl registration show 1 --json | pyjson 'd["token"]')" ]
	[ "$(body paul@example.fr | hits -c "Votre avis")" -eq 0 ]
	web() { curl -sS -o "$TMP/body" -w '%{http_code}' -b "$TMP/jar" -c "$TMP/jar" "$@"; }
	[ "$(web "$survey")" = 200 ]
	[ "$(grep -c 'type="radio"' "$TMP/body")" -eq 20 ]
	csrf=$(awk '$6 == "adf_csrf" {print $7}' "$TMP/jar")
	[ "$(web --data "csrf=$csrf&contenu=5&intervenants=4&organisation=5&utilite=6" "$survey")" = 400 ]
	[ "$(web --data-urlencode "csrf=$csrf" --data "contenu=5&intervenants=4&organisation=5&utilite=3" \
		--data-urlencode "commentaire=Très concret, merci à l'équipe de Gap" "$survey")" = 200 ]
	grep -q "Merci de votre avis" "$TMP/body"
	# once per registration
	[ "$(web --data "csrf=$csrf&contenu=1&intervenants=1&organisation=1&utilite=1" "$survey")" = 409 ]
	# a comment that would drive the organiser's terminal is refused
	eric=$(grep -o "Votre avis en deux minutes, anonyme : .*" <(body eric@example.fr) | sed 's/.* : //')
	[ "$(web --data "csrf=$csrf&contenu=5&intervenants=5&organisation=5&utilite=5&commentaire=a%1b%5b31mrouge" "$eric")" = 400 ]
	[ "$(web --data "csrf=$csrf&contenu=5&intervenants=5&organisation=5&utilite=5&commentaire=x%e2%80%aey" "$eric")" = 400 ]
	[ "$(web "$BASE/avis/$(ctl registration show 3 --json | pyjson 'd["token"]')")" = 200 ]
	grep -q "réservé aux personnes venues" "$TMP/body"
	run ctl atelier stats 1 --json
	# one answer would name its author: counted, not shown
	[ "$(echo "$output" | pyjson 'd["survey"]["answers"], d["survey"]["averages"]["themes"], d["survey"]["withheld"]')" = "(1, None, True)" ]
	# the Atelier's page, now that it took place, gives its replay and slides
	[ "$(web "$BASE/ateliers/1")" = 200 ]
	grep -q '<a href="https://video.example.fr/atelier-gap">Revoir l'"'"'Atelier</a>' "$TMP/body"
	grep -q '<a href="https://ateliers.example.fr/supports/gap.pdf">Les supports des intervenants</a>' "$TMP/body"
	# anonymous: the answer is kept apart from who gave it, and neither side
	# keeps a time that would join them
	columns() { "$PY" -c 'import sqlite3, sys; print([c[1] for c in sqlite3.connect(sys.argv[1]).execute("PRAGMA table_info(%s)" % sys.argv[2])])' "$TMP/adf.db" "$1"; }
	[ "$(columns survey_answer)" = "['id', 'atelier_id', 'contenu', 'intervenants', 'organisation', 'utilite', 'comment']" ]
	[ "$(columns survey_done)" = "['registration_id']" ]
	body claire@example.fr | grep -q "^Madame,$"
	# Bordeaux: nobody checked in, so nobody is told they did not come
	[ "$(pyjson "len([m for m in d if m['to'] == 'anne@example.fr'])" <"$TMP/mails.json")" -eq 1 ]
	run ctl reminder list 2 --json
	[[ "$(echo "$output" | pyjson '[r["outcome"] for r in d if r["name"] == "replay"][0]')" == "nobody was checked in, no mail to no-shows; queued: 0" ]]
	run ctl reminder list 1 --json
	[ "$(echo "$output" | pyjson '[(r["name"], r["after"], r["outcome"]) for r in d if r["after"]]')" = "[('merci', True, 'queued: 2'), ('replay', True, 'queued: 1'), ('merci-intervenants', True, 'queued: 1')]" ]
}

@test "the survey's answers: shown from five, stored in an order that says nothing of when they came" {
	stop_adfd
	HTTP_PORT=$(free_port)
	BASE="http://127.0.0.1:$HTTP_PORT"
	start_adfd "http = { port = $HTTP_PORT; base_url = \"$BASE\"; };"
	ctl atelier add --departement 05 --date "$(paris_day)" --time 00:01 --end 23:59 --title Avis \
		--venue V --city Gap --capacity 30 --force >/dev/null
	web() { curl -sS -o "$TMP/body" -w '%{http_code}' -b "$TMP/jar" -c "$TMP/jar" "$@"; }
	for i in $(seq -w 1 20); do
		id=$(ctl register 3 --name "Personne $i" --email "p$i@example.fr" --category public --checkin --json | pyjson 'd["id"]')
		token=$(ctl registration show "$id" --json | pyjson 'd["token"]')
		[ "$(web "$BASE/avis/$token")" = 200 ]
		csrf=$(awk '$6 == "adf_csrf" {print $7}' "$TMP/jar")
		[ "$(web --data "csrf=$csrf&contenu=4&intervenants=4&organisation=4&utilite=4&commentaire=ordre-$i-fin" "$BASE/avis/$token")" = 200 ]
		# four answers are not enough to show; five are
		if [ "$i" = 04 ]; then
			[ "$(ctl atelier stats 3 --json | pyjson 'd["survey"]["answers"], d["survey"]["withheld"], d["survey"]["averages"]["themes"]')" = "(4, True, None)" ]
		fi
		if [ "$i" = 05 ]; then
			[ "$(ctl atelier stats 3 --json | pyjson 'd["survey"]["answers"], d["survey"]["withheld"], d["survey"]["averages"]["themes"]')" = "(5, False, 4.0)" ]
		fi
	done
	# a comment too long, in a script of three bytes a character: adfd
	# refuses it in French (not libevent, with a bare 413) and gives the
	# form back as it was typed
	id=$(ctl register 3 --name "Longue" --email long@example.fr --category public --checkin --json | pyjson 'd["id"]')
	token=$(ctl registration show "$id" --json | pyjson 'd["token"]')
	web "$BASE/avis/$token" >/dev/null
	csrf=$(awk '$6 == "adf_csrf" {print $7}' "$TMP/jar")
	long=$("$PY" -c 'print("漢" * 2001)')
	[ "$(web --data "csrf=$csrf&contenu=2&intervenants=3&organisation=4&utilite=5" --data-urlencode "commentaire=$long" "$BASE/avis/$token")" = 400 ]
	grep -q "Votre commentaire compte 2001 caractères : raccourcissez-le à 2000 au plus." "$TMP/body"
	grep -q "<title>Erreur : votre avis" "$TMP/body"
	grep -q "aria-invalid=\"true\"" "$TMP/body"
	grep -q "$long</textarea>" "$TMP/body"
	[ "$(grep -o 'value="[0-9]" required checked' "$TMP/body" | tr -d '\n')" = 'value="2" required checkedvalue="3" required checkedvalue="4" required checkedvalue="5" required checked' ]
	# the longest comment allowed, four bytes a character, is taken
	[ "$(web --data "csrf=$csrf&contenu=2&intervenants=3&organisation=4&utilite=5" --data-urlencode "commentaire=$("$PY" -c 'print("𝄞" * 2000)')" "$BASE/avis/$token")" = 200 ]
	stop_adfd
	# where each comment lies in the file, in the order they were sent
	run "$PY" - "$TMP/adf.db" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
where = [data.find(b"ordre-%02d-fin" % i) for i in range(1, 21)]
assert all(w >= 0 for w in where), where
assert all(data.count(b"ordre-%02d-fin" % i) == 1 for i in range(1, 21)), "a copy was left"
up = sum(1 for a, b in zip(where, where[1:]) if b > a)
# in the order sent, or its reverse, the file would tell who came when
print(up)
PY
	[ "$status" -eq 0 ]
	[ "$output" -gt 2 ]
	[ "$output" -lt 17 ]
	restart_adfd
}

@test "the cycle's restitution, HTML and PDF from one data path: each Atelier, its programme, practices, attendance" {
	stop_adfd
	rm -f "$TMP"/adf.db*
	restart_adfd
	load_fixture cycle-2017.ndjson
	load_fixture gap-programme.ndjson
	load_fixture practices.ndjson
	n=$(ctl atelier list --cycle 1 --json | pyjson 'len([a for a in d if a["status"] in ("scheduled", "held")])')
	[ "$n" -ge 6 ]
	ctl cycle restitution 1 >"$TMP/r.html"
	# a sound HTML page, French, with every Atelier of the tour
	"$PY" - "$TMP/r.html" <<'PY'
import html.parser, sys
class Check(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.text = []
    def handle_starttag(self, tag, attrs):
        if tag not in ("meta", "br"): self.stack.append(tag)
    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()
    def handle_data(self, data): self.text.append(data)
c = Check(); c.feed(open(sys.argv[1], encoding="utf-8").read())
assert not c.stack, c.stack
print(" ".join(" ".join(c.text).split()), file=open(sys.argv[1] + ".txt", "w"))
PY
	for want in "Restitution : Cycle 2017-2018" "Hautes-Alpes — Les Hautes-Alpes agissent utile et solidaire" \
		"Rhône — Le Rhône, un Pacte territorial pour les solidarités" "mercredi 27 septembre 2017" \
		"L'Agence de Développement des Hautes-Alpes" "Les bonnes pratiques présentées" \
		"Le cycle en chiffres" "0 inscrit, 0 présent"; do
		grep -qF "$want" "$TMP/r.html.txt" || { echo "missing: $want"; return 1; }
	done
	ctl cycle restitution 1 --format pdf >"$TMP/r.pdf"
	pdftotext "$TMP/r.pdf" - | tr '\n' ' ' >"$TMP/r.pdf.txt"
	for want in "Restitution : Cycle 2017-2018" "Les Hautes-Alpes agissent utile et solidaire" \
		"Le Rhône, un Pacte territorial" "Le cycle en chiffres" "Les bonnes pratiques présentées"; do
		grep -qF "$want" "$TMP/r.pdf.txt" || { echo "missing in the PDF: $want"; return 1; }
	done
	# a page for each Atelier, one to open and one for the totals at least
	[ "$(pdfinfo "$TMP/r.pdf" | awk '/^Pages:/ {print $2}')" -ge "$((n + 1))" ]
	run ctl cycle restitution 9
	[ "$status" -eq 1 ]
	[[ "$output" == *"no cycle 9"* ]]
	run script -qec "$ADFCTL -s $SOCK cycle restitution 1 --format pdf" /dev/null
	[ "$status" -eq 2 ]
}
