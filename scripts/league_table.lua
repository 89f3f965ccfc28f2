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
-- metric functions is_upheld and is_decided rather than recomputed here;
-- redress paid is case_totals.payment_pence, remedy_per_category's total.
-- Cases without a decision date count when no YEAR is given; a coverage
-- line under the table says how many cases name no council and are left
-- out.  Small numbers make rates jumpy: a council with two decisions can
-- show 100%.  With --csv FILE the table is also written as
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
-- what the table leaves out, in the words the metrics use under theirs
local cov = db:query([[SELECT count(*) AS n, coalesce(sum(authority IS NULL), 0) AS lacking FROM cases
                       WHERE ?1 IS NULL OR year = ?1]], year)[1]
local used = cov.n - cov.lacking
print(string.format("coverage: %d case%s used; %d left out%s", used, used == 1 and "" or "s", cov.lacking,
                    cov.lacking > 0 and " for lacking an authority" or ""))
if year then
  local undated = db:query("SELECT count(*) AS n FROM cases WHERE year IS NULL")[1].n
  if undated > 0 then
    print(string.format("note: %d case%s without a decision date %s in no year", undated, undated == 1 and "" or "s",
                        undated == 1 and "is" or "are"))
  end
end
if csv_path then
  league:csv(csv_path)
  print("written to " .. csv_path)
end
