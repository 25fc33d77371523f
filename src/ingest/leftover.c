/*
 * What the drop folder holds that ingest does not take, so that the run can
 * name each with its reason instead of passing over it in silence: hidden
 * files and folders, folders deeper than the scan goes, what a Mac, Windows
 * or a sync client leaves beside the photos, downloads that are not
 * finished, and things that are not files at all.
 *
 * Per class (docs/drop-folder.md, "What ingest does not take"):
 * - set aside in the quarantine: .DS_Store, AppleDouble files (._NAME),
 *   Thumbs.db and desktop.ini, which are complete and never a photo;
 * - left where they are: everything else here, because moving it could break
 *   a copy in progress (hidden and partial names) or a sync client (its
 *   marker and version folders), or because the user only has to move it
 *   (a folder too deep). A photo inside a hidden or too deep folder is named
 *   on its own line.
 * drop/.quarantine itself is the archive's own and is never named.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "photovoice/i18n.h"
#include "ingest_internal.h"
#include "photovoice/image.h"
#include "photovoice/util.h"

/* Photos named one by one inside a hidden or too deep folder; the rest is
 * counted in the folder's own line. */
#define NAMED_PER_FOLDER 100
/* How deep a hidden or too deep folder is looked into, to count its files. */
#define COUNT_DEPTH 32

struct known_name {
	const char *name;
	const char *reason;
};

/* Folders a sync client or the system keeps for itself: never moved. */
static const struct known_name keeper_folders[] = {
	{ ".stfolder", N_("This is the folder Syncthing marks a synced folder with") },
	{ ".stversions", N_("This is the folder in which Syncthing keeps earlier versions of files") },
	{ ".sync", N_("This is the folder Resilio Sync keeps for itself") },
	{ ".dropbox.cache", N_("This is the folder Dropbox keeps for itself") },
	{ ".tmp.drivedownload", N_("This is the folder Google Drive downloads into") },
	{ ".tmp.driveupload", N_("This is the folder Google Drive uploads from") },
	{ ".Trashes", N_("This is the Mac's wastebasket of this disk") },
	{ ".Spotlight-V100", N_("This is the Mac's search index of this disk") },
	{ ".fseventsd", N_("This is the Mac's record of changes on this disk") },
	{ ".TemporaryItems", N_("This is the Mac's folder of temporary files") },
	{ ".DocumentRevisions-V100", N_("This is the Mac's folder of document versions") },
	{ ".AppleDouble", N_("This is the folder a Mac file server keeps Mac information in") },
	{ NULL, NULL },
};

/* Files a sync client keeps for itself: never moved. */
static const struct known_name keeper_files[] = {
	{ ".stignore", N_("This is Syncthing's list of files not to sync") },
	{ ".stglobalignore", N_("This is Syncthing's list of files not to sync") },
	{ ".dropbox", N_("This is a file Dropbox keeps for itself") },
	{ ".dropbox.attr", N_("This is a file Dropbox keeps for itself") },
	{ NULL, NULL },
};

/* Complete files that are never a photo: set aside. */
static const struct known_name junk_files[] = {
	{ ".DS_Store", N_("This is a file the Mac's Finder keeps about how the folder looks") },
	{ "Thumbs.db", N_("This is the file in which Windows keeps small copies of the pictures "
		       "in this folder (it may show them)") },
	{ "ehthumbs.db", N_("This is a file in which Windows keeps small copies of pictures") },
	{ "ehthumbs_vista.db", N_("This is a file in which Windows keeps small copies of pictures") },
	{ "desktop.ini", N_("This is a file Windows keeps about how the folder looks") },
	{ NULL, NULL },
};

/* Endings of downloads and copies that are not finished. */
static const char *const partial_endings[] = {
	".part", ".partial", ".crdownload", ".download", ".opdownload", ".tmp", ".temp",
	".!ut", ".!qb", ".filepart", ".sb-download", NULL,
};

static const char *known(const struct known_name *list, const char *name)
{
	for (; list->name; list++)
		if (strcasecmp(list->name, name) == 0)
			return _(list->reason);
	return NULL;
}

