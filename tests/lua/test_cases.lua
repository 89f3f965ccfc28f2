-- SPDX-License-Identifier: GPL-3.0-or-later
-- test_cases.lua -- case objects: db:case(ref), db:cases{filters}, their
-- remedies, improvements, events and sources, and how they print.
local tap = require "tap"

local c = db:case("22001239")
tap.ok(c ~= nil, "db:case finds a case from its digits")
tap.is(c.ref, "22 001 239", "ref in the store's form")
tap.is(c.authority, "Hampshire County Council", "authority")
tap.is(c.category, "Adult care services", "category")
tap.is(c.subcategory, "Direct payments", "subcategory")
tap.is(c.outcome, "upheld", "outcome")
tap.is(c.decision_date, "2023-01-20", "decision date")
tap.is(c.year, 2023, "year")
tap.like(c.summary, "^Mrs B says", "summary")
tap.is(#c.remedies, 3, "three remedies")
tap.is(c.remedies[1].kind, "apology", "the first is the apology")
tap.is(c.remedies[2].amount_pence, 50000, "money in pence")
tap.is(math.type(c.remedies[3].amount_pence), "integer", "pence are integers")
tap.is(c.payment_total_pence, 323650, "payment total")
tap.is(#c.improvements, 2, "two service improvements")
tap.like(c.improvements[1].text, "remind staff", "improvement text")
tap.is(type(c.events), "table", "events is a list")
tap.is(c.sources[1].plugin, "decision_page", "provenance: the plugin")
tap.like(c.sources[1].path, "upheld_two_payments%.txt$", "provenance: the document")
tap.is(math.type(c.sources[1].line), "integer", "provenance: the line")
tap.like(tostring(c), "^ombuds%.Case 22 001 239 %(Hampshire County Council, 2023%-01%-20, upheld%)$",
         "tostring of a case")
tap.is(db:case("99 999 999"), nil, "an unknown reference is nil")
tap.is(db:case("22 001 239").ref, "22 001 239", "spaced references work too")

local all = db:cases()
tap.is(#all, db:count(), "db:cases() returns every case")
tap.like(tostring(all[1]), "^ombuds%.Case", "its rows are cases")
local h = db:cases{authority = "hampshire county council"}
tap.is(#h, 1, "authority matches without regard to case")
tap.is(h[1].ref, "22 001 239", "and finds the case")
local y = db:cases{year = 2023, outcome = "upheld"}
local ok = #y > 0
for case in y:rows() do ok = ok and case.year == 2023 and case.outcome == "upheld" end
tap.ok(ok, "year and outcome filters combine")
local t = db:cases{text = "direct payments"}
local found = false
for case in t:rows() do found = found or case.ref == "22 001 239" end
tap.ok(found, "text= searches summaries and improvements")
tap.ok(#db:cases{limit = 2} <= 2, "limit= bounds the list")
tap.is(#db:cases{category = "No such category"}, 0, "no match is an empty result")
tap.raises("unknown filter 'colour'", "unknown filters are refused", db.cases, db, {colour = "red"})
tap.raises("year must be an integer", "year must be a number", db.cases, db, {year = "2023"})
tap.raises("bad argument #1 to 'cases'", "the filter must be a table", function() return db:cases("Kent") end)

local shown = ombuds.pretty(all, {width = 200})
tap.like(shown, "%(" .. #all .. " rows?%)\n$", "a case list prints as a table with a row count")
tap.like(shown, "^ref%s+decision_date", "with the case columns")
local one = ombuds.pretty(c, {width = 200})
tap.like(one, "^22 001 239  Hampshire County Council\n", "a case prints as a record")
tap.like(one, "payment £500%.00", "with its remedies in pounds")
tap.like(one, "upheld_two_payments%.txt:%d+ %(decision_page%)", "and its sources")
local json = ombuds.parse_json(db:cases{authority = "Hampshire County Council"}:json())
tap.is(json[1].remedies[2].amount_pence, 50000, "cases:json() carries the nested remedies")
tap.done()
