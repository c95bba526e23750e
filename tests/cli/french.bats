#!/usr/bin/env bats
# adfctl speaks French under a French locale, from its catalogue (po/fr.po);
# --json and exit statuses are the same in every language.

load helpers

setup() { start_adfd; }
teardown() { teardown_adfd; }

fr() {
	LANG=fr_FR.UTF-8 LC_ALL=fr_FR.UTF-8 LANGUAGE= "$ADFCTL" -s "$SOCK" "$@"
}

@test "every string marked for translation has a French entry, and the catalogue is sound" {
	make -s -C "$BUILDDIR" po/adf.pot
	# untranslated or fuzzy entries count as missing
	run msgcmp "$TESTS_SRCDIR/../po/fr.po" "$BUILDDIR/po/adf.pot"
	[ "$status" -eq 0 ]
	run msgfmt --check -o /dev/null "$TESTS_SRCDIR/../po/fr.po"
	[ "$status" -eq 0 ]
}

@test "the build's adfctl speaks French with only LANG set, as the README's commands run it" {
	locale -a | grep -qix fr_FR.utf8 || skip "no fr_FR.UTF-8 locale (./dev test makes it)"
	# make check exports ADF_LOCALEDIR: without it, adfctl finds its build's catalogue
	run env -u ADF_LOCALEDIR -u LC_ALL -u LANGUAGE LANG=fr_FR.UTF-8 "$ADFCTL" help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage : adfctl"* ]]
	run env -u ADF_LOCALEDIR -u LC_ALL -u LANGUAGE LANG=fr_FR.UTF-8 "$ADFCTL" -s "$SOCK" atelier show 99
	[ "$status" -eq 1 ]
	[ "$output" = "adfctl : introuvable : pas d'Atelier 99" ]
	# an English locale stays English
	run env -u ADF_LOCALEDIR -u LC_ALL -u LANGUAGE LANG=C.UTF-8 "$ADFCTL" -s "$SOCK" atelier show 99
	[ "$output" = "adfctl: not_found: no Atelier 99" ]
}

