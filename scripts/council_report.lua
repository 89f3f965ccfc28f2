-- SPDX-License-Identifier: GPL-3.0-or-later
-- council_report.lua -- Question: what did the ombudsman decide about our
-- council this year, what did we agree to put right, and did we do it on
-- time?  The annual complaints report a complaints officer hands to a
-- scrutiny or audit committee, as one HTML file (inline CSS and SVG, no
-- scripts, nothing fetched from anywhere), readable offline and printable
-- on A4.
--
--   ombuds report --authority NAME [--year YYYY | --from DATE --to DATE] [--out FILE.html]
--   ombuds run scripts/council_report.lua --authority NAME [...]     (the same)
--
-- Sections: 1 headline figures beside the previous period, with the uphold
-- rate of all authorities of the same type in the store; 2 redress by
-- category (chart and table); 3 the annex: every upheld case, one row each;
-- 4 service improvements by theme, recurring themes flagged; 5 compliance:
-- late remedies and public reports; 6 coverage: where the figures come from
-- and what is known to be missing.
--
-- Periods.  Without --year or --from/--to: the most recent complete
-- calendar year with decisions.  A case without a decision date counts in
-- the period of the document that reported it when that document carries a
-- date (a meeting, article or report date, or a year in its title or file
-- name; a bare year counts as 1 July of that year).  A store whose cases
-- carry no dates at all is reported whole, and the report says so.
--
-- Measures come from the metric plugins, so every report, the console and
-- `ombuds metric` agree: is_upheld / is_decided (uphold rate = upheld /
-- (upheld + not upheld)), pounds (money), compliance_events (late and
-- outstanding remedies, public reports), improvements_classified (themes).
-- Redress per case is case_totals.payment_pence, as in remedy_per_category;
-- the median is over cases with a payment, by the store's median()
-- aggregate that the metric uses, and money is shown to the penny by
-- ombuds.pounds.
--
-- To adapt it: copy this file and html.lua (the HTML helpers) next to each
-- other, change the wording or the sections, and run the copy with
-- `ombuds run my_report.lua --authority ...`.

-- html.lua is looked for beside this script first, then on the usual path
-- (./scripts, the installed scripts directory).
do
  local dir = arg and arg[0] and arg[0]:match("^(.*)[/\\][^/\\]*$")
  if dir then package.path = dir .. "/?.lua;" .. package.path end
end
local html = require "html"
local esc = html.escape
local M = ombuds.metrics

local PROG = "ombuds report"
local function fail(code, fmt, ...)
  io.stderr:write(PROG, ": ", string.format(fmt, ...), "\n")
  os.exit(code, true)
end

local usage = [[
usage: ombuds report --authority NAME [--year YYYY | --from YYYY-MM-DD --to YYYY-MM-DD] [--out FILE.html]
  --authority NAME   the council, in any spelling the register knows
  --year YYYY        a calendar year (default: the latest complete year with decisions)
  --from, --to       any period, both dates included
  --out FILE.html    where to write (default report-<authority>-<period>.html)
]]

-- ---- arguments ------------------------------------------------------------------

local opt = {}
do
  local a, i = arg or {}, 1
  local known = {["--authority"] = "authority", ["--year"] = "year", ["--from"] = "from", ["--to"] = "to",
                 ["--out"] = "out"}
  while a[i] do
    local k, v = a[i]:match("^(%-%-[%w-]+)=(.*)$")
    k = k or a[i]
    if k == "-h" or k == "--help" then io.write(usage) os.exit(0, true) end
    local key = known[k]
    if not key then fail(2, "unexpected argument \"%s\"\n%s", a[i], usage) end
    if not v then
      i = i + 1
      v = a[i]
      if v == nil then fail(2, "%s needs a value", k) end
    end
    opt[key] = v
    i = i + 1
  end
end
if not opt.authority or opt.authority == "" then fail(2, "name the council with --authority NAME\n%s", usage) end

-- A real calendar date in ISO form, or nil.
local function valid_date(s)
  local y, m, d = tostring(s):match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then return nil end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if m < 1 or m > 12 or d < 1 then return nil end
  local mdays = {31, (y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)) and 29 or 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
  if d > mdays[m] then return nil end
  return string.format("%04d-%02d-%02d", y, m, d)
end

if opt.year and (opt.from or opt.to) then fail(2, "give --year or --from/--to, not both") end
if opt.year then
  local y = opt.year:match("^%d%d%d%d$") and tonumber(opt.year)
  if not y or y < 1970 or y > 2100 then
    fail(2, "--year expects a year such as 2023, not \"%s\"", opt.year)
  end
  opt.year = y
end
if opt.from or opt.to then
  if not opt.from or not opt.to then fail(2, "--from and --to go together (e.g. --from 2023-04-01 --to 2024-03-31)") end
  if not valid_date(opt.from) then fail(2, "--from expects a date such as 2023-04-01, not \"%s\"", opt.from) end
  if not valid_date(opt.to) then fail(2, "--to expects a date such as 2024-03-31, not \"%s\"", opt.to) end
  if opt.from > opt.to then fail(2, "--from %s is after --to %s", opt.from, opt.to) end
end

-- ---- the authority --------------------------------------------------------------

-- Any spelling in the register (authority_names), else a name the cases
-- carry as written (names the register does not know are kept verbatim).
local function resolve_authority(name)
  local r = db:query([[SELECT a.name, a.type FROM authority_names n JOIN authorities a ON a.id = n.authority_id
                       WHERE n.name = ?1 COLLATE NOCASE]], name)
  if #r > 0 then return r[1].name, r[1].type end
  r = db:query("SELECT a.name, a.type FROM authorities a WHERE a.name = ?1 COLLATE NOCASE", name)
  if #r > 0 then return r[1].name, r[1].type end
  r = db:query("SELECT DISTINCT authority AS name FROM cases WHERE authority = ?1 COLLATE NOCASE", name)
  if #r > 0 then return r[1].name, nil end
  return nil
end

