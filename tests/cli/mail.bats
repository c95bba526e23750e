#!/usr/bin/env bats
# Mail, through a real SMTP server (aiosmtpd): reminders exactly once,
# notices, retries, failures, crash safety, sendmail and maildir.

load helpers

setup() { TMP=$(mktemp -d /tmp/adf-test.XXXXXX); chmod 755 "$TMP"; }
teardown() {
	stop_sink
	teardown_adfd
}

# adfd with SMTP to the sink, retries after 1 s, and extra settings.
start_mail_adfd() {
	start_adfd "mail = { transport = \"smtp\"; smtp_url = \"smtp://127.0.0.1:$SINK_PORT\";
		from = \"ateliers@departements.fr\"; reply_to = \"contact@departements.fr\";
		retry_base = 1; max_connections = 4; };" "$@"
}

# soon: "DATE TIME SECONDS": a start on a whole minute (Paris) at least 90 s
# ahead, and the seconds until it.
soon() {
	"$PY" -c '
import datetime, time, zoneinfo
paris = zoneinfo.ZoneInfo("Europe/Paris")
now = time.time()
t = datetime.datetime.fromtimestamp(now + 90, paris).replace(second=0, microsecond=0)
t += datetime.timedelta(minutes=1)
print(t.strftime("%Y-%m-%d"), t.strftime("%H:%M"), int(t.timestamp() - now))'
}

add_atelier() { # DATE TIME [CAPACITY]
	ctl atelier add --departement 05 --date "$1" --time "$2" --capacity "${3:-50}" --force \
		--title "Les Hautes-Alpes agissent utile et solidaire" \
		--venue "Hôtel du Département" --city Gap >/dev/null
}

count_subject() { # PREFIX: messages whose subject starts so
	mails | pyjson "len([m for m in d if m['subject'].startswith('$1')])"
}

subjects_at_least() { # PREFIX N
	[ "$(count_subject "$1")" -ge "$2" ]
}

