/*
 * The log's details in the reader's language. The audit trail stores its
 * detail in English, the same bytes in every language (`log --json`, and the
 * archives already written); the people who read `log` read it in theirs.
 * So a detail is said again at display time: every shape the library writes
 * (the snprintf formats of pv_store_log's callers) is a row below, whose
 * English is both the shape that is matched and the message that is
 * translated, as a whole sentence per case. The numbers and names matched
 * are put into the translation's placeholders in order (msgfmt
 * --check-format keeps them the same). A detail of no known shape (a newer
 * program's, an older one's) is shown as stored.
 */
#include <stdlib.h>
#include <string.h>

#include "photovoice/i18n.h"
#include "photovoice/store.h"
#include "photovoice/util.h"

/* Marked for po/mkpot.sh as C formats: LOG_("...") a message, LOGN_(one,
 * many) a plural pair, translated here with ngettext. */
#define LOG_(msgid) msgid
#define LOGN_(one, many) one, many

struct shape {
	const char *action;
	const char *one;       /* the stored English, and the message */
	const char *many;      /* its plural (stored as well), or NULL */
	int count;             /* which placeholder (from 0) is the number, for many */
};

static const struct shape shapes[] = {
	{ "ingest", LOG_("entry %lld"), NULL, 0 },
	{ "review", LOG_("entry %lld"), NULL, 0 },
	{ "audit", LOGN_("repair: %zu problem put right", "repair: %zu problems put right"), 0 },
	/* TRANSLATORS: log details; a participant record is the number of a
	 * participant in the catalogue; %s is a date (YYYY-MM-DD) */
	{ "invite", LOG_("invitation %lld for participant record %lld, works until %s"), NULL, 0 },
	{ "invite", LOG_("invitation %lld revoked"), NULL, 0 },
	{ "participant", LOG_("participant record %lld: credit line set"), NULL, 0 },
	{ "participant", LOG_("participant record %lld: credit line set, marked under 16"), NULL, 0 },
	{ "participant", LOG_("participant record %lld: credit line set, marked 16 or older"), NULL, 0 },
	{ "participant", LOG_("participant record %lld: marked under 16"), NULL, 0 },
	{ "participant", LOG_("participant record %lld: marked 16 or older"), NULL, 0 },
	{ "participant", LOG_("participant record %lld:"), NULL, 0 },
	/* TRANSLATORS: %s is a consent scope as typed (none, internal, poster, public) */
	{ "consent", LOG_("entry %lld: %s, guardian yes, until no end date"), NULL, 0 },
	{ "consent", LOG_("entry %lld: %s, guardian no, until no end date"), NULL, 0 },
	{ "consent", LOG_("entry %lld: %s, guardian not said, until no end date"), NULL, 0 },
	/* TRANSLATORS: log details of `consent`; the first %s is a consent
	 * scope as typed (none, internal, poster, public), the last a date */
	{ "consent", LOG_("entry %lld: %s, guardian yes, until %s"), NULL, 0 },
	{ "consent", LOG_("entry %lld: %s, guardian no, until %s"), NULL, 0 },
	{ "consent", LOG_("entry %lld: %s, guardian not said, until %s"), NULL, 0 },
	{ "withdraw", LOG_("entry %lld: none, asked by the participant"), NULL, 0 },
	/* TRANSLATORS: log detail of a bundle: its number, its purpose as typed
	 * (poster, internal), how many entries, then their numbers */
	{ "bundle", LOGN_("bundle %lld (%s): %zu entry %s", "bundle %lld (%s): %zu entries %s"), 2 },
	{ "init", LOG_("catalogue created (schema %d)"), NULL, 0 },
	{ "upgrade", LOG_("catalogue upgraded from schema %d to %d"), NULL, 0 },
	{ "tags merge", LOGN_("merged: %lld entry", "merged: %lld entries"), 0 },
	{ "tags rename", LOGN_("renamed: %lld entry", "renamed: %lld entries"), 0 },
	{ "tag", LOGN_("entry %lld: %zu tag added or removed", "entry %lld: %zu tags added or removed"), 1 },
	/* TRANSLATORS: %s is a list of entry numbers, "3, 7, 12" */
	{ "tag", LOGN_("entries %s: %zu tag added or removed", "entries %s: %zu tags added or removed"), 1 },
	{ "erase", LOG_("entry %lld erased"), NULL, 0 },
	{ "erase", LOGN_("%d invitation of a participant erased", "%d invitations of a participant erased"), 0 },
	{ "erase", N_("a participant record erased"), NULL, 0 },
	{ "confirm", LOG_("entry %lld: words from the photo confirmed"), NULL, 0 },
	/* TRANSLATORS: %s is the list of the words changed, each translated
	 * above: "title, caption" */
	{ "edit", LOG_("entry %lld: %s"), NULL, 0 },
	{ "poster-save", LOGN_("poster %lld: %zu entry", "poster %lld: %zu entries"), 1 },
	{ "poster-update", LOGN_("poster %lld: %zu entry", "poster %lld: %zu entries"), 1 },
	{ "poster-delete", LOG_("poster %lld"), NULL, 0 },
	/* TRANSLATORS: %s is a staff login name */
	{ "staff add", LOG_("account %s"), NULL, 0 },
	{ "staff passwd", LOG_("account %s"), NULL, 0 },
	{ "staff remove", LOG_("account %s"), NULL, 0 },
};

