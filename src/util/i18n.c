/*
 * Choosing the language and binding the catalogue (photovoice/i18n.h).
 *
 * glibc's gettext translates nothing while LC_MESSAGES is "C", and reads
 * LANGUAGE for any other locale. So English is the "C" locale (the process's
 * own, untouched), and Dutch is LC_MESSAGES "C.UTF-8", built into glibc, with
 * LANGUAGE=nl: Dutch then works whether nl_NL.UTF-8 is generated or not, and
 * a LANGUAGE the user set for other programs cannot turn it into a third
 * language. A server gives each thread one of two locale objects (uselocale),
 * which is what gettext reads in that thread.
 */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "photovoice/i18n.h"

#ifndef PV_LOCALEDIR
#define PV_LOCALEDIR "/usr/local/share/locale"
#endif

static locale_t thread_locale[2];   /* by enum pv_lang, after pv_i18n_threads */

static enum pv_lang lang_of_code(const char *code, enum pv_lang dflt)
{
	if (!code || !*code)
		return dflt;
	if (strncasecmp(code, "nl", 2) == 0 && !(code[2] >= 'a' && code[2] <= 'z'))
		return PV_LANG_NL;
	return PV_LANG_EN;
}

enum pv_lang pv_lang_from_env(void)
{
	const char *own = getenv("PHOTOVOICE_LANG");
	if (own && (strcmp(own, "nl") == 0 || strcmp(own, "en") == 0))
		return own[0] == 'n' ? PV_LANG_NL : PV_LANG_EN;
	/* POSIX's order: the first of these that is set and not empty counts */
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return lang_of_code(v, PV_LANG_EN);
	}
	return PV_LANG_EN;
}

enum pv_lang pv_lang_from_accept(const char *header, enum pv_lang dflt)
{
	for (const char *p = header; p && *p; p += strcspn(p, ",")) {
		p += strspn(p, ", \t");
		size_t n = strcspn(p, ",;");
		if (n >= 2 && strncasecmp(p, "nl", 2) == 0 && (n == 2 || p[2] == '-'))
			return PV_LANG_NL;
		if (n >= 2 && strncasecmp(p, "en", 2) == 0 && (n == 2 || p[2] == '-'))
			return PV_LANG_EN;
	}
	return dflt;
}

/* The build tree's catalogues sit beside the program (build/rel/locale/);
 * an installed program finds them in PV_LOCALEDIR (make install). */
static void bind_catalogue(void)
{
	static char dir[PATH_MAX];
	const char *use = PV_LOCALEDIR;
	ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 64);
	if (n > 0) {
		dir[n] = '\0';
		char *slash = strrchr(dir, '/');
		if (slash) {
			strcpy(slash, "/locale");
			char mo[PATH_MAX + 64];
			snprintf(mo, sizeof mo, "%s/nl/LC_MESSAGES/%s.mo", dir, PV_TEXTDOMAIN);
			if (access(mo, R_OK) == 0)
				use = dir;
		}
	}
	bindtextdomain(PV_TEXTDOMAIN, use);
	/* the catalogue's UTF-8 as it is, whatever LC_CTYPE says */
	bind_textdomain_codeset(PV_TEXTDOMAIN, "UTF-8");
	/* and glibc's own sentences (strerror: "Bestand of map bestaat niet"),
	 * from libc.mo of the libc-l10n package where installed, in UTF-8 too
	 * (LC_CTYPE stays "C", which would turn an ë into '?') */
	bind_textdomain_codeset("libc", "UTF-8");
	textdomain(PV_TEXTDOMAIN);
}

/* Dutch from here on for gettext in any locale but "C"; 0 when it can be. */
static int prepare_dutch(void)
{
	if (setenv("LANGUAGE", "nl", 1) != 0)
		return -1;
	bind_catalogue();
	return 0;
}

enum pv_lang pv_i18n_init(void)
{
	if (pv_lang_from_env() == PV_LANG_EN)
		return PV_LANG_EN;
	if (!setlocale(LC_MESSAGES, "C.UTF-8") || prepare_dutch() != 0) {
		setlocale(LC_MESSAGES, "C");
		return PV_LANG_EN;
	}
	return PV_LANG_NL;
}

const char *pv_pgettext(const char *ctx_msgid, const char *msgid)
{
	const char *t = gettext(ctx_msgid);
	return t == ctx_msgid ? msgid : t;
}

void pv_i18n_english(void)
{
	setlocale(LC_MESSAGES, "C");
}

int pv_i18n_threads(void)
{
	thread_locale[PV_LANG_EN] = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	thread_locale[PV_LANG_NL] = newlocale(LC_MESSAGES_MASK, "C.UTF-8", (locale_t)0);
	if (!thread_locale[PV_LANG_EN])
		return -1;
	if (!thread_locale[PV_LANG_NL] || prepare_dutch() != 0) {
		if (thread_locale[PV_LANG_NL])
			freelocale(thread_locale[PV_LANG_NL]);
		thread_locale[PV_LANG_NL] = thread_locale[PV_LANG_EN];
		return -1;
	}
	/* the catalogue opened now, before any thread: its header ("") is
	 * empty when there is no Dutch catalogue to be found */
	static const char header[] = "";   /* not a message: xgettext skips it */
	locale_t saved = uselocale(thread_locale[PV_LANG_NL]);
	int found = *gettext(header) != '\0';
	uselocale(saved);
	return found ? 0 : -1;
}

locale_t pv_i18n_process_begin(void)
{
	return uselocale(LC_GLOBAL_LOCALE);
}

void pv_i18n_process_end(locale_t saved)
{
	if (saved)
		uselocale(saved);
}

void pv_i18n_use(enum pv_lang lang)
{
	locale_t l = thread_locale[lang == PV_LANG_NL];
	if (l)
		uselocale(l);
}
