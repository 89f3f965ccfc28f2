-- SPDX-License-Identifier: GPL-3.0-or-later
-- test_html.lua -- scripts/html.lua, the helpers of the council report:
-- escaping (text and attributes), elements, tables whose headers carry
-- scope, and charts that carry a title, a description, one mark per value
-- and a direct label for each, with patterns rather than colour alone.
local tap = require "tap"
local html = require "html"

tap.is(html.escape([[<a href="x">Tom & Jerry's</a>]]),
  "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;", "escape: the five special characters")
tap.is(html.escape(nil), "", "escape: nil is empty")
tap.is(html.el("p", {class = "a", id = "b", hidden = true, skip = false}, "x", nil, "y"),
  '<p class="a" hidden id="b">xy</p>', "el: sorted attributes, bare true, false and nil left out")
tap.is(html.el("col", {class = "c"}), '<col class="c">', "el: a void element has no end tag")
tap.is(html.text("td", nil, "£1 < £2"), "<td>£1 &lt; £2</td>", "text: content is escaped")
tap.is(html.list({}), nil, "list: nothing for no items")

local t = html.table{caption = "Cases & money", head = {"Year", "Cases"}, rows = {{"2023", "12"}, {"2024", "3"}},
  numeric = {[2] = true}, foot = {"All", "15"}}
tap.like(t, "<caption>Cases &amp; money</caption>", "table: escaped caption")
local _, cols = t:gsub('<th class="num" scope="col">', "")
local _, plain_cols = t:gsub('<th scope="col">', "")
tap.is(cols + plain_cols, 2, "table: every column header has scope=col")
local _, rowh = t:gsub('<th scope="row">', "")
tap.is(rowh, 3, "table: the first cell of each row (and the total) is a th with scope=row")
tap.like(t, '<td class="num">12</td>', "table: numeric cells are marked for right alignment")
tap.like(t, "<tfoot><tr><th scope=\"row\">All</th>", "table: the total row is a tfoot")

local bar = html.bar_chart{id = "c1", title = "Redress <by> category", desc = "Education most.",
  labels = {"Education", "Housing", "Planning"}, values = {300, 100, 0}, format = function(v) return v .. "p" end}
tap.like(bar, '^<svg class="chart" id="c1" role="img" aria%-labelledby="c1%-title c1%-desc"', "bar: labelled svg")
tap.like(bar, '<title id="c1%-title">Redress &lt;by&gt; category</title>', "bar: escaped title")
tap.like(bar, '<desc id="c1%-desc">Education most.</desc>', "bar: description")
local _, bars = bar:gsub('<g class="bar">', "")
tap.is(bars, 3, "bar: one mark per value")
local ranked = html.bar_chart{id = "c3", title = "t", labels = {"Planning", "Education", "Housing", "Waste"},
  values = {0, 300, 100, 100}}
local names = {}
for name in ranked:gmatch('class="lbl">([^<]*)<') do names[#names + 1] = name end
tap.is(table.concat(names, ","), "Education,Housing,Waste,Planning", "bar: ranked largest first, ties in their order")
tap.like(bar, 'width="320" height="22" fill="#1f4e79"', "bar: the largest value fills the plot")
tap.like(bar, 'fill="url%(#c1%-p2%)"', "bar: the second bar is hatched, not just another colour")
tap.like(bar, ">300p</text>", "bar: each bar is labelled with its value")
tap.like(bar, ">Planning</text>", "bar: and with its name")

local line = html.line_chart{id = "c2", title = "By year", desc = "d", xs = {"2022", "2023", "2024"},
  series = {{name = "Decisions", values = {3, 5, 7}}, {name = "Upheld", values = {1, nil, 2}}}}
local _, polylines = line:gsub("<polyline", "")
tap.is(polylines, 2, "line: one line per series")
tap.like(line, 'stroke%-dasharray="6 4"', "line: the second series is dashed")
local _, squares = line:gsub('<rect x="[%d.]+" y="[%d.]+" width="8"', "")
tap.is(squares, 2, "line: the second series has square markers, none for its gap")
tap.like(line, ">Decisions</text>", "line: series named at their last point")
local axis = {}
for v in line:gmatch('class="axis">([^<]*)') do axis[#axis + 1] = v end
tap.is(table.concat(axis, " "), "0 2 4 6 8 2022 2023 2024", "line: whole, distinct axis steps and the years")

local fig = html.figure(bar, "Redress by category, in pence.", t)
tap.like(fig, "^<figure class=\"chart%-figure\"><svg.-</svg><figcaption>Redress by category, in pence.</figcaption><table>",
  "figure: chart, sentence and table together")
tap.done()
