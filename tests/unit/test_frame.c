/* Line framing: requests arrive in arbitrary pieces. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "frame.h"

static void one_byte_at_a_time(void **state)
{
	(void)state;
	const char *input = "{\"id\":1}\n{\"id\":2}\r\n";
	struct frame f;
	char *line;
	size_t len;
	int lines = 0;
	frame_init(&f, 100);
	for (size_t i = 0; i < strlen(input); i++) {
		assert_int_equal(frame_feed(&f, input + i, 1), 0);
		while (frame_next(&f, &line, &len) == FRAME_LINE) {
			lines++;
			assert_string_equal(line, lines == 1 ? "{\"id\":1}" : "{\"id\":2}");
			assert_int_equal(len, 8);
		}
	}
	assert_int_equal(lines, 2);
	assert_int_equal(frame_pending(&f), 0);
	frame_free(&f);
}

static void several_lines_in_one_read(void **state)
{
	(void)state;
	struct frame f;
	char *line;
	size_t len;
	frame_init(&f, 100);
	assert_int_equal(frame_feed(&f, "a\nbb\n\nccc", 9), 0);
	assert_int_equal(frame_next(&f, &line, &len), FRAME_LINE);
	assert_string_equal(line, "a");
	assert_int_equal(frame_next(&f, &line, &len), FRAME_LINE);
	assert_string_equal(line, "bb");
	assert_int_equal(frame_next(&f, &line, &len), FRAME_LINE);
	assert_int_equal(len, 0);
	assert_int_equal(frame_next(&f, &line, &len), FRAME_NEED_MORE);
	assert_int_equal(frame_pending(&f), 3);
	assert_int_equal(frame_feed(&f, "c\n", 2), 0);
	assert_int_equal(frame_next(&f, &line, &len), FRAME_LINE);
	assert_string_equal(line, "cccc");
	frame_free(&f);
}

static void too_long_without_newline(void **state)
{
	(void)state;
	struct frame f;
	char *line;
	size_t len;
	char big[64];
	memset(big, 'x', sizeof big);
	frame_init(&f, 16);
	assert_int_equal(frame_feed(&f, big, 10), 0);
	assert_int_equal(frame_next(&f, &line, &len), FRAME_NEED_MORE);
	assert_int_equal(frame_feed(&f, big, 10), 0);
	assert_int_equal(frame_next(&f, &line, &len), FRAME_TOO_LONG);
	frame_free(&f);
}

static void exactly_the_limit(void **state)
{
	(void)state;
	struct frame f;
	char *line;
	size_t len;
	char buf[18];
	memset(buf, 'y', 16);
	buf[16] = '\n';
	frame_init(&f, 16);
	assert_int_equal(frame_feed(&f, buf, 17), 0);
	assert_int_equal(frame_next(&f, &line, &len), FRAME_LINE);
	assert_int_equal(len, 16);
	/* one more byte before the newline is one too many */
	memset(buf, 'z', 17);
	buf[17] = '\n';
	assert_int_equal(frame_feed(&f, buf, 18), 0);
	assert_int_equal(frame_next(&f, &line, &len), FRAME_TOO_LONG);
	frame_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(one_byte_at_a_time),
	    cmocka_unit_test(several_lines_in_one_read),
	    cmocka_unit_test(too_long_without_newline),
	    cmocka_unit_test(exactly_the_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