-- Names sharing a distinctive word with what was typed, for the hint.
local function suggestions(name)
  local common = {council = true, county = true, city = true, borough = true, district = true, of = true,
                  the = true, metropolitan = true, london = true, royal = true, cc = true}
  local seen, out = {}, {}
  for word in name:lower():gmatch("[%w']+") do
    if not common[word] and #word > 2 then
      local r = db:query([[SELECT name FROM authorities WHERE name LIKE '%' || ?1 || '%'
                           UNION SELECT DISTINCT authority FROM cases WHERE authority LIKE '%' || ?1 || '%'
                           ORDER BY 1 LIMIT 6]], word)
      for row in r:rows() do
        if row.name and not seen[row.name] then
          seen[row.name] = true
          out[#out + 1] = row.name
        end
      end
    end
  end
  return out
end

local authority, authority_type = resolve_authority(opt.authority)
if not authority then
  local s = suggestions(opt.authority)
  fail(2, "no authority called \"%s\" in the register or the store%s", opt.authority,
    #s > 0 and ("; did you mean " .. table.concat(s, ", ", 1, math.min(#s, 5)) .. "?")
      or " (ombuds authorities lists the names it knows)")
end

-- ---- dates of documents and cases -----------------------------------------------

-- A document's date, when it says one: a dated note (meeting, article,
-- report), else a year in its title or file name (as 1 July of that year).
local docs = {}        -- id -> {id, name, path, plugin, date, n_cases}
local doc_by_path = {}
do
  local r = db:query([[SELECT d.id, d.path, d.name, d.plugin, d.n_cases,
                         (SELECT group_concat(n.key || '=' || n.value, char(10)) FROM document_notes n
                          WHERE n.document_id = d.id AND n.key IN ('meeting_date', 'article_date', 'report_dated', 'title'))
                           AS notes
                       FROM documents d]])
  for d in r:rows() do
    local date
    local notes = d.notes or ""
    for key in ("meeting_date article_date report_dated"):gmatch("%S+") do
      date = date or valid_date((notes:match(key .. "=(%d%d%d%d%-%d%d%-%d%d)")))
    end
    local title = notes:match("title=([^\n]*)")
    local y = (title and title:match("%f[%d](20%d%d)%f[%D]")) or (d.name or ""):match("%f[%d](20%d%d)%f[%D]")
      or (d.name or ""):match("[_-](20%d%d)[_.-]")
    if not date and y then date, d.year_only = y .. "-07-01", true end
    d.date = date
    docs[d.id] = d
    doc_by_path[d.path] = d
  end
end

local function case_date(c)
  if c.decision_date then return c.decision_date, "decision" end
  local best
  for _, s in ipairs(c.sources or {}) do
    local d = doc_by_path[s.path]
    if d and d.date and (not best or d.date < best.date) then best = d end
  end
  if best then return best.date, best.year_only and "document year" or "document date" end
  return nil, nil
end