@test "J-7/J-1 reminders arrive once each for every registrant and speaker, in French, with the invitation" {
	read -r date time secs < <(soon)
	start_sink
	start_mail_adfd "reminders = ( { name = \"j7\"; offset = \"$((secs - 6))s\"; template = \"rappel-j7\"; },
		{ name = \"j1\"; offset = \"$((secs - 14))s\"; template = \"rappel-j1\"; } );"
	add_atelier "$date" "$time"
	ctl register 1 --name "Marie Dupont" --email marie@example.fr --category elu >/dev/null
	ctl register 1 --name "Marc Ventre" --email marc.ventre@example.fr --category entreprise >/dev/null
	ctl person add --civility M. --first Marc --last Ventre --email Marc.Ventre@example.fr >/dev/null
	ctl person add --civility Mme --first Claire --last Dumas --email claire@example.fr >/dev/null
	ctl session add 1 --kind table-ronde --title "L'Agence" --start "$time" --end 23:59 >/dev/null
	ctl speaker add 1 1 --role intervenant >/dev/null
	ctl speaker add 1 2 --role animateur >/dev/null
	# J-7: Marie, Marc (registrant and speaker: one mail), Claire
	wait_until 30 subjects_at_least 'Rappel : Atelier des Départements — ' 3
	# registered after J-7 went: no stale J-7, but J-1
	ctl register 1 --name "Paul Tardif" --email paul@example.fr --category public >/dev/null
	# its template said "demain" once; it says the real delay now
	wait_until 30 subjects_at_least 'Rappel : Atelier des Départements — dans ' 4
	# nothing more comes: the planner's next run queues nothing twice
	plans=$(grep -c 'mail planning: done' "$LOG")
	ctl atelier update 1 --capacity 301 >/dev/null
	wait_until 30 planned_since "$plans"
	wait_until 30 queue_settled
	mails >"$TMP/mails.json"
	per() { pyjson "sorted((m['to'], 'j1' if '— dans ' in m['subject'] else 'j7') for m in d if m['subject'].startswith('Rappel'))" <"$TMP/mails.json"; }
	[ "$(per)" = "[('claire@example.fr', 'j1'), ('claire@example.fr', 'j7'), ('marc.ventre@example.fr', 'j1'), ('marc.ventre@example.fr', 'j7'), ('marie@example.fr', 'j1'), ('marie@example.fr', 'j7'), ('paul@example.fr', 'j1')]" ]
	# "Rappel : Atelier des Départements — mercredi 27 septembre, Gap"
	day=$(ctl atelier show 1 --json | pyjson 'd["when_fr"].split(" 20")[0]')
	[ "$(pyjson "sorted(set(m['subject'] for m in d if m['subject'].startswith('Rappel') and '— dans ' not in m['subject']))" <"$TMP/mails.json")" = \
		"['Rappel : Atelier des Départements — $day, Gap']" ]
	uid=$(ctl atelier ical 1 | "$PY" -c 'import sys, icalendar; print([c for c in icalendar.Calendar.from_ical(sys.stdin.buffer.read()).walk("VEVENT")][0]["UID"])')
	when=$(ctl atelier show 1 --json | pyjson 'd["when_fr"]')
	run pyjson "[(m['ics']['uid'] == '$uid', m['ics']['method'], m['ics']['tzid'], '$when' in m['body'], m['crlf_only'], m['max_line'] <= 998) for m in d if m['subject'].startswith('Rappel')]" <"$TMP/mails.json"
	[ "$output" = "$(printf "[%s]" "$(for i in 1 2 3 4 5 6 7; do printf "(True, 'REQUEST', 'Europe/Paris', True, True, True)%s" "$([ $i -lt 7 ] && echo ', ')"; done)")" ]
	# its programme has a session: announced above it
	[ "$(pyjson "len([m for m in d if m['subject'].startswith('Rappel') and 'Vous trouverez le programme ci-dessous.' in m['body']])" <"$TMP/mails.json")" -eq 7 ]
	# Claire is greeted as Madame; the confirmation came first for Paul
	pyjson "[m['body'].splitlines()[0] for m in d if m['to'] == 'claire@example.fr']" <"$TMP/mails.json" | grep -q "'Madame,', 'Madame,'"
	[ "$(pyjson "len([m for m in d if m['to'] == 'paul@example.fr' and m['subject'].startswith('Inscription confirmée')])" <"$TMP/mails.json")" = 1 ]
	run ctl mail queue --state pending --json
	[ "$output" = "[]" ]
}

@test "kill -9 while sending 200 reminders: after a restart each arrives, never twice with another Message-ID" {
	read -r date time secs < <(soon)
	start_sink
	start_mail_adfd "reminders = ( { name = \"j1\"; offset = \"$((secs - 8))s\"; template = \"rappel-j1\"; } );"
	add_atelier "$date" "$time" 300
	"$PY" -c 'import json
for i in range(200):
    print(json.dumps({"cmd": "register", "args": {"atelier": 1, "name": "Participant %d" % i, "email": "p%03d@example.fr" % i, "category": "public"}}))' | ctl batch >/dev/null
	# the 200 confirmations first, then the reminders: kill in the middle
	wait_until 60 subjects_at_least Rappel 30
	kill -9 "$ADFD_PID"
	wait "$ADFD_PID" || true
	ADFD_PID=
	restart_adfd
	wait_until 90 subjects_at_least Rappel 200
	# everything is sent: a duplicate would be there now
	wait_until 30 queue_settled
	mails | "$PY" -c '
import json, sys, collections
d = json.load(sys.stdin)
rem = [m for m in d if m["subject"].startswith("Rappel")]
by_to = collections.defaultdict(list)
for m in rem:
    by_to[m["to"]].append(m["message_id"])
assert len(by_to) == 200, len(by_to)
twice = {t: ids for t, ids in by_to.items() if len(ids) > 1}
# a message in flight at the kill may come again, with the same Message-ID
assert all(len(set(ids)) == 1 for ids in twice.values()), twice
assert len(twice) <= 4, twice
print("ok", len(twice))'
	run ctl mail queue --limit 1000 --json
	[ "$(echo "$output" | pyjson 'sorted(set(m["state"] for m in d))')" = "['sent']" ]
	[ "$(echo "$output" | pyjson 'len(d)')" = 400 ]
}

@test "the SMTP server is down, then comes back: mails wait, then go" {
	SINK_PORT=$(free_port)
	start_mail_adfd
	add_atelier "$(workday 100)" 09:00
	ctl register 1 --name "Marie Dupont" --email marie@example.fr --category elu >/dev/null
	wait_until 20 sh -c "'$ADFCTL' -s '$SOCK' mail queue --json | grep -q 'attempts\": 2'"
	run ctl mail queue --json
	# waiting for its next attempt, or in the middle of it: not sent, not failed
	[[ "$(echo "$output" | pyjson 'd[0]["state"]')" =~ ^(pending|sending)$ ]]
	[[ "$(echo "$output" | pyjson 'd[0]["last_error"]')" == *"onnect"* ]]
	start_sink
	wait_until 30 sink_has 1
	# the outcome is recorded a moment after the server's answer
	wait_until 10 sh -c "'$ADFCTL' -s '$SOCK' mail queue --json | grep -q 'state\": \"sent'"
	run ctl mail queue --json
	[ "$(echo "$output" | pyjson 'd[0]["state"]')" = sent ]
}

@test "a 4xx answer is retried; a 5xx ends in failed with the server's words; retry sends it to the fixed address" {
	start_sink
	start_mail_adfd
	add_atelier "$(workday 100)" 09:00
	ctl register 1 --name "Temp" --email tempfail-2@example.fr --category elu >/dev/null
	ctl register 1 --name "Rejet" --email reject@example.fr --category elu >/dev/null
	wait_until 30 sink_has 1
	wait_until 20 sh -c "'$ADFCTL' -s '$SOCK' mail failed --json | grep -q reject@"
	# the sink has the message a moment before its outcome is written
	wait_until 10 sh -c "'$ADFCTL' -s '$SOCK' mail queue --json | grep -q 'state\": \"sent'"
	run ctl mail queue --json
	[ "$(echo "$output" | pyjson '[(m["recipient"], m["state"], m["attempts"]) for m in d]')" = \
		"[('reject@example.fr', 'failed', 1), ('tempfail-2@example.fr', 'sent', 3)]" ]
	run ctl mail failed
	[[ "$output" == *"550 5.1.1 <reject@example.fr>: Recipient address rejected: User unknown"* ]]
	id=$(ctl mail failed --json | pyjson 'd[0]["id"]')
	run ctl mail retry "$id" --to "marie.fixed@example.fr"
	[ "$status" -eq 0 ]
	wait_until 20 sink_has 2
	[ "$(mails | pyjson '[m["to"] for m in d][-1]')" = marie.fixed@example.fr ]
	run ctl mail retry "$id"
	[ "$status" -eq 1 ]
	[[ "$output" == *"is not a failed message"* ]]
	run ctl mail retry "$id" --all-failed
	[ "$status" -eq 1 ]
	[[ "$output" == *"give a message id (and to), or all-failed, not both"* ]]
}

@test "moving an Atelier sends the moved notice and re-plans; cancelling sends the CANCEL; promotion has its mail" {
	start_sink
	start_mail_adfd
	add_atelier "$(workday 100)" 09:00 1
	ctl register 1 --name "Marie Dupont" --email marie@example.fr --category elu >/dev/null
	ctl register 1 --name "Jean Martin" --email jean@example.fr --category public >/dev/null
	wait_until 20 sink_has 2
	ctl registration cancel 1 >/dev/null
	wait_until 20 sink_has 4
	moved_to=$(workday 107)
	ctl atelier update 1 --date "$moved_to" >/dev/null
	wait_until 20 sink_has 5
	ctl atelier cancel 1 --reason "grève" >/dev/null
	wait_until 20 sink_has 6
	mails >"$TMP/m.json"
	run pyjson '[(m["to"], m["subject"].split(" :")[0], m["ics"] and (m["ics"]["method"], m["ics"]["sequence"], m["ics"]["status"])) for m in d]' <"$TMP/m.json"
	[ "$output" = "[('marie@example.fr', 'Inscription confirmée', ('REQUEST', 0, 'CONFIRMED')), ('jean@example.fr', \"Liste d'attente\", None), ('marie@example.fr', 'Inscription annulée', ('CANCEL', 0, 'CANCELLED')), ('jean@example.fr', \"Une place s'est libérée\", ('REQUEST', 0, 'CONFIRMED')), ('jean@example.fr', 'Changement', ('REQUEST', 1, 'CONFIRMED')), ('jean@example.fr', 'Annulation', ('CANCEL', 2, 'CANCELLED'))]" ]
	[[ "$(pyjson 'd[1]["body"]' <"$TMP/m.json")" == *"en position 1"* ]]
	[[ "$(pyjson 'd[4]["body"]' <"$TMP/m.json")" == *"$(date_fr "$moved_to")"* ]]
}

@test "the mails say what happened: a cancellation's reason, the old day and place beside the new; no invitation without a seat; every invitation ends" {
	start_sink
	start_mail_adfd
	day=$(workday 100)
	moved_to=$(workday 107)
	add_atelier "$day" 09:00 1
	ctl register 1 --name "Marie Dupont" --email marie@example.fr --category elu >/dev/null
	ctl register 1 --name "Jean Martin" --email jean@example.fr --category public >/dev/null
	wait_until 20 sink_has 2
	ctl atelier update 1 --date "$moved_to" --venue "Salle des fêtes" >/dev/null
	wait_until 20 sink_has 4
	# Jean leaves the waiting list: he never had a seat, nor an invitation
	ctl registration cancel 2 >/dev/null
	wait_until 20 sink_has 5
	ctl atelier cancel 1 --reason "grève des transports" >/dev/null
	wait_until 20 sink_has 6
	mails >"$TMP/m.json"
	run pyjson '[(m["to"], m["subject"].split(" :")[0], m["ics"] and m["ics"]["method"]) for m in d]' <"$TMP/m.json"
	[ "$output" = "[('marie@example.fr', 'Inscription confirmée', 'REQUEST'), ('jean@example.fr', \"Liste d'attente\", None), ('marie@example.fr', 'Changement', 'REQUEST'), ('jean@example.fr', 'Changement', None), ('jean@example.fr', 'Inscription annulée', None), ('marie@example.fr', 'Annulation', 'CANCEL')]" ]
	# no --end: the invitation lasts default_duration (240 minutes)
	[ "$(pyjson 'd[0]["ics"]["dtstart"][11:16], d[0]["ics"]["dtend"][11:16]' <"$TMP/m.json")" = "('09:00', '13:00')" ]
	# the change notice: what it was beside what it is
	body=$(pyjson 'd[2]["body"]' <"$TMP/m.json")
	[[ "$body" == *"Avant : $(date_fr "$day"), 9 h, Hôtel du Département, Gap"* ]]
	[[ "$body" == *"Désormais : $(date_fr "$moved_to"), 9 h, Salle des fêtes, Gap"* ]]
	# the cancellation gives its reason
	[[ "$(pyjson 'd[5]["body"]' <"$TMP/m.json")" == *"est annulé. Motif : grève des transports."* ]]
}

@test "a template with an unknown variable is refused at load with file:line" {
	mkdir -p "$TMP/tpl"
	printf 'Subject: Rappel\n\nBonjour {{person.name}},\nle {{atelier.nope}}\n' >"$TMP/tpl/rappel-j7.txt"
	printf 'mail = { templates_directory = "%s"; };\n' "$TMP/tpl" >"$TMP/bad.conf"
	run "$ADFD" -n -c "$TMP/bad.conf"
	[ "$status" -eq 78 ]
	[[ "$output" == *"$TMP/tpl/rappel-j7.txt:4: unknown variable {{atelier.nope}}"* ]]
	printf 'Sujet: Rappel\n\nx\n' >"$TMP/tpl/rappel-j7.txt"
	run "$ADFD" -n -c "$TMP/bad.conf"
	[[ "$output" == *"rappel-j7.txt:1: the first line must be \"Subject: ...\""* ]]
	printf 'reminders = ( { name = "j3"; offset = "3d"; template = "nulle-part"; } );\n' >"$TMP/bad2.conf"
	run "$ADFD" -n -c "$TMP/bad2.conf"
	[ "$status" -eq 78 ]
	[[ "$output" == *"uses the template \"nulle-part\", which does not exist"* ]]
	printf 'reminders = ( { name = "j3"; offset = "3 jours"; template = "rappel-j7"; } );\n' >"$TMP/bad3.conf"
	run "$ADFD" -n -c "$TMP/bad3.conf"
	[[ "$output" == *"bad3.conf:1: reminders: offset \"3 jours\""* ]]
}

@test "sendmail transport: a stand-in sendmail gets the message and its arguments" {
	cat >"$TMP/sendmail" <<SH
#!/bin/sh
echo "\$@" >>"$TMP/sendmail.args"
cat >"$TMP/sendmail.\$\$.eml"
SH
	chmod 755 "$TMP/sendmail"
	mkdir -p "$TMP/sent"
	start_adfd "mail = { transport = \"sendmail\"; sendmail = \"$TMP/sendmail\"; from = \"ateliers@departements.fr\"; };"
	add_atelier "$(workday 100)" 09:00
	ctl register 1 --name "Marie Dupont" --email marie@example.fr --category elu >/dev/null
	ctl mail test jean@example.fr >/dev/null
	wait_until 20 sh -c "ls '$TMP'/sendmail.*.eml 2>/dev/null | wc -l | grep -qx 2"
	wait_until 20 sh -c "'$ADFCTL' -s '$SOCK' mail queue --state sent --json | grep -q jean@"
	[ "$(sort -u "$TMP/sendmail.args")" = "-t -i" ]
	mv "$TMP"/sendmail.*.eml "$TMP/sent/"
	run mails "$TMP/sent"
	[ "$(echo "$output" | pyjson 'sorted(m["to"] for m in d)')" = "['jean@example.fr', 'marie@example.fr']" ]
	[ "$(echo "$output" | pyjson 'all(m["crlf_only"] for m in d)')" = True ]
}

@test "a failing sendmail is retried, then reported" {
	printf '#!/bin/sh\ncat >/dev/null\nexit 75\n' >"$TMP/sendmail"
	chmod 755 "$TMP/sendmail"
	start_adfd "mail = { transport = \"sendmail\"; sendmail = \"$TMP/sendmail\"; retry_base = 1; max_attempts = 2; };"
	ctl mail test jean@example.fr >/dev/null
	wait_until 20 sh -c "'$ADFCTL' -s '$SOCK' mail failed --json | grep -q 'status 75'"
}

@test "a burst of 120 confirmations by maildir goes out at once, not one batch of 50 a minute" {
	start_adfd
	add_atelier "$(workday 100)" 09:00 500
	{
		echo "nom,email,categorie"
		for i in $(seq 120); do echo "Personne $i,p$i@example.fr,public"; done
	} >"$TMP/burst.csv"
	ctl registration import 1 "$TMP/burst.csv" >/dev/null
	wait_until 15 sh -c "ls '$TMP/outbox/new' | wc -l | grep -qx 120"
	run ctl mail queue --limit 200 --json
	[ "$(echo "$output" | pyjson 'sorted(set(m["state"] for m in d))')" = "['sent']" ]
}

@test "maildir transport (the default): each message a valid file; mail test, preview, upcoming" {
	start_adfd
	day=$(workday 100)
	add_atelier "$day" 09:00
	ctl register 1 --name "Marie Dupont" --email marie@example.fr --category elu >/dev/null
	run ctl mail test jean@example.fr
	[ "$status" -eq 0 ]
	wait_until 20 sh -c "ls '$TMP/outbox/new' | wc -l | grep -qx 2"
	run mails "$TMP/outbox"
	[ "$(echo "$output" | pyjson 'sorted((m["to"], m["crlf_only"], m["max_line"] <= 998) for m in d)')" = \
		"[('jean@example.fr', True, True), ('marie@example.fr', True, True)]" ]
	[ "$(echo "$output" | pyjson '[m["subject"] for m in d if m["to"] == "jean@example.fr"][0]')" = \
		"Message d'essai des Ateliers des Départements de France" ]
	run ctl mail preview rappel-j7 --atelier 1
	[[ "$output" == "Subject: Rappel : Atelier des Départements — $(date_fr "$day" | sed 's/ [0-9]*$//'), Gap"* ]]
	[[ "$output" == *"le $(date_fr "$day"), 9 h, à l'adresse suivante"* ]]
	# an Atelier without sessions: no "programme below" above nothing
	[[ "$(ctl mail preview rappel-j7 --atelier 1)" != *"ci-dessous"* ]]
	run ctl mail preview nope --atelier 1
	[ "$status" -eq 1 ]
	# a rule of its own adds to the configured ones, in the order of their moments
	run ctl reminder set 1 --name j3 --offset 3d --template rappel-j7 --json
	[ "$(echo "$output" | pyjson '[(r["name"], r["offset"], r["source"]) for r in d if not r["after"]]')" = "[('j7', 604800, 'configured'), ('j3', 259200, 'own'), ('j1', 86400, 'configured')]" ]
	run ctl reminder set 1 --name j3 --offset "3 jours" --template rappel-j7
	[ "$status" -eq 1 ]
	run ctl reminder clear 1 --json
	[ "$(echo "$output" | pyjson '[r["name"] for r in d]')" = "['j7', 'j1', 'merci', 'replay', 'merci-intervenants']" ]
	# an Atelier in ten days: its two reminders fall within the coming ten
	in10=$("$PY" -c 'import datetime; print(datetime.date.today() + datetime.timedelta(days=10))')
	add_atelier "$in10" 09:00
	ctl register 2 --name "Marie Dupont" --email marie@example.fr --category elu >/dev/null
	run ctl mail upcoming --days 10 --json
	[ "$(echo "$output" | pyjson 'sorted((m["atelier"], m["rule"], m["to"]) for m in d)')" = "[(2, 'j1', 'marie@example.fr'), (2, 'j7', 'marie@example.fr')]" ]
	# each says how far ahead it is, whatever its template
	[ "$(echo "$output" | pyjson 'sorted((m["rule"], "dans 7 jours" in m["body"], "demain" in m["subject"]) for m in d)')" = "[('j1', False, True), ('j7', True, False)]" ]
	[[ "$(echo "$output" | pyjson 'd[0]["subject"]')" == "Rappel : Atelier des Départements — "* ]]
	run ctl mail test "not an address"
	[ "$status" -eq 1 ]
}

@test "an Atelier's own rule adds to the configured ones; one switched off for it stays silent" {
	read -r date time secs < <(soon)
	start_sink
	start_mail_adfd "reminders = ( { name = \"j7\"; offset = \"$((secs - 6))s\"; template = \"rappel-j7\"; },
		{ name = \"j1\"; offset = \"$((secs - 14))s\"; template = \"rappel-j1\"; } );"
	add_atelier "$date" "$time"
	ctl register 1 --name "Marie Dupont" --email marie@example.fr --category elu >/dev/null
	# the organiser's own thanks, after the end: the reminders stay
	ctl reminder set 1 --name merci --after 1m --audience attendees --template merci-participants >/dev/null
	ctl reminder set 1 --name extra --offset "$((secs - 10))s" --template rappel-j1 >/dev/null
	ctl reminder disable 1 j1 >/dev/null
	# someone already in the room hears no "we await you"
	ctl register 1 --name "Sur Place" --email surplace@example.fr --category public --checkin --force >/dev/null
	[ "$(ctl reminder list 1 --json | pyjson '[(r["name"], r["source"], r["disabled"]) for r in d]')" = "[('j7', 'configured', False), ('extra', 'own', False), ('j1', 'configured', True), ('merci', 'own', False)]" ]
	outcome() { ctl reminder list 1 --json | pyjson "[r.get('outcome') for r in d if r['name'] == '$1'][0]"; }
	wait_until 60 sh -c "'$ADFCTL' -s '$SOCK' reminder list 1 --json | grep -q 'switched off'"
	[ "$(outcome j1)" = "switched off for this Atelier: 0" ]
	[ "$(outcome j7)" = "queued: 1" ]
	[ "$(outcome extra)" = "queued: 1" ]
	wait_until 30 subjects_at_least Rappel 2
	wait_until 30 queue_settled
	[ "$(count_subject Rappel)" -eq 2 ]
	# the switch is said in French too, and a name it does not have is refused
	run env LC_ALL=fr_FR.UTF-8 "$ADFCTL" -s "$SOCK" reminder list 1
	[[ "$output" == *"désactivée pour cet Atelier : 0"* ]]
	run ctl reminder disable 1 nope
	[ "$status" -eq 1 ]
	[ "$output" = 'adfctl: not_found: Atelier 1 has no mail rule "nope"' ]
	run ctl reminder disable 99 j1
	[ "$status" -eq 1 ]
	run ctl reminder clear 99
	[ "$status" -eq 1 ]
	# a delay says its unit: "5" is neither five days nor five seconds
	run ctl reminder set 1 --name x --offset 5 --template rappel-j1
	[ "$status" -eq 1 ]
	# back to the configured rules: its own gone, none switched off
	[ "$(ctl reminder clear 1 --json | pyjson '[(r["name"], r["disabled"]) for r in d]')" = "[('j7', False), ('j1', False)]" ]
}

@test "upgrading: an Atelier that had only its own rules gets the configured ones back, none fires late" {
	start_adfd
	add_atelier "$(workday 3)" 09:00
	ctl register 1 --name "Marie Dupont" --email marie@example.fr --category elu >/dev/null
	ctl reminder set 1 --name j3 --offset 3d --template rappel-j7 >/dev/null
	wait_until 30 queue_settled
	stop_adfd
	# the database as the version before left it: the Atelier made ten days
	# ago, so its configured J-7 came after it existed, while it had only j3
	"$PY" - "$TMP/adf.db" <<'PY'
import datetime, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
made = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
with db:
    db.execute("DROP TABLE reminder_off")
    db.execute("ALTER TABLE atelier DROP COLUMN configured_rules_from")
    # and what later versions added
    db.execute("ALTER TABLE registration DROP COLUMN first_name")
    db.execute("ALTER TABLE registration DROP COLUMN last_name")
    # the survey kept the day an answer came, on both sides
    db.execute("ALTER TABLE survey_done ADD COLUMN answered_on TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE survey_answer ADD COLUMN answered_on TEXT NOT NULL DEFAULT ''")
    db.execute("INSERT INTO survey_done (registration_id, answered_on) VALUES (1, '2026-01-05')")
    db.execute("INSERT INTO survey_answer (id, atelier_id, contenu, intervenants, organisation,"
               " utilite, comment, answered_on) VALUES (77, 1, 5, 4, 3, 2, 'bien', '2026-01-05')")
    db.execute("UPDATE atelier SET created_at = ?", (made,))
    db.execute("DELETE FROM reminder_run")
db.execute("PRAGMA user_version = 19")
PY
	restart_adfd
	grep -q "database migrated from schema version 19" "$LOG"
	# the days are gone from the survey, the answer stays
	[ "$("$PY" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print([c[1] for t in ("survey_done", "survey_answer") for c in db.execute("PRAGMA table_info(%s)" % t) if c[1] == "answered_on"],
      db.execute("SELECT comment FROM survey_answer").fetchall())' "$TMP/adf.db")" = "[] [('bien',)]" ]
	# the name kept in one field is split once, by the written rule
	grep -q "names of 1 older registration(s) split into first name and surname" "$LOG"
	[ "$(ctl registration show 1 --json | pyjson 'd["first_name"], d["last_name"]')" = "('Marie', 'Dupont')" ]
	[ "$(ctl reminder list 1 --json | pyjson '[(r["name"], r["source"]) for r in d if not r["after"]]')" = "[('j7', 'configured'), ('j3', 'own'), ('j1', 'configured')]" ]
	wait_until 30 sh -c "'$ADFCTL' -s '$SOCK' reminder list 1 --json | grep -q 'own rules only'"
	[ "$(ctl reminder list 1 --json | pyjson '[r.get("outcome") for r in d if r["name"] == "j7"][0]')" = "not due while the Atelier had its own rules only: 0" ]
	wait_until 30 queue_settled
	[ "$(mails "$TMP/outbox" | pyjson 'len([m for m in d if m["subject"].startswith("Rappel")])')" -eq 0 ]
}

@test "a confirmation promises the reminder that will come, and none when none will" {
	start_adfd
	add_atelier "$(workday 30)" 09:00
	add_atelier "$(paris_day "+18 minutes")" "$(paris_time "+18 minutes")"
	add_atelier "$(paris_day "+3 hours")" "$(paris_time "+3 hours")"
	ctl reminder set 3 --name h1 --offset 1h --template rappel-j1 >/dev/null
	ctl register 1 --name "Marie Dupont" --email marie@example.fr --category elu >/dev/null
	# 18 minutes before: every reminder is past
	ctl register 2 --name "Paul Tardif" --email paul@example.fr --category public >/dev/null
	# a walk-in, checked in as they register, at an Atelier that began today
	add_atelier "$(paris_day)" 00:01
	ctl register 4 --name "Sur Place" --email surplace@example.fr --category public --checkin >/dev/null
	# an Atelier with a rule of its own, an hour before
	ctl register 3 --civility Mme --first Léa --last Martin --email lea@example.fr --category agent >/dev/null
	wait_until 30 sh -c "ls '$TMP/outbox/new' | wc -l | grep -qx 4"
	promise() {
		mails "$TMP/outbox" | pyjson "[l for m in d if m['to'] == '$1' for l in m['body'].splitlines() if 'rappel' in l] or ['-']"
	}
	[ "$(promise marie@example.fr)" = "['Vous recevrez un rappel 7 jours avant la rencontre.']" ]
	[ "$(promise paul@example.fr)" = "['-']" ]
	[ "$(promise surplace@example.fr)" = "['-']" ]
	[ "$(promise lea@example.fr)" = "['Vous recevrez un rappel 1 heure avant la rencontre.']" ]
	# one greeting rule for every mail: the civility when known (the
	# confirmation gave none before), else "Bonjour Prénom NOM,"
	greeting() { mails "$TMP/outbox" | pyjson "[m['body'].splitlines()[0] for m in d if m['to'] == '$1'][0]"; }
	[ "$(greeting lea@example.fr)" = "Madame," ]
	[ "$(greeting marie@example.fr)" = "Bonjour Marie DUPONT," ]
	# no hole where nothing is promised
	body=$(mails "$TMP/outbox" | pyjson "[m['body'] for m in d if m['to'] == 'paul@example.fr'][0]" | tr -d '\r')
	[[ "$body" == *"à votre agenda."* ]]
	[[ "$body" != *$'\n\n\n'* ]]
}

@test "names that try to inject headers stay in their header" {
	start_adfd
	add_atelier "$(workday 100)" 09:00
	"$PY" -c 'import json
print(json.dumps({"cmd": "registration.import", "args": {"atelier": 1, "rows": [
  {"line": 2, "name": "Eve\r\nBcc: victim@example.org", "email": "eve@example.fr", "category": "public"},
  {"line": 3, "name": "Zoé \"Z\" <z@x>", "email": "zoe@example.fr", "category": "public"}]}}))' | ctl batch >/dev/null
	wait_until 20 sh -c "ls '$TMP/outbox/new' | wc -l | grep -qx 2"
	[ "$(cat "$TMP"/outbox/new/* | hits -i "^bcc:")" -eq 0 ]
	run mails "$TMP/outbox"
	[ "$(echo "$output" | pyjson 'sorted(m["to_name"] for m in d)')" = "['Eve Bcc: victim@example.org', 'Zoé \"Z\" <z@x>']" ]
	[ "$(echo "$output" | pyjson 'all("Bcc" not in m["headers"] for m in d)')" = True ]
}

@test "Ateliers tomorrow, in an hour and earlier today: reminders whose moment came before them are never due, and adfd stays whole" {
	start_sink
	start_mail_adfd
	add_atelier "$(paris_day tomorrow)" 09:00
	add_atelier "$(paris_day "+1 hour")" "$(paris_time "+1 hour")"
	add_atelier "$(paris_day)" 00:01
	for a in 1 2 3; do
		ctl register $a --name "Marie Dupont" --email "marie$a@example.fr" --category elu >/dev/null
	done
	# each moment is handled: J-7 came before each Atelier existed; J-1
	# too, but for tomorrow's when this runs before 9 h
	outcome() { ctl reminder list "$1" --json | pyjson "[r.get('outcome') for r in d if r['name'] == '$2'][0]"; }
	for a in 1 2 3; do
		wait_until 20 sh -c "'$ADFCTL' -s '$SOCK' reminder list $a --json | grep -q 'not due while the Atelier existed'"
		[ "$(outcome $a j7)" = "not due while the Atelier existed: 0" ]
	done
	[ "$(outcome 2 j1)" = "not due while the Atelier existed: 0" ]
	[ "$(outcome 3 j1)" = "not due while the Atelier existed: 0" ]
	# only the three confirmations went out, and adfd answers
	wait_until 30 sink_has 3
	[ "$(count_subject "Rappel")" -eq 0 ]
	run ctl status
	[ "$status" -eq 0 ]
	check_log_clean
}

@test "a walk-in beyond capacity is confirmed, never told of a waiting list" {
	start_sink
	start_mail_adfd
	add_atelier "$(paris_day)" 00:01 1
	ctl register 1 --name "Marie Dupont" --email marie@example.fr --category elu >/dev/null
	run ctl register 1 --name "Sur place" --email walkin@example.fr --category public --checkin --force --json
	[ "$(echo "$output" | pyjson 'd["status"]')" = attended ]
	wait_until 30 sink_has 2
	mails >"$TMP/m.json"
	[ "$(pyjson '[m["subject"].split(" :")[0] for m in d if m["to"] == "walkin@example.fr"]' <"$TMP/m.json")" = "['Inscription confirmée']" ]
	[ "$(hits "position" "$TMP/m.json")" -eq 0 ]
}

@test "reopening a cancelled Atelier tells everyone, with an invitation that outranks the CANCEL" {
	start_sink
	start_mail_adfd
	add_atelier "$(workday 100)" 09:00 5
	ctl register 1 --name "Marie Dupont" --email marie@example.fr --category elu >/dev/null
	wait_until 20 sink_has 1
	ctl atelier cancel 1 --reason "grève" >/dev/null
	wait_until 20 sink_has 2
	run ctl atelier reopen 1
	[ "$status" -eq 0 ]
	wait_until 20 sink_has 3
	mails >"$TMP/m.json"
	run pyjson '[(m["subject"].split(" :")[0], m["ics"]["method"], m["ics"]["sequence"], m["ics"]["status"]) for m in d]' <"$TMP/m.json"
	[ "$output" = "[('Inscription confirmée', 'REQUEST', 0, 'CONFIRMED'), ('Annulation', 'CANCEL', 1, 'CANCELLED'), (\"L'Atelier est maintenu\", 'REQUEST', 2, 'CONFIRMED')]" ]
	[[ "$(pyjson 'd[2]["body"]' <"$TMP/m.json")" == *"il est de nouveau programmé"* ]]
	[[ "$(pyjson 'd[2]["body"]' <"$TMP/m.json")" == *"$(date_fr "$(workday 100)")"* ]]
}

@test "SMTP credentials never travel in clear: STARTTLS is required with them, never is refused" {
	printf 'mail = { transport = "smtp"; smtp_url = "smtp://127.0.0.1:25"; smtp_username = "u"; smtp_password = "p"; smtp_starttls = "never"; };\n' >"$TMP/clear.conf"
	run "$ADFD" -n -c "$TMP/clear.conf"
	[ "$status" -eq 78 ]
	[[ "$output" == *"clear.conf:1: mail.smtp_starttls: \"never\" would send the SMTP credentials in clear"* ]]
	# whatever the scheme's case, and credentials written in the URL too
	printf 'mail = { transport = "smtp"; smtp_url = "SMTP://u:p@127.0.0.1:25"; smtp_starttls = "never"; };\n' >"$TMP/clear2.conf"
	run "$ADFD" -n -c "$TMP/clear2.conf"
	[ "$status" -eq 78 ]
	[[ "$output" == *"would send the SMTP credentials in clear"* ]]
	# "try" (the default) is taken as "always": a server without STARTTLS
	# (this sink) never sees the password
	start_sink
	start_adfd "mail = { transport = \"smtp\"; smtp_url = \"smtp://127.0.0.1:$SINK_PORT\";
		from = \"ateliers@departements.fr\"; retry_base = 1; smtp_starttls = \"try\";
		smtp_username = \"ateliers\"; smtp_password = \"mot-de-passe-secret\"; };"
	ctl mail test jean@example.fr >/dev/null
	wait_until 20 sh -c "'$ADFCTL' -s '$SOCK' mail queue --json | grep -qi 'tls\|ssl'"
	[ "$(sink_count)" -eq 0 ]
	[ "$(hits -a "MAIL FROM" "$TMP/sink.log")" -eq 0 ]
	# without credentials, the same server gets the mail in clear, as "try" says
	stop_adfd
	start_mail_adfd
	ctl mail test paul@example.fr >/dev/null
	wait_until 20 sink_has 1
	[ "$(hits -a "MAIL FROM:<ateliers@departements.fr>" "$TMP/sink.log")" -ge 1 ]
}

@test "a server's reply quoting an address never reaches the log, and forget erases it from the outbox" {
	start_sink
	start_mail_adfd
	add_atelier "$(workday 100)" 09:00
	ctl register 1 --name "Rejet Secret" --email reject.secret@example.fr --category elu >/dev/null
	wait_until 20 sh -c "'$ADFCTL' -s '$SOCK' mail failed --json | grep -q 'reject.secret@'"
	# the reply is kept for the organiser, the log names the message by id
	grep -q "outbox 1: failed for good after 1 attempt(s): .*\[address\]" "$LOG"
	[ "$(hits -ai "reject.secret" "$LOG")" -eq 0 ]
	run ctl person forget reject.secret@example.fr --json
	[ "$status" -eq 0 ]
	[ "$(ctl mail failed --json | hits -i "reject.secret")" -eq 0 ]
	[ "$(ctl mail queue --json | hits -i "secret")" -eq 0 ]
	for f in "$TMP/adf.db" "$TMP/adf.db-wal" "$LOG"; do
		[ "$(hits -ai "reject.secret" "$f")" -eq 0 ]
		[ "$(hits -a "Secret" "$f")" -eq 0 ]
	done
	# a control character in a reply is written escaped: no forged line
	ctl mail test cr-x@example.fr >/dev/null
	wait_until 20 grep -q 'refused\\x0dadfd: error: a forged log line' "$LOG"
	[ "$(grep -c $'\r' "$LOG")" -eq 0 ]
}
