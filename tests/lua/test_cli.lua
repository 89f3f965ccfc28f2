-- SPDX-License-Identifier: GPL-3.0-or-later
-- test_cli.lua -- the script side of the command line, by running ombuds:
-- -e, `run` with arg, failing scripts, piped standard input, --safe and
-- --timeout.
local tap = require "tap"
local ombuds_bin = assert(os.getenv("OMBUDS"))
local tmp = assert(os.getenv("OMBUDS_TEST_TMP"))

local function sh_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end
-- Runs a shell command; returns its output (stdout and stderr) and status.
local function run(cmd)
  local p = io.popen(cmd .. " 2>&1")
  local out = p:read("a")
  local _, _, status = p:close()
  return out, status
end
local function script(name, text)
  local path = tmp .. "/" .. name
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
  return path
end
local bin = sh_quote(ombuds_bin)

local out, st = run(bin .. " -e 'print(1 + 1)'")
tap.is(out, "2\n", "-e runs a chunk")
tap.is(st, 0, "and exits 0")
out = run(bin .. " -e 'print(db:count())'")
tap.like(out, "^%d+\n$", "-e has db")
local s = script("args.lua", "print(arg[0], arg[1], arg[2], select('#', ...), ...)\n")
out = run(bin .. " run " .. sh_quote(s) .. " a 'b c'")
tap.is(out, s .. "\ta\tb c\t2\ta\tb c\n", "run sets arg and ... as lua does")
s = script("fail.lua", "local x = 1\nerror('boom')\n")
out, st = run(bin .. " run " .. sh_quote(s))
tap.is(st, 1, "a failing script exits 1")
tap.like(out, "^ombuds: [^\n]*fail%.lua:2: boom\n", "with script:line: message")
tap.like(out, "stack traceback:", "and a traceback")
out, st = run(bin .. " run " .. sh_quote(tmp .. "/missing.lua"))
tap.is(st, 1, "a missing script exits 1")
tap.like(out, "cannot open", "and says so")
out = run("echo 'print(db:count() >= 1)' | " .. bin)
tap.is(out, "true\n", "standard input that is not a terminal runs as a script")
out, st = run(bin .. " run")
tap.is(st, 2, "run without a script is a usage error")
out, st = run(bin .. " -e 'x ='")
tap.is(st, 1, "a syntax error in -e exits 1")
tap.like(out, "%(command line%):1:", "and names the command line")

local safe = script("safe.lua", [[
local function refused(f, ...) local ok, e = pcall(f, ...) return not ok and e:find("not allowed in %-%-safe mode") ~= nil end
print("execute", refused(os.execute, "true"))
print("popen", refused(io.popen, "true"))
print("write", refused(io.open, "]] .. tmp .. [[/w.txt", "w"))
print("output", refused(io.output, "]] .. tmp .. [[/w.txt"))
print("remove", refused(os.remove, "]] .. tmp .. [[/w.txt"))
print("loadlib", refused(package.loadlib, "x", "y"))
print("ingest", refused(db.ingest, db, "]] .. tmp .. [["))
print("csv", refused(function() return db:query("SELECT 1 AS x"):csv("]] .. tmp .. [[/w.csv") end))
print("read", io.open("]] .. ombuds_bin .. [[") ~= nil)
print("binary", load(string.dump(function() end)) == nil)
print("debug", debug == nil)
print("query", db:count() >= 1)
]])
out, st = run(bin .. " run --safe " .. sh_quote(safe))
tap.is(st, 0, "a --safe script runs")
for _, what in ipairs{"execute", "popen", "write", "output", "remove", "loadlib", "ingest", "csv", "read",
                      "binary", "debug", "query"} do
  tap.like(out, what .. "\ttrue", "--safe: " .. what)
end
local f = io.open(tmp .. "/w.txt")
tap.is(f, nil, "--safe wrote no file")
if f then f:close() end

local loop = script("loop.lua", "while true do end\n")
out, st = run(bin .. " run --timeout 1 " .. sh_quote(loop))
tap.is(st, 1, "--timeout stops a Lua loop")
tap.like(out, "timed out after 1 second", "and says so")
local slow = script("slow.lua", [[
db:query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")
]])
out, st = run(bin .. " run --timeout 1 " .. sh_quote(slow))
tap.is(st, 1, "--timeout stops a long query")
tap.like(out, "timed out after 1 second", "through the query")
out, st = run(bin .. " run --timeout x " .. sh_quote(slow))
tap.is(st, 2, "--timeout wants seconds")
tap.done()
