/* index.html: a preview page to open in any browser, with no network and no
 * script: the title, an overview of thumbnails, then every photo (its
 * preview, linking to the full photo) with title, caption, credit, story and
 * tags. A print stylesheet puts one entry per block without splitting it.
 * Every text from the catalogue is HTML-escaped. */
#include "bundle_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char style[] =
	"<style>\n"
	":root{--ink:#1f2328;--soft:#59636e;--accent:#006b73;--paper:#fff}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;background:#f4f5f6;color:var(--ink);"
	"font:16px/1.5 \"Nimbus Sans\",\"Helvetica Neue\",Arial,\"DejaVu Sans\",sans-serif}\n"
	"header,main,nav,footer{max-width:1100px;margin:0 auto;padding:0 24px}\n"
	"header{padding-top:40px;padding-bottom:16px;border-bottom:3px solid var(--accent)}\n"
	"h1{margin:0;font-size:2.4em;line-height:1.15;color:var(--accent)}\n"
	".subtitle{margin:.3em 0 0;font-size:1.3em}\n"
	".meta{margin:.6em 0 0;color:var(--soft);font-size:.9em}\n"
	"nav{display:flex;flex-wrap:wrap;gap:8px;padding-top:20px;padding-bottom:8px}\n"
	"nav a{position:relative;display:block;line-height:0}\n"
	"nav img{height:72px;width:auto;border-radius:3px}\n"
	"nav span{position:absolute;left:4px;top:4px;padding:2px 6px;line-height:1.2;"
	"font-size:12px;font-weight:bold;color:#fff;background:rgba(0,0,0,.6);border-radius:3px}\n"
	"article{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:28px;"
	"margin:28px 0;padding:24px;background:var(--paper);border-radius:6px;"
	"box-shadow:0 1px 3px rgba(0,0,0,.12)}\n"
	"article img{display:block;width:100%;height:auto;border-radius:3px}\n"
	".number{margin:0;color:var(--accent);font-weight:bold;font-size:.9em}\n"
	"h2{margin:.1em 0 .4em;font-size:1.5em;line-height:1.2}\n"
	".caption{margin:0 0 .5em;font-size:1.2em;font-weight:bold}\n"
	".credit{margin:0 0 1em;color:var(--soft)}\n"
	".story p{margin:0 0 .8em}\n"
	".tags{display:flex;flex-wrap:wrap;gap:6px;margin:1em 0 0;padding:0;list-style:none}\n"
	".tags li{padding:1px 10px;border-radius:12px;background:#e6f0f1;color:var(--accent);font-size:.85em}\n"
	"footer{padding-top:8px;padding-bottom:40px;color:var(--soft);font-size:.85em}\n"
	"@media (max-width:720px){article{grid-template-columns:1fr}}\n"
	"@media print{\n"
	"  body{background:#fff;font-size:11pt}\n"
	"  nav{display:none}\n"
	"  header,main,footer{max-width:none;padding:0}\n"
	"  article{box-shadow:none;padding:0;margin:0 0 14mm;break-inside:avoid;page-break-inside:avoid}\n"
	"  article img{max-height:120mm;width:auto;max-width:100%}\n"
	"  a{color:inherit;text-decoration:none}\n"
	"}\n"
	"</style>\n";

/* Text as HTML: & < > " ' escaped. */
static void put_escaped(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		case '\r': break;
		default: fputc(*s, f); break;
		}
	}
}

static void put_element(FILE *f, const char *open, const char *text,
			const char *close)
{
	if (!text || !*text)
		return;
	fputs(open, f);
	put_escaped(f, text);
	fputs(close, f);
}

/* The story as paragraphs: a blank line starts a new one, a single line
 * break stays a line break. */
static void put_story(FILE *f, const char *story)
{
	if (!story || !*story)
		return;
	fputs("<div class=\"story\"><p>", f);
	int breaks = 0;
	for (const char *s = story; *s; s++) {
		if (*s == '\r')
			continue;
		if (*s == '\n') {
			breaks++;
			continue;
		}
		if (breaks == 1)
			fputs("<br>\n", f);
		else if (breaks > 1)
			fputs("</p>\n<p>", f);
		breaks = 0;
		char one[2] = { *s, '\0' };
		put_escaped(f, one);
	}
	fputs("</p></div>\n", f);
}

