-- SPDX-License-Identifier: GPL-3.0-or-later
-- section19.lua -- Question: which cases involve section 19 alternative
-- provision (a council's duty, under section 19 of the Education Act 1996,
-- to arrange education for a child who cannot attend school), and what
-- did councils agree to do about them?
--
--   ombuds run scripts/section19.lua
--
-- It searches summaries and service improvements for "section 19" and for
-- "alternative provision", then lists each case once with its council, date,
-- outcome, the payments agreed and why, and any service improvements,
-- ending with the totals.  Add phrases to `searches` to widen the net.
local searches = {"section 19", "alternative provision", "education other than at school"}

local seen, found = {}, {}
for _, phrase in ipairs(searches) do
  for hit in db:search(phrase, {limit = 1000}):rows() do
    if hit.ref and not seen[hit.ref] then
      seen[hit.ref] = true
      local case = db:case(hit.ref)
      if case then found[#found + 1] = case end
    end
  end
end
table.sort(found, function(a, b) return (a.decision_date or "") < (b.decision_date or "") end)

if #found == 0 then
  print("No cases mention section 19 or alternative provision in " .. db:path())
  return
end
local total, paid_cases = 0, 0
for _, c in ipairs(found) do
  print(string.format("%s  %s  %s  %s", c.ref, c.decision_date or "undated", c.authority or "?", c.outcome))
  for _, r in ipairs(c.remedies) do
    if r.kind == "payment" and r.amount_pence then
      print(string.format("    pay %s  %s", ombuds.pounds(r.amount_pence), table.concat(r.purposes or {}, ", ")))
    end
  end
  for _, imp in ipairs(c.improvements) do print("    improve: " .. imp.text) end
  total = total + (c.payment_total_pence or 0)
  if (c.payment_total_pence or 0) > 0 then paid_cases = paid_cases + 1 end
end
print(string.format("\n%d case%s; %d with payments totalling %s", #found, #found == 1 and "" or "s", paid_cases,
                    ombuds.pounds(total)))
