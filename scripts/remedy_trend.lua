-- SPDX-License-Identifier: GPL-3.0-or-later
-- remedy_trend.lua -- Question: how much financial redress do councils agree
-- to pay in each complaint category, year by year, and is it rising or
-- falling?
--
--   ombuds run scripts/remedy_trend.lua [CATEGORY]
--
-- For each category (or only CATEGORY) it prints cases decided, cases with a
-- payment and the total and average paid per year, then the trend: the
-- least-squares slope of the yearly total, in pounds a year.  Every figure
-- is the metric remedy_per_category's (docs/metrics.md), so this script,
-- `ombuds metric remedy_per_category` and the console agree: the average is
-- over cases with a payment, to the penny; the trend runs over every year
-- of the store's period (a year with no case counts £0) and needs two years
-- with cases ("one year only" otherwise); cases without a decision date are
-- shown as "undated" rather than dropped.  Under the figures, the metric's
-- coverage line says how many cases were left out and why.  Copy it and
-- pick another grouping (remedy_per_category("subcategory"), "authority",
-- "purpose") to ask your own version of the question.
local only = arg and arg[1]

local t = ombuds.metrics.remedy_per_category("category")
local pounds = ombuds.pounds -- "£1,234.50", the one money format

local by_category, order = {}, {}
for _, r in ipairs(t:rows()) do
  if not only or r.category:lower() == only:lower() then
    local c = by_category[r.category]
    if not c then
      c = {trend = r.trend_pence_per_year}
      by_category[r.category] = c
      order[#order + 1] = r.category
    end
    c[#c + 1] = r
  end
end

if #order == 0 then
  print("No categorised cases in " .. db:path() .. (only and (" for " .. only) or ""))
  return
end
for _, name in ipairs(order) do
  local c = by_category[name]
  print(name)
  print(string.format("  %-8s %6s %6s %14s %12s", "year", "cases", "paid", "total", "average"))
  for _, r in ipairs(c) do
    print(string.format("  %-8s %6d %6d %14s %12s", r.year or "undated", r.n_cases, r.n_with_payment,
                        pounds(r.total_pence), r.mean_pence and pounds(r.mean_pence) or "-"))
  end
  local s, dated = c.trend, 0
  for _, r in ipairs(c) do if r.year then dated = dated + 1 end end
  if dated == 0 then
    print("  trend: no dated cases\n")
  elseif s then
    local word = s > 50 and "rising" or s < -50 and "falling" or "flat"
    print(string.format("  trend: %s, %s%s a year\n", word, s > 0 and "+" or "", pounds(s)))
  else
    print("  trend: one year only\n")
  end
end
for _, line in ipairs(t:coverage_text()) do print("coverage: " .. line) end
