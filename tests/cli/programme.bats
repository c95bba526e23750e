#!/usr/bin/env bats
# The programme: people, sessions, speakers, conflicts, renderings,
# iCalendar, good practices.

load helpers

setup() {
	start_adfd
	load_fixture cycle-2017.ndjson
}
teardown() { teardown_adfd; }

load_gap() { load_fixture gap-programme.ndjson; }

# ics_check PYTHON: runs Python on the parsed calendar read from stdin (cal).
ics_check() {
	"$PY" -c 'import sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
events = [c for c in cal.walk("VEVENT")]
'"$1"
}

@test "the Gap programme of the seeds renders as expected" {
	load_gap
	run ctl atelier programme 1
	[ "$status" -eq 0 ]
	diff -u "$TESTS_SRCDIR/fixtures/gap-programme.txt" <(ctl atelier programme 1)
	[[ "$output" == *"MERCREDI 27 SEPTEMBRE 2017 - 8 h 30"* ]]
	[[ "$output" == *"1re édition"* ]]
	[[ "$output" == *"  - M. Marc Ventre, Président du conseil d'administration d'ArianeGroup"* ]]
	run ctl atelier check 1 --json
	[ "$output" = "[]" ]
}

@test "a labo with two moderators and three speakers, from seed 002" {
	ctl batch >/dev/null <<'EOF2'
{"cmd":"person.add","args":{"civility":"M.","first":"P.","last":"Camani","role":"président du Conseil général du Lot-et-Garonne"}}
{"cmd":"person.add","args":{"civility":"M.","first":"P.","last":"Adnot","role":"président du Conseil général de l'Aube"}}
{"cmd":"person.add","args":{"civility":"M.","first":"S.","last":"Vincent","role":"coordinateur du consortium Réacteur public"}}
{"cmd":"person.add","args":{"civility":"M.","first":"B.","last":"Janet","org":"Orange"}}
{"cmd":"person.add","args":{"civility":"M.","first":"G.","last":"Darde","org":"Elior"}}
{"cmd":"session.add","args":{"atelier":2,"kind":"labo","title":"Inventer le nouveau service public","start":"09:30","end":"11:00"}}
{"cmd":"speaker.add","args":{"session":1,"person":1,"role":"animateur"}}
{"cmd":"speaker.add","args":{"session":1,"person":2,"role":"animateur"}}
{"cmd":"speaker.add","args":{"session":1,"person":3,"role":"intervenant"}}
{"cmd":"speaker.add","args":{"session":1,"person":4,"role":"intervenant"}}
{"cmd":"speaker.add","args":{"session":1,"person":5,"role":"intervenant"}}
EOF2
	run ctl atelier programme 2
	[[ "$output" == *"9 h 30 - 11 h · Laboratoire
Inventer le nouveau service public
  Animateurs :
  - M. P. Camani, président du Conseil général du Lot-et-Garonne
  - M. P. Adnot, président du Conseil général de l'Aube
  Intervenants :
  - M. S. Vincent, coordinateur du consortium Réacteur public
  - M. B. Janet, Orange
  - M. G. Darde, Elior"* ]]
	run ctl atelier programme 2 --format markdown
	[[ "$output" == *"## 9 h 30 - 11 h · Laboratoire : Inventer le nouveau service public"* ]]
	[[ "$output" == *"- Animateurs :"* ]]
	# no needless escapes: a hyphen or a full stop inside a line is text
	[ "$(hits -cF '\-' <<<"$output")" -eq 0 ]
	[ "$(hits -cF '\.' <<<"$output")" -eq 0 ]
	# what markup would read is escaped, a list's marker where a line starts
	ctl session update 1 --title '*Vite* [lien](x) <b> - 3. fin' >/dev/null
	run ctl atelier programme 2 --format markdown
	[[ "$output" == *'\*Vite\* \[lien\](x) \<b\> - 3. fin'* ]]
}

@test "HTML escapes what it prints, and is a standalone page with print CSS" {
	load_gap
	ctl session update 2 --title '<script>alert("x")</script> & co'
	run ctl atelier programme 1 --format html
	[ "$status" -eq 0 ]
	[[ "$output" == "<!DOCTYPE html>"* ]]
	[[ "$output" == *'&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co'* ]]
	[[ "$output" != *"<script>"* ]]
	[[ "$output" == *"@media print"* ]]
	[[ "$output" == *"<li>M. Marc Ventre, Président du conseil d&#39;administration d&#39;ArianeGroup</li>"* ]]
	"$PY" -c 'import html.parser,sys; html.parser.HTMLParser().feed(sys.stdin.read())' <<<"$output"
}

@test "sessions keep inside the Atelier's day and do not overlap unless forced" {
	load_gap
	run ctl session add 1 --kind labo --title Tôt --start 07:30 --end 08:45
	[ "$status" -eq 1 ]
	[[ "$output" == *"bad_request: the session starts at 07:30, before the Atelier (08:30)"* ]]
	run ctl session add 1 --kind labo --title Tard --start 12:00 --end 13:00
	[[ "$output" == *"ends at 13:00, after the Atelier (12:30)"* ]]
	run ctl session add 1 --kind labo --title Envers --start 11:00 --end 10:00
	[[ "$output" == *"end 10:00 is not after the start 11:00"* ]]
	run ctl session add 1 --kind labo --title Chevauche --start 10:00 --end 11:00
	[ "$status" -eq 1 ]
	[[ "$output" == *"10:00-11:00 overlaps session 2 \"L'Agence de Développement des Hautes-Alpes\" (09:00-10:30)"* ]]
	run ctl session add 1 --kind labo --title Chevauche --start 10:00 --end 11:00 --force
	[ "$status" -eq 0 ]
	run ctl atelier check 1
	[[ "$output" == *"conflict"*"session 2 (09:00-10:30) overlaps session 5"* ]]
	[[ "$output" == *"gap"*"session 5 \"Chevauche\" (labo) has no animateur"* ]]
	run ctl session move 5 --start 12:10
	[ "$status" -eq 1 ]
	[[ "$output" == *"ends at 13:10, after the Atelier"* ]]
}

@test "a speaker in two overlapping sessions is refused, naming both" {
	load_gap
	ctl session add 1 --kind labo --title "Labo parallèle" --start 09:30 --end 10:15 --force
	run ctl speaker add 5 3 --role intervenant
	[ "$status" -eq 1 ]
	[[ "$output" == *"M. Marc Ventre already speaks in session 2 \"L'Agence de Développement des Hautes-Alpes\" (09:00-10:30, Gap) of Atelier 1, at the same time: not also in session 5 \"Labo parallèle\" (09:30-10:15, Gap)"* ]]
	run ctl speaker add 5 3 --role intervenant --force
	[ "$status" -eq 0 ]
	run ctl atelier check 1
	[[ "$output" == *"M. Marc Ventre speaks in session"* ]]
	# moving a session onto a speaker's other booking is refused as well
	run ctl session move 4 --start 11:30 --force
	run ctl speaker add 1 7 --role intervenant
	run ctl session move 1 --start 11:00
	[ "$status" -eq 1 ]
}

@test "a speaker on two Ateliers in different cities the same day is refused" {
	load_gap
	ctl atelier add --departement 69 --date 2017-09-27 --time 14:00 --title "Rhône" \
		--venue "Hôtel du Département" --city Lyon --capacity 100
	ctl session add 9 --kind discours --title "Ouverture" --start 14:00 --end 14:30
	run ctl speaker add 5 1 --role intervenant
	[ "$status" -eq 1 ]
	[[ "$output" == *"M. Jean-Marie Bernard already speaks in session 1 \"Discours introductif\" (08:30-09:00, Gap) of Atelier 1, in another city the same day"* ]]
	run ctl speaker add 5 1 --role intervenant --force
	[ "$status" -eq 0 ]
	run ctl person schedule 1 --json
	[ "$(echo "$output" | pyjson '" ".join(x["city"] for x in d)')" = "Gap Lyon" ]
}

@test "people: e-mail unique after case folding, namesakes need force, bad e-mail refused" {
	ctl person add --civility Mme --first L. --last Barthe --email l.barthe@univ-toulouse.fr \
		--role "enseignante-chercheure en géographie" --org "Université de Toulouse"
	run ctl person add --first Lucie --last Barthe --email L.BARTHE@univ-toulouse.fr
	[ "$status" -eq 1 ]
	[[ "$output" == *"person 1 already has the e-mail"* ]]
	ctl person add --civility M. --first Jean-Marie --last Bernard
	run ctl person add --first "jean marie" --last "BERNARD"
	[ "$status" -eq 1 ]
	[[ "$output" == *"M. Jean-Marie Bernard exists already as person 2: use force to add a namesake"* ]]
	run ctl person add --first "jean marie" --last "BERNARD" --force
	[ "$status" -eq 0 ]
	run ctl person add --first X --last Y --email "not an address"
	[ "$status" -eq 1 ]
	[[ "$output" == *"is not a valid e-mail address"* ]]
	run ctl person list --search "barthé" --json
	[ "$(echo "$output" | pyjson 'd[0]["name"]')" = "Mme L. Barthe" ]
	run ctl person update 1 --role "maîtresse de conférences"
	[[ "$output" == *"maîtresse de conférences"* ]]
}

@test "unknown things are refused clearly" {
	load_gap
	run ctl speaker add 1 99 --role intervenant
	[ "$status" -eq 1 ]
	[[ "$output" == *"not_found: no person 99"* ]]
	run ctl session add 99 --kind labo --title X --start 09:00 --end 10:00
	[[ "$output" == *"not_found: no Atelier 99"* ]]
	run ctl speaker add 99 1 --role intervenant
	[[ "$output" == *"not_found: no session 99"* ]]
	run ctl speaker add 1 1 --role orateur
	[ "$status" -eq 2 ]
	run ctl atelier programme 99
	[ "$status" -eq 1 ]
	run ctl speaker remove 2 1
	[[ "$output" == *"person 1 does not speak in session 2"* ]]
}

@test "iCalendar: parses, Europe/Paris, stable UID, growing SEQUENCE, CANCELLED" {
	load_gap
	ctl atelier ical 1 >"$TMP/a.ics"
	run ics_check 'e = events[0]
tz = [c for c in cal.walk("VTIMEZONE")][0]
print(len(events), e["DTSTART"].params["TZID"], e["DTSTART"].dt.isoformat(), tz["TZID"], e["SEQUENCE"], e["STATUS"], e["LOCATION"])' <"$TMP/a.ics"
	[ "$output" = "1 Europe/Paris 2017-09-27T08:30:00+02:00 Europe/Paris 0 CONFIRMED Hôtel du Département, Gap" ]
	uid=$(ics_check 'print(events[0]["UID"])' <"$TMP/a.ics")
	run ics_check 'print("Marc Ventre" in str(events[0]["DESCRIPTION"]))' <"$TMP/a.ics"
	[ "$output" = True ]
	ctl atelier update 1 --title "Nouveau titre" >/dev/null
	# its sessions begin at 8 h 30: moved with them left as they are
	run ctl atelier update 1 --time 09:00
	[ "$status" -eq 1 ]
	[[ "$output" == *"would fall outside the Atelier's new hours"* ]]
	ctl atelier update 1 --time 09:00 --force >/dev/null
	run ics_check 'print(events[0]["UID"], events[0]["SEQUENCE"], events[0]["DTSTART"].dt.isoformat())' < <(ctl atelier ical 1)
	[ "$output" = "$uid 1 2017-09-27T09:00:00+02:00" ]
	ctl atelier cancel 1 >/dev/null
	run ics_check 'print(events[0]["UID"], events[0]["SEQUENCE"], events[0]["STATUS"])' < <(ctl atelier ical 1)
	[ "$output" = "$uid 2 CANCELLED" ]
	# no line longer than 75 octets: folded as RFC 5545 says
	ctl atelier ical 1 | "$PY" -c 'import sys; assert all(len(l) <= 75 for l in sys.stdin.buffer.read().split(b"\r\n"))'
}

@test "iCalendar: sessions as events, and the whole tour of a cycle" {
	load_gap
	run ics_check 'print(len(events), sorted(str(e["SUMMARY"]) for e in events)[0])' < <(ctl atelier ical 1 --sessions)
	[ "$output" = "5 Atelier des Départements : Les Hautes-Alpes agissent utile et solidaire" ]
	run ics_check 'print(len(events), len(set(str(e["UID"]) for e in events)), str(cal["X-WR-CALNAME"]))' < <(ctl cycle ical 1)
	[ "$output" = "8 8 Les Ateliers des Départements de France — Cycle 2017-2018" ]
	run ics_check 'print(sorted(e["DTSTART"].dt.isoformat() for e in events)[4])' < <(ctl cycle ical 1)
	[ "$output" = "2018-01-31T09:00:00+01:00" ]
}

@test "good practices: accents and case folded, ranked, with a snippet" {
	load_gap
	load_fixture practices.ndjson
	run ctl practice search "SOLIDARITE" --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | pyjson 'len(d)')" = 2 ]
	[[ "$(echo "$output" | pyjson 'd[0]["snippet"]')" == *"[solidarités]"* ]]
	run ctl practice search "logement" --json
	[ "$(echo "$output" | pyjson 'sorted(x["title"] for x in d)[0]')" = "Accompagner les jeunes majeurs issus de l'ASE" ]
	[ "$(echo "$output" | pyjson 'len(d)')" = 4 ]
	run ctl practice search "clé en main" --json
	[ "$(echo "$output" | pyjson 'd[0]["title"]')" = "Louer clé en main" ]
	run ctl practice show 7 --json
	[ "$(echo "$output" | pyjson 'd["atelier"]')" = 1 ]
	run ctl practice list --departement 33 --json
	[ "$(echo "$output" | pyjson 'len(d)')" = 3 ]
	# by its Département's name, as an organiser types it
	run ctl practice search "gironde" --json
	[ "$(echo "$output" | pyjson 'sorted(x["id"] for x in d)')" = "[1, 2, 4]" ]
	run ctl practice search "LOIRE ATLANTIQUE" --json
	[ "$(echo "$output" | pyjson '[x["departement"] for x in d]')" = "['44']" ]
	# a name and words: the words within that Département's practices
	run ctl practice search "logement gironde" --json
	[ "$(echo "$output" | pyjson 'sorted(x["id"] for x in d)')" = "[1, 2]" ]
	run ctl practice search "ille-et-vilaine" --json
	[ "$(echo "$output" | pyjson '[x["title"] for x in d]')" = "['Soutien aux logements sociaux']" ]
	# a name finds its Département's practices and the texts that name it
	ctl practice add --departement 26 --title Agrilocal --theme alimentation \
		--summary "Une plateforme de commande publique née dans la Drôme, reprise par le Puy-de-Dôme et d'autres Départements." >/dev/null
	run ctl practice search "puy-de-dome" --json
	[ "$(echo "$output" | pyjson '[(x["departement"], x["title"]) for x in d]')" = "[('26', 'Agrilocal')]" ]
	run ctl practice search "drome" --json
	[ "$(echo "$output" | pyjson '[(x["departement"], x["title"]) for x in d]')" = "[('26', 'Agrilocal')]" ]
}

@test "a good practice is corrected or deleted; one given its Atelier joins the restitution" {
	load_gap
	load_fixture practices.ndjson
	id=$(ctl practice add --departement 05 --title "Sans Atelier" --theme mobilite --summary "Un transport a la demande" --json | pyjson 'd["id"]')
	[ "$(ctl practice show "$id" --json | pyjson 'd["atelier"]')" = None ]
	# its Atelier, then a session of it (the Atelier follows)
	[ "$(ctl practice update "$id" --atelier 1 --summary "Un transport à la demande" --json | pyjson 'd["atelier"], d["summary"]')" = "(1, 'Un transport à la demande')" ]
	[ "$(ctl cycle restitution 1 --json | pyjson '[p["title"] for a in d["ateliers"] for p in a["practices"]]' | grep -c "Sans Atelier")" -eq 1 ]
	[ "$(ctl practice update "$id" --session 2 --json | pyjson 'd["atelier"], d["session"]')" = "(1, 2)" ]
	# the search follows the new text
	[ "$(ctl practice search "transport demande" --json | pyjson '[x["id"] for x in d]')" = "[$id]" ]
	# wrong links are refused, and nothing changes
	run ctl practice update "$id" --atelier 2 --session 2
	[ "$status" -eq 1 ]
	[[ "$output" == *"session 2 is not part of Atelier 2"* ]]
	run ctl practice update "$id" --departement 99
	[ "$status" -eq 2 ]
	run ctl practice update 999 --title x
	[ "$status" -eq 1 ]
	[[ "$output" == *"no good practice 999"* ]]
	[ "$(ctl practice show "$id" --json | pyjson 'd["departement"], d["atelier"], d["session"]')" = "('05', 1, 2)" ]
	ctl practice delete "$id" >/dev/null
	run ctl practice show "$id"
	[ "$status" -eq 1 ]
	[ "$(ctl practice search "transport demande" --json)" = "[]" ]
}

@test "a search with FTS syntax characters neither errs nor leaks" {
	load_gap
	load_fixture practices.ndjson
	for q in '"' 'logement AND' 'NEAR(' '*' 'a:b' "l'o*" '^x' '-logement' ')'; do
		run ctl practice search "$q"
		[ "$status" -eq 0 ] || [[ "$output" == *"bad_request: query: no word to search for"* ]]
		[[ "$output" != *"fts5"* && "$output" != *"syntax"* ]]
	done
	run ctl status
	[ "$status" -eq 0 ]
	run ctl practice add --departement 99 --title T --theme t --summary s
	[ "$status" -eq 2 ]
	run ctl practice add --departement 33 --title T --theme t --summary s --atelier 2 --session 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"session 1"* ]]
}
