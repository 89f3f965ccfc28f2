-- SPDX-License-Identifier: GPL-3.0-or-later
-- test_module.lua -- the ombuds module itself: version, plugins, metrics,
-- require, the pretty printer and JSON.
local tap = require "tap"

tap.is(require("ombuds"), ombuds, "require 'ombuds' gives the console's module")
tap.like(ombuds.version, "^%d+%.%d+%.%d+", "ombuds.version")
tap.is(type(ombuds.metrics), "table", "ombuds.metrics is a table")
local p = ombuds.plugins()
local names = {}
for row in p:rows() do names[row.name] = row.kind end
tap.is(names.decision_page, "source", "ombuds.plugins() lists the decision_page source")
tap.is(p:columns()[1], "name", "plugins have columns")
tap.is(type(ombuds.plugin_errors()), "table", "ombuds.plugin_errors() is a list")
tap.like(arg[0], "test_module%.lua$", "arg[0] is the script")

local pretty = ombuds.pretty
tap.is(pretty({1, 2, a = {b = "c"}}), '{1, 2, a = {b = "c"}}', "a table prints as a constructor")
tap.is(pretty({z = 1, a = 2, [10] = 3}), "{[10] = 3, a = 2, z = 1}", "keys are sorted, numbers first")
local cyc = {}
cyc.self = cyc
tap.is(pretty(cyc), "{self = <cycle>}", "cycles are marked")
tap.is(pretty({{{{1}}}}, {depth = 2}), "{{{…}}}", "depth is limited")
tap.is(pretty({1, 2, 3, 4, 5}, {items = 2}), "{1, 2, … (3 more)}", "entries are limited")
tap.is(pretty("a\"b\t"), '"a\\"b\\t"', "strings are quoted")
tap.is(pretty("two\nlines"), "[[\ntwo\nlines]]", "multi-line strings print as long brackets")
tap.is(pretty({["not an id"] = true, ["end"] = 1}), '{["end"] = 1, ["not an id"] = true}',
       "keys that are not names are bracketed")
local long = {}
for i = 1, 30 do long["key" .. i] = i end
tap.like(pretty(long, {width = 40}), "^{\n  key1 = 1,\n", "long tables break over lines")
tap.like(pretty(db), "^ombuds%.Store", "userdata print through __tostring")

tap.is(ombuds.json({a = 1, b = {1, 2}, c = "x\n"}), '{"a":1,"b":[1,2],"c":"x\\n"}', "ombuds.json")
tap.is(ombuds.json({}), "[]", "an empty table is an empty list")
tap.is(ombuds.json(0.5), "0.5", "reals")
tap.raises("cannot encode a function as JSON", "functions are not JSON", ombuds.json, print)
tap.raises("contains itself", "cycles are not JSON", ombuds.json, cyc)
local back = ombuds.parse_json('{"a": [1, 2.5, "\\u00e9", null, true], "b": {"c": null}}')
tap.is(back.a[2], 2.5, "parse_json numbers")
tap.is(back.a[3], "é", "parse_json \\u escapes")
tap.is(#back.a, 4, "nulls are left out of lists")
tap.is(next(back.b), nil, "and out of objects")
tap.raises("JSON: ", "bad JSON is an error", ombuds.parse_json, "{1}")
tap.done()
