-- SPDX-License-Identifier: GPL-3.0-or-later
-- decision_list.lua -- a source-format plugin written in Lua: the ombudsman's
-- decision search results ("Decisions", "Showing 1 - 20 of 312 decisions"),
-- one block per decision:
--
--     Cheshire East Council (23 012 870)
--     Statement Upheld Disabled children 25-Apr-2024
--     Summary: ... The Council has agreed to apologise and pay Mrs J £400.
--
-- The row gives only the sub-category; the core fills in the category it
-- belongs to.  The core also normalises the reference, outcome and date and
-- reads the remedy from the summary.  It is the worked example of
-- docs/plugin-api.md: copy it to ~/.local/lib/ombuds/plugins to adapt it.

-- Outcomes as the list writes them, longest first so "Not upheld" wins over
-- "Upheld" (Lua patterns, matched at the start of the rest of the row).
local outcomes = {
  "Closed after initial enquiries", "Referred back for local resolution",
  "Upheld: maladministration and injustice", "Upheld: maladministration, no injustice",
  "Not upheld: no maladministration", "Not upheld", "Upheld", "Withdrawn", "Premature",
  "Advice given", "Incomplete/Invalid",
}

-- "Statement Upheld Disabled children 25-Apr-2024" -> outcome, sub-category, date
local function read_row(line)
  local kind, rest = line:match("^(%a+)%s+(.+)$")
  if kind ~= "Statement" and kind ~= "Report" then return nil end
  local body, date = rest:match("^(.-)%s+(%d%d?%-%a%a%a%-%d%d%d%d)$")
  if not body then body, date = rest:match("^(.-)%s+(%d%d? %a+ %d%d%d%d)$") end
  if not body then return nil end
  for _, o in ipairs(outcomes) do
    if body:sub(1, #o):lower() == o:lower() then
      local sub = body:sub(#o + 1):match("^%s*(.-)%s*$")
      return o, sub, date
    end
  end
  return nil
end

-- the title line of a block: "Council name (23 012 870)"
local function read_title(line)
  return line:match("^%s*(.-)%s+%((%d%d[ %-]?%d%d%d[ %-]?%d%d%d)%)%s*$")
end

local function lines(text)
  local t = {}
  for l in (text .. "\n"):gmatch("(.-)\n") do t[#t + 1] = l end
  return t
end

return {
  name = "decision_list",
  version = "1.0",
  description = "Ombudsman decision search results: one 'Statement Upheld <sub-category> <date>' block per case (Lua)",
  rank = 72,

  probe = function(text, filename)
    if filename:lower():match("%.csv$") then return 0 end
    -- service-improvement pages and decision pages belong to other plugins
    if text:find("Decision date", 1, true) or text:find("service improvement", 1, true)
      or text:find("Service improvement", 1, true) or text:find("Case Ref:", 1, true) then
      return 0
    end
    -- every document is probed: a plain search rules most out at once,
    -- and only lines that could be a row or a title meet the patterns
    if not (text:find("Statement ", 1, true) or text:find("Report ", 1, true)) then return 0 end
    local rows, titles = 0, 0
    for l in text:sub(1, 20000):gmatch("[^\n]+") do
      if l:find("^%s*[SR]") and read_row(l:match("^%s*(.-)%s*$")) then rows = rows + 1 end
      if l:find("%)%s*$") and read_title(l) then titles = titles + 1 end
    end
    if rows == 0 or titles == 0 then return 0 end
    local score = 60
    if text:find("Showing %d+ %- %d+ of [%d,]+ decisions") then score = score + 30 end
    if text:find("^%s*Decisions") then score = score + 5 end
    return score
  end,

  parse = function(text, emit, doc)
    local ls = lines(text)
    for i, l in ipairs(ls) do
      local a, b, total = l:match("Showing (%d+) %- (%d+) of ([%d,]+) decisions")
      if a then
        local shown, all = tonumber(b) - tonumber(a) + 1, tonumber((total:gsub(",", "")))
        doc.note("listing_shown", tostring(shown), i)
        doc.note("listing_total", tostring(all), i)
        doc.note("listing_partial", shown < all and "yes" or "no", i)
        break
      end
    end
    local found = 0
    local i = 1
    while i <= #ls do
      local authority, ref = read_title(ls[i])
      if authority then
        local case = { ref = ref, authority = authority, line = i }
        -- the row and the summary follow within a few lines
        local j = i + 1
        while j <= #ls and j <= i + 8 and not read_title(ls[j]) do
          local l = ls[j]:match("^%s*(.-)%s*$")
          local outcome, sub, date = read_row(l)
          if outcome then
            case.outcome, case.decision_date = outcome, date
            if sub ~= "" then case.subcategory = sub end
            case.lines = case.lines or {}
            case.lines.outcome, case.lines.subcategory, case.lines.decision_date = j, j, j
          elseif l:match("^Summary:") then
            -- a summary may wrap onto the following lines
            local s, k = l:gsub("^Summary:%s*", ""), j + 1
            while k <= #ls and ls[k]:match("%S") and not read_title(ls[k]) do
              s = s .. " " .. ls[k]:match("^%s*(.-)%s*$"); k = k + 1
            end
            case.summary = s
            case.lines = case.lines or {}
            case.lines.summary = j
            -- the remedy is what the council agreed to, not the complaint
            local agreed = s:find("agreed to", 1, true) or s:find("recommend", 1, true)
            if agreed then case.remedy_text, case.remedy_line = s:sub(agreed), j end
          end
          j = j + 1
        end
        if not case.outcome then
          doc.warn(i, "expected a line such as \"Statement Upheld Disabled children 25-Apr-2024\" after the title")
        end
        emit(case)
        found = found + 1
        i = j
      else
        i = i + 1
      end
    end
    if found == 0 then error("expected at least one decision such as \"Council name (23 012 870)\"") end
  end,
}
