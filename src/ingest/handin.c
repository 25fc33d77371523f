/*
 * Hand-in: what a participant sends from the phone page of `photovoice serve`
 * becomes a photo and a caption file in DROP/PARTICIPANT/, the drop-folder
 * contract, and the same ingest takes it in. The server only receives the
 * bytes (into ARCHIVE/tmp, never whole in memory); every rule about what may
 * be placed, under which name, in which order, lives here.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <jansson.h>

#include "photovoice/i18n.h"
#include "photovoice/image.h"
#include "photovoice/ingest.h"
#include "photovoice/util.h"

#define TEMP_PREFIX "upload-"
#define NAME_PREFIX "web-"
#define SNIFF_BYTES 64

/* The caption file as JSON: no value can end a header line or start the
 * story, whatever the participant typed. */
static char *words_json(const struct pv_handin_words *w)
{
	json_t *o = json_object();
	const char *keys[] = { "title", "caption", "story" };
	const char *vals[] = { w->title, w->caption, w->story };
	for (size_t i = 0; i < 3; i++)
		if (vals[i] && *vals[i])
			json_object_set_new(o, keys[i], json_string(vals[i]));
	if (w->consent)
		json_object_set_new(o, "consent", json_string(w->consent));
	char *text = json_dumps(o, JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
	json_decref(o);
	return text;
}

static int valid_utf8_or_empty(const char *s)
{
	return !s || pv_utf8_valid(s, strlen(s));
}

int pv_handin_check_words(const struct pv_handin_words *w, struct pv_err *err)
{
	if (!w->consent || !*w->consent)
		return pv_fail(err, PV_ERR_INPUT, "Choose who may see your photo.");
	if (!valid_utf8_or_empty(w->title) || !valid_utf8_or_empty(w->caption) ||
	    !valid_utf8_or_empty(w->story))
		return pv_fail(err, PV_ERR_INPUT, "The words sent are not readable text; "
			       "type them again.");
	char *json = words_json(w);
	if (!json)   /* jansson refuses only text that is not UTF-8, checked above */
		return pv_fail(err, PV_ERR_INPUT, "The words sent could not be read.");
	struct pv_sidecar s;
	int r = pv_sidecar_parse_json(json, strlen(json), &s, err);
	if (r == 0) {
		/* and the catalogue's limits, so that ingest never sets it aside */
		if (s.consent < 0)
			r = pv_fail(err, PV_ERR_INPUT, "Choose who may see your photo.");
		else if (pv_store_check_text("title", s.title, PV_MAX_TITLE_BYTES, err) != 0 ||
			 pv_store_check_text("caption", s.caption, PV_MAX_CAPTION_BYTES, err) != 0 ||
			 pv_store_check_text("story", s.story, PV_MAX_STORY_BYTES, err) != 0)
			r = -1;
		pv_sidecar_free(&s);
	}
	free(json);
	return r;
}

int pv_handin_open_temp(const char *archive_dir, char **path, struct pv_err *err)
{
	char *tmp_dir = pv_path_join(archive_dir, "tmp");
	char *templ = pv_path_join(tmp_dir, TEMP_PREFIX "XXXXXX");
	free(tmp_dir);
	int fd = mkostemp(templ, O_CLOEXEC);
	if (fd < 0) {
		pv_fail(err, PV_ERR_ARCHIVE, "The photo could not be received: the archive's "
			"tmp folder cannot be written (%s).", strerror(errno));
		free(templ);
		return -1;
	}
	fchmod(fd, 0600);
	*path = templ;
	return fd;
}

static unsigned remove_upload_temps(const char *archive_dir)
{
	char *tmp_dir = pv_path_join(archive_dir, "tmp");
	DIR *d = opendir(tmp_dir);
	unsigned removed = 0;
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, TEMP_PREFIX, strlen(TEMP_PREFIX)) != 0)
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			removed++;
	}
	if (d)
		closedir(d);
	free(tmp_dir);
	return removed;
}

/* Whether folder holds a file stem.* other than the caption file stem.json. */
static int has_photo(DIR *folder, const char *stem)
{
	size_t n = strlen(stem);
	struct dirent *de;
	rewinddir(folder);
	while ((de = readdir(folder)) != NULL)
		if (strncmp(de->d_name, stem, n) == 0 && de->d_name[n] == '.' &&
		    strcmp(de->d_name + n, ".json") != 0)
			return 1;
	return 0;
}

static DIR *open_folder(int drop_fd, const char *name)
{
	int fd = openat(drop_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d && fd >= 0)
		close(fd);
	return d;
}

static int is_caption_name(const char *name)
{
	size_t len = strlen(name);
	return strncmp(name, NAME_PREFIX, strlen(NAME_PREFIX)) == 0 &&
	       len == strlen(NAME_PREFIX) + 16 + 5 && strcmp(name + len - 5, ".json") == 0;
}

