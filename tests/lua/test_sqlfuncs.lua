-- SPDX-License-Identifier: GPL-3.0-or-later
-- test_sqlfuncs.lua -- db:query has the SQL functions of `ombuds sql` (and of
-- the SQLite extension ombuds.so): pounds() and the other metric functions,
-- median() and percentile(), checked against figures counted here in Lua.
local tap = require "tap"

local r = db:query("SELECT pounds(123450) AS a, pounds(-1200) AS b, pounds(NULL) AS c")
tap.is(r[1].a, "£1,234.50", "pounds() in store:query")
tap.is(r[1].b, "-£12.00", "pounds() of a negative amount")
tap.is(r[1].c, nil, "pounds(NULL) is NULL")
tap.raises("pounds(): argument 1 (pence): expected an integer", "pounds('abc') is an SQL error naming the argument",
  db.query, db, "SELECT pounds('abc')")

-- uphold_share(category, year) in SQL, the Lua metric, and a count here agree
local g = db:query("SELECT category, year FROM cases WHERE outcome IN ('upheld', 'not upheld')" ..
                   " AND category IS NOT NULL AND year IS NOT NULL ORDER BY category, year LIMIT 1")[1]
tap.ok(g ~= nil, "the fixtures have a decided case with a category and year")
local upheld, decided = 0, 0
for _, c in ipairs(db:query("SELECT category, year, outcome FROM cases")) do
  if c.category == g.category and c.year == g.year then
    if c.outcome == "upheld" then upheld = upheld + 1 end
    if c.outcome == "upheld" or c.outcome == "not upheld" then decided = decided + 1 end
  end
end
local sql = db:query("SELECT uphold_share(?, ?) AS u", g.category, g.year)[1].u
tap.is(sql, upheld / decided, "uphold_share() in SQL is upheld / decided counted here")
tap.is(sql, ombuds.metrics.uphold_share(g.category, g.year), "and the Lua metric's figure")

-- median() over every case's number of sources, and the same counted here
local n = {}
for _, c in ipairs(db:query("SELECT count(*) AS k FROM case_sources GROUP BY case_id")) do n[#n + 1] = c.k end
table.sort(n)
local mid = #n % 2 == 1 and n[(#n + 1) // 2] or (n[#n // 2] + n[#n // 2 + 1]) / 2
tap.is(db:query("SELECT median(k) AS m FROM (SELECT count(*) AS k FROM case_sources GROUP BY case_id)")[1].m, mid + 0.0,
  "median() in store:query")
tap.done()
