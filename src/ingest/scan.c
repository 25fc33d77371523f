/*
 * Scanning the drop folder: every file, by folder, with caption files matched
 * to their photos by name (same stem, or the photo's whole name + .txt), and
 * the folder-wide project files (_project.txt / _project.md / _project.json)
 * that give defaults to every photo in their folder and its subfolders.
 *
 * Names are compared in Unicode NFC and case-insensitively: a Mac writes
 * "café.jpg" decomposed (NFD), Windows and Linux composed (NFC), and a
 * participant who copies the photo from one and the caption from the other
 * must still see them travel together.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "photovoice/i18n.h"
#include "ingest_internal.h"
#include "photovoice/util.h"
#include "sidecar_internal.h"

/* Subfolders deeper than this are not entered (and said so, leftover.c). */
#define MAX_DEPTH PV_DROP_MAX_DEPTH

/* A project file: defaults for its folder and everything below it. */
struct drop_project {
	char *path;
	char *rel;
	char *dir_rel;
	int json;
	struct pv_sidecar parsed;
	int parse_failed;
	struct pv_err parse_error;
	const struct drop_project *parent;   /* the next one further up, or NULL */
};

struct scan_state {
	const char *root;
	struct drop_scan *out;
	size_t photo_cap, sidecar_cap, project_cap, leftover_cap;
};

static int has_ending(const char *name, const char *ending)
{
	const char *dot = strrchr(name, '.');
	return dot && strcasecmp(dot, ending) == 0;
}

/* The endings of a caption file, one list for every rule that names them. */
static const char *const sidecar_endings[] = { ".txt", ".md", ".json" };
#define NSIDECAR_ENDINGS (sizeof sidecar_endings / sizeof *sidecar_endings)

static int is_sidecar_name(const char *name)
{
	for (size_t i = 0; i < NSIDECAR_ENDINGS; i++)
		if (has_ending(name, sidecar_endings[i]))
			return 1;
	return 0;
}

int pv_drop_caption_beside(const char *dir, const char *photo)
{
	const char *dot = strrchr(photo, '.');
	size_t stem = dot ? (size_t)(dot - photo) : strlen(photo);
	for (size_t i = 0; i < NSIDECAR_ENDINGS; i++) {
		char name[NAME_MAX + 8];
		snprintf(name, sizeof name, "%.*s%s", (int)stem, photo, sidecar_endings[i]);
		char *p = pv_path_join(dir, name);
		struct stat st;
		int there = lstat(p, &st) == 0 && S_ISREG(st.st_mode);
		free(p);
		if (there)
			return 1;
	}
	return 0;
}

static int is_project_name(const char *name)
{
	return strncasecmp(name, "_project.", 9) == 0 &&
	       (strcasecmp(name + 9, "txt") == 0 || strcasecmp(name + 9, "md") == 0 ||
		strcasecmp(name + 9, "json") == 0);
}

static char *stem_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	return (dot && dot != name) ? pv_strndup(name, (size_t)(dot - name))
				    : pv_strdup(name);
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

static void add_project(struct scan_state *st, const char *path, const char *rel,
			const char *dir_rel, const char *name)
{
	struct drop_scan *o = st->out;
	o->projects = grow(o->projects, &st->project_cap, o->nprojects, sizeof *o->projects);
	struct drop_project *j = &o->projects[o->nprojects++];
	memset(j, 0, sizeof *j);
	j->path = pv_strdup(path);
	j->rel = pv_strdup(rel);
	j->dir_rel = pv_strdup(dir_rel);
	j->json = has_ending(name, ".json");
	sidecar_init(&j->parsed);
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
	p->is_symlink = is_link;
}

static int walk(struct scan_state *st, const char *dir, const char *dir_rel, int depth);

/* Anything not taken (leftover.c) is listed with its reason, never passed
 * over: hidden names, folders too deep, what is not a file. */
static void visit(struct scan_state *st, const char *dir, const char *dir_rel,
		  const char *name, int depth)
{
	char *path = pv_path_join(dir, name);
	char *rel = *dir_rel ? pv_path_join(dir_rel, name) : pv_strdup(name);
	struct stat sb;
	if (lstat(path, &sb) != 0) {
		/* gone since the folder was listed */
	} else if (pv_drop_leftover(st->out, &st->leftover_cap, path, rel, name, &sb,
				    depth >= MAX_DEPTH)) {
		/* listed */
	} else if (S_ISDIR(sb.st_mode)) {
		if (walk(st, path, rel, depth + 1) != 0)
			pv_drop_unreadable_folder(st->out, &st->leftover_cap, path, rel, errno);
	} else if (S_ISLNK(sb.st_mode)) {
		add_photo(st, path, rel, dir_rel, name, 1);
	} else if (is_project_name(name)) {
		add_project(st, path, rel, dir_rel, name);
	} else if (is_sidecar_name(name)) {
		add_sidecar(st, path, rel, dir_rel, name);
	} else {
		add_photo(st, path, rel, dir_rel, name, 0);
	}
	free(path);
	free(rel);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

static int walk(struct scan_state *st, const char *dir, const char *dir_rel, int depth)
{
	struct dirent **names;
	int n = scandir(dir, &names, not_dots, by_name);
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		visit(st, dir, dir_rel, names[i]->d_name, depth);
		free(names[i]);
	}
	free(names);
	return 0;
}

