-- SPDX-License-Identifier: GPL-3.0-or-later
-- league_table.lua -- Question: how do councils compare on upheld
-- complaints, uphold rate and redress paid?
--
--   ombuds run scripts/league_table.lua [YEAR] [--csv FILE]
--
-- One row per council: decisions, decided (upheld or not upheld), upheld,
-- the uphold rate, redress paid and cases where it agreed to improve a
-- service, ranked by upheld cases then money.  The uphold rate is the one
-- docs/metrics.md defines (upheld / (upheld + not upheld)), counted by the
-- metric functions is_upheld and is_decided rather than recomputed here.  Small numbers make rates jumpy: a council with two
-- decisions can show 100%.  With --csv FILE the table is also written as
-- CSV for a spreadsheet.
local year, csv_path
local i = 1
while arg and arg[i] do
  if arg[i] == "--csv" then
    csv_path = arg[i + 1]
    i = i + 2
  else
    year = tonumber(arg[i]) or error("expected a year such as 2023, not " .. arg[i])
    i = i + 1
  end
end

local league = db:query([[
  SELECT c.authority,
         count(*) AS decisions,
         sum(is_decided(c.outcome)) AS decided,
         sum(is_upheld(c.outcome)) AS upheld,
         CASE WHEN sum(is_decided(c.outcome)) > 0
              THEN printf('%.0f%%', 100.0 * sum(is_upheld(c.outcome)) / sum(is_decided(c.outcome))) END AS uphold_rate,
         sum(t.payment_pence) AS paid_pence,
         sum(EXISTS (SELECT 1 FROM case_improvements i WHERE i.case_id = c.id)) AS improving
  FROM cases c JOIN case_totals t ON t.case_id = c.id
  WHERE c.authority IS NOT NULL AND (?1 IS NULL OR c.year = ?1)
  GROUP BY c.authority
  ORDER BY upheld DESC, sum(t.payment_pence) DESC, c.authority]], year)

if #league == 0 then
  print("No decisions" .. (year and (" in " .. year) or "") .. " in " .. db:path())
  return
end
print("Council league table" .. (year and (", " .. year) or "") .. " (" .. db:path() .. ")")
league:print("table")
if csv_path then
  league:csv(csv_path)
  print("written to " .. csv_path)
end