/* The caption files of one participant's folder whose photo never came;
 * `look` is a second view of the folder, to search it while walking it. */
static unsigned remove_lone_captions(int drop_fd, const char *participant)
{
	DIR *folder = open_folder(drop_fd, participant);
	DIR *look = folder ? open_folder(drop_fd, participant) : NULL;
	unsigned removed = 0;
	struct dirent *de;
	while (look && (de = readdir(folder)) != NULL) {
		if (!is_caption_name(de->d_name))
			continue;
		char stem[sizeof NAME_PREFIX + 16];
		memcpy(stem, de->d_name, sizeof stem - 1);   /* the name without ".json" */
		stem[sizeof stem - 1] = '\0';
		if (!has_photo(look, stem) && unlinkat(dirfd(folder), de->d_name, 0) == 0)
			removed++;
	}
	if (look)
		closedir(look);
	if (folder)
		closedir(folder);
	return removed;
}

unsigned pv_handin_clean_temps(const char *archive_dir, const char *drop_dir)
{
	unsigned removed = remove_upload_temps(archive_dir);
	DIR *drop = opendir(drop_dir);
	struct dirent *de;
	while (drop && (de = readdir(drop)) != NULL)
		if (de->d_name[0] != '.')
			removed += remove_lone_captions(dirfd(drop), de->d_name);
	if (drop)
		closedir(drop);
	return removed;
}

/* 16 hex digits of fresh randomness: a name that says nothing about the
 * phone, the person or the time, and that no other sending takes. */
static void random_stem(char out[sizeof NAME_PREFIX + 16])
{
	uint8_t b[8];
	size_t got = 0;
	while (got < sizeof b) {
		ssize_t r = getrandom(b + got, sizeof b - got, 0);
		if (r > 0)
			got += (size_t)r;
		else if (errno != EINTR)
			abort();   /* no randomness: no name that is safe to use */
	}
	int o = snprintf(out, sizeof NAME_PREFIX + 16, NAME_PREFIX);
	for (size_t i = 0; i < sizeof b; i++)
		o += snprintf(out + o, 3, "%02x", b[i]);
}

/* What the first bytes of the file are: its input format, or NULL. */
static const struct pv_input_format *sniff_file(const char *path)
{
	uint8_t head[SNIFF_BYTES];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, head, sizeof head);
	close(fd);
	return n > 0 ? pv_input_format_sniff(head, (size_t)n) : NULL;
}

static int sync_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	int r = fsync(fd);
	close(fd);
	return r;
}

/* Sets a file that is not a photo aside, in the quarantine under the
 * participant's folder, with its reason. */
static int set_aside(const char *drop_dir, const char *participant, const char *temp,
		     struct pv_err *err)
{
	uint8_t head[SNIFF_BYTES];
	size_t n = 0;
	int fd = open(temp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd >= 0) {
		ssize_t r = read(fd, head, sizeof head);
		n = r > 0 ? (size_t)r : 0;
		close(fd);
	}
	char stem[sizeof NAME_PREFIX + 16], types[128], reason[512];
	random_stem(stem);
	pv_input_formats_list(0, types, sizeof types);
	/* for the staff who look in the quarantine, not for the sender */
	locale_t saved = pv_i18n_process_begin();
	snprintf(reason, sizeof reason, _("Sent from the phone page, but it is %s, not a photo "
		 "photovoice takes (%s).\n"), n ? pv_image_format_describe(pv_image_sniff(head, n))
		 : _("empty"), types);
	pv_i18n_process_end(saved);
	char rel[512];
	snprintf(rel, sizeof rel, "%s/%s.upload", participant, stem);
	struct pv_err why = {0};
	if (pv_quarantine_as(drop_dir, temp, rel, reason, &why) < 0) {
		unlink(temp);
		return pv_fail(err, PV_ERR_ARCHIVE, "A file that is not a photo could not be set "
			       "aside: %s", why.msg);
	}
	return 0;
}

/* The caption file's bytes, written and synced beside the photo's
 * temporary file (ARCHIVE/tmp, upload-*) until it is given its name: what a
 * killed server left of it is cleaned with the photos' (pv_handin_clean_temps),
 * never a hidden file in the participant's folder. */
static char *write_caption_temp(const char *photo_temp, const char *json, struct pv_err *err)
{
	const char *slash = strrchr(photo_temp, '/');
	char *tmp_dir = slash ? pv_strndup(photo_temp, (size_t)(slash - photo_temp))
			      : pv_strdup(".");
	char *templ = pv_path_join(tmp_dir, TEMP_PREFIX "XXXXXX");
	free(tmp_dir);
	int fd = mkostemp(templ, O_CLOEXEC);
	int ok = fd >= 0 && pv_write_all(fd, json, strlen(json)) == 0 && fsync(fd) == 0;
	int saved = errno;
	if (fd >= 0)
		close(fd);
	if (!ok) {
		pv_fail(err, PV_ERR_ARCHIVE, "The words could not be saved safely (%s).",
			strerror(saved));
		if (fd >= 0)
			unlink(templ);
		free(templ);
		return NULL;
	}
	return templ;
}

