-- SPDX-License-Identifier: GPL-3.0-or-later
-- test_ingest.lua -- store:ingest: a directory, a list, the summary table,
-- failures, and re-ingesting.
local tap = require "tap"
local tmp = assert(os.getenv("OMBUDS_TEST_TMP"))
local fixtures = assert(os.getenv("OMBUDS_FIXTURES"))

-- a directory of two documents (the fixture directory also holds .expected files)
local dir = tmp .. "/docs"
os.execute("mkdir -p '" .. dir .. "'")
for _, name in ipairs{"upheld_two_payments.txt", "waiver_and_total.txt"} do
  local from = assert(io.open(fixtures .. "/" .. name, "rb"))
  local to = assert(io.open(dir .. "/" .. name, "wb"))
  to:write(from:read("a"))
  from:close()
  to:close()
end

local s <close> = ombuds.open(tmp .. "/ingest.db")
local sum = s:ingest(dir)
tap.is(sum.files, 2, "a directory is walked")
tap.is(sum.new, sum.files, "every document is new")
tap.is(sum.failed, 0, "none fails")
tap.is(s:count(), sum.cases, "the summary counts the cases stored")
tap.is(#sum.documents, sum.files, "one line per document")
tap.is(sum.documents[1].status, "new", "with its status")
tap.is(sum.documents[1].plugin, "decision_page", "and its plugin")
local again = s:ingest({fixtures .. "/upheld_two_payments.txt"})
tap.is(again.unchanged, 1, "re-ingesting a document changes nothing")

local junk = tmp .. "/junk.txt"
local f = assert(io.open(junk, "w"))
f:write("nothing an ombudsman wrote\n")
f:close()
local bad = s:ingest(junk)
tap.is(bad.failed, 1, "an unrecognised document fails")
tap.like(bad.failures[1].message, "no plugin recognises", "and says why")
tap.raises("no plugin of that name", "an unknown format is refused", s.ingest, s, junk, {format = "nope"})
tap.raises("bad argument #1 to 'ingest' (path or list of paths expected", "paths must be strings",
           function() return s:ingest(42) end)
tap.raises("the list of paths is empty", "an empty list is refused", s.ingest, s, {})
tap.done()