/* ---- parsing ------------------------------------------------------------- */

/* A caption or project file that cannot be read: pv_read_file's sentence,
 * which names it, is its reason. */
static void parse_sidecar(struct drop_sidecar *s)
{
	uint8_t *data;
	size_t len;
	struct stat st;
	int known = lstat(s->path, &st) == 0;
	int r = pv_read_file(s->path, PV_MAX_SIDECAR_BYTES, &data, &len, &s->parse_error);
	if (r == 0) {
		pv_sha256_hex(data, len, s->content_sha);
		s->content_size = (int64_t)len;
		if (known)   /* to check before it is removed */
			pv_file_id_set(&s->read_id, &st);
		r = pv_drop_parse_sidecar(s->path, (const char *)data, len, &s->parsed,
					  &s->parse_error);
		free(data);
	}
	s->parse_failed = r != 0;
}

static void parse_project(struct drop_project *j)
{
	uint8_t *data;
	size_t len;
	int r = pv_read_file(j->path, PV_MAX_SIDECAR_BYTES, &data, &len, &j->parse_error);
	if (r == 0) {
		r = pv_project_parse((const char *)data, len, j->json, j->rel, &j->parsed,
				     &j->parse_error);
		free(data);
	}
	j->parse_failed = r != 0;
}

/* ---- project files -------------------------------------------------------- */

/* Whether folder `up` is `dir` or one of the folders above it. */
static int folder_covers(const char *up, const char *dir)
{
	size_t n = strlen(up);
	return n == 0 || (strncmp(up, dir, n) == 0 && (dir[n] == '\0' || dir[n] == '/'));
}

/* The deepest project file whose folder covers dir (strictly above it when
 * `strict`), or NULL. */
static const struct drop_project *nearest_project(const struct drop_scan *s,
						  const char *dir, int strict)
{
	const struct drop_project *best = NULL;
	for (size_t i = 0; i < s->nprojects; i++) {
		const struct drop_project *j = &s->projects[i];
		if (!folder_covers(j->dir_rel, dir) || (strict && strcmp(j->dir_rel, dir) == 0))
			continue;
		if (!best || strlen(j->dir_rel) > strlen(best->dir_rel))
			best = j;
	}
	return best;
}

static void mark_twin(struct drop_project *j, const struct drop_project *twin)
{
	j->parse_failed = 1;
	pv_fail(&j->parse_error, PV_ERR_INPUT, "There are two project files, %.200s "
		 "and %.200s, in one folder; keep one.", j->rel, twin->rel);
}

/* Two project files in one folder (_project.txt and _project.json): neither
 * is guessed at. */
static void refuse_twin_projects(struct drop_scan *s)
{
	for (size_t i = 0; i < s->nprojects; i++)
		for (size_t k = i + 1; k < s->nprojects; k++)
			if (strcmp(s->projects[i].dir_rel, s->projects[k].dir_rel) == 0) {
				mark_twin(&s->projects[i], &s->projects[k]);
				mark_twin(&s->projects[k], &s->projects[i]);
			}
}

static void link_projects(struct drop_scan *s)
{
	for (size_t i = 0; i < s->nprojects; i++)
		parse_project(&s->projects[i]);
	refuse_twin_projects(s);
	for (size_t i = 0; i < s->nprojects; i++)
		s->projects[i].parent = nearest_project(s, s->projects[i].dir_rel, 1);
}

/* ---- matching ------------------------------------------------------------- */