/* What a sending with files that are not photos tells the participant (a
 * 12-year-old reads it): what came, and what was set aside. */
static void say_set_aside(const struct pv_handin_result *res, struct pv_err *err)
{
	char sentence[PV_ERR_MSG];
	if (res->taken == 1)
		snprintf(sentence, sizeof sentence, ngettext(
			"Your photo was received, but one file was not a photo; we set it "
			"aside.", "Your photo was received, but %u files were not photos; we "
			"set them aside.", res->set_aside), res->set_aside);
	else if (res->taken)
		snprintf(sentence, sizeof sentence, ngettext(
			"Your photos were received, but one file was not a photo; we set it "
			"aside.", "Your photos were received, but %u files were not photos; we "
			"set them aside.", res->set_aside), res->set_aside);
	else
		snprintf(sentence, sizeof sentence, ngettext(
			"That file is not a photo. Choose a photo from your camera or gallery.",
			"Those %u files are not photos. Choose photos from your camera or "
			"gallery.", res->set_aside), res->set_aside);
	pv_fail_text(err, PV_ERR_INPUT, sentence);
}

/* One photo and its words, under one new stem: caption file first. */
static int place_one(const char *folder, const char *json, const char *temp,
		     const struct pv_input_format *f, struct pv_err *err)
{
	if (sync_file(temp) != 0)
		return pv_fail(err, PV_ERR_ARCHIVE, "The photo could not be saved safely (%s).",
			       strerror(errno));
	char *caption_tmp = write_caption_temp(temp, json, err);
	if (!caption_tmp)
		return -1;
	char stem[sizeof NAME_PREFIX + 16], name[64];
	random_stem(stem);
	snprintf(name, sizeof name, "%s.json", stem);
	char *caption_path = pv_path_join(folder, name);
	snprintf(name, sizeof name, "%s%s", stem, f->endings[0]);   /* ".jpg" */
	char *photo_path = pv_path_join(folder, name);
	int r = pv_place_file(caption_tmp, caption_path, 0, err);
	if (r == 0 && pv_place_file(temp, photo_path, 0, err) != 0) {
		unlink(caption_path);   /* words without their photo would be set aside */
		r = -1;
	}
	free(caption_tmp);
	free(caption_path);
	free(photo_path);
	return r;
}

static char *participant_folder(const char *drop_dir, const char *participant,
				struct pv_err *err)
{
	char *folder = pv_path_join(drop_dir, participant);
	if (pv_mkdir_p(folder, 0700) != 0) {
		pv_fail(err, PV_ERR_ARCHIVE, "The drop folder cannot be written (%s).",
			strerror(errno));
		free(folder);
		return NULL;
	}
	return folder;
}

static void remove_temps(char *const *temps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		unlink(temps[i]);   /* gone already when placed */
}

int pv_handin_place(const char *drop_dir, const char *participant,
		    const struct pv_handin_words *w, char *const *temps, size_t n,
		    struct pv_handin_result *res, struct pv_err *err)
{
	memset(res, 0, sizeof *res);
	char *json = NULL, *folder = NULL;
	int r = -1;
	if (n == 0)
		return pv_fail(err, PV_ERR_INPUT, "Choose a photo first.");
	if (pv_handin_check_words(w, err) != 0 || !(json = words_json(w)) ||
	    !(folder = participant_folder(drop_dir, participant, err)))
		goto out;
	r = 0;
	for (size_t i = 0; i < n && r >= 0; i++) {
		const struct pv_input_format *f = sniff_file(temps[i]);
		if (!f) {
			if (set_aside(drop_dir, participant, temps[i], err) != 0)
				r = -1;
			else
				res->set_aside++;
		} else if (place_one(folder, json, temps[i], f, err) != 0) {
			r = -1;
		} else {
			res->taken++;
		}
	}
	/* the names, once (and the participant's folder itself, when new): an
	 * answered sending survives a crash */
	if ((pv_fsync_dir(folder) != 0 || pv_fsync_dir(drop_dir) != 0) && r >= 0)
		r = pv_fail(err, PV_ERR_ARCHIVE, "The drop folder could not be synced (%s).",
			    strerror(errno));
	if (r == 0 && res->set_aside) {
		say_set_aside(res, err);
		r = 1;
	}
out:
	remove_temps(temps, n);
	free(json);
	free(folder);
	return r;
}
