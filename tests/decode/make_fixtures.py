#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# make_fixtures.py -- writes the decode tests' documents that are not typed
# by hand, from the ones that are, with real producers: PDFs printed from the
# HTML pages by Chromium (headless) or drawn with cairo, Word files written
# with python-docx, the encrypted PDF with qpdf.  The results are committed,
# so `make check` needs none of these tools; run this again (from the source
# tree, Debian: chromium python3-cairo python3-docx qpdf) after changing a
# .txt or .html fixture.
#
#   same/decision/decision.{txt,html} -> decision.pdf           (Chromium)
#   same/listing/listing.{txt,html}   -> listing.pdf            (Chromium)
#   same/annex/annex.txt (written here) -> annex.pdf (cairo), annex.docx
#   same/minutes/minutes.txt          -> minutes.docx, minutes.pdf (Chromium)
#   bad/*: truncated, encrypted and scanned PDFs, a .docx ZIP bomb, a ZIP
#          that is not a .docx, an old .doc, truncated and malformed HTML
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import cairo
import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = os.path.dirname(os.path.abspath(__file__))
SAME = os.path.join(HERE, "same")
BAD = os.path.join(HERE, "bad")


def chromium_pdf(src_html, out_pdf):
    """Prints an HTML file to PDF the way a user's browser would."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--print-to-pdf=" + out_pdf,
                    "file://" + os.path.abspath(src_html)], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


# ---- the annex: 32 rows, facts in the layout of seed 002, our own words ----
SUBJECTS = [
    "Adult Social Care - Charging for residential care.",
    "Handling of Education, Health and Care Plan.",
    "Children's Services - Child in need support and complaint handling.",
    "Housing - Homelessness assessment and temporary accommodation.",
    "Adult Social Care - Hospital discharge and care package.",
    "School transport - Eligibility decision and appeal.",
    "Alternative Education Provision.",
    "Planning - Neighbour notification and enforcement.",
]
REMEDIES = [
    ("Apology, Financial redress of £{a} for avoidable distress/time and trouble.", 1),
    ("Apology", 0),
    ("Financial redress of £{a} for loss of service, £{b} for time and trouble.", 2),
    ("Apology, Financial redress of £{a} for uncertainty and frustration caused, £{b} for avoidable distress.", 2),
    ("The Council remedied the injustice before we completed our investigation. No further remedy proposed.", 0),
]
IMPROVEMENTS = [
    "The Council will remind its financial assessment officers to explain in writing how each charge has been worked out and to send the explanation within ten working days.",
    "N/A",
    "The Council will review how it tracks the twenty week deadline for issuing plans and report the number of late plans to its scrutiny committee every quarter.",
    "The Council has agreed to give housing officers guidance on when a suitability review must be offered, and to update its standard letters to say so.",
    "N/A",
    "The Council will audit a sample of transport appeals to check that panels are held within its published timescale and share the results with us.",
    "The Council will remind staff that it must arrange suitable full-time education for a child who cannot attend school, and record the reasons for any part-time arrangement.",
]


def annex_rows():
    rows = []
    for i in range(32):
        ref = "2%d0%05d" % (2 + i % 2, 11011 + 137 * i)
        subj = SUBJECTS[i % len(SUBJECTS)]
        text, k = REMEDIES[i % len(REMEDIES)]
        a = 150 + 50 * (i % 9)
        b = 75 + 25 * (i % 4)
        remedy = text.format(a=a, b=b)
        imp = IMPROVEMENTS[i % len(IMPROVEMENTS)]
        rows.append(("%d." % (i + 1), "%s %s" % (ref, subj), remedy, imp))
    return rows


HEADER = ("", "Nature of complaint/decision", "Remedy", "Service Improvement Recommendations")
TITLE = "Annex 1 - Complaints upheld by the Local Government and Social Care Ombudsman, 2023/24"


def write_annex():
    d = os.path.join(SAME, "annex")
    os.makedirs(d, exist_ok=True)
    rows = annex_rows()
    # the text as a PDF-to-text tool gives it for a 3-page annex: the header
    # again after each page break
    with open(os.path.join(d, "annex.txt"), "w", encoding="utf-8") as f:
        f.write(TITLE + "\n\n")
        for i, r in enumerate(rows):
            if i % 11 == 0:
                if i:
                    f.write("\n")
                f.write("\t".join(HEADER) + "\n")
            f.write("\t".join(r) + "\n")
    subprocess.run([sys.executable, os.path.join(HERE, "print_tsv.py"), os.path.join(d, "annex.txt"),
                    os.path.join(d, "annex.pdf"), "--pages", "3"], check=True)
    doc = docx.Document()
    doc.add_paragraph(TITLE)
    t = doc.add_table(rows=1, cols=4)
    t.style = "Table Grid"
    for c, h in enumerate(HEADER):
        t.rows[0].cells[c].text = h
    # the header row repeats at the top of each page (w:tblHeader)
    trPr = t.rows[0]._tr.get_or_add_trPr()
    th = OxmlElement("w:tblHeader")
    th.set(qn("w:val"), "true")
    trPr.append(th)
    for r in rows:
        cells = t.add_row().cells
        for c, v in enumerate(r):
            cells[c].text = v
    doc.save(os.path.join(d, "annex.docx"))


def paragraphs(path):
    with open(path, encoding="utf-8") as f:
        return [p.strip("\n") for p in f.read().split("\n\n") if p.strip()]


def write_minutes():
    d = os.path.join(SAME, "minutes")
    paras = paragraphs(os.path.join(d, "minutes.txt"))
    doc = docx.Document()
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    sec = doc.sections[0]
    sec.header.paragraphs[0].text = "Lancaster City Council - Corporate Governance Committee - 17 January 2024"
    sec.footer.paragraphs[0].text = "Page 1 of 1 - these minutes are subject to approval"
    for p in paras:
        lines = p.split("\n")
        if p == "MINUTES":
            doc.add_heading("MINUTES", level=1)
        elif re.match(r"^\d+\. ", p):
            doc.add_heading(p, level=2)
        else:
            para = doc.add_paragraph(lines[0])
            for extra in lines[1:]:
                run = para.add_run()
                run.add_break()
                para.add_run(extra)
    doc.save(os.path.join(d, "minutes.docx"))
    page = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>Minutes</title>",
            "<style>body{font-family:'DejaVu Sans',sans-serif;font-size:10.5pt;margin:2em} h1{font-size:14pt} h2{font-size:12pt}</style>",
            "</head><body>"]
    for p in paras:
        if p == "MINUTES":
            page.append("<h1>MINUTES</h1>")
        elif re.match(r"^\d+\. ", p):
            page.append("<h2>%s</h2>" % html.escape(p))
        else:
            page.append("<p>%s</p>" % "<br>".join(html.escape(l) for l in p.split("\n")))
    page.append("</body></html>")
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "minutes.html")
        with open(src, "w", encoding="utf-8") as f:
            f.write("\n".join(page))
        chromium_pdf(src, os.path.join(d, "minutes.pdf"))


def write_bad():
    os.makedirs(BAD, exist_ok=True)
    dec_pdf = os.path.join(SAME, "decision", "decision.pdf")
    with open(dec_pdf, "rb") as f:
        data = f.read()
    with open(os.path.join(BAD, "truncated.pdf"), "wb") as f:
        f.write(data[: len(data) * 2 // 3])
    subprocess.run(["qpdf", "--encrypt", "reader-pw", "owner-pw", "256", "--", dec_pdf,
                    os.path.join(BAD, "encrypted.pdf")], check=True)
    # a scan: one page that is only a picture of text
    img = cairo.ImageSurface(cairo.FORMAT_RGB24, 400, 120)
    ic = cairo.Context(img)
    ic.set_source_rgb(1, 1, 1)
    ic.paint()
    ic.set_source_rgb(0, 0, 0)
    ic.select_font_face("DejaVu Sans")
    ic.set_font_size(18)
    ic.move_to(20, 60)
    ic.show_text("Kent County Council (23 004 118)")
    s = cairo.PDFSurface(os.path.join(BAD, "scanned.pdf"), 595, 842)
    c = cairo.Context(s)
    c.set_source_surface(img, 50, 50)
    c.paint()
    s.finish()
    # a ZIP bomb: document.xml inflates to 200 MiB of blanks
    with zipfile.ZipFile(os.path.join(BAD, "bomb.docx"), "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", b"<?xml version='1.0'?>" + b" " * (200 << 20))
    with zipfile.ZipFile(os.path.join(BAD, "photos.docx"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("holiday/readme.txt", "A folder of photographs, zipped, and named .docx by mistake.\n")
    # an old binary Word file starts with the OLE compound-file signature
    with open(os.path.join(BAD, "old.doc"), "wb") as f:
        f.write(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + b"Kent County Council (23 004 118)" + bytes(480))
    dec_html = os.path.join(SAME, "decision", "decision.html")
    with open(dec_html, "rb") as f:
        page = f.read()
    # cut inside <head>: nothing of the page's text survives
    with open(os.path.join(BAD, "truncated_head.html"), "wb") as f:
        f.write(page[: page.index(b"<script>") + 40])
    # cut in the middle of the decision: what came before is readable
    with open(os.path.join(BAD, "truncated_body.html"), "wb") as f:
        f.write(page[: page.index(b"<h2>What I found")])
    with open(os.path.join(BAD, "malformed.html"), "wb") as f:
        f.write(b"<html><body><<<</p></div><table><td><tr>\x01\x02<li>>>\n</body")


def main():
    chromium_pdf(os.path.join(SAME, "decision", "decision.html"), os.path.join(SAME, "decision", "decision.pdf"))
    chromium_pdf(os.path.join(SAME, "listing", "listing.html"), os.path.join(SAME, "listing", "listing.pdf"))
    write_annex()
    write_minutes()
    write_bad()


if __name__ == "__main__":
    main()
