/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli_help.c -- `ombuds COMMAND --help` for the commands that parse their
 * options with getopt: usage, every option, one example.  Kept together so
 * they read alike and tests/cli/help.sh can hold them against ombuds(1);
 * `metric`, `report` and `run` print their own (they forward other words).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The filters `cases` and `export` share (parse_filter in cli_cases.c). */
#define FILTER_OPTIONS \
    "  --authority NAME    the council, in any spelling the register knows\n" \
    "  --category C        e.g. \"Education\"\n" \
    "  --subcategory S     e.g. \"Special educational needs\"\n" \
    "  --outcome O         upheld, not upheld, ...\n" \
    "  --year YYYY         decided in that year\n" \
    "  --from YYYY-MM-DD   decided on or after\n" \
    "  --to YYYY-MM-DD     decided on or before\n" \
    "  --search TEXT       full text: every word must appear\n"

static const struct {
    const char *name;
    const char *text;
} helps[] = {
    {"ingest",
     "usage: ombuds ingest [--format NAME] [--authority NAME] [--batch N] [--dry-run] [--quiet] PATH...\n"
     "\n"
     "Reads documents (directories recursively) into the store, creating it if\n"
     "needed.  One line per file (new, updated, unchanged, failed), then a summary.\n"
     "The options a document is read with are part of it: the same file read again\n"
     "with another --format or --authority is re-read and replaces what it gave.\n"
     "\n"
     "options:\n"
     "  --format NAME       read every file with this plugin (see ombuds plugins)\n"
     "  --authority NAME    the council, for documents that do not name it\n"
     "  --batch N           documents per transaction (default 5000)\n"
     "  --dry-run, -n       read and parse, report, store nothing, create no store\n"
     "  --quiet, -q         print only failures and the summary\n"
     "  --help, -h          this help\n"
     "\n"
     "example:\n"
     "  ombuds ingest --authority \"Worcestershire County Council\" annex-2023.pdf\n"},
    {"plugins",
     "usage: ombuds plugins\n"
     "\n"
     "Lists the plugins found (name, kind, version, ABI, file, description) and\n"
     "those that failed to load, with the reason.\n"
     "\n"
     "options:\n"
     "  --help, -h          this help\n"
     "\n"
     "example:\n"
     "  ombuds --plugin-dir ./myplugin plugins\n"},
    {"sql",
     "usage: ombuds sql [--format table|csv|json] SQL [PARAM...]\n"
     "\n"
     "Runs read-only SQL on the store; PARAMs bind to ?1, ?2, ...  The metric\n"
     "functions and pounds(), median(), percentile() are SQL functions here.\n"
     "\n"
     "options:\n"
     "  --format F          table (default on a terminal), csv (default in a pipe) or json\n"
     "  --help, -h          this help\n"
     "\n"
     "example:\n"
     "  ombuds sql \"SELECT outcome, count(*) FROM cases WHERE authority = ?1 GROUP BY 1\" \"Somerset Council\"\n"},
    {"cases",
     "usage: ombuds cases [FILTER...] [--format table|csv|json]\n"
     "\n"
     "Lists the cases that match, with their payments, remedies and improvements.\n"
     "\n"
     "options:\n"
     FILTER_OPTIONS
     "  --format F          table (default on a terminal), csv (default in a pipe) or json\n"
     "  --help, -h          this help\n"
     "\n"
     "example:\n"
     "  ombuds cases --authority \"Worcestershire CC\" --subcategory \"Special educational needs\" --from 2023-04-01\n"},
    {"export",
     "usage: ombuds export [FILTER...] [--format jsonl|csv] [--out FILE]\n"
     "\n"
     "Writes every case that matches with everything known about it (docs/export.md).\n"
     "\n"
     "options:\n"
     FILTER_OPTIONS
     "  --format F          jsonl (default) or csv\n"
     "  --out FILE          write to FILE instead of standard output\n"
     "  --help, -h          this help\n"
     "\n"
     "example:\n"
     "  ombuds export --format csv --outcome upheld --year 2023 --out upheld-2023.csv\n"},
    {"parse",
     "usage: ombuds parse [--format NAME] [--authority NAME] FILE\n"
     "\n"
     "Shows what a plugin reads from FILE (cases, values, warnings), storing nothing.\n"
     "\n"
     "options:\n"
     "  --format NAME       use this plugin instead of detecting one\n"
     "  --authority NAME    the council, for documents that do not name it\n"
     "  --help, -h          this help\n"
     "\n"
     "example:\n"
     "  ombuds parse --format si_listing listing.html\n"},
    {"forget",
     "usage: ombuds forget PATH...\n"
     "\n"
     "Removes what each stored document contributed: a case that only it supported\n"
     "goes, other cases lose only its values and are merged again from the rest.\n"
     "Each document is one transaction.  PATH is the path the document was ingested\n"
     "under (or the same file named another way).  To read a document again with\n"
     "other options, ingest it again with them instead.\n"
     "\n"
     "options:\n"
     "  --help, -h          this help\n"
     "\n"
     "example:\n"
     "  ombuds forget decisions/22-011-234.html\n"},
    {"decode",
     "usage: ombuds decode FILE\n"
     "\n"
     "Prints the text the plugins read from FILE: a saved web page, a PDF, a .docx\n"
     "or a text file.  PDF pages are separated by a form feed.\n"
     "\n"
     "options:\n"
     "  --help, -h          this help\n"
     "\n"
     "example:\n"
     "  ombuds decode annual-letter.pdf | less\n"},
    {"authorities",
     "usage: ombuds authorities [--unmatched | --lineage] [--load FILE.tsv] [--load-subjects FILE.tsv]\n"
     "                          [--load-population FILE.csv] [--format table|csv|json]\n"
     "\n"
     "Shows the authority register; with an option, the names it does not know,\n"
     "reorganisations, or loads more entries.\n"
     "\n"
     "options:\n"
     "  --unmatched         authority names in cases that the register does not know\n"
     "  --lineage           councils that were merged or renamed, and into what\n"
     "  --load FILE         add register entries (name, type, spellings; TSV)\n"
     "  --load-subjects FILE  add council subject headings mapped to categories (TSV)\n"
     "  --load-population FILE.csv  add population figures\n"
     "  --format F          table, csv or json\n"
     "  --help, -h          this help\n"
     "\n"
     "example:\n"
     "  ombuds authorities --unmatched\n"},
    {"new-plugin",
     "usage: ombuds new-plugin NAME [--kind source|metric] [--dir DIR]\n"
     "\n"
     "Writes a starting plugin: its C file, a Makefile, a fixture and a test.\n"
     "\n"
     "options:\n"
     "  --kind K            source (reads documents; default) or metric (computes figures)\n"
     "  --dir DIR           where to create NAME/ (default: the current folder)\n"
     "  --help, -h          this help\n"
     "\n"
     "example:\n"
     "  ombuds new-plugin committee_minutes --kind source\n"},
};

const char *omb_cli_help_text(const char *command)
{
    for (size_t i = 0; i < sizeof helps / sizeof helps[0]; i++)
        if (!strcmp(helps[i].name, command)) return helps[i].text;
    return NULL;
}

int omb_cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) break;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return 1;
    }
    return 0;
}
