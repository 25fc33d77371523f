/* web: the page buffer (src/web/render.c): formatted text across the
 * buffer's growth, and HTML escaping of every character that needs it,
 * alone, in runs and at either end. */
#include "testutil.h"

#include "web_internal.h"

static void formatted_text_lands_whole_across_growth(void **state)
{
	(void)state;
	struct pv_buf b = {0};
	char want[20000] = "";
	size_t wlen = 0;
	for (int i = 0; i < 600; i++) {   /* past the first room and several doublings */
		char piece[64];
		int n = snprintf(piece, sizeof piece, "<li id=\"e%d\">%s</li>", i,
				 i % 7 ? "x" : "a longer piece of text");
		pv_buf_addf(&b, "<li id=\"e%d\">%s</li>", i, i % 7 ? "x" : "a longer piece of text");
		memcpy(want + wlen, piece, (size_t)n + 1);
		wlen += (size_t)n;
	}
	assert_int_equal(b.len, wlen);
	assert_string_equal(b.data, want);
	char big[9000];
	memset(big, 'y', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	pv_buf_addf(&b, "[%s]", big);   /* one piece larger than all the room left */
	assert_int_equal(b.len, wlen + sizeof big + 1);
	assert_int_equal(b.data[wlen], '[');
	assert_int_equal(b.data[b.len - 1], ']');
	assert_int_equal(b.data[b.len], '\0');
	pv_buf_free(&b);
}

static void html_escapes_every_special_character(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "", "" },
		{ "plain words, é and ✓", "plain words, é and ✓" },
		{ "<script>alert('x')</script>",
		  "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" },
		{ "\"><img src=x onerror=alert(1)>",
		  "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" },
		{ "&&&", "&amp;&amp;&amp;" },
		{ "Tom & Jerry's \"show\"", "Tom &amp; Jerry&#39;s &quot;show&quot;" },
		{ "end<", "end&lt;" },
		{ ">start", "&gt;start" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct pv_buf b = {0};
		pv_buf_add(&b, "[");
		pv_buf_add_html(&b, cases[i][0]);
		pv_buf_add(&b, "]");
		char want[128];
		snprintf(want, sizeof want, "[%s]", cases[i][1]);
		assert_string_equal(b.data, want);
		pv_buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(formatted_text_lands_whole_across_growth),
		cmocka_unit_test(html_escapes_every_special_character),
	};
	return cmocka_run_group_tests_name("web_buf", tests, NULL, NULL);
}
