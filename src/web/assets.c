/*
 * The stylesheet and the one small script, built into the program: no CDN,
 * no framework, nothing fetched from elsewhere. Every page works without the
 * script; it only makes sending smoother (a busy button, a size warning).
 */
#include <stddef.h>

#include "web_internal.h"

static const char style_css[] =
	":root{--ink:#1d1d1f;--muted:#4a4a4f;--line:#c9c9cf;--accent:#0b5cad;"
	"--accent-ink:#fff;--bg:#fafafa;--card:#fff;--warn:#8a3b00;--ok:#1d6b35}\n"
	"*{box-sizing:border-box}\n"
	"html{font-size:112.5%}\n"
	"body{margin:0;background:var(--bg);color:var(--ink);"
	"font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
	"line-height:1.5}\n"
	"main{max-width:40rem;margin:0 auto;padding:1rem 1rem 3rem}\n"
	"h1{font-size:1.6rem;line-height:1.2;margin:.5rem 0 1rem}\n"
	"h2{font-size:1.15rem;margin:0 0 .25rem}\n"
	"a{color:var(--accent)}\n"
	"a:focus,button:focus,input:focus,textarea:focus{outline:3px solid #f5a623;"
	"outline-offset:2px}\n"
	".field{margin:0 0 1.1rem}\n"
	"label{display:block;font-weight:600;margin-bottom:.3rem}\n"
	".hint{color:var(--muted);font-size:.9rem;margin:.1rem 0 .4rem}\n"
	"input[type=text],input[type=password],textarea{width:100%;font:inherit;padding:.6rem;border:2px solid "
	"var(--line);border-radius:.5rem;background:#fff;color:var(--ink)}\n"
	"input[type=file]{font:inherit;width:100%;padding:.5rem 0}\n"
	/* the one control that matters most: a large button, not the browser's small one */
	"input[type=file]::file-selector-button{font:inherit;font-weight:700;min-height:3rem;"
	"padding:.5rem 1.2rem;margin:0 .8rem .3rem 0;border:2px solid var(--accent);"
	"border-radius:.5rem;background:#fff;color:var(--accent);cursor:pointer}\n"
	"fieldset{border:2px solid var(--line);border-radius:.5rem;padding:.6rem 1rem 1rem;"
	"margin:0 0 1.2rem}\n"
	"legend{font-weight:700;padding:0 .3rem}\n"
	".choice{display:grid;grid-template-columns:auto 1fr;column-gap:.6rem;"
	"align-items:start;margin:.6rem 0}\n"
	".choice input{width:1.4rem;height:1.4rem;margin:.15rem 0 0}\n"
	".choice label{margin:0}\n"
	".choice .hint{grid-column:2;margin:0}\n"
	"button{font:inherit;font-weight:700;min-height:3rem;padding:.6rem 1.4rem;border:0;"
	"border-radius:.5rem;background:var(--accent);color:var(--accent-ink);cursor:pointer;"
	"width:100%}\n"
	"button.secondary{background:#fff;color:var(--accent);border:2px solid var(--accent);"
	"min-height:2.6rem;width:auto;font-weight:600}\n"
	"button[disabled]{opacity:.7}\n"
	".note{background:#fff7e0;border-left:4px solid #d9a400;padding:.6rem .8rem}\n"
	".error{background:#fdecea;border-left:4px solid #b3261e;padding:.6rem .8rem}\n"
	".cards{list-style:none;padding:0;margin:0}\n"
	/* a phone shows the photo above its words; a wider screen beside them */
	".card{display:grid;grid-template-columns:1fr;gap:.8rem;background:var(--card);"
	"border:1px solid var(--line);border-radius:.6rem;padding:.7rem;margin:0 0 .8rem}\n"
	".card img{width:auto;height:auto;max-width:100%;max-height:18rem;border-radius:.3rem}\n"
	".card p{margin:.2rem 0}\n"
	".removed{color:var(--ok);font-size:.9rem}\n"
	"@media (min-width:34rem){.card{grid-template-columns:10rem 1fr}"
	".card img{width:10rem}}\n";

/* A busy button while sending (a phone upload takes a while), and a warning
 * before a photo that is too large is sent at all. */
static const char app_js[] =
	"'use strict';\n"
	"document.addEventListener('DOMContentLoaded', function () {\n"
	"  var max = 30 * 1024 * 1024;\n"
	"  var input = document.getElementById('photo');\n"
	"  var form = input && input.form;\n"
	"  if (!form) return;\n"
	"  var nl = document.documentElement.lang === 'nl';\n"
	"  input.addEventListener('change', function () {\n"
	"    var big = Array.prototype.some.call(input.files, function (f) { return f.size > max; });\n"
	"    input.setCustomValidity(big ? (nl ? 'Deze foto is te groot: hoogstens 30 MB.' :\n"
	"      'This photo is too large: at most 30 MB.') : '');\n"
	"  });\n"
	"  form.addEventListener('submit', function () {\n"
	"    var b = form.querySelector('button[type=submit]');\n"
	"    if (b) { b.disabled = true; b.textContent = nl ? 'Bezig met versturen\\u2026' :\n"
	"      'Sending\\u2026'; }\n"
	"  });\n"
	"});\n";

/* The tab's icon; without one a browser asks for /favicon.ico and logs a 404
 * on every first visit. */
static const char icon_svg[] =
	"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\">"
	"<rect width=\"32\" height=\"32\" rx=\"7\" fill=\"#0b5cad\"/>"
	"<circle cx=\"16\" cy=\"17\" r=\"7\" fill=\"none\" stroke=\"#fff\" stroke-width=\"3\"/>"
	"</svg>\n";

const struct pv_asset pv_assets[] = {
	{ "style.css", "text/css; charset=utf-8", style_css },
	{ "app.js", "text/javascript; charset=utf-8", app_js },
	{ "icon.svg", "image/svg+xml", icon_svg },
	{ NULL, NULL, NULL },
};
