/* Shared by the sidecar parsers (sidecar.c: text, sidecar_json.c: JSON). */
#ifndef PV_SIDECAR_INTERNAL_H
#define PV_SIDECAR_INTERNAL_H

#include <stddef.h>

#include "photovoice/ingest.h"

enum field {
	F_TITLE, F_CAPTION, F_TAGS, F_PARTICIPANT, F_CREDIT, F_CONSENT,
	F_GUARDIAN, F_UNTIL, F_STORY, F_PROJECT,
};

/* One parse in progress. */
struct sidecar_parse {
	struct pv_sidecar *s;
	const char *what;     /* "caption file" or "project file", for sentences */
	unsigned seen;        /* a bit per field already given */
	struct pv_err *err;
};

/* The field a key names (case-insensitive, klen bytes; a space or '_' is
 * taken as '-': "Toestemming ouder"), or -1. */
int sidecar_key_field(const char *key, size_t klen);

/* The known key a key not known probably means (edit distance; lower case,
 * as in the table of docs/drop-folder.md), or NULL. */
const char *sidecar_key_meant(const char *key, size_t klen);

/* What one line of a text caption file is (sidecar_lines.c). */
enum line_kind {
	LINE_BLANK,
	LINE_TEXT,        /* words: a caption or the story */
	LINE_HEADING,     /* a Markdown heading that is no header ("# De klik") */
	LINE_FENCE,       /* "---", around front matter */
	LINE_KNOWN,       /* "Key: value" with a key photovoice knows */
	LINE_NEAR,        /* a typo of a key that can change consent, or of a long key */
	LINE_UNKNOWN,     /* header-like, but a key photovoice does not know */
	LINE_MALFORMED,   /* a consent key with no colon ("Toestemming geen") */
};

struct header_line {
	enum line_kind kind;
	int field;          /* LINE_KNOWN, LINE_MALFORMED: the field, else -1 */
	char key[48];       /* the key as written, markup and spaces taken off */
	char meant[32];     /* LINE_NEAR, LINE_UNKNOWN: the key it probably means, or "" */
	char *value;        /* LINE_KNOWN, LINE_HEADING: the text (malloc'd), else NULL */
};

void sidecar_read_line(const char *line, struct header_line *out);
void sidecar_line_free(struct header_line *l);

/* Sets a field from its text value (trimmed here); a field given twice is an
 * error, except tags, which add up. */
int sidecar_apply(struct sidecar_parse *p, int field, const char *value);

/* Sets guardian consent from a JSON true/false. */
int sidecar_apply_guardian(struct sidecar_parse *p, int yes);

/* Refuses UTF-16, binary data and invalid UTF-8; skips a UTF-8 byte-order
 * mark (moves *data and *len past it). */
int sidecar_check_text(struct sidecar_parse *p, const char **data, size_t *len);

/* Empties out and begins a parse. */
void sidecar_begin(struct sidecar_parse *p, struct pv_sidecar *out, const char *what,
		   struct pv_err *err);

/* The field's name in a sentence ("the title"). */
const char *sidecar_field_name(int field);

/* Lays `over` on top of out: each field `over` gives replaces out's; tags add
 * up (without repeats). */
void sidecar_overlay(struct pv_sidecar *out, const struct pv_sidecar *over);

/* An empty sidecar: nothing given. */
void sidecar_init(struct pv_sidecar *s);

/* The JSON parser body (sidecar_json.c). */
int sidecar_parse_json_text(struct sidecar_parse *p, const char *data, size_t len);

#endif