@test "under a French locale, an organiser's session shows no English word" {
	locale -a | grep -qix fr_FR.utf8 || skip "no fr_FR.UTF-8 locale (./dev test makes it)"
	day=$(workday 60)
	{
		fr help
		fr help atelier
		fr atelier add --help
		fr cycle add "Cycle test" --from "$(paris_day "-40 days" | cut -c1-7)" --to "${day%-*}"
		fr tour plan --cycle 1 --rule "dernier mercredi" --time 09:00
		fr atelier add --departement 05 --date "$day" --time 08:30 --end 12:30 \
			--title "Les Hautes-Alpes agissent" --venue "Hôtel du Département" --city Gap \
			--capacity 1
		fr atelier add --cycle 1 --departement 05 --date "$day" --time 08:30 --end 12:30 \
			--title "Les Hautes-Alpes agissent" --venue "Hôtel du Département" --city Gap \
			--capacity 1
		fr atelier add --cycle 1 --departement 05 --date "$day" --time 10:00 --title x \
			--venue y --city Gap --capacity 3
		# a thirteenth month of this year: no such day
		fr atelier add --departement 05 --date "$(date +%Y)-13-01" --time 08:30
		fr atelier list
		fr atelier show 1
		fr register 1 --name "Marie Dupont" --email marie@example.fr --category elu
		fr register 1 --name "Jean Martin" --email jean@example.fr --category public
		fr register 1 --name "Marie Dupont" --email marie@example.fr --category elu
		fr registration list 1
		fr registration show 2
		fr atelier stats 1
		fr cycle stats 1
		fr mail queue
		fr reminder list 1
		fr atelier frobnicate
		fr atelier show
		fr atelier show 99
		fr status
	} 2>&1 | sed "s|$TMP|TMP|g" >"$TMP/fr.txt" || true
	# (the temp folder's random name could spell an English word)
	# the words of the English source that the French catalogue never uses
	"$PY" - "$TESTS_SRCDIR/../po/fr.po" "$TMP/fr.txt" <<'PY'
import re, sys
po = open(sys.argv[1], encoding="utf-8").read()
def text(kind):
    out = []
    for m in re.finditer(r'^%s ((?:".*"\n)+)' % kind, po, re.M):
        out.append("".join(re.findall(r'"(.*)"', m.group(1))))
    return " ".join(out)
def words(s):
    s = re.sub(r"%[-0-9.*]*l*[a-z]|\\n|\\\"", " ", s)
    return {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]{3,}", s)}
english = words(text("msgid")) - words(text("msgstr"))
# names of the product, of commands and options people type as they are
english -= {"adfctl", "adfd", "json", "csv", "html", "markdown", "ndjson", "uid", "admin",
            "atelier", "ateliers", "socket", "force", "draft", "help", "batch", "version",
            "status", "text", "cycle", "tour", "plan", "add", "list", "show", "update",
            "delete", "register", "registration", "reminder", "mail", "person", "session",
            "speaker", "practice", "search", "stats", "cancel", "reopen", "held", "schedule",
            "check", "programme", "ical", "backup", "reload", "audit", "privacy", "report",
            "forget", "export", "import", "checkin", "queue", "upcoming", "preview", "retry",
            "failed", "test", "departement", "region", "city", "venue", "title", "date",
            "time", "end", "capacity", "name", "email", "org", "category", "rule", "apply",
            "from", "skip", "invalid", "dry", "run", "format", "separator", "bom", "limit",
            "after", "offset", "template", "audience", "reason", "since", "sessions", "days",
            "kind", "start", "role", "position", "first", "last", "civility", "phone",
            "summary", "theme", "query", "address", "file", "move", "remove", "clear", "set",
            "registrations", "speakers", "registrants", "all", "cycles", "departements",
            "waitlist", "max", "watch", "scan", "blank", "emargement", "badges", "attestation",
            "attestations", "restitution", "links", "replay", "slides", "url", "attendees",
            "noshows", "survey",
            "gap"}  # Gap, the city of the Hautes-Alpes
out = open(sys.argv[2], encoding="utf-8").read()
# what the organiser typed is echoed back: names, addresses, titles
seen = sorted(w for w in words(out) if w in english)
if seen:
    print("English words in French output:", seen)
    print(out)
    sys.exit(1)
PY
	# and it is French: a holiday, a full Atelier's waiting list, a bad date
	[ "$(hits -c 'liste d' "$TMP/fr.txt")" -gt 0 ]
	[ "$(hits -c "n'est pas une date valide" "$TMP/fr.txt")" -gt 0 ]
	[ "$(hits -c 'conflit' "$TMP/fr.txt")" -gt 0 ]
	# tour plan's note for a month already past
	[ "$(hits -c 'passé' "$TMP/fr.txt")" -gt 0 ]
	# days and months in its sentences are written the French way (but what
	# was typed wrong is quoted as typed)
	[ "$(grep '^adfctl :' "$TMP/fr.txt" | grep -v "n'est pas" | hits -cE '[0-9]{4}-[0-9]{2}')" -eq 0 ]
	[ "$(hits -c 'déjà prévu en ' "$TMP/fr.txt")" -gt 0 ]
}

@test "--json and exit statuses are the same in every language" {
	day=$(workday 30)
	ctl atelier add --departement 05 --date "$day" --time 08:30 --title t --venue v --city Gap \
		--capacity 5 >/dev/null
	for c in "atelier show 1" "atelier list" "status" "atelier show 9"; do
		# stdout only: an error's message for people is in their language
		fr_status=0 en_status=0
		fr_out=$(fr $c --json 2>/dev/null) || fr_status=$?
		en_out=$(ctl $c --json 2>/dev/null) || en_status=$?
		[ "$en_status" -eq "$fr_status" ]
		# status's uptime may tick between the two
		[ "$(echo "$en_out" | grep -v uptime)" = "$(echo "$fr_out" | grep -v uptime)" ]
	done
	[ "$en_status" -eq 1 ]
}

@test "times people read are Paris times: French style under a French locale" {
	day=$(workday 30)
	ctl atelier add --departement 05 --date "$day" --time 08:30 --title t --venue v --city Gap \
		--capacity 5 >/dev/null
	ctl register 1 --name "Marie Dupont" --email marie@example.fr --category elu >/dev/null
	at=$(ctl registration show 1 --json | pyjson 'd["registered_at"]')
	# the same instant written here from Python's zoneinfo
	expected=$("$PY" - "$at" <<'PY'
import sys, datetime, zoneinfo
t = datetime.datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00")).astimezone(zoneinfo.ZoneInfo("Europe/Paris"))
days = "lundi mardi mercredi jeudi vendredi samedi dimanche".split()
months = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
day = "1er" if t.day == 1 else str(t.day)
minute = "" if t.minute == 0 else f"{t.minute:02d}"
print(f"{days[t.weekday()]} {day} {months[t.month - 1]} {t.year}, {t.hour} h {minute}".rstrip())
PY
)
	run fr registration show 1
	[[ "$output" == *"$expected"* ]]
	# in English, the same Paris time, as digits
	run ctl registration show 1
	[[ "$output" == *"$(TZ=Europe/Paris date -d "$at" '+%Y-%m-%d %H:%M')"* ]]
	# and rates are percentages
	run fr atelier stats 1
	nbsp=$(printf '\302\240')
	[[ "$output" == *"taux de remplissage   20${nbsp}%"* ]]
	# and counts are grouped as French writes them
	ctl atelier update 1 --capacity 12000 >/dev/null
	run fr atelier stats 1
	[[ "$output" == *"places                12$(printf '\342\200\257')000"* ]]
	run ctl atelier stats 1
	[[ "$output" == *"capacity          12000"* ]]
}

@test "French words are taken as they are typed: a category, a status, an offset in days" {
	ctl atelier add --departement 05 --date "$(workday 30)" --time 08:30 --title t --venue v \
		--city Gap --capacity 1 >/dev/null
	run fr register 1 --name "Marie Dupont" --email marie@example.fr --category élu
	[ "$status" -eq 0 ]
	fr register 1 --name "Jean Martin" --email jean@example.fr --category Élu >/dev/null
	[ "$(ctl registration list 1 --json | pyjson '[x["category"] for x in d]')" = "['elu', 'elu']" ]
	run fr registration list 1 --status "liste d'attente" --json
	[ "$(echo "$output" | pyjson '[x["email"] for x in d]')" = "['jean@example.fr']" ]
	run fr reminder set 1 --name j3 --offset 3j --template rappel-j7 --json
	[ "$(echo "$output" | pyjson '[r["offset"] for r in d if r["name"] == "j3"]')" = "[259200]" ]
	# and what means nothing is still refused, naming the choices
	run fr register 1 --name X --email x@example.fr --category sorcière
	[ "$status" -ne 0 ]
}