-- Every case of the authority, each with its date (decision or document).
local all_cases = {}
for c in db:cases{authority = authority}:rows() do
  c.date, c.dated_by = case_date(c)
  c.listed = math.huge
  for _, src in ipairs(c.sources or {}) do
    local d = doc_by_path[src.path]
    if d then c.listed = math.min(c.listed, d.id * 1e7 + (src.line or 0)) end
  end
  all_cases[#all_cases + 1] = c
end

-- ---- the period -----------------------------------------------------------------

local MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"}
local function long_date(iso)
  if not iso then return "" end
  local y, m, d = iso:match("^(%d+)%-(%d+)%-(%d+)")
  if not y then return iso end
  return string.format("%d %s %s", tonumber(d), MONTHS[tonumber(m)], y)
end

local function shift_days(iso, n)
  local y, m, d = iso:match("^(%d+)%-(%d+)%-(%d+)")
  local t = os.time{year = tonumber(y), month = tonumber(m), day = tonumber(d) + n, hour = 12}
  return os.date("%Y-%m-%d", t)
end

local function span_days(from, to)
  local function t(iso)
    local y, m, d = iso:match("^(%d+)%-(%d+)%-(%d+)")
    return os.time{year = tonumber(y), month = tonumber(m), day = tonumber(d), hour = 12}
  end
  return math.floor((t(to) - t(from)) / 86400 + 0.5)
end

local this_year = tonumber(os.date("!%Y"))
local period, previous -- {from, to, label, slug} or {whole = true, ...}
local n_dated = 0
for _, c in ipairs(all_cases) do if c.date then n_dated = n_dated + 1 end end

local function year_period(y)
  return {from = y .. "-01-01", to = y .. "-12-31", label = tostring(y), slug = tostring(y), year = y}
end

if opt.year then
  period, previous = year_period(opt.year), year_period(opt.year - 1)
elseif opt.from then
  local len = span_days(opt.from, opt.to)
  period = {from = opt.from, to = opt.to, label = long_date(opt.from) .. " to " .. long_date(opt.to),
            slug = opt.from .. "_" .. opt.to}
  local pto = shift_days(opt.from, -1)
  local pfrom = shift_days(pto, -len)
  previous = {from = pfrom, to = pto, label = long_date(pfrom) .. " to " .. long_date(pto), slug = pfrom .. "_" .. pto}
elseif n_dated == 0 then
  period = {whole = true, label = "all cases in the store (undated)", slug = "all"}
else
  local latest_complete, latest
  for _, c in ipairs(all_cases) do
    local y = c.date and tonumber(c.date:sub(1, 4))
    if y then
      if not latest or y > latest then latest = y end
      if y < this_year and (not latest_complete or y > latest_complete) then latest_complete = y end
    end
  end
  local y = latest_complete or latest
  period, previous = year_period(y), year_period(y - 1)
  if y >= this_year then period.label = period.label .. " (to date)" end
end

local function in_period(p, date)
  if not p then return false end
  if p.whole then return true end
  return date ~= nil and date >= p.from and date <= p.to
end

local function cases_in(p)
  local out = {}
  for _, c in ipairs(all_cases) do
    if in_period(p, c.date) then out[#out + 1] = c end
  end
  -- by date; cases of one date (or none) in the order their first document
  -- lists them, so an undated annex keeps its own row order
  table.sort(out, function(a, b)
    if (a.date or "") ~= (b.date or "") then return (a.date or "~") < (b.date or "~") end
    if a.listed ~= b.listed then return a.listed < b.listed end
    return (a.ref or "") < (b.ref or "")
  end)
  return out
end

local cur = cases_in(period)
local prev = previous and cases_in(previous) or nil

-- ---- measures (from the metric plugins) ------------------------------------------

local outcome_class = {}
local function classify(outcome)
  local k = outcome or ""
  if outcome_class[k] == nil then
    outcome_class[k] = {upheld = M.is_upheld(outcome) and true or false, decided = M.is_decided(outcome) and true or false}
  end
  return outcome_class[k]
end

local function money(pence) return ombuds.pounds(pence or 0) end -- to the penny, halves away from zero

-- Events of this authority with their class (late, missing, public report,
-- complied, agreed, other), from the compliance metric.
local events = {}
local events_by_ref = {}
for _, e in ipairs(M.compliance_events(authority):rows()) do
  events[#events + 1] = e
  if e.ref then
    events_by_ref[e.ref] = events_by_ref[e.ref] or {}
    table.insert(events_by_ref[e.ref], e)
  end
end
local function event_date(e) return e.date or e.decided end
local function is_late(e) return e.class == "late" or e.class == "missing" end

-- The median of amounts in pence by the store's median() aggregate, the one
-- remedy_per_category uses (interpolated, money rounds to the penny when
-- shown); nil for none.
local function median(values)
  if #values == 0 then return nil end
  return db:query("SELECT median(value) AS m FROM json_each(?1)", ombuds.json(values))[1].m
end

-- The compliance events of a period the report counts and shows: remedies
-- late or not carried out, and public reports.  Built once per period, for
-- the headline figures and for section 5.
local function period_events(p)
  local out = {}
  for _, e in ipairs(events) do
    if (is_late(e) or e.class == "public report") and in_period(p, event_date(e)) then out[#out + 1] = e end
  end
  return out
end

local function headline(list, period_ev)
  local h = {decisions = #list, upheld = 0, decided = 0, paying = 0, redress = 0, improving = 0, late = 0}
  for _, c in ipairs(list) do
    local k = classify(c.outcome)
    if k.upheld then h.upheld = h.upheld + 1 end
    if k.decided then h.decided = h.decided + 1 end
    local paid = c.payment_total_pence or 0
    if paid > 0 then h.paying = h.paying + 1 end
    h.redress = h.redress + paid
    if c.improvements and #c.improvements > 0 then h.improving = h.improving + 1 end
  end
  h.rate = h.decided > 0 and h.upheld / h.decided or nil
  -- remedies late or outstanding: cases with a late or missing compliance
  -- event dated in the period, each case once (an unreferenced complaint of
  -- a press release is a case too, told apart by its case_id); events about
  -- the council with no case at all count once per date
  local seen = {}
  for _, e in ipairs(period_ev) do
    if is_late(e) then
      local key = e.ref or (e.case_id and ("case " .. e.case_id)) or ("about the council on " .. tostring(e.date))
      if not seen[key] then
        seen[key] = true
        h.late = h.late + 1
      end
    end
  end
  return h
end

local events_cur = period_events(period)
local H = headline(cur, events_cur)
local HP = prev and headline(prev, period_events(previous)) or nil

-- The uphold rate of every authority of the same type, pooled (all upheld /
-- all decided), over the same period, with how many authorities it covers.
local peer
if authority_type and not period.whole then
  local r = db:query([[SELECT c.authority, c.outcome, c.decision_date,
                        (SELECT group_concat(s.document_id) FROM case_sources s WHERE s.case_id = c.id) AS doc_ids
                       FROM cases c JOIN authorities a ON a.name = c.authority WHERE a.type = ?1]], authority_type)
  local up, dec, auths, n_auth = 0, 0, {}, 0
  for row in r:rows() do
    local date = row.decision_date
    if not date and row.doc_ids then
      for id in row.doc_ids:gmatch("%d+") do
        local d = docs[tonumber(id)]
        if d and d.date and (not date or d.date < date) then date = d.date end
      end
    end
    if in_period(period, date) then
      local k = classify(row.outcome)
      if k.decided then
        dec = dec + 1
        if k.upheld then up = up + 1 end
        if not auths[row.authority] then
          auths[row.authority] = true
          n_auth = n_auth + 1
        end
      end
    end
  end
  peer = {rate = dec > 0 and up / dec or nil, n_authorities = n_auth, decided = dec, upheld = up}
end

-- ---- formatting -----------------------------------------------------------------

local function pct(x) return x and string.format("%.1f%%", 100 * x) or "–" end
local function int(n) -- 1234 -> 1,234
  local s = tostring(math.floor(n))
  return (s:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", ""))
end
local function plural(n, one, many) return int(n) .. " " .. (n == 1 and one or (many or one .. "s")) end
-- "1 case gives" / "2 cases give": the verb that agrees with n
local function verb(n, one, many) return n == 1 and one or many end

local function ref_text(c) return c.ref or "(no reference)" end

-- The first source of a case: link to the document in the coverage section.
local function provenance(c)
  local links = {}
  for _, s in ipairs(c.sources or {}) do
    local d = doc_by_path[s.path]
    if d then
      links[#links + 1] = html.el("a", {href = "#doc-" .. d.id, class = "src"},
        esc(d.name) .. (s.line and (", line " .. s.line) or ""))
    end
  end
  if #links == 0 then return "" end
  return html.el("span", {class = "prov"}, "Source: " .. table.concat(links, "; "))
end

local function category_text(c)
  local parts = {}
  if c.category then
    parts[#parts + 1] = esc(c.category) .. (c.subcategory and (" &gt; " .. esc(c.subcategory)) or "")
  end
  if c.council_subject and c.council_subject ~= c.category then
    parts[#parts + 1] = (#parts > 0 and "<br><span class=\"subject\">" or "<span class=\"subject\">")
      .. esc(c.council_subject) .. "</span>"
  end
  if #parts == 0 then return "<span class=\"none\">No category given</span>" end
  return table.concat(parts)
end

local function remedy_html(c)
  local items = {}
  for _, r in ipairs(c.remedies or {}) do
    if r.kind == "apology" then
      items[#items + 1] = "Apology"
    elseif r.kind == "payment" then
      local purposes = (r.purposes and #r.purposes > 0) and (" for " .. table.concat(r.purposes, ", ")) or ""
      items[#items + 1] = (r.amount_pence and money(r.amount_pence) or "A payment (amount not given)") .. esc(purposes)
    elseif r.text then
      items[#items + 1] = esc((r.text:gsub("^%s+", ""):gsub("[%s%.]+$", "")))
    end
  end
  if #items == 0 then return "<span class=\"none\">No remedy recorded</span>" end
  local total = c.payment_total_pence or 0
  local out = html.list(items, {class = "remedy"})
  if total > 0 then out = out .. html.el("p", {class = "total"}, "Total " .. money(total)) end
  return out
end

local function improvements_html(c)
  local items = {}
  for _, i in ipairs(c.improvements or {}) do items[#items + 1] = esc(i.text) end
  return html.list(items, {class = "si"}) or "<span class=\"none\">None</span>"
end

local function compliance_html(c)
  local items = {}
  for _, e in ipairs(c.ref and events_by_ref[c.ref] or {}) do
    local when = e.date and long_date(e.date) or "date not given"
    items[#items + 1] = esc(e.class) .. ": " .. esc(e.type or "") .. " (" .. esc(when) .. ")"
  end
  return html.list(items, {class = "events"}) or "<span class=\"none\">No late remedy recorded</span>"
end

-- ---- the document ---------------------------------------------------------------

local CSS = [[
:root { color: #111; background: #fff; }
body { font: 11pt/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 2em auto; max-width: 62em; padding: 0 1.5em; }
h1 { font-size: 1.7em; margin: 0 0 .2em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #1f4e79; padding-bottom: .15em; margin-top: 2em; }
h3 { font-size: 1.05em; margin-top: 1.4em; }
p.lead { font-size: 1.05em; }
table { border-collapse: collapse; width: 100%; margin: .6em 0 1.2em; font-size: .92em; }
caption { text-align: left; font-weight: bold; padding: .3em 0; }
th, td { border: 1px solid #888; padding: .3em .45em; vertical-align: top; text-align: left; }
thead th { background: #e6edf4; }
tfoot th, tfoot td { font-weight: bold; border-top: 2px solid #333; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.annex { table-layout: fixed; }
table.annex col.c-no { width: 2.6em; } table.annex col.c-ref { width: 19%; } table.annex col.c-date { width: 12%; }
table.annex col.c-rem { width: 20%; } table.annex col.c-comp { width: 14%; }
td, th { overflow-wrap: break-word; }
td ul, td ol { margin: 0; padding-left: 1.1em; }
.none { color: #555; font-style: italic; }
.prov { display: block; font-size: .82em; color: #333; margin-top: .3em; }
.subject { color: #333; }
.flag { font-weight: bold; }
.flag::before { content: "\25B2  "; }
figure { margin: 1em 0; }
figcaption { font-size: .92em; margin: .3em 0; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg text { font: 12px "DejaVu Sans", Arial, sans-serif; fill: #111; }
svg text.axis { font-size: 11px; }
.note { font-size: .92em; border-left: 4px solid #1f4e79; padding: .2em .8em; background: #f3f6f9; }
.meta { color: #333; }
nav ol { columns: 2; }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  section { break-before: page; }
  section:first-of-type { break-before: auto; }
  thead { display: table-header-group; }
  tfoot { display: table-footer-group; }
  tr, figure, svg { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  nav { display: none; }
}
]]

local body = {}
local function add(s) body[#body + 1] = s end

local generated = os.date("!%Y-%m-%d")
local title = "Ombudsman complaints about " .. authority .. ": " .. period.label

local function page(inner)
  return table.concat{
    "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n",
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
    "<meta name=\"generator\" content=\"ombuds ", esc(ombuds.version), " scripts/council_report.lua\">\n",
    "<title>", esc(title), "</title>\n<style>", CSS, "</style>\n</head>\n<body>\n", inner, "\n</body>\n</html>\n",
  }
end

local function slugify(s) return (s:lower():gsub("[^%w]+", "-"):gsub("^%-+", ""):gsub("%-+$", "")) end
local out_path = opt.out or ("report-" .. slugify(authority) .. "-" .. period.slug .. ".html")

local function write(text)
  local f, err = io.open(out_path, "w")
  if not f then fail(1, "cannot write %s: %s", out_path, err) end
  f:write(text)
  f:close()
end

-- No decisions: say so plainly, with what the store does hold.
if #cur == 0 then
  local years = {}
  local seen = {}
  for _, c in ipairs(all_cases) do
    local y = c.date and c.date:sub(1, 4)
    if y and not seen[y] then seen[y] = true years[#years + 1] = y end
  end
  table.sort(years)
  local held
  if #all_cases == 0 then
    held = "The store (" .. db:path() .. ") holds no decision about " .. authority .. " at all."
  else
    held = "The store holds " .. plural(#all_cases, "decision") .. " about " .. authority
      .. (#years > 0 and (", dated " .. table.concat(years, ", ")) or ", none of them dated") .. "."
  end
  write(page(table.concat{
    "<main>", html.text("h1", nil, title),
    html.el("p", {class = "lead", id = "no-decisions"}, esc("There were no ombudsman decisions about " .. authority
      .. " in " .. (period.whole and "the store" or ("the period " .. period.label)) .. ".")),
    html.text("p", nil, held),
    html.text("p", {class = "meta"}, "Produced by ombuds " .. ombuds.version .. " on " .. long_date(generated) .. "."),
    "</main>",
  }))
  io.write(string.format("%s: no decisions about %s in %s; wrote %s saying so\n", PROG, authority,
    period.whole and "the store" or period.label, out_path))
  return
end

local n_undated_cur, n_docdated_cur = 0, 0
for _, c in ipairs(cur) do
  if not c.decision_date then
    if c.date then n_docdated_cur = n_docdated_cur + 1 else n_undated_cur = n_undated_cur + 1 end
  end
end

local upheld_cur = {}
for _, c in ipairs(cur) do if classify(c.outcome).upheld then upheld_cur[#upheld_cur + 1] = c end end

add("<header>")
add(html.text("h1", nil, title))
add(html.el("p", {class = "lead"}, esc(string.format(
  "A report to committee on the decisions of the Local Government and Social Care Ombudsman about %s%s.",
  authority, period.whole and "" or (" in " .. period.label)))))
local meta = "Produced by ombuds " .. ombuds.version .. " on " .. long_date(generated) .. " from the store "
  .. (db:path():match("[^/\\]+$") or db:path()) .. "."
if period.whole then
  meta = meta .. " The cases in the store carry no decision dates, so every case is reported and there is no"
    .. " previous period to compare with."
end
add(html.text("p", {class = "meta"}, meta))
if period.whole then
  add(html.el("p", {class = "note", id = "undated"}, esc(string.format(
    "The %s in this report %s undated: the documents %s from give no decision date.",
    plural(#cur, "case"), verb(#cur, "is", "are"), verb(#cur, "it comes", "they come")))))
elseif n_docdated_cur > 0 then
  add(html.el("p", {class = "note"}, esc(string.format(
    "%s no decision date and %s counted in this period by the date of the document that reported %s.",
    plural(n_docdated_cur, "case") .. verb(n_docdated_cur, " gives", " give"), verb(n_docdated_cur, "is", "are"),
    n_docdated_cur == 1 and "it" or "them"))))
end
add([[<nav aria-label="Contents"><ol><li><a href="#s1">Headline figures</a></li><li><a href="#s2">Redress by category</a></li>
<li><a href="#s3">Upheld cases (annex)</a></li><li><a href="#s4">Service improvements by theme</a></li>
<li><a href="#s5">Compliance</a></li><li><a href="#s6">Coverage</a></li></ol></nav>]])
add("</header><main>")

-- 1. headline figures ------------------------------------------------------------
add('<section id="s1" aria-labelledby="h-s1">')
add(html.text("h2", {id = "h-s1"}, "1. Headline figures"))
local p_label = previous and previous.label or nil
add(html.el("p", nil, esc(string.format("In %s the ombudsman made %s about %s and upheld %d%s.",
  period.whole and "the documents held" or period.label, plural(H.decisions, "decision"), authority, H.upheld,
  H.rate and (" (an uphold rate of " .. pct(H.rate) .. ")") or ""))
  .. (HP and esc(string.format(" In %s: %s, %d upheld.", p_label, plural(HP.decisions, "decision"), HP.upheld)) or "")))

local function fig(name, which, value, shown)
  return {html = esc(shown), attrs = {["data-figure"] = name, ["data-period"] = which,
                                      ["data-value"] = value ~= nil and tostring(value) or ""}}
end
local measures = {
  {"decisions", "Decisions", function(h) return h.decisions, int(h.decisions) end},
  {"upheld", "Upheld", function(h) return h.upheld, int(h.upheld) end},
  {"uphold_rate", "Uphold rate (upheld ÷ upheld and not upheld)",
   function(h) return h.rate and string.format("%.6f", h.rate), pct(h.rate) end},
  {"paying", "Cases with a payment", function(h) return h.paying, int(h.paying) end},
  {"redress", "Total redress", function(h) return h.redress, money(h.redress) end},
  {"improving", "Cases with service improvements", function(h) return h.improving, int(h.improving) end},
  {"late", "Remedies late or outstanding", function(h) return h.late, int(h.late) end},
}
local rows = {}
for _, m in ipairs(measures) do
  local v, s = m[3](H)
  local row = {esc(m[2]), fig(m[1], "current", v, s)}
  if HP then
    local pv, ps = m[3](HP)
    row[3] = fig(m[1], "previous", pv, ps)
  end
  rows[#rows + 1] = row
end
local head = {"Measure", period.whole and "All cases" or period.label}
if HP then head[3] = p_label end
add(html.table{caption = "Headline figures" .. (HP and (", " .. period.label .. " beside " .. p_label) or ""),
  head = head, rows = rows, numeric = {[2] = true, [3] = true}, attrs = {id = "headline"}})

if peer then
  add(html.el("p", {id = "peer"}, esc(peer.rate and string.format(
    "Across the %s in the store with decided cases in %s, the ombudsman upheld %s of %s (%s). %s's rate was %s.",
    plural(peer.n_authorities, authority_type .. " authority", authority_type .. " authorities"), period.label, int(peer.upheld), int(peer.decided), pct(peer.rate),
    authority, pct(H.rate))
    or string.format("No %s authority in the store has a decided case in %s to compare with.", authority_type,
      period.label))))
  add(html.table{caption = "Uphold rate compared with authorities of the same type (" .. authority_type .. ")",
    head = {"", "Uphold rate", "Decided cases", "Authorities covered"},
    rows = {
      {esc(authority), fig("uphold_rate", "authority", H.rate and string.format("%.6f", H.rate), pct(H.rate)),
       int(H.decided), "1"},
      {"All " .. esc(authority_type) .. " authorities",
       fig("peer_rate", "current", peer.rate and string.format("%.6f", peer.rate), pct(peer.rate)),
       int(peer.decided), fig("peer_authorities", "current", peer.n_authorities, int(peer.n_authorities))},
    },
    numeric = {[2] = true, [3] = true, [4] = true}, attrs = {id = "peer-table"}})
elseif authority_type then
  add(html.text("p", {id = "peer"}, "The cases are undated, so no comparison with other " .. authority_type
    .. " authorities over the same period can be made."))
elseif not authority_type then
  add(html.text("p", nil, authority .. " is not in the authority register, so its type, and a comparison with"
    .. " authorities of the same type, are not known."))
end

-- decisions and upheld per year, every year the store holds
do
  local per, ys = {}, {}
  for _, c in ipairs(all_cases) do
    local y = c.date and tonumber(c.date:sub(1, 4))
    if y then
      if not per[y] then per[y] = {d = 0, u = 0} ys[#ys + 1] = y end
      per[y].d = per[y].d + 1
      if classify(c.outcome).upheld then per[y].u = per[y].u + 1 end
    end
  end
  table.sort(ys)
  if #ys >= 2 then -- every year from the first to the last, 0 where there was none
    local full = {}
    for y = ys[1], ys[#ys] do
      full[#full + 1] = y
      per[y] = per[y] or {d = 0, u = 0}
    end
    ys = full
  end
  if #ys >= 2 then
    local xs, dv, uv, trows = {}, {}, {}, {}
    for i, y in ipairs(ys) do
      xs[i], dv[i], uv[i] = tostring(y), per[y].d, per[y].u
      trows[i] = {tostring(y), int(per[y].d), int(per[y].u)}
    end
    local desc = string.format("Decisions and upheld cases about %s each year from %d to %d; the most decisions in one year was %d.",
      authority, ys[1], ys[#ys], math.max(table.unpack(dv)))
    add(html.text("h3", nil, "Decisions and upheld cases by year"))
    add(html.figure(
      html.line_chart{id = "chart-years", title = "Decisions and upheld cases by year, " .. authority, desc = desc,
        xs = xs, series = {{name = "Decisions", values = dv}, {name = "Upheld", values = uv}}},
      desc .. " Solid line with round markers: decisions; dashed line with square markers: upheld.",
      html.table{caption = "Decisions and upheld cases by year", head = {"Year", "Decisions", "Upheld"},
        rows = trows, numeric = {[2] = true, [3] = true}}))
  end
end
add("</section>")

-- 2. redress by category ----------------------------------------------------------
add('<section id="s2" aria-labelledby="h-s2">')
add(html.text("h2", {id = "h-s2"}, "2. Redress by category"))
do
  local groups, order = {}, {}
  for _, c in ipairs(cur) do
    local key = c.category or c.council_subject or "No category given"
    local g = groups[key]
    if not g then
      g = {name = key, n = 0, paying = 0, total = 0, amounts = {}}
      groups[key] = g
      order[#order + 1] = g
    end
    g.n = g.n + 1
    local paid = c.payment_total_pence or 0
    if paid > 0 then
      g.paying = g.paying + 1
      g.total = g.total + paid
      g.amounts[#g.amounts + 1] = paid
    end
  end
  table.sort(order, function(a, b)
    if a.total ~= b.total then return a.total > b.total end
    return a.name < b.name
  end)
  local labels, values, trows = {}, {}, {}
  local all_amounts, tn, tp, tt = {}, 0, 0, 0
  for i, g in ipairs(order) do
    labels[i], values[i] = g.name, g.total
    local med = median(g.amounts)
    trows[i] = {esc(g.name), int(g.n), int(g.paying), money(g.total), med and money(med) or "–"}
    tn, tp, tt = tn + g.n, tp + g.paying, tt + g.total
    for _, a in ipairs(g.amounts) do all_amounts[#all_amounts + 1] = a end
  end
  local all_med = median(all_amounts)
  local top = order[1]
  local desc = tt > 0 and string.format("Redress agreed in %s, %s in all, by category; the most, %s, was in %s.",
      period.whole and "the cases held" or period.label, money(tt), money(top.total), top.name)
    or "No payment was agreed in the period."
  add(html.text("p", nil, string.format("%s of the %s in the period included a payment, %s in total.",
    int(tp), plural(tn, "decision"), money(tt))))
  add(html.figure(
    html.bar_chart{id = "chart-redress", title = "Redress by category", desc = desc, labels = labels,
      values = values, format = money},
    desc .. " Each bar is labelled with its category and amount.",
    html.table{caption = "Redress by category", head = {"Category", "Cases", "Cases with a payment", "Total redress",
      "Median payment"}, rows = trows, numeric = {[2] = true, [3] = true, [4] = true, [5] = true},
      foot = {"All categories", int(tn), int(tp), money(tt), all_med and money(all_med) or "–"},
      attrs = {id = "redress-table"}}))
  add(html.text("p", {class = "meta"}, "Median payment: the middle case total among the cases with a payment."))
end
add("</section>")

-- 3. the annex --------------------------------------------------------------------
add('<section id="s3" aria-labelledby="h-s3">')
add(html.text("h2", {id = "h-s3"}, "3. Upheld cases (annex)"))
do
  local total = 0
  for _, c in ipairs(upheld_cur) do total = total + (c.payment_total_pence or 0) end
  add(html.el("p", nil, esc(string.format("Every case upheld in %s, %s, oldest first, with the remedy and the service improvements agreed; %s of redress in all.",
    period.whole and "the documents held" or period.label, plural(#upheld_cur, "case"), money(total)))
    .. html.el("span", {["data-figure"] = "annex_total", ["data-period"] = "current", ["data-value"] = tostring(total), hidden = true}, "")))
  local rows = {}
  for i, c in ipairs(upheld_cur) do
    rows[i] = {
      tostring(i),
      html.el("strong", nil, esc(ref_text(c))) .. "<br>" .. category_text(c) .. provenance(c),
      c.decision_date and esc(long_date(c.decision_date))
        or html.el("span", {class = "none"}, c.date and ("Not given; reported in a document "
          .. (c.dated_by == "document year" and ("of " .. c.date:sub(1, 4)) or ("dated " .. esc(long_date(c.date)))))
          or "Not given"),
      remedy_html(c),
      improvements_html(c),
      compliance_html(c),
    }
  end
  if #rows > 0 then
    add(html.table{caption = "Upheld cases, " .. period.label,
      head = {"No.", "Reference and complaint", "Decided", "Remedy", "Service improvements", "Compliance"},
      rows = rows, numeric = {[1] = true}, attrs = {id = "annex", class = "annex"},
      cols = {"c-no", "c-ref", "c-date", "c-rem", "c-si", "c-comp"},
      row_attrs = function(i) return {class = "annex-row", ["data-ref"] = ref_text(upheld_cur[i])} end})
  else
    add(html.text("p", {id = "no-upheld"}, "No case was upheld in this period."))
  end
end
add("</section>")

-- 4. service improvements by theme ------------------------------------------------
add('<section id="s4" aria-labelledby="h-s4">')
add(html.text("h2", {id = "h-s4"}, "4. Service improvements by theme"))
do
  local date_by_ref = {}
  for _, c in ipairs(all_cases) do if c.ref then date_by_ref[c.ref] = c.date end end
  local themes, order = {}, {}
  local function note_theme(kind, name, row, date)
    local key = kind .. "\0" .. name
    local t = themes[key]
    if not t then
      t = {kind = kind, name = name, n = 0, cases = {}, n_cases = 0, years = {}}
      themes[key] = t
      order[#order + 1] = t
    end
    local y = date and date:sub(1, 4)
    local upto = period.whole or (date and date <= period.to)
    if y and upto then t.years[y] = true end
    if in_period(period, date) then
      t.n = t.n + 1
      local ck = row.ref or row.text
      if not t.cases[ck] then t.cases[ck] = true t.n_cases = t.n_cases + 1 end
    end
  end
  local n_impr, n_unmatched = 0, 0
  for _, row in ipairs(M.improvements_classified(authority):rows()) do
    local date = row.ref and date_by_ref[row.ref] or (row.year and (row.year .. "-07-01"))
    if in_period(period, date) then n_impr = n_impr + 1 end
    local any = false
    for s in (row.subjects or ""):gmatch("[^;]+") do
      note_theme("subject", s:match("^%s*(.-)%s*$"), row, date) any = true
    end
    for s in (row.references or ""):gmatch("[^;]+") do
      note_theme("statutory duty", s:match("^%s*(.-)%s*$"), row, date) any = true
    end
    if not any then
      note_theme("subject", "No theme matched", row, date)
      if in_period(period, date) then n_unmatched = n_unmatched + 1 end
    end
  end
  local shown = {}
  for _, t in ipairs(order) do if t.n > 0 then shown[#shown + 1] = t end end
  table.sort(shown, function(a, b)
    if a.n ~= b.n then return a.n > b.n end
    return a.name < b.name
  end)
  if #shown == 0 then
    add(html.text("p", {id = "no-improvements"}, "No service improvement was agreed in this period."))
  else
    local recurring = {}
    local trows, labels, values = {}, {}, {}
    for i, t in ipairs(shown) do
      local ys = {}
      for y in pairs(t.years) do ys[#ys + 1] = y end
      table.sort(ys)
      local flag = #ys >= 2
      if flag then recurring[#recurring + 1] = t.name .. ": " .. table.concat(ys, ", ") end
      trows[i] = {esc(t.name), esc(t.kind), int(t.n), int(t.n_cases),
        #ys > 0 and esc(table.concat(ys, ", ")) or html.el("span", {class = "none"}, "undated"),
        flag and html.el("span", {class = "flag"}, "Recurs") or "No"}
      labels[i], values[i] = t.name, t.n
    end
    add(html.text("p", nil, string.format("%s agreed in the period, grouped by the subject they deal with and the statutory duty they name (one improvement can touch several themes; %d matched no theme).",
      plural(n_impr, "service improvement"), n_unmatched)))
    if #recurring > 0 then
      add(html.text("h3", nil, "Themes that recur across years"))
      local items = {}
      for _, r in ipairs(recurring) do items[#items + 1] = esc(r) end
      add(html.list(items, {id = "recurring"}))
    else
      add(html.text("p", nil, "No theme of this period was also agreed in an earlier year (as far as the store's dated cases show)."))
    end
    local desc = string.format("Service improvements agreed in %s by theme; the most frequent was %s (%d).",
      period.whole and "the cases held" or period.label, shown[1].name, shown[1].n)
    add(html.figure(
      html.bar_chart{id = "chart-themes", title = "Service improvements by theme", desc = desc, labels = labels,
        values = values},
      desc .. " Each bar is labelled with its theme and count.",
      html.table{caption = "Service improvements by theme", head = {"Theme", "Kind", "Improvements",
        "Cases", "Years agreed", "Recurring"}, rows = trows, numeric = {[3] = true, [4] = true},
        attrs = {id = "themes"}}))
    add(html.text("p", {class = "meta"}, "Themes follow the rules in data/improvement_themes.tsv (the improvement_themes metric); \"Years agreed\" counts every year up to the end of this period."))
  end
end
add("</section>")

-- 5. compliance ----------------------------------------------------------------------
add('<section id="s5" aria-labelledby="h-s5">')
add(html.text("h2", {id = "h-s5"}, "5. Compliance"))
do
  local rows = {}
  for i, e in ipairs(events_cur) do
    rows[i] = {e.date and esc(long_date(e.date)) or html.el("span", {class = "none"}, "Not given"),
      esc(e.ref or "(about the council)"), esc(e.class), esc(e.type or ""), esc(e.text or "")}
  end
  if #rows == 0 then
    add(html.text("p", {id = "no-compliance"}, "The store records no late or outstanding remedy and no public report about "
      .. authority .. " in this period."))
  else
    add(html.text("p", nil, string.format("%s: remedies carried out late or not at all, and reports the ombudsman published, from press releases, minutes and decisions.",
      plural(#rows, "event"))))
    add(html.table{caption = "Late remedies and public reports", head = {"Date", "Case", "Class", "Event", "Details"},
      rows = rows, attrs = {id = "compliance"}})
  end
end
add("</section>")

-- 6. coverage --------------------------------------------------------------------------
add('<section id="s6" aria-labelledby="h-s6">')
add(html.text("h2", {id = "h-s6"}, "6. Coverage: where these figures come from"))
do
  local used, cases_per_doc = {}, {}
  for _, c in ipairs(cur) do
    local seen = {}
    for _, s in ipairs(c.sources or {}) do
      local d = doc_by_path[s.path]
      if d and not seen[d.id] then
        seen[d.id] = true
        if not used[d.id] then used[d.id] = true cases_per_doc[d.id] = 0 end
        cases_per_doc[d.id] = cases_per_doc[d.id] + 1
      end
    end
  end
  -- documents that gave events about the council in the period (press
  -- releases, minutes), even when they name no case of this report
  local events_per_doc = {}
  local ev = db:query([[SELECT e.document_id AS id, e.date, c.decision_date FROM events e
                        LEFT JOIN cases c ON c.id = e.case_id
                        WHERE coalesce(e.authority, c.authority) = ?1 COLLATE NOCASE]], authority)
  for e in ev:rows() do
    if in_period(period, e.date or e.decision_date) and docs[e.id] then
      if not used[e.id] then used[e.id] = true cases_per_doc[e.id] = 0 end
      events_per_doc[e.id] = (events_per_doc[e.id] or 0) + 1
    end
  end
  local FORMAT = {decision_page = "Ombudsman decision pages", decision_list = "Ombudsman decision lists",
    si_listing = "Service-improvement listings", si_detail = "Service-improvement detail pages",
    csv_export = "CSV exports", annex_table = "Council committee annexes", minutes = "Committee minutes",
    press_release = "Ombudsman press releases"}
  local by_plugin, plugin_order, doc_list = {}, {}, {}
  for id in pairs(used) do
    local d = docs[id]
    doc_list[#doc_list + 1] = d
    local p = by_plugin[d.plugin]
    if not p then p = {plugin = d.plugin, docs = 0, cases = 0} by_plugin[d.plugin] = p plugin_order[#plugin_order + 1] = p end
    p.docs = p.docs + 1
    p.cases = p.cases + cases_per_doc[id]
    p.events = (p.events or 0) + (events_per_doc[id] or 0)
  end
  table.sort(plugin_order, function(a, b) return a.docs > b.docs or (a.docs == b.docs and a.plugin < b.plugin) end)
  table.sort(doc_list, function(a, b) return a.id < b.id end)
  local prow = {}
  for i, p in ipairs(plugin_order) do
    prow[i] = {esc(FORMAT[p.plugin] or p.plugin) .. " (" .. esc(p.plugin) .. ")", int(p.docs), int(p.cases),
      int(p.events)}
  end
  local n_events = 0
  for _, k in pairs(events_per_doc) do n_events = n_events + k end
  add(html.text("p", nil, string.format("The %s%s in this report %s read from %s.", plural(#cur, "case"),
    n_events > 0 and (" and " .. plural(n_events, "event")) or "",
    verb(#cur + n_events, "was", "were"), plural(#doc_list, "document"))))
  add(html.table{caption = "Documents by source format", head = {"Source format", "Documents", "Case mentions", "Events"},
    rows = prow, numeric = {[2] = true, [3] = true, [4] = true}, attrs = {id = "formats"}})

  -- what is known to be missing
  local missing = {}
  local n_nodate, n_unknown, n_nocat = 0, 0, 0
  for _, c in ipairs(cur) do
    if not c.decision_date then n_nodate = n_nodate + 1 end
    if not c.outcome or c.outcome == "unknown" then n_unknown = n_unknown + 1 end
    if not c.category and not c.council_subject then n_nocat = n_nocat + 1 end
  end
  local n_undated_all = 0
  for _, c in ipairs(all_cases) do if not c.date then n_undated_all = n_undated_all + 1 end end
  if n_nodate > 0 then
    missing[#missing + 1] = esc(string.format("%s %s no decision date%s.", plural(n_nodate, "case"), verb(n_nodate, "gives", "give"),
      period.whole and "" or "; they are placed in this period by the date of the document that reported them"))
  end
  if not period.whole and n_undated_all > 0 then
    missing[#missing + 1] = esc(string.format("%s about %s %s no date at all and %s in no period's figures.",
      plural(n_undated_all, "case"), authority, verb(n_undated_all, "carries", "carry"), verb(n_undated_all, "is", "are")))
  end
  if n_unknown > 0 then
    missing[#missing + 1] = esc(string.format("%s no known outcome: %s as %s but not in the uphold rate.",
      plural(n_unknown, "case") .. verb(n_unknown, " has", " have"), verb(n_unknown, "it counts", "they count"),
      verb(n_unknown, "a decision", "decisions")))
  end
  if n_nocat > 0 then missing[#missing + 1] = esc(plural(n_nocat, "case") .. verb(n_nocat, " has", " have") .. " no category.") end
  local partial = db:query([[SELECT d.id, d.name,
      (SELECT value FROM document_notes WHERE document_id = d.id AND key = 'listing_shown') AS shown,
      (SELECT value FROM document_notes WHERE document_id = d.id AND key = 'listing_total') AS total
    FROM documents d WHERE EXISTS (SELECT 1 FROM document_notes n WHERE n.document_id = d.id AND n.key = 'listing_partial'
                                     AND n.value = 'yes')
      OR CAST((SELECT value FROM document_notes WHERE document_id = d.id AND key = 'listing_shown') AS INTEGER)
       < CAST((SELECT value FROM document_notes WHERE document_id = d.id AND key = 'listing_total') AS INTEGER)]])
  for p in partial:rows() do
    local mine = used[p.id]
    if not mine then
      for _, c in ipairs(all_cases) do
        for _, s in ipairs(c.sources or {}) do if doc_by_path[s.path] and doc_by_path[s.path].id == p.id then mine = true end end
      end
    end
    if mine then
      missing[#missing + 1] = html.el("a", {href = "#doc-" .. p.id}, esc(p.name)) .. esc(string.format(
        " is a partial listing%s: the cases it did not show are not in this report.",
        (p.shown and p.total) and (" (" .. p.shown .. " of " .. p.total .. " shown)") or ""))
    end
  end
  local warn_total = 0
  for _, d in ipairs(doc_list) do
    local w = db:query("SELECT count(*) AS n FROM warnings WHERE document_id = ?1", d.id)[1].n
    d.warnings = w
    warn_total = warn_total + w
  end
  if warn_total > 0 then
    missing[#missing + 1] = esc(string.format("Reading these documents raised %s (ombuds sql \"SELECT * FROM warnings\" lists them).",
      plural(warn_total, "warning")))
  end
  add(html.text("h3", nil, "What is known to be missing"))
  add(html.list(missing, {id = "missing"}) or html.text("p", {id = "missing"},
    "Nothing known: every case in the period has a decision date and an outcome, and no listing was partial."))
  add(html.text("p", nil, "Decisions the ombudsman published but that were never ingested cannot be counted; the figures are only as complete as the documents above."))

  add(html.text("h3", nil, "Documents"))
  local drows = {}
  for i, d in ipairs(doc_list) do
    drows[i] = {{html = tostring(i), attrs = {id = "doc-" .. d.id}}, esc(d.name), esc(d.plugin),
      d.date and esc(d.year_only and (d.date:sub(1, 4) .. " (year in its title or name)") or long_date(d.date))
        or html.el("span", {class = "none"}, "none"), int(cases_per_doc[d.id]),
      int(events_per_doc[d.id] or 0), int(d.warnings or 0)}
  end
  add(html.table{caption = "Documents the cases and events in this report were read from", head = {"No.",
    "Document", "Format", "Dated", "Cases", "Events", "Warnings"}, rows = drows,
    numeric = {[1] = true, [5] = true, [6] = true, [7] = true},
    attrs = {id = "documents"}})
end
add("</section></main>")

write(page(table.concat(body, "\n")))
io.write(string.format("wrote %s: %s, %s, %s upheld, %s redress\n", out_path, authority, period.label,
  int(H.upheld), money(H.redress)))
