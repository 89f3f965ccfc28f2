-- SPDX-License-Identifier: GPL-3.0-or-later
-- repeat_findings.lua -- Question: which councils have agreed, in
-- different years, to put right the same thing?
--
--   ombuds run scripts/repeat_findings.lua [MIN_CASES]
--
-- The findings are the metric repeat_findings' (docs/metrics.md), so this
-- script and `ombuds metric repeat_findings` list the same themes: an
-- improvement subject ("complaint handling") or statutory reference
-- ("section 19 of the Education Act 1996") that recurs in at least two
-- cases of one council decided in at least two different years.  Themes
-- recurring in at least MIN_CASES (default 2; the metric's own floor is 2)
-- cases are listed, most cases first, each with its cases and the service
-- improvements on that theme they agreed, so you can see whether the same
-- promise was made twice.  Under them, the metric's coverage line says how
-- many cases were left out and why.  Change the filter in the loop below to
-- keep only subjects, or only one council.
--
-- Output is the same on a terminal and through a pipe: an improvement's
-- text, which can run to thousands of characters, is wrapped at WIDTH (100)
-- columns on word boundaries, continuation lines indented under it, so
-- nothing is cut and no line is longer than WIDTH unless a single word is.
-- For one record per line use `ombuds export` or the metric repeat_findings
-- with --format csv.
local WIDTH = 100
local min_cases = tonumber(arg and arg[1]) or 2
local M = ombuds.metrics

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

-- "21 000 001 (2021-03-10); 23 000 002 (2023-06-01)" -> {ref, date} pairs
local function case_list(text)
  local out = {}
  for item in (text or ""):gmatch("[^;]+") do
    local ref, date = item:match("^%s*(.-)%s+%(([^()]*)%)%s*$")
    if ref then out[#out + 1] = {ref = ref, date = date} end
  end
  return out
end

-- does an improvement's text carry this theme, by the metric's classifier?
local function on_theme(kind, theme, text)
  local found = kind == "reference" and M.statutory_refs(text) or M.improvement_subject(text)
  for name in (found or ""):gmatch("[^;]+") do
    if name:match("^%s*(.-)%s*$") == theme then return true end
  end
  return false
end

local t = M.repeat_findings(nil)
local repeats = {}
for _, r in ipairs(t:rows()) do
  if r.n_cases >= min_cases then repeats[#repeats + 1] = r end
end
table.sort(repeats, function(a, b)
  if a.n_cases ~= b.n_cases then return a.n_cases > b.n_cases end
  if a.authority ~= b.authority then return a.authority < b.authority end
  if a.kind ~= b.kind then return a.kind > b.kind end -- subjects before references
  return a.theme < b.theme
end)

if #repeats == 0 then
  print(string.format("No council agreed to put right one theme in %d or more cases in different years in %s.",
                      math.max(min_cases, 2), db:path()))
else
  for _, r in ipairs(repeats) do
    print(wrap("", string.format("%s: %d cases in %s on %s (%s)", r.authority, r.n_cases, r.years, r.theme, r.kind)))
    for _, c in ipairs(case_list(r.cases)) do
      print(string.format("  %s  %s", c.ref, c.date))
      local case = c.ref ~= "(unreferenced)" and db:case(c.ref) or nil
      for _, imp in ipairs(case and case.improvements or {}) do
        if on_theme(r.kind, r.theme, imp.text) then print(wrap("      agreed: ", imp.text)) end
      end
    end
  end
end
for _, line in ipairs(t:coverage_text()) do print("coverage: " .. line) end
