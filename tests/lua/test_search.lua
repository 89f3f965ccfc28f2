-- SPDX-License-Identifier: GPL-3.0-or-later
-- test_search.lua -- db:search: ranked full-text search over summaries and
-- improvements with highlighted snippets.
local tap = require "tap"

local r = db:search("direct payments")
tap.ok(#r >= 1, "a search finds something")
tap.is(r[1].ref, "22 001 239", "the best match first")
tap.like(r[1].snippet, "%[direct%] %[payments?%]", "the snippet marks the words found")
tap.ok(r[1].kind == "summary" or r[1].kind == "improvement", "each hit says what text matched")
tap.ok(type(r[1].score) == "number", "hits carry a score")
local ordered = true
for i = 2, #r do ordered = ordered and r[i - 1].score >= r[i].score end
tap.ok(ordered, "hits are ranked")
tap.is(r:columns()[1], "ref", "search results have columns")
tap.is(#db:search("direct", {limit = 1}), 1, "limit=")
tap.ok(pcall(db.search, db, 'section-19 "don\'t" OR'), "punctuation is not query syntax")
tap.is(#db:search("zzzunfindable"), 0, "no hit is an empty result")
tap.raises("give at least one word", "an empty search is refused", db.search, db, "   ")
tap.raises("search: ", "raw FTS5 syntax errors are reported", db.search, db, "AND AND", {raw = true})
tap.done()
