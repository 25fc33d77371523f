/* util: the ordered worker pool, no-clobber writes, hashing, UTF-8. */
#include "testutil.h"

#include <sys/stat.h>

#include "photovoice/util.h"

struct order {
	size_t n;
	int *worked;
	size_t *finished;
	size_t nfinished;
};

static void work(size_t i, void *ctx)
{
	struct order *o = ctx;
	if (i % 3 == 0)
		usleep(2000);   /* some items are slow, so workers overtake each other */
	o->worked[i]++;
}

static void finish(size_t i, void *ctx)
{
	struct order *o = ctx;
	assert_int_equal(o->worked[i], 1);   /* finished only after its work */
	o->finished[o->nfinished++] = i;
}

static void pool_works_every_item_once_and_finishes_in_order(void **state)
{
	(void)state;
	static const int threads[] = { 1, 2, 3, 8 };
	for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
		for (size_t n = 0; n < 40; n += 13) {
			struct order o = { .n = n, .worked = calloc(n + 1, sizeof(int)),
					   .finished = calloc(n + 1, sizeof(size_t)) };
			pv_pool_run(n, threads[t], work, finish, &o);
			assert_int_equal(o.nfinished, n);
			for (size_t i = 0; i < n; i++) {
				assert_int_equal(o.worked[i], 1);
				assert_int_equal(o.finished[i], i);
			}
			free(o.worked);
			free(o.finished);
		}
	}
}

