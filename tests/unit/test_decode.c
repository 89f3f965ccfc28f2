/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_decode.c -- unit tests for the decode layer (core/lib/decode*.c):
 * the HTML rules one by one (lists, definition lists, tables, what is
 * dropped, entities, a declared windows-1252 charset), the furniture filter,
 * the kind sniffing, and the basics of the .docx and PDF decoders on the
 * fixtures in tests/decode (whose every field tests/decode/same_document.sh
 * checks through ingest).
 */
#include "decode.h"

#include <ombuds/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "decode_int.h"

/* Decodes s as the file `name`; returns the text (static) or "ERROR: ...". */
static const char *dec(const char *name, const char *s, size_t n, char *note)
{
    static char buf[4096];
    omb_decoded d;
    char err[512], scratch[256];
    int rc = omb_decode(name, s, n, &d, note ? note : scratch, 256, err, sizeof err);
    if (rc) snprintf(buf, sizeof buf, "ERROR: %s", err);
    else snprintf(buf, sizeof buf, "%s", d.text);
    omb_decoded_free(&d);
    return buf;
}

static const char *html(const char *s) { return dec("page.html", s, strlen(s), NULL); }

/* Reads a fixture from the source tree; caller frees. */
static char *fixture(const char *rel, size_t *n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/decode/%s", OMB_SRCDIR, rel);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)len + 1);
    if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *n = (size_t)len;
    return buf;
}