/* Caption files to photos, by the one rule of captions.c. */
static void attach_captions(struct drop_scan *s)
{
	const char **photos = calloc(s->nphotos + 1, sizeof *photos);
	const char **captions = calloc(s->nsidecars + 1, sizeof *captions);
	struct caption_match m = { calloc(s->nphotos + 1, sizeof *m.of),
				   calloc(s->nphotos + 1, sizeof *m.many),
				   calloc(s->nsidecars + 1, sizeof *m.second) };
	if (!photos || !captions || !m.of || !m.many || !m.second)
		abort();
	for (size_t i = 0; i < s->nphotos; i++)
		photos[i] = s->photos[i].rel;
	for (size_t j = 0; j < s->nsidecars; j++)
		captions[j] = s->sidecars[j].rel;
	pv_captions_match(photos, s->nphotos, captions, s->nsidecars, &m);
	for (size_t i = 0; i < s->nphotos; i++) {
		struct drop_photo *p = &s->photos[i];
		if (m.of[i] < 0)
			continue;
		p->sidecar = &s->sidecars[m.of[i]];
		p->sidecar->users++;
		p->sidecar->matched = 1;
		if (m.many[i])
			p->problem = pv_strdup(_(pv_caption_many_problem));
	}
	for (size_t j = 0; j < s->nsidecars; j++)
		if (m.second[j])
			s->sidecars[j].refuse_reason = _(pv_caption_second_reason);
	free(photos);
	free(captions);
	free(m.of);
	free(m.many);
	free(m.second);
}

/* Whether every photo of the group is the same photo as the first. */
static int all_same_photo(struct drop_photo *const *group, size_t n)
{
	uint8_t *first = NULL;
	size_t first_len = 0;
	struct pv_err err = {0};
	if (pv_read_file(group[0]->path, PV_MAX_FILE_BYTES, &first, &first_len, &err) != 0)
		return 0;
	int same = 1;
	for (size_t i = 1; same && i < n; i++) {
		uint8_t *other;
		size_t other_len;
		same = pv_read_file(group[i]->path, PV_MAX_FILE_BYTES, &other, &other_len, &err) == 0;
		if (same) {
			same = pv_same_photo(first, first_len, other, other_len);
			free(other);
		}
	}
	free(first);
	return same;
}

static void set_group_aside(struct drop_sidecar *c, struct drop_photo *const *group, size_t n)
{
	const char **rels = calloc(n, sizeof *rels);
	if (!rels)
		abort();
	for (size_t i = 0; i < n; i++)
		rels[i] = group[i]->rel;
	char *why = pv_one_caption_problem(c->rel, rels, n);
	for (size_t i = 0; i < n; i++)
		if (!group[i]->problem)
			group[i]->problem = pv_strdup(why);
	free(why);
	free(rels);
}

/* One caption file speaks for one photo: photos sharing one are set aside
 * with it, unless they are all the same photo. */
static void one_caption_one_photo(struct drop_scan *s)
{
	size_t *count = calloc(s->nsidecars + 1, sizeof *count);
	struct drop_photo **group = calloc(s->nphotos + 1, sizeof *group);
	if (!count || !group)
		abort();
	for (size_t i = 0; i < s->nphotos; i++)
		if (s->photos[i].sidecar && pv_drop_is_photo_name(s->photos[i].name))
			count[s->photos[i].sidecar - s->sidecars]++;
	for (size_t j = 0; j < s->nsidecars; j++) {
		if (count[j] < 2)
			continue;
		size_t n = 0;
		for (size_t i = 0; i < s->nphotos; i++)
			if (s->photos[i].sidecar == &s->sidecars[j] &&
			    pv_drop_is_photo_name(s->photos[i].name))
				group[n++] = &s->photos[i];
		if (!all_same_photo(group, n))
			set_group_aside(&s->sidecars[j], group, n);
	}
	free(group);
	free(count);
}

static void match_sidecars(struct drop_scan *s)
{
	attach_captions(s);
	one_caption_one_photo(s);
}

/* ---- per photo: participant and problems ----------------------------------- */

/* The participant a folder gives: the first folder below the nearest project
 * file that names a project (the drop folder itself counts as one). */
static char *folder_participant(const struct drop_photo *p)
{
	const char *base = "";
	for (const struct drop_project *j = p->project; j; j = j->parent) {
		if (!j->parse_failed && j->parsed.project) {
			base = j->dir_rel;
			break;
		}
	}
	const char *below = p->dir_rel + strlen(base);
	while (*below == '/')
		below++;
	if (!*below)
		return NULL;
	const char *slash = strchr(below, '/');
	size_t n = slash ? (size_t)(slash - below) : strlen(below);
	return pv_strndup(below, n);
}

static char *project_problem(const struct drop_photo *p)
{
	for (const struct drop_project *j = p->project; j; j = j->parent) {
		if (!j->parse_failed)
			continue;
		size_t n = strlen(j->parse_error.msg) + 128;
		char *why = malloc(n);
		if (!why)
			abort();
		snprintf(why, n, _("%s Fix the project file, then put the photo back into the "
			 "drop folder."), j->parse_error.msg);
		return why;
	}
	return NULL;
}

