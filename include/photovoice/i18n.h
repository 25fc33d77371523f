/*
 * photovoice/i18n.h - every sentence photovoice says to a person goes through
 * gettext (text domain "photovoice", po/nl.po). Machine output (--json, exit
 * codes, CSV headers, the log's action names, file names) never does.
 *
 *   _("An English sentence.")       translated where it is said
 *   N_("...")                       marked only: a table row, translated
 *                                   when it is printed (_(row->help))
 *   ngettext("%d photo", "%d photos", n)    plurals
 *   C_("log column", "Details")     the same English said differently in
 *                                   Dutch elsewhere: a context (msgctxt)
 *
 * pv_fail() and pv_err_prefix() (photovoice/err.h) translate their sentence
 * themselves, as do pv_cli_error() and pv_cli_usage_error(): `make pot`
 * knows them as keywords. A comment starting "TRANSLATORS:" just above a
 * marked string goes into po/photovoice.pot for the translator.
 *
 * The language: PHOTOVOICE_LANG=nl|en when set, else the locale (LC_ALL,
 * LC_MESSAGES, LANG: the first that is set); "nl..." is Dutch, anything else
 * English. Dutch needs no generated nl_NL.UTF-8: it is looked up through
 * C.UTF-8 with LANGUAGE=nl, which glibc always has (docs/HACKING.md).
 */
#ifndef PHOTOVOICE_I18N_H
#define PHOTOVOICE_I18N_H

#include <libintl.h>
#include <locale.h>

#define PV_TEXTDOMAIN "photovoice"

#define _(msgid) gettext(msgid)
#define N_(msgid) msgid
#define C_(context, msgid) pv_pgettext(context "\004" msgid, msgid)

/* gettext of "CONTEXT\004MSGID" (C_ builds it), msgid when untranslated. */
const char *pv_pgettext(const char *ctx_msgid, const char *msgid)
	__attribute__((format_arg(2)));

enum pv_lang {
	PV_LANG_EN,   /* the messages as written in the code */
	PV_LANG_NL,
};

/* The language the environment asks for (see above); reads only getenv. */
enum pv_lang pv_lang_from_env(void);

/* The language a header such as Accept-Language asks for: the first one
 * named that photovoice speaks ("en-GB,en;q=0.8" English); dflt when none. */
enum pv_lang pv_lang_from_accept(const char *header, enum pv_lang dflt);

/* Sets the process's language from the environment (a command-line program
 * calls it first thing). English costs nothing; Dutch binds the catalogue
 * (the build tree's when the program runs from there, else the installed
 * one), which gettext opens at the first sentence said. */
enum pv_lang pv_i18n_init(void);

/* English from here on, whatever was chosen (machine output: --json). */
void pv_i18n_english(void);

/* For a server whose threads each speak the language of their request: makes
 * both languages ready. Call once, before any thread starts; 0, or -1 when
 * Dutch cannot be had, its catalogue not found (every thread then speaks
 * English). */
int pv_i18n_threads(void);

/* This thread speaks lang until it is called again (uselocale); after
 * pv_i18n_threads only. */
void pv_i18n_use(enum pv_lang lang);

/* What a server writes for its operator rather than for the request (a
 * reason file beside a photo set aside) is said in the process's language:
 * saved = pv_i18n_process_begin(); ...; pv_i18n_process_end(saved). */
locale_t pv_i18n_process_begin(void);
void pv_i18n_process_end(locale_t saved);

#endif