int main(void)
{
    char note[256];
    /* ---- HTML ---- */
    TAP_STR(html("<html><body><h1>Title</h1><p>One <b>bold</b>\n  word.</p><p>Two</p></body></html>"),
            "Title\n\nOne bold word.\n\nTwo\n", "headings and paragraphs are lines, blank-separated, spaces folded");
    TAP_STR(html("<html><body><p>a<br>b<br/>c</p></body></html>"), "a\nb\nc\n", "<br> breaks the line");
    TAP_STR(html("<html><body><ol><li>one</li><li>two</li></ol></body></html>"), "  1. one\n  2. two\n",
            "an ordered list keeps its numbers");
    TAP_STR(html("<html><body><ol start=\"5\"><li>five</li><li value=\"9\">nine</li><li>ten</li></ol></body></html>"),
            "  5. five\n  9. nine\n  10. ten\n", "start and value attributes are honoured");
    TAP_STR(html("<html><body><ul><li>Case<ul><li>first</li><li>second</li></ul></li><li>Next</li></ul></body></html>"),
            "  \xE2\x80\xA2 Case\n\n    \xE2\x80\xA2 first\n    \xE2\x80\xA2 second\n\n  \xE2\x80\xA2 Next\n",
            "unordered lists get bullets, nested ones indented as in seed 000");
    TAP_STR(html("<html><body><dl><dt>Decision</dt><dd>Upheld</dd><dt>Decision date</dt><dd><p>12 Mar 2024</p></dd>"
                 "</dl></body></html>"),
            "Decision : Upheld\nDecision date : 12 Mar 2024\n", "a definition list gives Term : value lines");
    TAP_STR(html("<html><body><table><thead><tr><th>No.</th><th>Remedy</th></tr></thead><tbody><tr><td>1.</td>"
                 "<td><p>Apology,</p><p>£200</p></td></tr></tbody></table></body></html>"),
            "No.\tRemedy\n1.\tApology, \xC2\xA3" "200\n", "table rows are tab-separated cells, a cell stays on its line");
    TAP_STR(html("<html><head><title>T</title><style>p{}</style><script>var x='<p>no</p>';</script></head><body>"
                 "<noscript>Enable JS</noscript><template><p>t</p></template><form><label>Search</label></form>"
                 "<nav><a>Home</a></nav><header>Site</header><p>kept</p><footer>Site footer</footer></body></html>"),
            "kept\n", "script, style, noscript, template, form, nav, site header and footer are dropped");
    TAP_STR(html("<html><body><main><header><h1>Own heading</h1></header><p>x</p></main></body></html>"),
            "Own heading\n\nx\n", "a header inside <main> is the document's own and kept");
    TAP_STR(html("<html><body><div hidden>h</div><p aria-hidden=\"true\">a</p><p style=\"display: none\">d</p>"
                 "<div id=\"cookieBanner\"><p>We set cookies</p></div><div class=\"gdpr-consent\">c</div><p>shown</p>"
                 "</body></html>"),
            "shown\n", "hidden elements and cookie or consent dialogs are dropped");
    TAP_STR(html("<html><body><p>Caf&eacute; &pound;5 &amp; &#8216;x&#8217; &nbsp;y</p></body></html>"),
            "Caf\xC3\xA9 \xC2\xA3" "5 & \xE2\x80\x98x\xE2\x80\x99 y\n", "entities decoded to UTF-8, no-break spaces folded");
    const char cp1252[] = "<html><head><meta charset=\"windows-1252\"></head><body><p>\xA3" "250 \x93quoted\x94</p></body></html>";
    TAP_STR(dec("p.htm", cp1252, sizeof cp1252 - 1, note), "\xC2\xA3" "250 \xE2\x80\x9Cquoted\xE2\x80\x9D\n",
            "a declared windows-1252 charset is decoded");
    TAP_OK(strstr(note, "windows-1252") != NULL, "and the note says so (%s)", note);
    const char undeclared[] = "<html><body><p>\xA3" "5</p></body></html>";
    TAP_STR(dec("p.html", undeclared, sizeof undeclared - 1, NULL), "\xC2\xA3" "5\n",
            "no charset and not UTF-8: read as windows-1252");
    /* edges of reading the page as a stream of parser events (decode_html.c) */
    TAP_STR(html("<html><body><div><p>kept <span class=\"cookie\"><b>gone</b> <nav>x</nav></span>too</p>"
                 "<script>s</script><p>end</p></div></body></html>"),
            "kept too\n\nend\n", "a dropped element inside a kept one goes with everything in it, and the rest stays");
    TAP_STR(html("<html><body><ol><li>one</li><li hidden>two</li><li>three</li></ol></body></html>"),
            "  1. one\n  2. three\n", "a hidden <li> is left out and takes no number");
    TAP_STR(html("<html><body><ul><li>a<li>b</ul><p>para<p>next"),
            "  \xE2\x80\xA2 a\n  \xE2\x80\xA2 b\n\npara\n\nnext\n", "unclosed <li> and <p> are closed by the parser");
    TAP_STR(html("<html><body><p>a<b <i>c</i> d</p><p>e</p></body></html>"), "ac d\n\ne\n",
            "a start tag that never ends is dropped, what follows is read");
    TAP_STR(html("<html><body><ul><li>Costs<table><tr><td>Fee</td><td>\xC2\xA3" "5</td></tr></table></li></ul>"
                 "</body></html>"),
            "  \xE2\x80\xA2 Costs\n\nFee\t\xC2\xA3" "5\n", "a table inside a list item gives its rows");
    TAP_STR(html("<html><body><dl><div><dt>A</dt><dt>B</dt><dd>1</dd></div><dt>C</dt><dd>2</dd></dl></body></html>"),
            "A, B : 1\n\nC : 2\n", "several terms for one value, and a <div> group in a <dl>");
    TAP_STR(html("<html><body><p>a</p></body></html><p>late</p>"), "a\n\nlate\n",
            "content after </html> is read, as libxml2 puts it in the page");
    TAP_STR(html("<!-- saved from url=(0042)https://www.lgo.org.uk/ -->\n<!DOCTYPE html><p>x</p>"), "x\n",
            "a page opening with a comment is still HTML");
    TAP_STR(html("<html><body></body></html>"),
            "ERROR: no readable text in this HTML page (expected a saved web page with its body: is it truncated?)",
            "a page with no text is an error");
    TAP_STR(dec("notes.txt", "<not html> just text\n", 21, NULL), "<not html> just text\n",
            "text that starts with '<' but no tag we know stays text");

    /* ---- furniture ---- */
    TAP_OK(omb_furniture_line("Print this page", 15) && omb_furniture_line("  Back to top ", 14) &&
               omb_furniture_line("LGO logogram", 12) && omb_furniture_line("Page 2 of 14", 12) &&
               omb_furniture_line("file:///home/me/Downloads/decision.html 1/3", 43) &&
               omb_furniture_line("02/12/2026, 09:14 Kent County Council (23 004 118)", 50) &&
               omb_furniture_line("We use cookies to make this site work.", 38),
           "logos, print links, page numbers, print headers and footers and cookie notices are furniture");
    TAP_OK(!omb_furniture_line("The Council will print a leaflet.", 33) && !omb_furniture_line("12.", 3) &&
               !omb_furniture_line("Page 3 of the report says the Council was at fault.", 51) &&
               !omb_furniture_line("The Council will review its cookie policy.", 42),
           "sentences that mention the same words are not");
    TAP_STR(dec("d.txt", "Summary: one\nPrint this page\nnext\n", 34, NULL), "Summary: one\n\nnext\n",
            "in plain text a furniture line is emptied, so line numbers stay the file's");
    TAP_STR(html("<html><body><p>one</p><p>Back to top</p><p>two</p></body></html>"), "one\n\ntwo\n",
            "in decoded HTML it is removed, with no second blank line");

    /* ---- sniffing ---- */
    TAP_STR(dec("x.doc", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0", 12, NULL),
            "ERROR: old binary Word document (.doc): save it as .docx or PDF and ingest that", "OLE magic: an old .doc");
    TAP_STR(dec("x.pdf", "%PDF-1.7\n1 0 obj\n", 17, NULL),
            "ERROR: truncated PDF: it does not end with the %%EOF marker (the download or copy stopped early?)",
            "a PDF with no end marker is truncated");
    TAP_STR(dec("x.docx", "PK\x03\x04garbage", 11, NULL), "ERROR: damaged ZIP (a .docx is one): Not a zip archive",
            "a cut ZIP is damaged");

    /* ---- .docx and PDF on the fixtures ---- */
    size_t n;
    char *raw = fixture("same/annex/annex.docx", &n);
    omb_decoded d;
    char err[512];
    TAP_OK(raw && omb_decode("annex.docx", raw, n, &d, note, sizeof note, err, sizeof err) == OMB_OK, "annex.docx decodes");
    if (raw) {
        TAP_STR(d.kind, "docx", "as a Word document");
        TAP_OK(strstr(d.text, "\tNature of complaint/decision\tRemedy\tService Improvement Recommendations\n") != NULL,
               "its header row is tab-separated cells");
        TAP_OK(strstr(d.text, "\n3.\t22011285 Children's Services - Child in need support and complaint handling.\t"
                              "Financial redress of \xC2\xA3" "250 for loss of service, \xC2\xA3" "125 for time and trouble.\t")
                   != NULL,
               "row 3 is one line of cells");
        TAP_OK(d.line_page == NULL && d.n_pages == 0, "a Word document has no pages");
        omb_decoded_free(&d);
        free(raw);
    }
    raw = fixture("same/minutes/minutes.docx", &n);
    TAP_OK(raw && omb_decode("m.docx", raw, n, &d, note, sizeof note, err, sizeof err) == OMB_OK, "minutes.docx decodes");
    if (raw) {
        TAP_OK(strstr(d.text, "subject to approval") == NULL && strstr(d.text, "Corporate Governance Committee - 17") == NULL,
               "its header and footer are left out");
        TAP_OK(strstr(d.text, "Background papers:\nOmbudsman final report dated 4 December 2023\n") != NULL,
               "a line break inside a paragraph is a new line");
        omb_decoded_free(&d);
        free(raw);
    }
    raw = fixture("same/annex/annex.pdf", &n);
    TAP_OK(raw && omb_decode("annex.pdf", raw, n, &d, note, sizeof note, err, sizeof err) == OMB_OK, "annex.pdf decodes");
    if (raw) {
        TAP_STR(d.kind, "pdf", "as a PDF");
        TAP_INT(d.n_pages, 3, "of three pages");
        TAP_OK(d.line_page && omb_decoded_page(&d, 1) == 1 && omb_decoded_page(&d, d.n_lines) == 3,
               "lines know their page: the first on 1, the last on 3");
        const char *p = d.text;
        int headers = 0;
        while ((p = strstr(p, "\tNature of complaint/decision\tRemedy\tService Improvement Recommendations\n"))) headers++, p++;
        TAP_INT(headers, 3, "the repeated header row is found on each page, in its columns");
        TAP_OK(strstr(d.text, "\n1.\t22011011 Adult Social Care - Charging for\tApology, Financial redress of \xC2\xA3"
                              "150 for avoidable\t") != NULL &&
                   strstr(d.text, "\n\tresidential care.\tdistress/time and trouble.\t") != NULL,
               "a row's cells are in their columns, wrapped lines too");
        omb_decoded_free(&d);
        /* the same file cut short */
        TAP_OK(omb_decode("annex.pdf", raw, n / 2, &d, note, sizeof note, err, sizeof err) == OMB_EPARSE &&
                   !strncmp(err, "truncated PDF", 13),
               "half of it is a truncated PDF");
        free(raw);
    }
    return tap_done();
}
