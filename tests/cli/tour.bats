#!/usr/bin/env bats
# The monthly tour: cycles, planning, the rules of the calendar, editions.

load helpers

setup() { start_adfd; }
teardown() { teardown_adfd; }

@test "the first cycle of the seeds: eight Ateliers, one a month, editions in date order" {
	load_fixture cycle-2017.ndjson
	run ctl atelier list --cycle 1
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 9 ]
	[[ "${lines[1]}" == *"mercredi 27 septembre 2017, 8 h 30"*"Hautes-Alpes"*"Gap"* ]]
	[[ "${lines[8]}" == *"Puy-de-Dôme"*"Clermont-Ferrand"* ]]
	run ctl atelier show 1
	[[ "$output" == *"edition_fr         1re édition"* ]]
	[[ "$output" == *"when_fr            mercredi 27 septembre 2017, 8 h 30"* ]]
	run ctl atelier show 6 --json
	[ "$(echo "$output" | pyjson 'd["edition_fr"]')" = "6e édition" ]
	[ "$(echo "$output" | pyjson 'd["city"]')" = "Mâcon" ]
	# winter time: 09:00 in Paris is 08:00 UTC
	[ "$(echo "$output" | pyjson 'd["starts_at"]')" = "2018-02-28T08:00:00Z" ]
}

@test "the example atelier add of the issue" {
	ctl cycle add "Cycle 2017-2018" --from 2017-09 --to 2018-06
	run ctl atelier add --cycle 1 --departement 05 --date 2017-09-27 --time 08:30 \
		--title "Les Hautes-Alpes agissent utile et solidaire" \
		--venue "Hôtel du Département" --city Gap --capacity 300
	[ "$status" -eq 0 ]
	[[ "$output" == *"when_fr            mercredi 27 septembre 2017, 8 h 30"* ]]
	[[ "$output" == *"status             scheduled"* ]]
}

@test "two Ateliers in one month of a cycle are refused unless forced" {
	load_fixture cycle-2017.ndjson
	run ctl atelier add --cycle 1 --departement 73 --date 2017-10-11 --time 09:00 \
		--title Savoie --venue "Château des ducs" --city Chambéry --capacity 100
	[ "$status" -eq 1 ]
	[[ "$output" == *"conflict: an Atelier is already planned in 2017-10: #2 on 2017-10-25 (Rhône)"* ]]
	run ctl atelier add --cycle 1 --departement 73 --date 2017-10-11 --time 09:00 \
		--title Savoie --venue "Château des ducs" --city Chambéry --capacity 100 --force
	[ "$status" -eq 0 ]
	# the forced one comes before Rhône: editions follow the dates
	run ctl atelier show 2 --json
	[ "$(echo "$output" | pyjson 'd["edition"]')" = 3 ]
}

@test "a public holiday is refused unless forced, Easter-based ones included" {
	ctl cycle add "Cycle 2017-2018" --from 2017-09 --to 2018-06
	for day in 2018-05-10 2018-05-21 2018-04-02 2017-11-01 2018-05-08; do
		run ctl atelier add --cycle 1 --date $day --time 09:00 --draft
		[ "$status" -eq 1 ]
		[[ "$output" == *"is a public holiday"* ]]
	done
	run ctl atelier add --cycle 1 --date 2018-05-10 --time 09:00 --draft
	[[ "$output" == *"2018-05-10 is a public holiday (Ascension)"* ]]
	run ctl atelier add --cycle 1 --date 2018-05-10 --time 09:00 --draft --force
	[ "$status" -eq 0 ]
}

@test "a date outside the cycle's months is refused" {
	ctl cycle add "Cycle 2017-2018" --from 2017-09 --to 2018-06
	run ctl atelier add --cycle 1 --date 2018-07-04 --time 09:00 --draft
	[ "$status" -eq 1 ]
	[[ "$output" == *"outside Cycle 2017-2018 (2017-09 to 2018-06)"* ]]
	run ctl atelier add --cycle 9 --date 2018-03-07 --time 09:00 --draft
	[ "$status" -eq 1 ]
	[[ "$output" == *"not_found: no cycle 9"* ]]
}

