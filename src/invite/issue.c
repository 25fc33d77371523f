/*
 * `photovoice invite PARTICIPANT [--sheet FILE]` as one step: the invitation
 * is committed only once its sheet is written, so that a sheet that cannot
 * be written leaves no invitation behind (and no link that nobody holds).
 */
#include <sodium.h>
#include <stdlib.h>
#include <unistd.h>

#include "photovoice/invite.h"

int pv_invite_issue(struct pv_archive *a, const char *archive_dir, const char *participant,
		    const char *until, const char *sheet, struct pv_invite *out, char **link,
		    struct pv_err *err)
{
	char token[PV_INVITE_TOKEN_CHARS + 1];
	*link = NULL;
	if (pv_store_begin(a, err) != 0)
		return -1;
	if (pv_invite_create(a, participant, until, out, token, err) != 0) {
		pv_store_rollback(a);
		return -1;
	}
	char *base = pv_invite_base(archive_dir);
	*link = pv_invite_link(base, token);
	free(base);
	sodium_memzero(token, sizeof token);
	int r = sheet ? pv_invite_sheet(sheet, out, *link, err) : 0;
	if (r == 0 && pv_store_commit(a, err) != 0) {
		if (sheet)
			unlink(sheet);   /* its link was never kept */
		r = -1;
	}
	if (r != 0) {
		pv_store_rollback(a);
		pv_invite_free(out);
		free(*link);
		*link = NULL;
	}
	return r;
}
