/*
 * benchcat - the catalogue part of `make bench` (tests/bench.sh, part 3).
 *
 *   benchcat fill DIR N          a fresh archive at DIR with N synthetic
 *                                entries (text only), in one transaction
 *   benchcat search DIR RUNS Q   median microseconds (wall clock, then CPU) of
 *                                one search inside the process, as
 *                                `photovoice search` asks for it
 *   benchcat search-all DIR RUNS Q   the same with every match ranked (--all)
 *   benchcat list-tag DIR RUNS T the same for listing one tag
 *   benchcat count DIR Q         how many entries match the query
 *   benchcat count-tag DIR T     how many entries have the tag
 *
 * The text is made of a fixed vocabulary so that word frequencies are known:
 * "thuis" is in about one entry in five (common), "vuurtoren" in one in ten
 * thousand (rare), and "luister*" matches about one in twelve (prefix).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "photovoice/store.h"
#include "photovoice/util.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned next_rand(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const common_words[] = {
	"de", "het", "een", "en", "ik", "we", "naar", "met", "op", "in", "mijn", "onze",
	"was", "is", "hier", "daar", "samen", "soms", "altijd", "nooit", "vandaag",
	"school", "fiets", "keuken", "kamer", "straat", "park", "hond", "vriend",
	"moeder", "vader", "broer", "zus", "oma", "gesprek", "tafel", "raam", "licht",
	"regen", "zon", "avond", "ochtend", "weekend", "voetbal", "muziek", "telefoon",
	"boek", "eten", "koken", "wandelen", "lachen", "praten", "wachten", "voelen",
	"gehoord", "gezien", "veilig", "rustig", "moeilijk", "blij", "boos", "bang",
};
#define NCOMMON (sizeof common_words / sizeof *common_words)

static const char *const listen_words[] = { "luisteren", "luisterde", "luistert" };
static const char *const tag_words[] = {
	"klik", "thuis", "school", "vrije tijd", "familie", "hulpverlening", "vrienden",
	"toekomst", "rust", "buurt", "sport", "eten", "muziek", "dieren", "natuur",
};
#define NTAGS (sizeof tag_words / sizeof *tag_words)

static void append_word(char *buf, size_t cap, size_t *len, const char *w)
{
	size_t n = strlen(w);
	if (*len + n + 2 >= cap)
		return;
	if (*len)
		buf[(*len)++] = ' ';
	memcpy(buf + *len, w, n + 1);
	*len += n;
}

/* words drawn from the vocabulary; the marked words at their set rates */
static void make_text(char *buf, size_t cap, int words, int with_markers)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i < words; i++)
		append_word(buf, cap, &len, common_words[next_rand(NCOMMON)]);
	if (!with_markers)
		return;
	if (next_rand(5) == 0)
		append_word(buf, cap, &len, "thuis");
	if (next_rand(12) == 0)
		append_word(buf, cap, &len, listen_words[next_rand(3)]);
	if (next_rand(10000) == 0)
		append_word(buf, cap, &len, "vuurtoren");
}

static int add_one(struct pv_archive *a, int i, struct pv_err *err)
{
	char title[128], caption[256], story[2048], seed[32], participant[16];
	struct pv_entry e = { .guardian = PV_GUARDIAN_UNKNOWN, .width = 1600,
			      .height = 1200, .bytes = 1000000 };
	char *tags[4] = { 0 };
	snprintf(seed, sizeof seed, "bench-%d", i);
	pv_sha256_hex(seed, strlen(seed), e.sha256);
	make_text(title, sizeof title, 2 + (int)next_rand(3), 0);
	make_text(caption, sizeof caption, 6 + (int)next_rand(8), 0);
	make_text(story, sizeof story, 40 + (int)next_rand(80), 1);
	snprintf(participant, sizeof participant, "p%03u", next_rand(300));
	e.title = title;
	e.caption = caption;
	e.story = story;
	e.participant = participant;
	e.consent = (enum pv_consent)next_rand(4);
	e.ntags = 1 + next_rand(3);
	for (size_t t = 0; t < e.ntags; t++)
		tags[t] = (char *)tag_words[next_rand(NTAGS)];
	e.tags = tags;
	return pv_store_add(a, &e, err);
}