@test "tour plan proposes one date a month by libical's rule, moved off holidays" {
	ctl cycle add "Cycle 2017-2018" --from 2017-09 --to 2018-06
	run ctl tour plan --cycle 1 --rule "last wednesday" --time 08:30 --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | pyjson 'len(d)')" = 10 ]
	[ "$(echo "$output" | pyjson '" ".join(x["date"] for x in d)')" = \
		"2017-09-27 2017-10-25 2017-11-29 2017-12-27 2018-01-31 2018-02-28 2018-03-28 2018-04-25 2018-05-30 2018-06-27" ]
	# the 2nd Thursday of May 2018 is Ascension: a week earlier instead
	run ctl tour plan --cycle 1 --rule "2e jeudi" --time 09:00 --json
	[ "$(echo "$output" | pyjson '[x for x in d if x["month"] == "2018-05"][0]["date"]')" = 2018-05-03 ]
	[ "$(echo "$output" | pyjson '[x for x in d if x["month"] == "2018-05"][0]["note"]')" = \
		"moved from 2018-05-10 (Ascension); past" ]
	run ctl tour plan --cycle 1 --rule "every full moon" --time 09:00
	[ "$status" -eq 1 ]
	[[ "$output" == *"is not a monthly rule"* ]]
}

@test "tour plan --apply creates drafts only for the months without an Atelier" {
	load_fixture cycle-2017.ndjson
	run ctl tour plan --cycle 1 --rule "last wednesday" --time 08:30 --json
	[ "$(echo "$output" | pyjson '" ".join(x["month"] for x in d)')" = "2018-05 2018-06" ]
	# the seeds' months are long past: created only when forced
	run ctl tour plan --cycle 1 --rule "last wednesday" --time 08:30 --apply --force
	[ "$status" -eq 0 ]
	run ctl atelier list --cycle 1 --status draft --json
	[ "$(echo "$output" | pyjson '" ".join(x["date"] for x in d)')" = "2018-05-30 2018-06-27" ]
	run ctl tour plan --cycle 1 --rule "last wednesday" --time 08:30 --json
	[ "$(echo "$output" | pyjson 'len(d)')" = 0 ]
}

@test "a draft becomes scheduled once complete; only a draft may be deleted" {
	ctl cycle add "Cycle 2017-2018" --from 2017-09 --to 2018-06
	ctl atelier add --cycle 1 --date 2017-09-27 --time 08:30 --draft
	run ctl atelier schedule 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"lacks departement, title, venue, city, capacity"* ]]
	ctl atelier update 1 --departement 05 --title "Les Hautes-Alpes" --venue "Hôtel du Département" \
		--city Gap --capacity 300
	run ctl atelier schedule 1
	[ "$status" -eq 0 ]
	[[ "$output" == *"status             scheduled"* ]]
	run ctl atelier delete 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"cancel it instead"* ]]
	ctl atelier add --cycle 1 --date 2017-10-25 --time 08:30 --draft
	run ctl atelier delete 2
	[ "$status" -eq 0 ]
	run ctl atelier show 2
	[ "$status" -eq 1 ]
	[[ "$output" == *"not_found: no Atelier 2"* ]]
}

@test "a cancelled Atelier is not edited back silently; reopen re-checks the rules" {
	# three Ateliers in three coming months (35 days apart: never one month)
	ctl cycle add "Le cycle" --from "$(paris_day | cut -c1-7)" --to "$(paris_day "+200 days" | cut -c1-7)" >/dev/null
	for days in 40 75 110; do
		ctl atelier add --cycle 1 --departement 05 --date "$(workday $days)" --time 09:00 \
			--title T --venue V --city Gap --capacity 10 >/dev/null
	done
	run ctl atelier cancel 2 --reason "grève des transports"
	[ "$status" -eq 0 ]
	[[ "$output" == *"status             cancelled"* ]]
	run ctl atelier cancel 2
	[ "$status" -eq 1 ]
	[[ "$output" == *"Atelier 2 is already cancelled"* ]]
	run ctl atelier update 2 --venue "Ailleurs"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Atelier 2 is cancelled: reopen it first (atelier reopen 2)"* ]]
	# its month is free now: another Atelier takes it, which renumbers the
	# editions announced after it: refused unless forced, each one named
	month=$(workday 75 | cut -c1-7)
	run ctl atelier add --cycle 1 --departement 73 --date "$(workday 75)" --time 10:00 \
		--title Savoie --venue "Château des ducs" --city Chambéry --capacity 100
	[ "$status" -eq 1 ]
	[[ "$output" == *"this would change the edition of announced Ateliers: #3: 2 → 3 (use force to renumber them)"* ]]
	run ctl atelier add --cycle 1 --departement 73 --date "$(workday 75)" --time 10:00 \
		--title Savoie --venue "Château des ducs" --city Chambéry --capacity 100 --force --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | pyjson '[(x["id"], x["from"], x["to"]) for x in d["renumbered"]]')" = "[(3, 2, 3)]" ]
	run ctl atelier reopen 2
	[ "$status" -eq 1 ]
	[[ "$output" == *"an Atelier is already planned in $month: #4"*"(use force to plan a second one)"* ]]
	run ctl atelier reopen 2 --force
	[ "$status" -eq 0 ]
	[[ "$output" == *"status             scheduled"* ]]
	# an Atelier of the seeds, cancelled long after its day: not reopened
	# unless forced (people would hear a day long gone is back)
	ctl atelier add --departement 69 --date 2017-10-25 --time 09:00 --title Lyon --venue V \
		--city Lyon --capacity 10 >/dev/null
	ctl atelier cancel 5 >/dev/null
	run ctl atelier reopen 5
	[ "$status" -eq 1 ]
	[[ "$output" == *"Atelier 5 was planned on 2017-10-25: that day has passed (use force to reopen it all the same)"* ]]
	run ctl atelier held 5
	[ "$status" -eq 1 ]
	[[ "$output" == *"Atelier 5 is cancelled: reopen it first"* ]]
	run ctl atelier delete 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"Atelier 1 is scheduled: it cannot be deleted (only a draft can be; cancel it instead)"* ]]
}

