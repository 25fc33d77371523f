/* Shared between the store's own files; not part of the public API. */
#ifndef PV_STORE_INTERNAL_H
#define PV_STORE_INTERNAL_H

#include <sqlite3.h>

struct pv_archive {
	char *dir;
	char *drop_dir;
	char *tmp_dir;
	char *media_dir;
	int lock_fd;
	int writable;
	sqlite3 *db;
};

int pv_catalogue_open(struct pv_archive *a, int create, char *err,
		      size_t errlen);
void pv_catalogue_close(struct pv_archive *a);

#endif
