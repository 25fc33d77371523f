/* photovoice serve: the phone page for participants (and, later, the staff
 * workspace), with the drop folder ingested as sendings arrive; until
 * stopped with Ctrl-C or SIGTERM. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "photovoice/web.h"

enum { O_LISTEN, O_CERT, O_KEY, O_INSECURE, O_QUIET };

static const struct pv_opt serve_opts[] = {
	/* the default is PV_WEB_DEFAULT_LISTEN, written out for the translator
	 * (t44-i18n checks that they agree) */
	[O_LISTEN] = { "listen", 0, "ADDR:PORT", 0, N_("where to answer (default "
		       "127.0.0.1:8080; port 0: any free port)") },
	[O_CERT] = { "tls-cert", 0, "FILE", 0, N_("the TLS certificate (PEM), for an address "
		     "other machines reach") },
	[O_KEY] = { "tls-key", 0, "FILE", 0, N_("the TLS certificate's private key (PEM)") },
	[O_INSECURE] = { "insecure-http", 0, NULL, 0, N_("plain HTTP on an address other "
			 "machines reach (a warning on every start)") },
	[O_QUIET] = { "quiet", 0, NULL, 0, N_("only a line per ingest round, not one per photo") },
};

static void say_ready(const char *base, void *ctx)
{
	const struct pv_serve_opts *o = ctx;
	if (o->insecure_http && !o->tls_cert)
		fprintf(stderr, _("photovoice serve: WARNING: plain HTTP: photos and words travel "
				  "unencrypted; anyone on this network can read them.\n"));
	printf(_("Serving the archive at %s\n"), base);
	printf(_("Participants' links: photovoice invite PARTICIPANT (they open %s/i/...)\n"),
	       base);
	printf(_("Stop with Ctrl-C.\n"));
}

static int run_serve(struct pv_cli *cli, const struct pv_args *a)
{
	struct pv_serve_opts o = { .archive_dir = cli->archive_dir,
				   .listen = pv_args_text(a, O_LISTEN),
				   .tls_cert = pv_args_text(a, O_CERT),
				   .tls_key = pv_args_text(a, O_KEY),
				   .insecure_http = pv_args_has(a, O_INSECURE) > 0,
				   .quiet = pv_args_has(a, O_QUIET) > 0,
				   .stop = &pv_cli_stop_requested, .ready = say_ready };
	o.ctx = &o;
	struct pv_err err = {0};
	if (pv_serve_check(&o, &err) != 0)
		return pv_cli_fail(&err);
	if (pv_cli_catch_stop() != 0) {
		pv_cli_error("serve could not prepare to be stopped cleanly (%s).", strerror(errno));
		return PV_EXIT_ARCHIVE;
	}
	o.stop_fd = pv_cli_stop_fd();
	setvbuf(stdout, NULL, _IOLBF, 0);   /* a log: each line as it happens */
	int r = pv_serve_run(&o, &err);
	pv_cli_release_stop();
	if (r != 0)
		return pv_cli_fail(&err);
	printf(_("Stopped serving.\n"));
	return PV_EXIT_OK;
}

const struct pv_cmd pv_cmd_serve = {
	.name = "serve",
	.summary = N_("serve the phone page for participants and ingest what they send"),
	.about = N_("Listens on 127.0.0.1:8080 unless told otherwise. An address other "
		    "machines reach needs --tls-cert and --tls-key, or --insecure-http. Runs watch "
		    "on the drop folder in the same process. Stops cleanly on Ctrl-C or SIGTERM."),
	.opts = serve_opts,
	.nopts = PV_NOPTS(serve_opts),
	.words_error = N_("serve takes no words; see --listen."),
	.needs = PV_NEEDS_NOTHING,
	.run = run_serve,
};