@test "moving or cancelling an Atelier raises its sequence; editing its title does not" {
	load_fixture cycle-2017.ndjson
	run ctl atelier update 1 --title "Les Hautes-Alpes agissent"
	[[ "$output" == *"sequence           0"* ]]
	run ctl atelier update 1 --venue "Centre des congrès"
	[[ "$output" == *"sequence           1"* ]]
	run ctl atelier update 1 --time 09:00
	[[ "$output" == *"sequence           2"* ]]
	[[ "$output" == *"when_fr            mercredi 27 septembre 2017, 9 h"* ]]
	run ctl atelier update 1 --end 08:00
	[ "$status" -eq 1 ]
	[[ "$output" == *"end 08:00 is not after the start 09:00"* ]]
	run ctl atelier cancel 1
	[[ "$output" == *"sequence           3"* ]]
}

@test "cycles: duplicate names, narrowing over an Atelier, deleting a used one" {
	load_fixture cycle-2017.ndjson
	run ctl cycle add "Cycle 2017-2018" --from 2018-09 --to 2019-06
	[ "$status" -eq 1 ]
	[[ "$output" == *"already exists"* ]]
	run ctl cycle add "Cycle 2018-2019" --from 2019-06 --to 2018-09
	[ "$status" -eq 1 ]
	[[ "$output" == *"is after the last"* ]]
	run ctl cycle add "Un siècle" --from 2000-01 --to 2099-12
	[ "$status" -eq 1 ]
	[[ "$output" == *"a cycle spans at most 36 months; 2000-01..2099-12 spans 1200"* ]]
	run ctl cycle update 1 --to 2099-12
	[ "$status" -eq 1 ]
	[[ "$output" == *"spans at most 36 months"* ]]
	run ctl cycle update 1 --to 2018-03
	[ "$status" -eq 1 ]
	[[ "$output" == *"1 Atelier(s) of this cycle fall outside 2017-09 to 2018-03"* ]]
	run ctl cycle delete 1
	[ "$status" -eq 1 ]
	run ctl cycle list
	[[ "$output" == *"Cycle 2017-2018"*"8"* ]]
}

@test "every change is in the audit log with the peer's uid and outcome" {
	load_fixture cycle-2017.ndjson
	ctl atelier add --cycle 1 --date 2017-10-11 --time 09:00 --draft || true
	run ctl audit list --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | pyjson 'len(d)')" = 10 ]
	[ "$(echo "$output" | pyjson 'd[0]["outcome"]')" = conflict ]
	[ "$(echo "$output" | pyjson 'd[1]["target"]')" = atelier:8 ]
	[ "$(echo "$output" | pyjson 'd[1]["uid"]')" = "$(id -u)" ]
	[ "$(echo "$output" | pyjson 'd[-1]["command"]')" = cycle.add ]
	run ctl audit list --since "$(paris_day "+2 days")" --json
	[ "$(echo "$output" | pyjson 'len(d)')" = 0 ]
	# a refused registration names no target, as it always did
	ctl register 999 --name X --email x@example.fr --category elu || true
	run ctl audit list --limit 1 --json
	[ "$(echo "$output" | pyjson '(d[0]["command"], d[0]["target"], d[0]["outcome"])')" = \
		"('register', None, 'not_found')" ]
}

