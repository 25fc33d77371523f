/* The members of a bundle: one table, in the order they are written, with
 * what each is for in Dutch and in English (LEESMIJ.txt and README.txt are
 * written from it). A new member is a row here and its builder in a file of
 * its own; nothing else has to agree with this table. */
#include "bundle_internal.h"

#include <glib.h>
#include <string.h>
#include <time.h>

const struct pv_bundle_member pv_bundle_members[] = {
	{ "photos/", NULL, pv_bundle_add_photos, 0,
	  "De foto's op volle grootte, in de volgorde van de poster (NN-ID.jpg: plaats en nummer in het archief). Locatie, toestel, namen en andere herleidbare gegevens zijn eruit gehaald.",
	  "The photos at full resolution, in poster order (NN-ID.jpg: position and entry number). Location, camera, names and everything else that could identify someone have been removed." },
	{ "thumbs/", NULL, pv_bundle_add_thumbs, 0,
	  "Kleine versies van de foto's, voor het overzicht in index.html.",
	  "Small copies of the photos, for the overview in index.html." },
	{ "previews/", NULL, pv_bundle_add_previews, 0,
	  "Middelgrote versies van de foto's, voor index.html.",
	  "Medium-sized copies of the photos, used by index.html." },
	{ "poster.pdf", pv_bundle_poster_pdf, NULL, 0,
	  "De poster, klaar om te printen: titel, de foto's met onderschrift en naamsvermelding.",
	  "The poster, ready to print: title, the photos with their captions and credits." },
	{ "contact-sheet.jpg", pv_bundle_contact_sheet, NULL, 0,
	  "Alle foto's genummerd op een vel, om te kiezen en te bespreken.",
	  "Every photo, numbered, on one sheet: to choose and discuss." },
	{ "index.html", pv_bundle_index_html, NULL, 1,
	  "Open in een webbrowser om alle foto's met titel, onderschrift, verhaal, trefwoorden en naamsvermelding te bekijken, bijvoorbeeld samen met de groep. Werkt zonder internet en print netjes.",
	  "Open in a web browser to look at every photo with its title, caption, story, tags and credit, for example with the group. Works without internet and prints well." },
	{ "data-merge.csv", pv_bundle_csv, NULL, 1,
	  "Voor samenvoegen van gegevens (data merge) in InDesign, Affinity Publisher of Canva: een regel per foto; de kolom @photo geeft het pad van de foto. Tekst die met = + - of @ begint, staat er met een ' voor, zodat een rekenblad er geen formule van maakt.",
	  "For data merge in InDesign, Affinity Publisher or Canva: one row per photo; the @photo column holds the photo's path. Text that starts with = + - or @ has a ' in front so that a spreadsheet never runs it as a formula." },
	{ "manifest.json", pv_bundle_manifest_json, NULL, 1,
	  "Alles in deze bundel als gegevens, voor software.",
	  "Everything in this bundle as data, for software." },
	{ "captions.txt", pv_bundle_captions_txt, NULL, 1,
	  "Titel, onderschrift en naamsvermelding per foto, om over te nemen.",
	  "Title, caption and credit per photo, to copy from." },
	{ "CREDITS.txt", pv_bundle_credits_txt, NULL, 1,
	  "De naamsvermelding die elke deelnemer koos, per foto.",
	  "The credit line every participant chose, per photo." },
	{ "LEESMIJ.txt", pv_bundle_leesmij_txt, NULL, 1,
	  "Deze uitleg, in het Nederlands.",
	  "This explanation, in Dutch." },
	{ "README.txt", pv_bundle_readme_txt, NULL, 1,
	  "Deze uitleg, in het Engels.",
	  "This explanation, in English." },
	/* written by the archive itself, last (archive_out.c) */
	{ "SHA256SUMS", NULL, NULL, 1,
	  "Controlegetallen: 'sha256sum -c SHA256SUMS' laat zien dat er geen bestand veranderd is.",
	  "Checksums: 'sha256sum -c SHA256SUMS' shows that no file was changed." },
};
const size_t pv_bundle_nmembers = sizeof pv_bundle_members / sizeof pv_bundle_members[0];

/* ---- LEESMIJ.txt and README.txt ---------------------------------------------- */

/* Writes text wrapped at 76 columns, each line indented by indent spaces. */
static void put_wrapped(FILE *f, const char *text, int indent)
{
	int col = indent;
	fprintf(f, "%*s", indent, "");
	while (*text) {
		size_t word = strcspn(text, " ");
		int width = (int)g_utf8_strlen(text, (gssize)word);
		if (col > indent && col + 1 + width > 76) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(text, 1, word, f);
		col += width;
		text += word;
		while (*text == ' ')
			text++;
	}
	fputc('\n', f);
}

static void put_head(FILE *f, const struct pv_bundle_ctx *c, int dutch)
{
	const struct pv_poster_settings *p = &c->opts->poster;
	char date[11];
	struct tm tm;
	gmtime_r(&c->opts->mtime, &tm);
	strftime(date, sizeof date, "%Y-%m-%d", &tm);
	fprintf(f, "%s\n", pv_bundle_title(p));
	if (p->subtitle)
		fprintf(f, "%s\n", p->subtitle);
	fputc('\n', f);
	if (dutch)
		fprintf(f, "Photovoice-bundel met %zu foto's, %s. Poster op %s, %s.\n\n",
			c->n, date, pv_paper_name(p->paper), p->landscape ? "liggend" : "staand");
	else
		fprintf(f, "Photovoice bundle of %zu photos, %s. Poster on %s, %s.\n\n",
			c->n, date, pv_paper_name(p->paper), p->landscape ? "landscape" : "portrait");
	fputs(dutch ? "Wat elk bestand is:\n\n" : "What each file is for:\n\n", f);
}

static void put_consent_note(FILE *f, const struct pv_bundle_ctx *c, int dutch)
{
	int poster = strcmp(c->opts->purpose, "poster") == 0;
	const char *note;
	if (dutch)
		note = poster ? "Elke deelnemer gaf toestemming om de foto op een poster te laten zien. Gebruik de foto's en teksten alleen daarvoor, en niet in andere uitingen zonder opnieuw toestemming te vragen."
			      : "Alleen voor intern gebruik: niet elke deelnemer gaf toestemming om de foto buiten de organisatie te laten zien. Deel deze bundel niet buiten de organisatie.";
	else
		note = poster ? "Every participant gave consent to show their photo on a poster. Use the photos and texts for that only, and not elsewhere without asking for consent again."
			      : "For internal use only: not every participant gave consent to show their photo outside the organisation. Do not share this bundle outside the organisation.";
	fputc('\n', f);
	put_wrapped(f, note, 0);
}

static int put_readme(const struct pv_bundle_ctx *c, FILE *f, int dutch)
{
	put_head(f, c, dutch);
	for (size_t i = 0; i < pv_bundle_nmembers; i++) {
		fprintf(f, "%s\n", pv_bundle_members[i].name);
		put_wrapped(f, dutch ? pv_bundle_members[i].dutch : pv_bundle_members[i].english, 4);
		fputc('\n', f);
	}
	put_consent_note(f, c, dutch);
	return 0;
}

int pv_bundle_leesmij_txt(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err)
{
	(void)err;
	return put_readme(c, f, 1);
}

int pv_bundle_readme_txt(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err)
{
	(void)err;
	return put_readme(c, f, 0);
}