static void put_tags(FILE *f, const struct pv_entry *e)
{
	if (!e->tags || !e->ntags || !e->tags[0])
		return;
	fputs("<ul class=\"tags\">", f);
	for (size_t i = 0; i < e->ntags && e->tags[i]; i++)
		put_element(f, "<li>", e->tags[i], "</li>");
	fputs("</ul>\n", f);
}

static void put_img(FILE *f, const char *src, const char *alt, int w, int h)
{
	fprintf(f, "<img src=\"%s\" alt=\"", src);
	put_escaped(f, alt ? alt : "");
	if (w > 0 && h > 0)
		fprintf(f, "\" width=\"%d\" height=\"%d\">", w, h);
	else
		fputs("\">", f);
}

static void put_overview(FILE *f, const struct pv_bundle_ctx *c)
{
	fputs("<nav aria-label=\"Overzicht\">\n", f);
	for (size_t i = 0; i < c->n; i++) {
		const struct pv_bundle_photo *ph = &c->photos[i];
		fprintf(f, "<a href=\"#foto-%d\">", ph->number);
		put_img(f, ph->thumb_name, "", ph->thumb_w, ph->thumb_h);
		fprintf(f, "<span>%d</span></a>\n", ph->number);
	}
	fputs("</nav>\n", f);
}

static void put_entry(FILE *f, const struct pv_bundle_item *item,
		      const struct pv_bundle_photo *ph)
{
	const struct pv_entry *e = item->entry;
	fprintf(f, "<article id=\"foto-%d\">\n<a href=\"%s\">", ph->number, ph->name);
	put_img(f, ph->preview_name, pv_bundle_caption(item), ph->preview_w, ph->preview_h);
	fprintf(f, "</a>\n<div>\n<p class=\"number\">Foto %d &middot; %s</p>\n",
		ph->number, ph->name);
	put_element(f, "<h2>", e->title, "</h2>\n");
	put_element(f, "<p class=\"caption\">", pv_bundle_caption(item), "</p>\n");
	put_element(f, "<p class=\"credit\">", e->credit, "</p>\n");
	put_story(f, e->story);
	put_tags(f, e);
	fputs("</div>\n</article>\n", f);
}

static void put_head(FILE *f, const struct pv_bundle_ctx *c)
{
	const struct pv_poster_settings *p = &c->opts->poster;
	char date[11];
	struct tm tm;
	gmtime_r(&c->opts->mtime, &tm);
	strftime(date, sizeof date, "%Y-%m-%d", &tm);
	fputs("<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"referrer\" content=\"no-referrer\">\n", f);
	put_element(f, "<title>", pv_bundle_title(p), "</title>\n");
	fputs(style, f);
	fputs("</head>\n<body>\n<header>\n", f);
	put_element(f, "<h1>", pv_bundle_title(p), "</h1>\n");
	put_element(f, "<p class=\"subtitle\">", p->subtitle, "</p>\n");
	fprintf(f, "<p class=\"meta\">%zu foto%s &middot; %s &middot; "
		"<a href=\"poster.pdf\">poster (PDF, %s)</a> &middot; "
		"<a href=\"contact-sheet.jpg\">contactvel</a></p>\n</header>\n",
		c->n, c->n == 1 ? "" : "'s", date, pv_paper_name(p->paper));
}

int pv_bundle_index_html(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err)
{
	(void)err;
	put_head(f, c);
	put_overview(f, c);
	fputs("<main>\n", f);
	for (size_t i = 0; i < c->n; i++)
		put_entry(f, &c->items[i], &c->photos[i]);
	fputs("</main>\n<footer><p>Foto's en woorden van de deelnemers, gedeeld met hun "
	      "toestemming. Gebruik ze alleen waarvoor die toestemming geldt "
	      "(zie LEESMIJ.txt).</p></footer>\n</body>\n</html>\n", f);
	return 0;
}