@test "editions count scheduled and held Ateliers only; an announced edition never changes silently" {
	ctl cycle add "Le cycle" --from "$(paris_day | cut -c1-7)" --to "$(paris_day "+300 days" | cut -c1-7)" >/dev/null
	place=(--departement 05 --title T --venue V --city Gap --capacity 10)
	# a draft first in date order, then two scheduled Ateliers
	ctl atelier add --cycle 1 --date "$(workday 40)" --time 09:00 --draft >/dev/null
	ctl atelier add --cycle 1 --date "$(workday 100)" --time 09:00 "${place[@]}" >/dev/null
	ctl atelier add --cycle 1 --date "$(workday 170)" --time 09:00 "${place[@]}" >/dev/null
	editions() { ctl atelier list --cycle 1 --json | pyjson '[(a["id"], a["edition"]) for a in d]'; }
	[ "$(editions)" = "[(1, None), (2, 1), (3, 2)]" ]
	[ "$(ctl atelier show 3 --json | pyjson 'd["edition_fr"]')" = "2e édition" ]
	# scheduling the draft would make #2 and #3 the 2e and 3e: refused, then forced
	ctl atelier update 1 "${place[@]}" >/dev/null
	run ctl atelier schedule 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"this would change the edition of announced Ateliers: #2: 1 → 2, #3: 2 → 3 (use force to renumber them)"* ]]
	[ "$(editions)" = "[(1, None), (2, 1), (3, 2)]" ]
	run ctl atelier schedule 1 --force --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | pyjson '[(x["id"], x["from"], x["to"]) for x in d["renumbered"]]')" = "[(2, 1, 2), (3, 2, 3)]" ]
	[ "$(editions)" = "[(1, 1), (2, 2), (3, 3)]" ]
	# a cancellation renumbers what follows: allowed, and said in the answer
	run ctl atelier cancel 2 --json
	[ "$(echo "$output" | pyjson '[(x["id"], x["from"], x["to"]) for x in d["renumbered"]]')" = "[(3, 3, 2)]" ]
	[ "$(editions)" = "[(1, 1), (2, None), (3, 2)]" ]
	# a draft after the others renumbers nothing and has no edition
	run ctl atelier add --cycle 1 --date "$(workday 240)" --time 09:00 --draft --json
	[ "$(echo "$output" | pyjson 'd["edition"], "renumbered" in d')" = "(None, False)" ]
	# as a person reads it: which Atelier, from which edition, to which
	run ctl atelier add --cycle 1 --date "$(workday 20)" --time 09:00 "${place[@]}" --force
	[ "$status" -eq 0 ]
	[[ "$output" == *$'renumbered:\n  id  from  to\n  1   1     2\n  3   2     3'* ]]
}

@test "a draft is deleted, not cancelled; a draft cancelled by an older adfd is repaired at start" {
	ctl atelier add --date "$(workday 70)" --time 09:00 --draft >/dev/null
	run ctl atelier cancel 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"Atelier 1 is a draft, never announced: delete it instead (atelier delete 1)"* ]]
	[ "$(ctl atelier show 1 --json | pyjson 'd["status"]')" = draft ]
	# the state an older adfd left: a cancelled draft, and a cancelled
	# Atelier that was announced (its cancellation left an event)
	ctl atelier add --departement 05 --date "$(workday 100)" --time 09:00 --title T --venue V \
		--city Gap --capacity 5 --force >/dev/null
	ctl atelier cancel 2 >/dev/null
	stop_adfd
	"$PY" - "$TMP/adf.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE atelier SET status = 'cancelled' WHERE id = 1")
db.commit()
PY
	restart_adfd
	grep -q "1 Atelier(s) cancelled as drafts by an older adfd are drafts again" "$LOG"
	[ "$(ctl atelier list --json | pyjson '[(a["id"], a["status"]) for a in d]')" = "[(1, 'draft'), (2, 'cancelled')]" ]
	run ctl atelier delete 1
	[ "$status" -eq 0 ]
}