static int fill(const char *dir, int n)
{
	struct pv_err err = {0};
	if (pv_archive_init(dir, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	struct pv_archive *a = pv_archive_open(dir, PV_OPEN_WRITE, &err);
	if (!a || pv_store_begin(a, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	for (int i = 0; i < n; i++)
		if (add_one(a, i, &err) != 0) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
	int r = pv_store_commit(a, &err);
	pv_archive_close(a);
	return r == 0 ? 0 : 1;
}

static double now_us(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int by_value(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

static int search_once(struct pv_archive *a, const char *q)
{
	struct pv_search_opts o = PV_SEARCH_OPTS_DEFAULT;
	struct pv_search_info info;
	struct pv_search_hits h;
	struct pv_err err = {0};
	if (pv_store_search_top(a, q, &o, &h, &info, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	pv_search_hits_free(&h);
	return 0;
}

static int search_all_once(struct pv_archive *a, const char *q)
{
	struct pv_search_opts o = PV_SEARCH_OPTS_DEFAULT;
	struct pv_search_info info;
	struct pv_search_hits h;
	struct pv_err err = {0};
	o.window = 0;
	if (pv_store_search_top(a, q, &o, &h, &info, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	pv_search_hits_free(&h);
	return 0;
}

static int list_tag_once(struct pv_archive *a, const char *tag)
{
	const char *tags[] = { tag };
	struct pv_filter f = { .tags = tags, .ntags = 1, .min_consent = -1,
			       .exact_consent = -1 };
	struct pv_entry_list l;
	struct pv_err err = {0};
	if (pv_store_list(a, &f, &l, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	pv_entry_list_free(&l);
	return 0;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, by_value);
	return v[n / 2];
}

/* Prints the median wall-clock and CPU microseconds of `runs` calls. */
static int time_runs(const char *dir, int runs, const char *arg,
		     int (*once)(struct pv_archive *, const char *))
{
	struct pv_err err = {0};
	struct pv_archive *a = pv_archive_open(dir, PV_OPEN_READ, &err);
	if (!a || runs < 1) {
		fprintf(stderr, "%s\n", a ? "RUNS must be 1 or more" : err.msg);
		return 1;
	}
	double *wall = calloc((size_t)runs, sizeof *wall);
	double *cpu = calloc((size_t)runs, sizeof *cpu);
	once(a, arg);   /* warm the page cache */
	for (int i = 0; i < runs; i++) {
		double w0 = now_us(CLOCK_MONOTONIC), c0 = now_us(CLOCK_PROCESS_CPUTIME_ID);
		if (once(a, arg) != 0)
			return 1;
		wall[i] = now_us(CLOCK_MONOTONIC) - w0;
		cpu[i] = now_us(CLOCK_PROCESS_CPUTIME_ID) - c0;
	}
	printf("%.0f %.0f\n", median(wall, runs), median(cpu, runs));
	free(wall);
	free(cpu);
	pv_archive_close(a);
	return 0;
}

static int count(const char *dir, const char *what, int is_tag)
{
	struct pv_err err = {0};
	struct pv_archive *a = pv_archive_open(dir, PV_OPEN_READ, &err);
	if (!a) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	int64_t n = -1;
	if (is_tag) {
		const char *tags[] = { what };
		struct pv_filter f = { .tags = tags, .ntags = 1, .min_consent = -1,
				       .exact_consent = -1 };
		struct pv_entry_list l;
		if (pv_store_list(a, &f, &l, &err) == 0)
			n = (int64_t)l.count;
		pv_entry_list_free(&l);
	} else {
		n = pv_store_search_count(a, what, &err);
	}
	pv_archive_close(a);
	printf("%lld\n", (long long)n);
	return n < 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "fill") == 0)
		return fill(argv[2], atoi(argv[3]));
	if (argc == 5 && strcmp(argv[1], "search") == 0)
		return time_runs(argv[2], atoi(argv[3]), argv[4], search_once);
	if (argc == 5 && strcmp(argv[1], "search-all") == 0)
		return time_runs(argv[2], atoi(argv[3]), argv[4], search_all_once);
	if (argc == 5 && strcmp(argv[1], "list-tag") == 0)
		return time_runs(argv[2], atoi(argv[3]), argv[4], list_tag_once);
	if (argc == 4 && strcmp(argv[1], "count") == 0)
		return count(argv[2], argv[3], 0);
	if (argc == 4 && strcmp(argv[1], "count-tag") == 0)
		return count(argv[2], argv[3], 1);
	fputs("usage: benchcat fill DIR N | search|search-all|list-tag DIR RUNS WHAT"
	      " | count|count-tag DIR WHAT\n", stderr);
	return 2;
}
