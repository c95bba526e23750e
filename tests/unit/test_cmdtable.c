/* The command table: complete, consistent, and validating what it says. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cmdtable.h"
#include "handlers.h"

static void every_entry_is_complete(void **state)
{
	(void)state;
	assert_true(cmd_table_len > 10);
	for (size_t i = 0; i < cmd_table_len; i++) {
		const struct cmd_entry *c = &cmd_table[i];
		assert_non_null(binding_for(c));
		assert_non_null(c->summary);
		assert_true(c->role == ROLE_READ || c->role == ROLE_ADMIN);
		assert_ptr_equal(cmd_find(c->name), c); /* names are unique */
		bool optional_pos = false;
		for (const struct cmd_arg *a = c->args; a->name; a++) {
			assert_non_null(a->help);
			assert_ptr_equal(cmd_find_arg(c, a->name), a);
			if (a->type == ARG_ENUM)
				assert_non_null(a->choices);
			if (a->type == ARG_INT)
				assert_true(a->min <= a->max);
			/* a required positional after an optional one could not be typed */
			if (a->flags & ARG_POS) {
				assert_false(optional_pos && (a->flags & ARG_REQUIRED));
				optional_pos |= !(a->flags & ARG_REQUIRED);
			}
		}
	}
}

static int check(const char *cmd, const char *args)
{
	struct adf_error err;
	json_t *j = json_loads(args, 0, NULL);
	assert_non_null(j);
	int rc = cmd_validate(cmd_find(cmd), j, &err);
	json_decref(j);
	return rc;
}

static void validates_from_the_table(void **state)
{
	(void)state;
	assert_int_equal(check("departement.show", "{\"code\":\"05\"}"), 0);
	assert_int_equal(check("departement.show", "{\"code\":\"2A\"}"), 0);
	assert_int_equal(check("departement.show", "{\"code\":\"974\"}"), 0);
	assert_int_equal(check("departement.show", "{\"code\":\"20\"}"), -1);
	assert_int_equal(check("departement.show", "{\"code\":\"96\"}"), -1);
	assert_int_equal(check("departement.show", "{\"code\":\"977\"}"), -1);
	assert_int_equal(check("departement.show", "{\"code\":5}"), -1);
	assert_int_equal(check("departement.show", "{}"), -1);
	assert_int_equal(check("departement.show", "{\"code\":\"05\",\"x\":1}"), -1);
	assert_int_equal(
	    check("cycle.add", "{\"name\":\"C\",\"from\":\"2017-09\",\"to\":\"2018-06\"}"), 0);
	assert_int_equal(
	    check("cycle.add", "{\"name\":\" \",\"from\":\"2017-09\",\"to\":\"2018-06\"}"), -1);
	assert_int_equal(
	    check("cycle.add", "{\"name\":\"a\\nb\",\"from\":\"2017-09\",\"to\":\"2018-06\"}"), -1);
	assert_int_equal(
	    check("cycle.add", "{\"name\":\"C\",\"from\":\"2017-9\",\"to\":\"2018-06\"}"), -1);
	assert_int_equal(check("atelier.show", "{\"id\":0}"), -1);
	assert_int_equal(check("atelier.show", "{\"id\":\"1\"}"), -1);
	assert_int_equal(check("atelier.list", "{\"status\":\"held\"}"), 0);
	assert_int_equal(check("atelier.list", "{\"status\":\"hel\"}"), -1);
	assert_int_equal(check("atelier.add", "{\"date\":\"2017-09-27\",\"time\":\"8h30\"}"), -1);
	assert_int_equal(
	    check("atelier.add", "{\"date\":\"2017-09-27\",\"time\":\"08:30\",\"capacity\":0}"),
	    -1);
	assert_int_equal(
	    check("atelier.add", "{\"date\":\"2017-09-27\",\"time\":\"08:30\",\"force\":1}"), -1);
}

static void title_length_counts_characters(void **state)
{
	(void)state;
	char args[1024];
	char title[700] = "";
	for (int i = 0; i < 200; i++)
		strcat(title, "é"); /* 200 characters, 400 bytes */
	snprintf(args, sizeof args, "{\"date\":\"2017-09-27\",\"time\":\"08:30\",\"title\":\"%s\"}",
		 title);
	assert_int_equal(check("atelier.add", args), 0);
	strcat(title, "é");
	snprintf(args, sizeof args, "{\"date\":\"2017-09-27\",\"time\":\"08:30\",\"title\":\"%s\"}",
		 title);
	assert_int_equal(check("atelier.add", args), -1);
}

static void write_flag_raises_the_role(void **state)
{
	(void)state;
	const struct cmd_entry *plan = cmd_find("tour.plan");
	json_t *preview = json_pack("{s:i}", "cycle", 1);
	json_t *apply = json_pack("{s:i,s:b}", "cycle", 1, "apply", 1);
	assert_int_equal(cmd_required_role(plan, preview), ROLE_READ);
	assert_int_equal(cmd_required_role(plan, apply), ROLE_ADMIN);
	json_decref(preview);
	json_decref(apply);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_entry_is_complete),
	    cmocka_unit_test(validates_from_the_table),
	    cmocka_unit_test(title_length_counts_characters),
	    cmocka_unit_test(write_flag_raises_the_role),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