/* the words of an edit's list (pv_text_field_name), for the reader */
static const char *const field_words[][2] = {
	/* TRANSLATORS: the words of an entry, in a list of what an edit
	 * changed ("title, caption"), in `edit`'s report and the log */
	{ "title", N_("title") },
	{ "caption", N_("caption") },
	{ "story", N_("story") },
};

struct text {
	char *s;
	size_t len, cap;
};

static void put(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->s = realloc(t->s, t->cap);
		if (!t->s)
			abort();
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void puts_text(struct text *t, const char *s)
{
	put(t, s, strlen(s));
}

#define MAX_ARGS 4

struct match {
	const char *at[MAX_ARGS];
	size_t len[MAX_ARGS];
	int n;
};

/* The length of the conversion at f ('%' included), or 0 for none. */
static size_t spec_len(const char *f)
{
	size_t i = 1;
	while (f[i] >= '0' && f[i] <= '9')
		i++;
	if (f[i] == '$')
		i++;
	else
		i = 1;
	while (f[i] == 'l' || f[i] == 'z')
		i++;
	return strchr("sdu", f[i]) && f[i] ? i + 1 : 0;
}

static int is_digits(const char *s, size_t n)
{
	if (n && *s == '-')
		s++, n--;
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* 1 when text is pattern with its placeholders filled: %s by any text
 * (the shortest that lets the rest match), a number by digits. */
static int match_shape(const char *pattern, const char *text, struct match *m)
{
	while (*pattern && *pattern != '%') {
		if (*pattern++ != *text++)
			return 0;
	}
	if (!*pattern)
		return !*text;
	size_t sl = spec_len(pattern);
	if (!sl || m->n >= MAX_ARGS)
		return 0;
	int number = pattern[sl - 1] != 's';
	int k = m->n++;
	for (size_t n = number ? 1 : 0; n <= strlen(text); n++) {
		if (number && !is_digits(text, n))
			break;
		m->at[k] = text;
		m->len[k] = n;
		if (match_shape(pattern + sl, text + n, m))
			return 1;
		m->n = k + 1;
	}
	m->n = k;
	return 0;
}

static long long arg_number(const struct match *m, int i)
{
	char buf[32];
	size_t n = m->len[i] < sizeof buf - 1 ? m->len[i] : sizeof buf - 1;
	memcpy(buf, m->at[i], n);
	buf[n] = '\0';
	return atoll(buf);
}

/* "title, caption": each word of an edit's list in the reader's words */
static void put_field_list(struct text *b, const char *s, size_t n)
{
	char *list = pv_strndup(s, n);
	char *save = NULL;
	int first = 1;
	for (char *w = strtok_r(list, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		const char *say = w;
		for (size_t i = 0; i < sizeof field_words / sizeof field_words[0]; i++)
			if (strcmp(w, field_words[i][0]) == 0)
				say = _(field_words[i][1]);
		puts_text(b, first ? "" : ", ");
		puts_text(b, say);
		first = 0;
	}
	free(list);
}

char *pv_field_list_text(const char *list)
{
	struct text b = {0};
	puts_text(&b, "");
	put_field_list(&b, list, strlen(list));
	return b.s;
}

/* The translation with the matched text in its placeholders, in order, or
 * as %N$ says. */
static char *fill(const char *format, const struct match *m, const char *action)
{
	struct text b = {0};
	int next = 0;
	puts_text(&b, "");
	for (const char *f = format; *f; ) {
		size_t sl = *f == '%' ? spec_len(f) : 0;
		if (*f == '%' && f[1] == '%') {
			put(&b, "%", 1);
			f += 2;
			continue;
		}
		if (!sl) {
			put(&b, f++, 1);
			continue;
		}
		int i = next++;
		const char *dollar = strchr(f, '$');
		if (dollar && dollar < f + sl)
			i = atoi(f + 1) - 1;
		if (i >= 0 && i < m->n && strcmp(action, "edit") == 0 && f[sl - 1] == 's')
			put_field_list(&b, m->at[i], m->len[i]);
		else if (i >= 0 && i < m->n)
			put(&b, m->at[i], m->len[i]);
		f += sl;
	}
	return b.s;
}

char *pv_log_detail_text(const char *action, const char *detail)
{
	if (!detail)
		return pv_strdup("");
	for (size_t i = 0; action && i < sizeof shapes / sizeof shapes[0]; i++) {
		const struct shape *s = &shapes[i];
		if (strcmp(s->action, action) != 0)
			continue;
		struct match m = { .n = 0 };
		if (!match_shape(s->one, detail, &m)) {
			m.n = 0;
			if (!s->many || !match_shape(s->many, detail, &m))
				continue;
		}
		const char *format = _(s->one);
		if (s->many && s->count < m.n)
			format = ngettext(s->one, s->many, (unsigned long)arg_number(&m, s->count));
		return fill(format, &m, action);
	}
	return pv_strdup(detail);
}