static void write_new_never_overwrites(void **state)
{
	(void)state;
	char *dir = pv_test_tmpdir();
	char *path = pv_path_join(dir, "photo.jpg");
	struct pv_err err = {0};
	assert_int_equal(pv_write_new(path, NULL, "first", 5, &err), 0);
	assert_int_equal(pv_write_new(path, NULL, "second", 6, &err), -1);
	assert_non_null(strstr(err.msg, "exists already"));
	uint8_t *data;
	size_t len;
	assert_int_equal(pv_read_file(path, 100, &data, &len, &err), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(data, "first", 5);
	free(data);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* no temporary file left behind */
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "test $(ls -A '%s' | wc -l) -eq 1", dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(pv_write_atomic(path, NULL, "third", 5, &err), 0);
	free(path);
	pv_test_rmtree(dir);
}

/* Every refusal of pv_read_file is one whole sentence naming the file, that
 * callers show as it is: a folder, a missing file, a FIFO, a device, a file
 * too large, a link. */
static void read_file_says_why_in_a_sentence_naming_the_file(void **state)
{
	(void)state;
	char *dir = pv_test_tmpdir();
	char *missing = pv_path_join(dir, "weg.jpg"), *fifo = pv_path_join(dir, "pijp.jpg");
	char *big = pv_path_join(dir, "groot.jpg"), *link = pv_path_join(dir, "link.jpg");
	struct pv_err err = {0};
	assert_int_equal(pv_write_atomic(big, NULL, "0123456789", 10, &err), 0);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(symlink(big, link), 0);
	static const struct {
		int which;            /* 0 dir, 1 missing, 2 fifo, 3 device, 4 big, 5 link */
		enum pv_err_kind kind;
		const char *says;
	} cases[] = {
		{ 0, PV_ERR_INPUT, " is a folder, not a file." },
		{ 1, PV_ERR_NOT_FOUND, " does not exist." },
		{ 2, PV_ERR_INPUT, " is not a regular file" },
		{ 3, PV_ERR_INPUT, " is not a regular file" },
		{ 4, PV_ERR_INPUT, " is larger than the " },
		{ 5, PV_ERR_INPUT, " is a symbolic link, which photovoice never follows." },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *paths[] = { dir, missing, fifo, "/dev/null", big, link };
		const char *path = paths[cases[i].which];
		uint8_t *data = NULL;
		size_t len = 0;
		pv_err_clear(&err);
		assert_int_equal(pv_read_file(path, 5, &data, &len, &err), -1);
		assert_null(data);
		assert_int_equal(err.kind, cases[i].kind);
		/* the file first, then what is wrong with it, ending the sentence */
		assert_int_equal(strncmp(err.msg, path, strlen(path)), 0);
		assert_non_null(strstr(err.msg, cases[i].says));
		assert_int_equal(err.msg[strlen(err.msg) - 1], '.');
		assert_null(strstr(err.msg, ": it "));
	}
	free(missing);
	free(fifo);
	free(big);
	free(link);
	pv_test_rmtree(dir);
}

static void read_file_refuses_links_and_oversize(void **state)
{
	(void)state;
	char *dir = pv_test_tmpdir();
	char *path = pv_path_join(dir, "f");
	char *link = pv_path_join(dir, "l");
	struct pv_err err = {0};
	assert_int_equal(pv_write_atomic(path, NULL, "0123456789", 10, &err), 0);
	assert_int_equal(symlink(path, link), 0);
	uint8_t *data;
	size_t len;
	assert_int_equal(pv_read_file(link, 100, &data, &len, &err), -1);
	assert_non_null(strstr(err.msg, "symbolic link"));
	assert_int_equal(pv_read_file(path, 5, &data, &len, &err), -1);
	assert_non_null(strstr(err.msg, "larger"));
	free(path);
	free(link);
	pv_test_rmtree(dir);
}

static void sha256_matches_a_known_value(void **state)
{
	(void)state;
	char hex[PV_SHA256_HEX];
	pv_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void utf8_is_checked_and_normalised(void **state)
{
	(void)state;
	assert_false(pv_utf8_valid("caf\xE9", 4));
	assert_null(pv_utf8_nfc("caf\xE9", 4));
	char *n = pv_utf8_nfc("e\xCC\x81", 3);
	assert_string_equal(n, "\xC3\xA9");
	free(n);
	char *f = pv_utf8_casefold("KLIK \xC3\x8B");
	assert_string_equal(f, "klik \xC3\xAB");
	free(f);
}

/* What intake keeps: line ends as LF, no control, whatever the control. */
static void text_keep_drops_controls_and_unifies_line_ends(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } cases[] = {
		{ "rood\x1b[31mALARM", "rood[31mALARM" },          /* ESC */
		{ "bel\x07l", "bell" },                              /* BEL */
		{ "weg\b\bx", "wegx" },                              /* backspace */
		{ "a\r\nb\rc\nd", "a\nb\nc\nd" },                 /* CR LF, CR */
		{ "a\xE2\x80\xA8" "b\xE2\x80\xA9" "c", "a\nb\nc" },  /* U+2028/9 */
		{ "csi \xC2\x9B" "2J", "csi 2J" },                    /* C1 CSI */
		{ "U\xE2\x80\xAEtnemmoc", "Utnemmoc" },              /* RLO */
		{ "iso\xE2\x81\xA6x\xE2\x81\xA9", "isox" },          /* isolates */
		{ "bom\xEF\xBB\xBF", "bom" },                        /* U+FEFF */
		{ "del\x7F", "del" },
		{ "tab\tstays", "tab\tstays" },
		{ "caf\xC3\xA9 \xE2\x80\x8F", "caf\xC3\xA9 \xE2\x80\x8F" },  /* RLM is a mark */
		{ "bad\xFF byte", "bad byte" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = pv_strdup(cases[i].in);
		assert_string_equal(pv_text_keep(s), cases[i].out);
		free(s);
	}
	char *k = pv_text_kept("  \x1b[0m \r\n");
	assert_string_equal(k, "[0m");
	free(k);
	assert_null(pv_text_kept("\x1b\x07 \r\n"));
	assert_null(pv_text_kept(NULL));
}

/* What a terminal is shown: every control visible, never raw; JSON exact. */
static void text_for_terminal_shows_controls(void **state)
{
	(void)state;
	char *t = pv_text_for_terminal("a\x1b[31mb\x07\r\b \xC2\x9B" "c \xE2\x80\xAE" "d\xFF", 0);
	assert_string_equal(t, "a<U+001B>[31mb<U+0007><U+000D><U+0008> <U+009B>c <U+202E>d<0xFF>");
	free(t);
	t = pv_text_for_terminal("een\ntwee\tdrie", 0);
	assert_string_equal(t, "een\ntwee\tdrie");
	free(t);
	t = pv_text_for_terminal("een\ntwee\tdrie\xE2\x80\xA8vier", 1);
	assert_string_equal(t, "een twee drie vier");
	free(t);
	t = pv_text_for_terminal("caf\xC3\xA9", 1);
	assert_string_equal(t, "caf\xC3\xA9");
	free(t);
	assert_null(pv_text_for_terminal(NULL, 0));
	t = pv_text_json_safe("{\"a\": \"x\xC2\x9By\xE2\x80\xAEz\\u001b caf\xC3\xA9\"}");
	assert_string_equal(t, "{\"a\": \"x\\u009By\\u202Ez\\u001b caf\xC3\xA9\"}");
	free(t);
}

/* The typo distance of option names and caption-file keys. */
static void edit_distance_counts_each_edit_once(void **state)
{
	(void)state;
	assert_int_equal(pv_edit_distance("columns", "columns"), 0);
	assert_int_equal(pv_edit_distance("colums", "columns"), 1);    /* one left out */
	assert_int_equal(pv_edit_distance("jsno", "json"), 1);         /* two swapped */
	assert_int_equal(pv_edit_distance("titel", "title"), 1);
	assert_int_equal(pv_edit_distance("tag", "taq"), 1);
	assert_int_equal(pv_edit_distance("", "json"), 4);
	assert_int_equal(pv_edit_distance("consent", "consent-is"), 3);
	char long_word[80];
	memset(long_word, 'a', sizeof long_word - 1);
	long_word[sizeof long_word - 1] = '\0';
	assert_true(pv_edit_distance(long_word, "a") >= 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pool_works_every_item_once_and_finishes_in_order),
		cmocka_unit_test(write_new_never_overwrites),
		cmocka_unit_test(read_file_refuses_links_and_oversize),
		cmocka_unit_test(read_file_says_why_in_a_sentence_naming_the_file),
		cmocka_unit_test(sha256_matches_a_known_value),
		cmocka_unit_test(utf8_is_checked_and_normalised),
		cmocka_unit_test(text_keep_drops_controls_and_unifies_line_ends),
		cmocka_unit_test(text_for_terminal_shows_controls),
		cmocka_unit_test(edit_distance_counts_each_edit_once),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
