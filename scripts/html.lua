-- SPDX-License-Identifier: GPL-3.0-or-later
-- html.lua -- a small kit for writing one self-contained, accessible HTML
-- document from a Lua script: escaping, elements, data tables whose headers
-- carry `scope`, and inline SVG bar and line charts that come with a
-- <title>, a <desc>, a sentence saying what they show and the table of the
-- figures they draw (a chart is never the only place a number appears).
-- Charts keep their meaning in greyscale print: bars and lines are labelled
-- directly, series differ by pattern, dash and marker, not by colour alone.
--
--   local html = require "html"
--   local t = html.table{caption = "Cases", head = {"Year", "Cases"},
--                        rows = {{"2023", "12"}}, numeric = {[2] = true}}
--   local fig = html.bar_chart{id = "redress", title = "Redress by category",
--                              labels = {"Education"}, values = {120000},
--                              format = function(v) return "£" .. v // 100 end}
--
-- Every function returns a string; nothing is written until the caller
-- concatenates and writes them.  No scripts, no external addresses.
local html = {}

local ESC = {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;"}

-- Text for element content or an attribute value.  nil becomes "".
function html.escape(s)
  if s == nil then return "" end
  return (tostring(s):gsub("[&<>\"']", ESC))
end
local esc = html.escape

-- Attributes in a stable (sorted) order so the output is reproducible;
-- true writes a bare attribute, false/nil leaves it out.
local function attrs(a)
  if not a then return "" end
  local keys = {}
  for k, v in pairs(a) do
    if v ~= nil and v ~= false then keys[#keys + 1] = k end
  end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do
    local v = a[k]
    out[#out + 1] = v == true and (" " .. k) or string.format(' %s="%s"', k, esc(v))
  end
  return table.concat(out)
end
html.attrs = attrs

local VOID = {br = true, hr = true, img = true, meta = true, col = true}

-- html.el("p", {class = "note"}, "already-HTML", ...): children are HTML
-- strings (escape text yourself with html.escape or use html.text).
function html.el(tag, a, ...)
  if VOID[tag] then return "<" .. tag .. attrs(a) .. ">" end
  local parts = {}
  for i = 1, select("#", ...) do
    local c = select(i, ...)
    if type(c) == "table" then c = table.concat(c) end
    if c ~= nil then parts[#parts + 1] = tostring(c) end
  end
  return "<" .. tag .. attrs(a) .. ">" .. table.concat(parts) .. "</" .. tag .. ">"
end

-- An element holding escaped text.
function html.text(tag, a, s) return html.el(tag, a, esc(s)) end

-- A list (ul by default) of already-HTML items; nil when there are none.
function html.list(items, a, tag)
  if not items or #items == 0 then return nil end
  local li = {}
  for _, it in ipairs(items) do li[#li + 1] = "<li>" .. it .. "</li>" end
  return html.el(tag or "ul", a, li)
end

-- A data table.  opts: caption (text), head (list of column titles, text),
-- rows (list of lists of cell HTML; a cell may be {html = ..., attrs = {...}}),
-- row_header (default true: the first cell of each row is a <th scope=row>),
-- numeric ({[col] = true}: right-aligned), foot (one list of cells, a total
-- row), cols (a class per column, for widths), attrs (for <table>), row_attrs (function(i, row) -> attributes).
function html.table(opts)
  local numeric = opts.numeric or {}
  local row_header = opts.row_header ~= false
  local out = {"<table", attrs(opts.attrs), ">"}
  if opts.caption then out[#out + 1] = "<caption>" .. esc(opts.caption) .. "</caption>" end
  if opts.cols then -- column classes, for widths set in CSS
    out[#out + 1] = "<colgroup>"
    for _, c in ipairs(opts.cols) do out[#out + 1] = html.el("col", {class = c}) end
    out[#out + 1] = "</colgroup>"
  end
  out[#out + 1] = "<thead><tr>"
  for i, h in ipairs(opts.head) do
    out[#out + 1] = html.el("th", {scope = "col", class = numeric[i] and "num" or nil}, esc(h))
  end
  out[#out + 1] = "</tr></thead><tbody>"
  local function cells(row, i_row, tag_first)
    local r = {}
    for i, c in ipairs(row) do
      local body, a = c, {}
      if type(c) == "table" then body, a = c.html, c.attrs or {} end
      if numeric[i] then a.class = ((a.class and a.class .. " ") or "") .. "num" end
      if i == 1 and tag_first then
        a.scope = "row"
        r[#r + 1] = html.el("th", a, body)
      else
        r[#r + 1] = html.el("td", a, body)
      end
    end
    return html.el("tr", opts.row_attrs and i_row and opts.row_attrs(i_row, row) or nil, r)
  end
  for i, row in ipairs(opts.rows) do out[#out + 1] = cells(row, i, row_header) end
  out[#out + 1] = "</tbody>"
  if opts.foot then out[#out + 1] = "<tfoot>" .. cells(opts.foot, nil, true) .. "</tfoot>" end
  out[#out + 1] = "</table>"
  return table.concat(out)
end

-- ---- charts ---------------------------------------------------------------------

-- Patterns that stay distinct in greyscale: solid, diagonal hatch, dots,
-- cross-hatch.  Each chart defines its own (ids prefixed with the chart id)
-- so a document can hold many charts.
local function pattern_defs(id)
  return table.concat{
    "<defs>",
    '<pattern id="', id, '-p2" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">',
    '<rect width="6" height="6" fill="#fff"/><rect width="3" height="6" fill="#1f4e79"/></pattern>',
    '<pattern id="', id, '-p3" width="5" height="5" patternUnits="userSpaceOnUse">',
    '<rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r="1.4" fill="#1f4e79"/></pattern>',
    '<pattern id="', id, '-p4" width="6" height="6" patternUnits="userSpaceOnUse">',
    '<rect width="6" height="6" fill="#fff"/><path d="M0 0L6 6M6 0L0 6" stroke="#1f4e79" stroke-width="1.2"/></pattern>',
    "</defs>",
  }
end

local function fill_for(id, k)
  local m = (k - 1) % 4 + 1
  if m == 1 then return "#1f4e79" end
  return "url(#" .. id .. "-p" .. m .. ")"
end

local function fmt_default(v) return tostring(v) end

-- Horizontal bar chart.  opts: id (unique in the document), title, desc
-- (a sentence saying what it shows and what stands out), labels, values
-- (numbers >= 0), format (value -> text), width (default 640).  Bars are
-- ranked largest first whatever order they come in (ties keep theirs), as
-- `ombuds metric --chart` ranks them.  Returns the <svg>, sized by its
-- viewBox so it scales with the page.
function html.bar_chart(opts)
  local id = opts.id
  local order = {}
  for i = 1, #opts.labels do order[i] = i end
  table.sort(order, function(a, b)
    if opts.values[a] ~= opts.values[b] then return opts.values[a] > opts.values[b] end
    return a < b
  end)
  local labels, values = {}, {}
  for i, k in ipairs(order) do labels[i], values[i] = opts.labels[k], opts.values[k] end
  local fmt = opts.format or fmt_default
  local n = #labels
  local width = opts.width or 640
  local label_w, value_w, bar_h, gap, top = 210, 110, 22, 10, 8
  local plot_w = width - label_w - value_w
  local height = top * 2 + math.max(n, 1) * (bar_h + gap)
  local max = 0
  for _, v in ipairs(values) do if v > max then max = v end end
  local out = {
    string.format('<svg class="chart" id="%s" role="img" aria-labelledby="%s-title %s-desc" '
      .. 'viewBox="0 0 %d %d" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg">',
      esc(id), esc(id), esc(id), width, height, width, height),
    "<title id=\"" .. esc(id) .. "-title\">" .. esc(opts.title) .. "</title>",
    "<desc id=\"" .. esc(id) .. "-desc\">" .. esc(opts.desc or "") .. "</desc>",
    pattern_defs(id),
  }
  for i = 1, n do
    local y = top + (i - 1) * (bar_h + gap)
    local w = max > 0 and math.floor(plot_w * values[i] / max + 0.5) or 0
    if values[i] > 0 and w < 2 then w = 2 end
    local label = labels[i]
    if #label > 34 then label = label:sub(1, 32):gsub("[\128-\191]*$", ""):gsub("[\192-\255]$", "") .. "…" end
    out[#out + 1] = string.format('<g class="bar"><text x="%d" y="%d" text-anchor="end" class="lbl">%s</text>',
      label_w - 8, y + bar_h - 6, esc(label))
    out[#out + 1] = string.format('<rect x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="#1f4e79"/>',
      label_w, y, w, bar_h, fill_for(id, i))
    out[#out + 1] = string.format('<text x="%d" y="%d" class="val">%s</text></g>',
      label_w + w + 6, y + bar_h - 6, esc(fmt(values[i])))
  end
  out[#out + 1] = string.format('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>',
    label_w, top - 4, label_w, height - top + 4)
  out[#out + 1] = "</svg>"
  return table.concat(out)
end

local DASH = {"", "6 4", "2 3", "8 3 2 3"}

-- Line chart over ordered x values (years).  opts: id, title, desc, xs
-- (labels, in order), series ({name = ..., values = {...}}: nil for a gap),
-- format (value -> text), width (default 640).  Each series has its own
-- dash and marker shape and is named at its last point.
function html.line_chart(opts)
  local id, xs, series = opts.id, opts.xs, opts.series
  local fmt = opts.format or fmt_default
  local width, height = opts.width or 640, opts.height or 260
  local left, right, top, bottom = 56, 130, 16, 36
  local pw, ph = width - left - right, height - top - bottom
  local max = 0
  for _, s in ipairs(series) do
    for i = 1, #xs do
      local v = s.values[i]
      if v and v > max then max = v end
    end
  end
  -- four gridline steps of a round size (1, 2, 2.5 or 5 times a power of ten,
  -- at least 1) so the axis labels are whole and distinct
  local step = math.max(max, 1) / 4
  local mag = 10 ^ math.floor(math.log(step, 10))
  for _, m in ipairs{1, 2, 2.5, 5, 10} do
    if m * mag >= step then step = m * mag break end
  end
  step = math.max(1, step)
  max = step * 4
  local function X(i) return left + (#xs == 1 and pw / 2 or (i - 1) * pw / (#xs - 1)) end
  local function Y(v) return top + ph - ph * v / max end
  local out = {
    string.format('<svg class="chart" id="%s" role="img" aria-labelledby="%s-title %s-desc" '
      .. 'viewBox="0 0 %d %d" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg">',
      esc(id), esc(id), esc(id), width, height, width, height),
    "<title id=\"" .. esc(id) .. "-title\">" .. esc(opts.title) .. "</title>",
    "<desc id=\"" .. esc(id) .. "-desc\">" .. esc(opts.desc or "") .. "</desc>",
  }
  -- axes and a few gridlines
  for k = 0, 4 do
    local v = max * k / 4
    local y = Y(v)
    out[#out + 1] = string.format('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ccc"/>', left, y, left + pw, y)
    out[#out + 1] = string.format('<text x="%d" y="%.1f" text-anchor="end" class="axis">%s</text>',
      left - 6, y + 4, esc(fmt(math.floor(v + 0.5))))
  end
  for i, x in ipairs(xs) do
    out[#out + 1] = string.format('<text x="%.1f" y="%d" text-anchor="middle" class="axis">%s</text>',
      X(i), height - bottom + 18, esc(x))
  end
  local label_ys = {} -- series names at their last point, kept 14px apart
  for k, s in ipairs(series) do
    local pts, marks, last = {}, {}, nil
    for i = 1, #xs do
      local v = s.values[i]
      if v then
        pts[#pts + 1] = string.format("%.1f,%.1f", X(i), Y(v))
        if k % 2 == 1 then
          marks[#marks + 1] = string.format('<circle cx="%.1f" cy="%.1f" r="4" fill="#1f4e79"/>', X(i), Y(v))
        else
          marks[#marks + 1] = string.format('<rect x="%.1f" y="%.1f" width="8" height="8" fill="#fff" stroke="#1f4e79" stroke-width="2"/>',
            X(i) - 4, Y(v) - 4)
        end
        last = i
      end
    end
    out[#out + 1] = string.format('<g class="series"><polyline points="%s" fill="none" stroke="#1f4e79" stroke-width="2"%s/>%s',
      table.concat(pts, " "), DASH[(k - 1) % 4 + 1] ~= "" and (' stroke-dasharray="' .. DASH[(k - 1) % 4 + 1] .. '"') or "",
      table.concat(marks))
    if last then
      local y = Y(s.values[last]) + 4
      for _, other in ipairs(label_ys) do
        if math.abs(other - y) < 14 then y = other + 14 end
      end
      label_ys[#label_ys + 1] = y
      out[#out + 1] = string.format('<text x="%.1f" y="%.1f" class="lbl">%s</text>', X(last) + 10, y, esc(s.name))
    end
    out[#out + 1] = "</g>"
  end
  out[#out + 1] = "</svg>"
  return table.concat(out)
end

-- A chart with its sentence and its table: <figure> holding the SVG, a
-- <figcaption> (the text description) and the table of the figures drawn.
function html.figure(svg, caption, tbl)
  return html.el("figure", {class = "chart-figure"}, svg, html.el("figcaption", nil, esc(caption)), tbl)
end

return html
