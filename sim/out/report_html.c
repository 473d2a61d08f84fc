/* report_html.c -- a report (struct doc) as one self-contained HTML
 * file, DIR/report.html: the style sheet inline and the charts embedded
 * as data: URIs, so it can be mailed or attached as it is. Each chart is
 * a <picture>: the SVG (sharp when zoomed and printed) with the PNG as
 * the <img> fallback; a print style puts whole figures and tables on A4
 * pages. */
#include "out/report.h"

#include "out/report_parts.h"
#include "out/resultdir.h"
#include "base/file.h"
#include "base/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void html_esc(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, f);
        }
    }
}

size_t report_base64(const unsigned char *in, size_t n, char *out)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? tab[v & 63] : '=';
    }
    out[o] = '\0';
    return o;
}

/* DIR/<chart>.<ext> as a data: URI of type mime (caller owns), or NULL
 * if unreadable (missing, over the chart cap, not a PNG or SVG). */
static char *chart_uri(const char *dir, const char *chart, const char *ext, const char *mime)
{
    char name[128];
    resdir_chart_name(name, sizeof name, chart, ext);
    char *p = file_join(dir, name);
    char *buf;
    size_t len;
    int sys_errno;
    enum file_status st = file_read(p, FILE_MAX_CHART, &buf, &len, &sys_errno);
    free(p);
    if (st != FILE_OK)
        return NULL;
    int png = !strcmp(ext, RESDIR_PNG);
    if (png ? len < 8 || memcmp(buf, "\x89PNG\r\n\x1a\n", 8) != 0
            : !strstr(buf, "<svg") || !strstr(buf, "</svg>")) {
        free(buf);
        return NULL;
    }
    /* base64 for the SVG too: its text never meets the HTML parser, so
     * nothing in it (a scenario name in a title) can be markup here */
    size_t head = strlen(mime) + 13; /* "data:" mime ";base64," */
    char *uri = xmalloc(head + 4 * ((len + 2) / 3) + 1);
    snprintf(uri, head + 1, "data:%s;base64,", mime);
    report_base64((const unsigned char *)buf, len, uri + head);
    free(buf);
    return uri;
}

static const char css[] =
    ":root{--ink:#1f2933;--muted:#5b6776;--line:#dde2e8;--accent:#2f5f8f;--band:#f3f6f9}\n"
    "*{box-sizing:border-box}\n"
    "html{background:#eef1f4}\n"
    "body{margin:0;color:var(--ink);font:15px/1.55 'DejaVu Sans','Segoe UI',Helvetica,Arial,"
    "sans-serif}\n"
    "main{max-width:1040px;margin:28px auto;background:#fff;padding:36px 48px 28px;"
    "border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,.08)}\n"
    "header{border-bottom:3px solid var(--accent);padding-bottom:14px;margin-bottom:8px}\n"
    ".kind{margin:0;color:var(--accent);font-size:12px;letter-spacing:.09em;"
    "text-transform:uppercase;font-weight:600}\n"
    "h1{font-size:25px;line-height:1.3;margin:6px 0 0;overflow-wrap:anywhere}\n"
    "h2{font-size:18px;margin:30px 0 10px;padding-bottom:4px;border-bottom:1px solid "
    "var(--line)}\n"
    "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 20px;margin:0}\n"
    "dl.facts dt{color:var(--muted)}\n"
    "dl.facts dd{margin:0;overflow-wrap:anywhere}\n"
    ".notes ul{margin:0;padding-left:20px;color:var(--muted);font-size:13.5px}\n"
    ".notes li{margin:4px 0}\n"
    "ul.findings{padding-left:22px;margin:0}\n"
    "ul.findings li{margin:7px 0}\n"
    "table{border-collapse:collapse;min-width:62%;font-size:14px}\n"
    "th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;"
    "vertical-align:top}\n"
    "thead th{background:var(--band);border-bottom:2px solid #c9d1da;font-weight:600}\n"
    "th.num,td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "td .ci{display:block;color:var(--muted);font-size:12.5px}\n"
    "tbody tr:nth-child(even){background:#fafbfc}\n"
    "p.note{color:var(--muted);font-size:13px;margin:8px 0 0}\n"
    "figure{margin:18px 0 30px}\n"
    "figure picture{display:block}\n"
    "figure img{display:block;width:100%;height:auto;border:1px solid var(--line)}\n"
    "figcaption{color:var(--muted);font-size:13.5px;margin-top:6px}\n"
    "footer{margin-top:30px;padding-top:10px;border-top:1px solid var(--line);"
    "color:var(--muted);font-size:12.5px}\n"
    "@page{size:A4;margin:14mm 12mm}\n"
    "@media print{html{background:#fff}body{font-size:10.5pt}"
    "main{box-shadow:none;border-radius:0;margin:0;max-width:none;padding:0}"
    "figure,table,tr,dl.facts{break-inside:avoid}h2{break-after:avoid}"
    "figure img{max-height:105mm;object-fit:contain}"
    "footer{break-before:avoid;margin-top:12px}"
    "section{orphans:3;widows:3}}\n";

