/*
 * Scanning the drop folder: every file, by folder, with caption files matched
 * to their photos by name (same stem, or the photo's whole name + .txt).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ingest_internal.h"
#include "photovoice/util.h"

/* Subfolders deeper than this are not entered (and said so). */
#define MAX_DEPTH 8

struct scan_state {
	const char *root;
	struct drop_scan *out;
	size_t photo_cap, sidecar_cap;
};

static int is_sidecar_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && (strcasecmp(dot, ".txt") == 0 || strcasecmp(dot, ".md") == 0);
}

static char *stem_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	return (dot && dot != name) ? pv_strndup(name, (size_t)(dot - name))
				    : pv_strdup(name);
}

static char *first_component(const char *dir_rel)
{
	if (!*dir_rel)
		return NULL;
	const char *slash = strchr(dir_rel, '/');
	return slash ? pv_strndup(dir_rel, (size_t)(slash - dir_rel)) : pv_strdup(dir_rel);
}

static void *grow(void *arr, size_t *cap, size_t count, size_t size)
{
	if (count < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 32;
	arr = realloc(arr, *cap * size);
	if (!arr)
		abort();
	return arr;
}

static void add_sidecar(struct scan_state *st, const char *path, const char *rel,
			const char *dir_rel, const char *name)
{
	struct drop_scan *o = st->out;
	o->sidecars = grow(o->sidecars, &st->sidecar_cap, o->nsidecars, sizeof *o->sidecars);
	struct drop_sidecar *s = &o->sidecars[o->nsidecars++];
	memset(s, 0, sizeof *s);
	s->path = pv_strdup(path);
	s->rel = pv_strdup(rel);
	s->dir_rel = pv_strdup(dir_rel);
	s->stem = stem_of(name);
}

static void add_photo(struct scan_state *st, const char *path, const char *rel,
		      const char *dir_rel, const char *name, int is_link)
{
	struct drop_scan *o = st->out;
	o->photos = grow(o->photos, &st->photo_cap, o->nphotos, sizeof *o->photos);
	struct drop_photo *p = &o->photos[o->nphotos++];
	memset(p, 0, sizeof *p);
	p->path = pv_strdup(path);
	p->rel = pv_strdup(rel);
	p->dir_rel = pv_strdup(dir_rel);
	p->name = pv_strdup(name);
	p->stem = stem_of(name);
	p->participant = first_component(dir_rel);
	p->is_symlink = is_link;
}

static int walk(struct scan_state *st, const char *dir, const char *dir_rel, int depth);

static void visit(struct scan_state *st, const char *dir, const char *dir_rel,
		  const char *name, int depth)
{
	char *path = pv_path_join(dir, name);
	char *rel = *dir_rel ? pv_path_join(dir_rel, name) : pv_strdup(name);
	struct stat sb;
	if (lstat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode) && depth < MAX_DEPTH)
			walk(st, path, rel, depth + 1);
		else if (S_ISLNK(sb.st_mode))
			add_photo(st, path, rel, dir_rel, name, 1);
		else if (S_ISREG(sb.st_mode) && is_sidecar_name(name))
			add_sidecar(st, path, rel, dir_rel, name);
		else if (S_ISREG(sb.st_mode))
			add_photo(st, path, rel, dir_rel, name, 0);
	}
	free(path);
	free(rel);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Hidden names are skipped: .quarantine, and the dot files systems leave. */
static int not_hidden(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int walk(struct scan_state *st, const char *dir, const char *dir_rel, int depth)
{
	struct dirent **names;
	int n = scandir(dir, &names, not_hidden, by_name);
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		visit(st, dir, dir_rel, names[i]->d_name, depth);
		free(names[i]);
	}
	free(names);
	return 0;
}

static void parse_sidecar(struct drop_sidecar *s)
{
	uint8_t *data;
	size_t len;
	char err[256];
	if (pv_read_file(s->path, PV_MAX_SIDECAR_BYTES, &data, &len, err, sizeof err) != 0) {
		snprintf(s->parse_error, sizeof s->parse_error,
			 "The caption file could not be read: %s.", err);
		s->parse_failed = 1;
		return;
	}
	if (pv_sidecar_parse((const char *)data, len, &s->parsed, s->parse_error,
			     sizeof s->parse_error) != 0)
		s->parse_failed = 1;
	free(data);
}

/* Same folder, and the sidecar's stem is the photo's stem or its whole name
 * ("IMG_1.jpg.txt"). */
static int sidecar_fits(const struct drop_sidecar *s, const struct drop_photo *p)
{
	return strcmp(s->dir_rel, p->dir_rel) == 0 &&
	       (strcasecmp(s->stem, p->stem) == 0 || strcasecmp(s->stem, p->name) == 0);
}

static void match_sidecars(struct drop_scan *s)
{
	for (size_t i = 0; i < s->nphotos; i++) {
		struct drop_photo *p = &s->photos[i];
		for (size_t j = 0; j < s->nsidecars && !p->sidecar; j++) {
			if (sidecar_fits(&s->sidecars[j], p)) {
				p->sidecar = &s->sidecars[j];
				p->sidecar->users++;
				p->sidecar->matched = 1;
			}
		}
	}
}

int pv_drop_scan(const char *drop_dir, struct drop_scan *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	struct scan_state st = { .root = drop_dir, .out = out };
	if (walk(&st, drop_dir, "", 0) != 0) {
		pv_set_err(err, errlen, "The drop folder %s could not be read (%s).", drop_dir,
			   strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < out->nsidecars; i++)
		parse_sidecar(&out->sidecars[i]);
	match_sidecars(out);
	return 0;
}

void pv_drop_scan_free(struct drop_scan *s)
{
	for (size_t i = 0; i < s->nphotos; i++) {
		struct drop_photo *p = &s->photos[i];
		free(p->path);
		free(p->rel);
		free(p->dir_rel);
		free(p->stem);
		free(p->name);
		free(p->participant);
	}
	for (size_t i = 0; i < s->nsidecars; i++) {
		struct drop_sidecar *c = &s->sidecars[i];
		free(c->path);
		free(c->rel);
		free(c->dir_rel);
		free(c->stem);
		pv_sidecar_free(&c->parsed);
	}
	free(s->photos);
	free(s->sidecars);
	memset(s, 0, sizeof *s);
}

/* ---- the same rules for zip members ------------------------------------ */

int pv_drop_is_sidecar_name(const char *name)
{
	return is_sidecar_name(name);
}

int pv_drop_sidecar_fits(const char *side_rel, const char *photo_rel)
{
	const char *side_name = strrchr(side_rel, '/'), *photo_name = strrchr(photo_rel, '/');
	side_name = side_name ? side_name + 1 : side_rel;
	photo_name = photo_name ? photo_name + 1 : photo_rel;
	struct drop_sidecar s = { .dir_rel = pv_strndup(side_rel, (size_t)(side_name - side_rel)),
				  .stem = stem_of(side_name) };
	struct drop_photo p = { .dir_rel = pv_strndup(photo_rel, (size_t)(photo_name - photo_rel)),
				.stem = stem_of(photo_name), .name = (char *)photo_name };
	int fits = sidecar_fits(&s, &p);
	free(s.dir_rel);
	free(s.stem);
	free(p.dir_rel);
	free(p.stem);
	return fits;
}