static int ends_with_ci(const char *s, const char *ending)
{
	size_t a = strlen(s), b = strlen(ending);
	return a > b && strcasecmp(s + a - b, ending) == 0;
}

static const char *partial_ending(const char *name)
{
	for (const char *const *e = partial_endings; *e; e++)
		if (ends_with_ci(name, *e))
			return *e;
	return NULL;
}

int pv_drop_is_photo_name(const char *name)
{
	return pv_input_format_named(name) != NULL || ends_with_ci(name, ".zip");
}

/* ---- the list ------------------------------------------------------------ */

struct leftovers {
	struct drop_scan *out;
	size_t *cap;
};

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = malloc((size_t)n + 1);
	if (!s)
		abort();
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static void add(struct leftovers *l, const char *path, const char *rel, char *reason,
		int quarantine, unsigned files)
{
	struct drop_scan *o = l->out;
	if (o->nleftovers == *l->cap) {
		*l->cap = *l->cap ? *l->cap * 2 : 16;
		o->leftovers = realloc(o->leftovers, *l->cap * sizeof *o->leftovers);
		if (!o->leftovers)
			abort();
	}
	o->leftovers[o->nleftovers++] = (struct drop_leftover){
		.path = pv_strdup(path), .rel = pv_strdup(rel), .reason = reason,
		.quarantine = quarantine, .files = files };
}

/* ---- folders not looked into: their files counted, their photos named ---- */

struct folder_count {
	unsigned named, others;
};

static void count_folder(struct leftovers *l, const char *dir, const char *dir_rel,
			 const char *photo_reason, int depth, struct folder_count *c)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *path = pv_path_join(dir, e->d_name);
		char *rel = pv_path_join(dir_rel, e->d_name);
		struct stat sb;
		if (lstat(path, &sb) != 0) {
			/* gone meanwhile */
		} else if (S_ISDIR(sb.st_mode) && depth < COUNT_DEPTH) {
			count_folder(l, path, rel, photo_reason, depth + 1, c);
		} else if (!S_ISDIR(sb.st_mode) && pv_drop_is_photo_name(e->d_name) &&
			   c->named < NAMED_PER_FOLDER) {
			add(l, path, rel, pv_strdup(photo_reason), 0, 1);
			c->named++;
		} else if (!S_ISDIR(sb.st_mode)) {
			c->others++;
		}
		free(path);
		free(rel);
	}
	closedir(d);
}

static char *holds(const struct folder_count *c)
{
	if (!c->named && !c->others)
		return pv_strdup(_("It holds no files."));
	if (!c->others)
		return format(ngettext("It holds %u photo, named on its own line.",
				       "It holds %u photos, named on their own lines.", c->named),
			      c->named);
	unsigned all = c->named + c->others;
	if (!c->named)
		return format(ngettext("It holds %u file.", "It holds %u files.", all), all);
	return format(ngettext("It holds %u file, the photos among them named on their own "
			       "lines.", "It holds %u files, the photos among them named on "
			       "their own lines.", all), all);
}

static void hidden_folder(struct leftovers *l, const char *path, const char *rel,
			  const char *name)
{
	char *photo = format(_("It is inside the hidden folder %s, and photovoice takes nothing "
			     "from hidden folders; move it out of that folder to have it taken."),
			     rel);
	struct folder_count c = { 0, 0 };
	count_folder(l, path, rel, photo, 1, &c);
	free(photo);
	const char *keeper = known(keeper_folders, name);
	char *what = holds(&c);
	char *reason = keeper
		? format(_("%s; it was left alone, so that it keeps working. %s"), keeper, what)
		: format(_("This is a hidden folder (its name starts with a dot); photovoice "
			 "takes nothing from hidden folders and left it where it is. %s"), what);
	free(what);
	add(l, path, rel, reason, 0, c.others);
}

