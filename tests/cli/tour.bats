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
	[[ "$output" == *"edition_fr         1ère édition"* ]]
	[[ "$output" == *"starts_at          2017-09-27T06:30:00Z"* ]]
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
		"moved from 2018-05-10 (Ascension)" ]
	run ctl tour plan --cycle 1 --rule "every full moon" --time 09:00
	[ "$status" -eq 1 ]
	[[ "$output" == *"is not a monthly rule"* ]]
}

@test "tour plan --apply creates drafts only for the months without an Atelier" {
	load_fixture cycle-2017.ndjson
	run ctl tour plan --cycle 1 --rule "last wednesday" --time 08:30 --json
	[ "$(echo "$output" | pyjson '" ".join(x["month"] for x in d)')" = "2018-05 2018-06" ]
	run ctl tour plan --cycle 1 --rule "last wednesday" --time 08:30 --apply
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
	load_fixture cycle-2017.ndjson
	run ctl atelier cancel 2 --reason "grève des transports"
	[ "$status" -eq 0 ]
	[[ "$output" == *"status             cancelled"* ]]
	run ctl atelier update 2 --venue "Ailleurs"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Atelier 2 is cancelled: reopen it first (atelier reopen 2)"* ]]
	# its month is free now: another Atelier takes it
	ctl atelier add --cycle 1 --departement 73 --date 2017-10-11 --time 09:00 \
		--title Savoie --venue "Château des ducs" --city Chambéry --capacity 100
	run ctl atelier reopen 2
	[ "$status" -eq 1 ]
	[[ "$output" == *"already planned in 2017-10"* ]]
	run ctl atelier reopen 2 --force
	[ "$status" -eq 0 ]
	[[ "$output" == *"status             scheduled"* ]]
}

@test "moving or cancelling an Atelier raises its sequence; editing its title does not" {
	load_fixture cycle-2017.ndjson
	run ctl atelier update 1 --title "Les Hautes-Alpes agissent"
	[[ "$output" == *"sequence           0"* ]]
	run ctl atelier update 1 --venue "Centre des congrès"
	[[ "$output" == *"sequence           1"* ]]
	run ctl atelier update 1 --time 09:00
	[[ "$output" == *"sequence           2"* ]]
	[[ "$output" == *"starts_at          2017-09-27T07:00:00Z"* ]]
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
	run ctl audit list --since 2999-01-01 --json
	[ "$(echo "$output" | pyjson 'len(d)')" = 0 ]
}
