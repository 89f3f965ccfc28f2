-- SPDX-License-Identifier: GPL-3.0-or-later
-- repeat_findings.lua -- Question: which councils have been found at fault
-- more than once on the same theme?
--
--   ombuds run scripts/repeat_findings.lua [MIN_CASES]
--
-- A finding is an upheld case; its theme is its category and subcategory
-- (e.g. "Education > Alternative provision").  Councils with at least
-- MIN_CASES (default 2) upheld cases on one theme are listed with the cases
-- and the service improvements they agreed, so you can see whether the same
-- promise was made twice.  Change theme() to group differently, say by a
-- word in the improvements.
--
-- Output is the same on a terminal and through a pipe: an improvement's
-- text, which can run to thousands of characters, is wrapped at WIDTH (100)
-- columns on word boundaries, continuation lines indented under it, so
-- nothing is cut and no line is longer than WIDTH unless a single word is.
-- For one record per line use `ombuds export` or the metric repeat_findings
-- with --format csv.
local WIDTH = 100
local min_cases = tonumber(arg and arg[1]) or 2

local function theme(case)
  if case.subcategory then return case.category .. " > " .. case.subcategory end
  return case.category or "(no category)"
end

-- text after prefix, words joined into lines of at most WIDTH characters
-- (counted in UTF-8 characters); later lines indented to the prefix's width
local function wrap(prefix, text)
  local lines, line = {}, prefix
  local indent = string.rep(" ", utf8.len(prefix) or #prefix)
  local fresh = true
  for word in tostring(text):gmatch("%S+") do
    local len = (utf8.len(line) or #line) + (fresh and 0 or 1) + (utf8.len(word) or #word)
    if not fresh and len > WIDTH then
      lines[#lines + 1] = line
      line, fresh = indent, true
    end
    line = line .. (fresh and "" or " ") .. word
    fresh = false
  end
  lines[#lines + 1] = line
  return table.concat(lines, "\n")
end

local groups, keys = {}, {}
for case in db:cases{outcome = "upheld"}:rows() do
  local key = (case.authority or "(authority unknown)") .. "\0" .. theme(case)
  local g = groups[key]
  if not g then
    g = {authority = case.authority or "(authority unknown)", theme = theme(case), cases = {}}
    groups[key] = g
    keys[#keys + 1] = key
  end
  g.cases[#g.cases + 1] = case
end

local repeats = {}
for _, key in ipairs(keys) do
  if #groups[key].cases >= min_cases then repeats[#repeats + 1] = groups[key] end
end
table.sort(repeats, function(a, b)
  if #a.cases ~= #b.cases then return #a.cases > #b.cases end
  if a.authority ~= b.authority then return a.authority < b.authority end
  return a.theme < b.theme
end)

if #repeats == 0 then
  print(string.format("No council has %d or more upheld cases on one theme in %s.", min_cases, db:path()))
  return
end
for _, g in ipairs(repeats) do
  print(string.format("%s: %d upheld cases on %s", g.authority, #g.cases, g.theme))
  for _, case in ipairs(g.cases) do
    print(string.format("  %s  %s", case.ref or "(unreferenced)", case.decision_date or "undated"))
    for _, imp in ipairs(case.improvements) do print(wrap("      agreed: ", imp.text)) end
  end
end
