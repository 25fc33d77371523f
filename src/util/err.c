/*
 * The library's one error convention (photovoice/err.h).
 */
#include <stdio.h>
#include <string.h>

#include "photovoice/err.h"
#include "photovoice/i18n.h"

int pv_vfail(struct pv_err *err, enum pv_err_kind kind, const char *fmt, va_list ap)
{
	if (!err)
		return -1;
	err->kind = kind;
	vsnprintf(err->msg, sizeof err->msg, _(fmt), ap);
	return -1;
}

int pv_fail_text(struct pv_err *err, enum pv_err_kind kind, const char *sentence)
{
	if (!err)
		return -1;
	err->kind = kind;
	snprintf(err->msg, sizeof err->msg, "%s", sentence);
	return -1;
}

int pv_fail(struct pv_err *err, enum pv_err_kind kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pv_vfail(err, kind, fmt, ap);
	va_end(ap);
	return -1;
}

void pv_err_prefix(struct pv_err *err, const char *fmt, ...)
{
	if (!err)
		return;
	char head[PV_ERR_MSG];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, _(fmt), ap);
	va_end(ap);
	/* head, then as much of the old sentence as still fits */
	size_t n = strlen(head);
	size_t room = sizeof err->msg - 1 - n;
	size_t old = strnlen(err->msg, room);
	memmove(err->msg + n, err->msg, old);
	memcpy(err->msg, head, n);
	err->msg[n + old] = '\0';
}

void pv_err_clear(struct pv_err *err)
{
	if (!err)
		return;
	err->kind = PV_ERR_NONE;
	err->msg[0] = '\0';
}

const char *pv_err_kind_name(enum pv_err_kind kind)
{
	static const char *const names[] = {
		[PV_ERR_NONE] = "none",
		[PV_ERR_USAGE] = "usage",
		[PV_ERR_INPUT] = "input",
		[PV_ERR_NOT_FOUND] = "not_found",
		[PV_ERR_NOT_ALLOWED] = "not_allowed",
		[PV_ERR_CONFLICT] = "conflict",
		[PV_ERR_OUTPUT] = "output",
		[PV_ERR_BUSY] = "busy",
		[PV_ERR_ARCHIVE] = "archive",
	};
	if ((unsigned)kind >= sizeof names / sizeof names[0])
		return "archive";
	return names[kind];
}