@test "held is for the Atelier's day or after; reopen undoes it while the day has not passed" {
	load_fixture cycle-2017.ndjson
	ctl atelier add --departement 05 --date "$(workday 49)" --time 09:00 --title Futur --venue V \
		--city Gap --capacity 5 >/dev/null
	ctl atelier add --departement 33 --date "$(paris_day)" --time 00:01 --title Aujourdhui \
		--venue V --city Bordeaux --capacity 5 --force >/dev/null
	# a typo: held 9 for held 1
	run ctl atelier held 9
	[ "$status" -eq 1 ]
	[[ "$output" == *"Atelier 9 takes place on $(workday 49): it can be marked held from that day on (use force"* ]]
	[ "$(ctl atelier show 9 --json | pyjson 'd["status"]')" = scheduled ]
	run ctl atelier held 1
	[ "$status" -eq 0 ]
	run ctl atelier held 10
	[ "$status" -eq 0 ]
	# forced, then undone: scheduled again, its reminders come back
	ctl atelier held 9 --force >/dev/null
	[ "$(ctl atelier show 9 --json | pyjson 'd["status"]')" = held ]
	run ctl atelier reopen 9
	[ "$status" -eq 0 ]
	[ "$(ctl atelier show 9 --json | pyjson 'd["status"]')" = scheduled ]
	run ctl atelier reopen 10
	[ "$status" -eq 0 ]
	# a day that has passed stays held
	run ctl atelier reopen 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"Atelier 1 was held on 2017-09-27: that day has passed, it stays held"* ]]
	run ctl mail upcoming --days 60 --json
	[ "$status" -eq 0 ]
}

@test "tour plan shows the months already past and creates no draft for them unless forced" {
	ctl cycle add "En cours" --from "$(paris_day "-70 days" | cut -c1-7)" \
		--to "$(paris_day "+70 days" | cut -c1-7)" >/dev/null
	today=$(paris_day)
	run ctl tour plan --cycle 1 --rule "2nd tuesday" --time 09:00 --json
	echo "$output" >"$TMP/plan.json"
	run ctl tour plan --cycle 1 --rule "2nd tuesday" --time 09:00 --apply
	[ "$status" -eq 0 ]
	# as a person reads it: the drafts' ids show, though the first rows
	# (days past) have none
	[[ "${lines[0]}" == "month"*"note"*"atelier" ]]
	"$PY" - "$today" "$TMP/plan.json" "$(ctl atelier list --json)" <<'PY'
import json, sys
today, plan, made = sys.argv[1], json.load(open(sys.argv[2])), json.loads(sys.argv[3])
past = [p for p in plan if p["date"] < today]
coming = [p for p in plan if p["date"] >= today]
assert len(past) >= 2 and len(coming) >= 2, plan
assert all(p["note"].endswith("past") for p in past), past
# the drafts made are exactly the coming days
assert sorted(a["date"] for a in made) == sorted(p["date"] for p in coming), made
assert all(a["status"] == "draft" for a in made), made
PY
	[[ "$output" == *"past: not created (use force)"* ]]
	run ctl tour plan --cycle 1 --rule "2nd tuesday" --time 09:00 --apply --force --json
	[ "$(echo "$output" | pyjson 'all("atelier" in p and p["date"] < "'"$today"'" and p["note"].endswith("past: created (forced)") for p in d) and len(d) >= 2')" = True ]
}

@test "dates far ahead and times that do not exist in Paris are refused with a clear message" {
	run ctl atelier add --date 9999-12-31 --time 23:59 --draft
	[ "$status" -eq 2 ]
	[[ "$output" == *'date: "9999-12-31" is not a valid date (YYYY-MM-DD, years 1900 to 2199)'* ]]
	# the night summer time begins: the last Sunday of March, next year
	spring=$("$PY" -c 'import datetime
y = datetime.date.today().year + 1
d = datetime.date(y, 3, 31)
while d.weekday() != 6: d -= datetime.timedelta(1)
print(d)')
	run ctl atelier add --departement 05 --date "$spring" --time 02:30 --title T --venue V \
		--city Gap --capacity 5 --force
	[ "$status" -eq 1 ]
	[[ "$output" == *"$spring 02:30 does not exist in Paris: the clocks go forward"* ]]
	run ctl atelier add --departement 05 --date "$spring" --time 03:00 --title T --venue V \
		--city Gap --capacity 5 --force --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | pyjson 'd["starts_at"][11:16]')" = "01:00" ]
}

@test "a holiday moves a date a week away on the same weekday, a Saturday's too" {
	# the next year whose 8 May (Victoire 1945) is its second Saturday
	year=$("$PY" -c 'import datetime
y = datetime.date.today().year + 1
while datetime.date(y, 5, 8).weekday() != 5: y += 1
print(y)')
	ctl cycle add "Mai" --from "$year-05" --to "$year-05" >/dev/null
	run ctl tour plan --cycle 1 --rule "2e samedi" --time 10:00 --json
	[ "$(echo "$output" | pyjson '(d[0]["date"], d[0]["note"])')" = "('$year-05-15', 'moved from $year-05-08 (Victoire 1945)')" ]
}