static void settle_photo(const struct drop_scan *s, struct drop_photo *p)
{
	p->project = nearest_project(s, p->dir_rel, 0);
	char *folder = folder_participant(p);
	if (folder) {
		p->participant = pv_utf8_nfc(folder, strlen(folder));
		if (!p->participant && !p->problem)
			p->problem = pv_strdup(_("The name of the folder it is in, which gives the "
					       "participant, is not valid UTF-8 text."));
		free(folder);
	}
	if (!p->problem && p->sidecar && p->sidecar->parse_failed)
		p->problem = pv_strdup(p->sidecar->parse_error.msg);
	if (!p->problem)
		p->problem = project_problem(p);
}

void pv_drop_fields(const struct drop_photo *p, const struct pv_sidecar *own,
		    const char *folder_participant, struct pv_sidecar *out)
{
	const struct drop_project *chain[MAX_DEPTH + 2];
	size_t n = 0;
	for (const struct drop_project *j = p->project; j && n < MAX_DEPTH + 2; j = j->parent)
		chain[n++] = j;
	sidecar_init(out);
	while (n-- > 0)   /* outermost first: the nearer a project file, the more it counts */
		if (!chain[n]->parse_failed)
			sidecar_overlay(out, &chain[n]->parsed);
	if (own)
		sidecar_overlay(out, own);
	if (!out->participant && folder_participant)
		out->participant = pv_utf8_nfc(folder_participant, strlen(folder_participant));
}

void pv_drop_photo_fields(const struct drop_photo *p, struct pv_sidecar *out)
{
	const struct drop_sidecar *s = p->sidecar;
	pv_drop_fields(p, s && !s->parse_failed ? &s->parsed : NULL, p->participant, out);
}

int pv_drop_scan(const char *drop_dir, struct drop_scan *out, struct pv_err *err)
{
	memset(out, 0, sizeof *out);
	struct scan_state st = { .root = drop_dir, .out = out };
	if (walk(&st, drop_dir, "", 0) != 0) {
		pv_fail(err, PV_ERR_ARCHIVE, "The drop folder %s could not be read (%s).", drop_dir,
			   strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < out->nsidecars; i++)
		parse_sidecar(&out->sidecars[i]);
	link_projects(out);
	match_sidecars(out);
	for (size_t i = 0; i < out->nphotos; i++)
		settle_photo(out, &out->photos[i]);
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
		free(p->problem);
	}
	for (size_t i = 0; i < s->nsidecars; i++) {
		struct drop_sidecar *c = &s->sidecars[i];
		free(c->path);
		free(c->rel);
		free(c->dir_rel);
		free(c->stem);
		pv_sidecar_free(&c->parsed);
		pv_traces_free(c->siblings, c->nsiblings);
	}
	for (size_t i = 0; i < s->nprojects; i++) {
		struct drop_project *j = &s->projects[i];
		free(j->path);
		free(j->rel);
		free(j->dir_rel);
		pv_sidecar_free(&j->parsed);
	}
	pv_drop_leftovers_free(s);
	free(s->photos);
	free(s->sidecars);
	free(s->projects);
	memset(s, 0, sizeof *s);
}

/* ---- the same rules for the members of a zip ------------------------------ */

int pv_drop_is_sidecar_name(const char *name)
{
	return is_sidecar_name(name) && !is_project_name(name);
}

int pv_drop_is_project_name(const char *name)
{
	return is_project_name(name);
}

int pv_drop_parse_sidecar(const char *name, const char *data, size_t len,
			  struct pv_sidecar *out, struct pv_err *err)
{
	return has_ending(name, ".json") ? pv_sidecar_parse_json(data, len, out, err)
					 : pv_sidecar_parse(data, len, out, err);
}

int pv_drop_file_is_recent(const char *path, double seconds)
{
	struct stat st;
	if (seconds <= 0 || lstat(path, &st) != 0)
		return 0;
	/* a rename keeps the modification time but changes the status time;
	 * to the nanosecond, since a grace may be a fraction of a second */
	double m = (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9;
	double c = (double)st.st_ctim.tv_sec + st.st_ctim.tv_nsec / 1e9;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	return (double)now.tv_sec + now.tv_nsec / 1e9 - (m > c ? m : c) < seconds;
}

int pv_drop_sidecar_is_recent(const struct drop_sidecar *c, double seconds)
{
	return pv_drop_file_is_recent(c->path, seconds);
}

int pv_drop_sidecar_unchanged(const struct drop_sidecar *c)
{
	if (pv_file_id_same(&c->read_id, c->path))
		return 1;
	uint8_t *data;
	size_t len;
	if (pv_read_file(c->path, PV_MAX_SIDECAR_BYTES, &data, &len, NULL) != 0)
		return 0;
	char sha[PV_SHA256_HEX];
	pv_sha256_hex(data, len, sha);
	free(data);
	return strcmp(sha, c->content_sha) == 0;
}

int pv_drop_folder_check(const char *dir, struct pv_err *err)
{
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return pv_fail(err, PV_ERR_INPUT, "The drop folder %s does not exist.", dir);
	return 0;
}