static void deep_folder(struct leftovers *l, const char *path, const char *rel)
{
	char *photo = format(_("It is in a folder more than %d folders deep, and photovoice "
			     "looks only %d folders deep; move it higher up in the drop folder."),
			     PV_DROP_MAX_DEPTH, PV_DROP_MAX_DEPTH);
	struct folder_count c = { 0, 0 };
	count_folder(l, path, rel, photo, 1, &c);
	free(photo);
	if (!c.others)
		return;   /* nothing in it, or only photos, each named */
	char *what = holds(&c);
	add(l, path, rel, format(_("This folder is more than %d folders deep, and photovoice "
				 "looks only %d folders deep, so nothing in it was taken. %s "
				 "Move them higher up in the drop folder."), PV_DROP_MAX_DEPTH,
				 PV_DROP_MAX_DEPTH, what), 0, c.others);
	free(what);
}

/* ---- files --------------------------------------------------------------- */

static int partial_file(struct leftovers *l, const char *path, const char *rel,
			const char *name)
{
	const char *ending = partial_ending(name);
	if (!ending && name[0] != '~')
		return 0;
	add(l, path, rel, format(_("Its name (%s) says it is a download or copy that is not "
				 "finished; it was left in the drop folder. Once complete it "
				 "gets its real name and is taken then; if it stays like this, "
				 "the copy failed: copy it again."),
				 ending ? ending : _("starting with ~")), 0, 1);
	return 1;
}

static void hidden_file(struct leftovers *l, const char *path, const char *rel,
			const char *name)
{
	const char *r;
	if ((r = known(junk_files, name)))
		add(l, path, rel, format(_("%s; it is not a photo, so it was set aside."), r), 1, 1);
	else if (strncmp(name, "._", 2) == 0 && name[2])
		add(l, path, rel, format(_("This is a file a Mac adds beside %s when it copies to a "
					 "disk or share that cannot hold the Mac's own information "
					 "(an AppleDouble file); it is not a photo, so it was set "
					 "aside."), name + 2), 1, 1);
	else if ((r = known(keeper_files, name)))
		add(l, path, rel, format(_("%s; it was left alone, so that it keeps working."), r),
		    0, 1);
	else if (!partial_file(l, path, rel, name))
		add(l, path, rel, pv_strdup(_("Its name starts with a dot, so it is hidden; "
					    "photovoice does not take hidden files (copy tools "
					    "write under such names while they copy). It was left "
					    "in the drop folder; rename it without the dot to have "
					    "it taken.")), 0, 1);
}

int pv_drop_leftover(struct drop_scan *out, size_t *cap, const char *path, const char *rel,
		     const char *name, const struct stat *sb, int too_deep)
{
	struct leftovers l = { out, cap };
	if (name[0] == '.' && S_ISDIR(sb->st_mode)) {
		if (strcmp(rel, ".quarantine") != 0)   /* the archive's own */
			hidden_folder(&l, path, rel, name);
	} else if (name[0] == '.') {
		hidden_file(&l, path, rel, name);
	} else if (S_ISDIR(sb->st_mode)) {
		if (!too_deep)
			return 0;
		deep_folder(&l, path, rel);
	} else if (S_ISLNK(sb->st_mode)) {
		return 0;   /* set aside as a link by ingest */
	} else if (!S_ISREG(sb->st_mode)) {
		add(&l, path, rel, pv_strdup(_("It is not a regular file (a named pipe, a socket or "
					     "a device), so it cannot be a photo; it was left where "
					     "it is.")), 0, 1);
	} else if (known(junk_files, name)) {
		add(&l, path, rel, format(_("%s; it is not a photo, so it was set aside."),
					  known(junk_files, name)), 1, 1);
	} else if (!partial_file(&l, path, rel, name)) {
		return 0;
	}
	return 1;
}

void pv_drop_unreadable_folder(struct drop_scan *out, size_t *cap, const char *path,
			       const char *rel, int why)
{
	struct leftovers l = { out, cap };
	add(&l, path, rel, format(_("This folder could not be read (%s), so nothing in it was "
				  "taken."), strerror(why)), 0, 0);
}

void pv_drop_leftovers_free(struct drop_scan *s)
{
	for (size_t i = 0; i < s->nleftovers; i++) {
		free(s->leftovers[i].path);
		free(s->leftovers[i].rel);
		free(s->leftovers[i].reason);
	}
	free(s->leftovers);
	s->leftovers = NULL;
	s->nleftovers = 0;
}
