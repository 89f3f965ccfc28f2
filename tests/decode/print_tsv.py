#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# print_tsv.py -- prints a tab-separated table (a council annex as text, such
# as seed 002) as a PDF with cairo, the way a committee system prints one:
# each cell wrapped inside its column, the header row repeated at the top of
# every page, a title line above the table on the first page.  Used by
# tests/decode/seed002_pdf.sh at test time and by make_fixtures.py.  Lines
# that repeat the header, and blank lines, are the text's own page breaks and
# are not printed again.
#
# usage: print_tsv.py IN.txt OUT.pdf [--pages N]
import sys

import cairo

PAGE_W, PAGE_H = 842.0, 595.0  # A4 landscape, points
MARGIN = 30.0
COLS = [30.0, 62.0, 300.0, 560.0, 812.0]  # column edges: No., nature, remedy, improvements
PAD = 14.0  # space kept free at the right of each column
FONT = "DejaVu Sans"


def wrap(ctx, text, width):
    """Splits text into lines no wider than width (whole words)."""
    lines, cur = [], ""
    for word in text.split():
        trial = word if not cur else cur + " " + word
        if cur and ctx.text_extents(trial).x_advance > width:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    if cur:
        lines.append(cur)
    return lines


def main():
    args = sys.argv[1:]
    pages = 3
    if "--pages" in args:
        i = args.index("--pages")
        pages = int(args[i + 1])
        del args[i:i + 2]
    src, out = args
    with open(src, encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f]
    title = None
    header = None
    body = []
    for cells in rows:
        if not "".join(cells).strip():
            continue
        if len(cells) == 1:
            title = title or cells[0].strip()
            continue
        if "Nature of complaint" in "\t".join(cells):
            header = header or cells
            continue
        body.append(cells)
    # the font size that puts the table on the pages asked for
    size = 9.0
    while True:
        surface = cairo.PDFSurface(out, PAGE_W, PAGE_H)
        ctx = cairo.Context(surface)
        ctx.select_font_face(FONT, cairo.FONT_SLANT_NORMAL, cairo.FONT_WEIGHT_NORMAL)
        ctx.set_font_size(size)
        lead = size * 1.25

        def band(cells):
            out_lines = []
            for c in range(min(len(cells), len(COLS) - 1)):
                out_lines.append(wrap(ctx, cells[c], COLS[c + 1] - COLS[c] - PAD))
            return out_lines

        bands = [band(cells) for cells in body]
        head = band(header) if header else []
        per_page = int((PAGE_H - 2 * MARGIN) / lead)
        total = sum(max(len(x) for x in b) for b in bands)
        head_h = max(len(x) for x in head) if head else 0
        # spread the rows evenly over the pages: each page takes its share
        share = -(-total // pages)
        tallest = max(max(len(x) for x in b) for b in bands)
        # a page holds its share, and the band that starts last on it may
        # run on by its height; the title and the header come on top
        if share + tallest + head_h + 4 <= per_page or size < 4:
            break
        surface.finish()
        size -= 0.25
    y = MARGIN + lead
    page_lines = 0
    first = True

    def draw_band(b):
        nonlocal y
        for c, lines in enumerate(b):
            for k, line in enumerate(lines):
                ctx.move_to(COLS[c], y + k * lead)
                ctx.show_text(line)
        y += max(len(x) for x in b) * lead

    def new_page():
        nonlocal y, page_lines, first
        if not first:
            ctx.show_page()
        y = MARGIN + lead
        if first and title:
            ctx.move_to(COLS[0], y)
            ctx.show_text(title)
            y += 2 * lead
        first = False
        if head:
            draw_band(head)
            y += lead * 0.3
        page_lines = 0

    new_page()
    done = 0  # lines drawn so far
    page = 0
    for b in bands:
        h = max(len(x) for x in b)
        # the page a band goes on: its first line's share of the whole
        want = min(pages - 1, done * pages // total)
        if want > page:
            new_page()
            page = want
        draw_band(b)
        y += lead * 0.3
        done += h
    surface.finish()


if __name__ == "__main__":
    main()
