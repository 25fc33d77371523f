/*
 * web_routes - prints serve's route table, one row a line: METHOD PATTERN WHO
 * [form], walking pv_route_at as the server does. t76 requests every row
 * without a session, with a participant's link, and without a form token,
 * so a route added later cannot forget its guard. Built by `make check`.
 */
#include <stdio.h>

#include "web_internal.h"

int main(void)
{
	static const char *const who[] = { [WHO_ANYONE] = "anyone", [WHO_TOKEN] = "token",
					   [WHO_STAFF] = "staff" };
	const struct pv_route *r;
	for (size_t i = 0; (r = pv_route_at(i)) != NULL; i++)
		printf("%s %s %s%s\n", r->method, r->pattern, who[r->who],
		       r->flags & ROUTE_FORM ? " form" : "");
	return 0;
}