/* The table, with its title and note; nothing when it is empty. */
static void html_table(FILE *f, const struct doc *d)
{
    const struct doc_table *t = &d->table;
    size_t nc = doc_table_ncols(t);
    if (!nc || !t->text.n)
        return;
    fputs("\n<section>\n<h2>", f);
    html_esc(f, d->table_title);
    fputs("</h2>\n<table>\n<thead><tr>", f);
    for (size_t c = 0; c < nc; c++) {
        fputs((int)c < t->textcols ? "<th>" : "<th class=\"num\">", f);
        html_esc(f, t->head.v[c]);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t k = 0; k < t->text.n; k += nc) {
        fputs("<tr>", f);
        for (size_t c = 0; c < nc; c++) {
            fputs((int)c < t->textcols ? "<td>" : "<td class=\"num\">", f);
            html_esc(f, t->text.v[k + c]);
            if (*t->sub.v[k + c]) {
                fputs("<span class=\"ci\">", f);
                html_esc(f, t->sub.v[k + c]);
                fputs("</span>", f);
            }
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody>\n</table>\n<p class=\"note\">", f);
    html_esc(f, d->table_note);
    fputs("</p>\n</section>\n", f);
}

/* The charts, each a figure with its caption, and why some are missing;
 * nothing when there are none and nothing to say. */
static void html_charts(FILE *f, const struct doc *d, const char *dir)
{
    if (!d->charts.n && !*d->chart_note)
        return;
    fputs("\n<section>\n<h2>Charts</h2>\n", f);
    if (*d->chart_note) {
        fputs("<p class=\"note\">", f);
        html_esc(f, d->chart_note);
        fputs("</p>\n", f);
    }
    for (size_t i = 0; i < d->charts.n; i++) {
        /* the SVG (sharp when zoomed and printed), the PNG where a
         * browser takes no SVG in <picture> */
        fputs("<figure>\n<picture>\n", f);
        char *svg = chart_uri(dir, d->charts.v[i], RESDIR_SVG, "image/svg+xml");
        char *png = chart_uri(dir, d->charts.v[i], RESDIR_PNG, "image/png");
        if (svg)
            fprintf(f, "<source type=\"image/svg+xml\" srcset=\"%s\">\n", svg);
        fputs("<img alt=\"", f);
        html_esc(f, d->captions.v[i]);
        fprintf(f, "\" src=\"%s", png ? png : svg ? svg : "data:,");
        free(svg);
        free(png);
        fputs("\">\n</picture>\n<figcaption>", f);
        html_esc(f, d->captions.v[i]);
        fputs("</figcaption>\n</figure>\n", f);
    }
    fputs("</section>\n", f);
}

void report_write_html(FILE *f, const struct doc *d, const char *dir)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    html_esc(f, d->title);
    fprintf(f, " \xe2\x80\x94 provsim %s report</title>\n<style>\n%s</style>\n</head>\n<body>\n"
               "<main>\n<header>\n<p class=\"kind\">provsim %s report</p>\n<h1>",
            d->kind, css, d->kind);
    html_esc(f, d->title);
    fputs("</h1>\n</header>\n\n<section>\n<h2>Scenario</h2>\n<dl class=\"facts\">\n", f);
    for (size_t i = 0; i < d->fact_k.n; i++) {
        fputs("<dt>", f);
        html_esc(f, d->fact_k.v[i]);
        fputs("</dt><dd>", f);
        html_esc(f, d->fact_v.v[i]);
        fputs("</dd>\n", f);
    }
    fputs("</dl>\n", f);
    fputs("</section>\n\n<section>\n<h2>Findings</h2>\n<ul class=\"findings\">\n", f);
    if (!d->findings.n)
        fputs("<li>(none)</li>\n", f);
    for (size_t i = 0; i < d->findings.n; i++) {
        fputs("<li>", f);
        html_esc(f, d->findings.v[i]);
        fputs("</li>\n", f);
    }
    fputs("</ul>\n</section>\n", f);
    html_table(f, d);
    html_charts(f, d, dir);
    if (d->notes.n) {
        fputs("\n<section class=\"notes\">\n<h2>", f);
        html_esc(f, *d->notes_head ? d->notes_head : "Notes from the scenario file");
        fputs("</h2>\n<ul>\n", f);
        for (size_t i = 0; i < d->notes.n; i++) {
            fputs("<li>", f);
            html_esc(f, d->notes.v[i]);
            fputs("</li>\n", f);
        }
        fputs("</ul>\n</section>\n", f);
    }
    fprintf(f, "\n<footer>Written by provsim %s from the data in this directory; the charts "
               "are embedded, so this file stands alone.</footer>\n</main>\n</body>\n</html>\n",
            PROVSIM_VERSION);
}
