-- SPDX-License-Identifier: GPL-3.0-or-later
-- test_ingest.lua -- store:ingest: a directory, a list, the summary table
-- (counting cases, not mentions), failures, and re-ingesting.
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

-- cases, not mentions: a second document about the same case (22 001 239,
-- another outcome) and a third about another case are three mentions of
-- two cases, and the summary says two, as `ombuds ingest` does
local function write(path, text)
  local out = assert(io.open(path, "wb"))
  out:write(text)
  out:close()
end
local function read(path)
  local from = assert(io.open(path, "rb"))
  local text = from:read("a")
  from:close()
  return text
end
local page = read(fixtures .. "/upheld_two_payments.txt")
local other, k = page:gsub("\nDecision : Upheld", "\nDecision : Not upheld")
tap.is(k, 1, "the second document differs from the first in its outcome only")
local two = tmp .. "/two"
os.execute("mkdir -p '" .. two .. "'")
write(two .. "/a.txt", page)
write(two .. "/b.txt", other)
write(two .. "/c.txt", read(fixtures .. "/waiver_and_total.txt"))
local m <close> = ombuds.open(tmp .. "/mentions.db")
local both = m:ingest(two)
local mentions = 0
for _, d in ipairs(both.documents) do mentions = mentions + d.cases end
tap.is(both.new, 3, "three documents are new")
tap.is(mentions, 3, "they mention a case each (two the same one)")
tap.is(m:count(), 2, "the store holds two cases")
tap.is(both.cases, 2, "and the summary counts two cases, not three mentions")
write(two .. "/b.txt", other .. "\n")
local upd = m:ingest({two .. "/a.txt", two .. "/b.txt"})
tap.is(upd.updated .. " updated, " .. upd.unchanged .. " unchanged", "1 updated, 1 unchanged",
       "a changed document is re-read, the other is not")
tap.is(upd.cases, 1, "the summary counts the case the re-read document supports")

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
