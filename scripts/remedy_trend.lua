-- SPDX-License-Identifier: GPL-3.0-or-later
-- remedy_trend.lua -- Question: how much financial redress do councils agree
-- to pay in each complaint category, year by year, and is it rising or
-- falling?
--
--   ombuds run scripts/remedy_trend.lua [CATEGORY]
--
-- For each category (or only CATEGORY) it prints cases decided, cases with a
-- payment and the total and average paid per year, then the trend: the
-- least-squares slope of the yearly total in pounds per year.  Copy it and
-- change the query (say, to subcategory or to upheld cases only) to ask
-- your own version of the question.
local only = arg and arg[1]

local rows = db:query([[
  SELECT c.category, c.year, count(*) AS cases,
         sum(t.payment_pence > 0) AS paid_cases,
         sum(t.payment_pence) AS paid_pence
  FROM cases c JOIN case_totals t ON t.case_id = c.id
  WHERE c.year IS NOT NULL AND c.category IS NOT NULL
    AND (?1 IS NULL OR c.category = ?1 COLLATE NOCASE)
  GROUP BY c.category, c.year
  ORDER BY c.category, c.year]], only)

local pounds = ombuds.pounds -- "£1,234.50", the one money format

-- Slope of y over x by least squares; nil with fewer than two points.
local function slope(xs, ys)
  local n = #xs
  if n < 2 then return nil end
  local sx, sy, sxx, sxy = 0, 0, 0, 0
  for i = 1, n do
    sx, sy = sx + xs[i], sy + ys[i]
    sxx, sxy = sxx + xs[i] * xs[i], sxy + xs[i] * ys[i]
  end
  local d = n * sxx - sx * sx
  if d == 0 then return nil end
  return (n * sxy - sx * sy) / d
end

local by_category, order = {}, {}
for r in rows:rows() do
  local c = by_category[r.category]
  if not c then
    c = {years = {}, totals = {}}
    by_category[r.category] = c
    order[#order + 1] = r.category
  end
  c[#c + 1] = r
  c.years[#c.years + 1] = r.year
  c.totals[#c.totals + 1] = r.paid_pence / 100
end

if #order == 0 then
  print("No dated, categorised cases in " .. db:path() .. (only and (" for " .. only) or ""))
  return
end
for _, name in ipairs(order) do
  local c = by_category[name]
  print(name)
  print(string.format("  %-6s %6s %6s %14s %12s", "year", "cases", "paid", "total", "average"))
  for _, r in ipairs(c) do
    local avg = r.paid_cases > 0 and pounds(r.paid_pence / r.paid_cases) or "-"
    print(string.format("  %-6d %6d %6d %14s %12s", r.year, r.cases, r.paid_cases, pounds(r.paid_pence), avg))
  end
  local s = slope(c.years, c.totals)
  if s then
    local word = s > 0.5 and "rising" or s < -0.5 and "falling" or "flat"
    print(string.format("  trend: %s, %+.2f pounds a year\n", word, s))
  else
    print("  trend: one year only\n")
  end
end
