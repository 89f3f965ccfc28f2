-- SPDX-License-Identifier: GPL-3.0-or-later
-- test_store.lua -- the ombuds.Store handle and ombuds.Result: read-only
-- queries with bound parameters, value types, rows, columns, CSV and JSON,
-- closing, and the errors for misuse.
local tap = require "tap"
local tmp = assert(os.getenv("OMBUDS_TEST_TMP"))

tap.like(tostring(db), "^ombuds%.Store %(", "db is an open store")
local n = db:query("SELECT count(*) AS n FROM cases")[1].n
tap.ok(n >= 1, "the fixtures are in the store")
tap.is(db:count(), n, "db:count() counts the cases")
tap.is(db:count{year = 2023}, db:query("SELECT count(*) AS n FROM cases WHERE year = ?", 2023)[1].n,
       "db:count{year=} filters")

local r = db:query("SELECT ref, authority FROM cases WHERE ref = ?", "22 001 239")
tap.is(#r, 1, "#r counts rows")
tap.is(r[1].authority, "Hampshire County Council", "r[i].column reads a value")
tap.is(r[2], nil, "a row past the end is nil")
tap.is(r:columns()[2], "authority", "r:columns() lists the columns in order")
tap.like(tostring(r), "^ombuds%.Result %(1 row, 2 columns%)", "tostring of a result")

tap.is(db:query("SELECT :a + 1 AS v", {a = 41})[1].v, 42, "named parameters from a table")
local row = db:query("SELECT 1 AS i, 1.5 AS f, NULL AS n, 'x' AS s, ? AS b", true)[1]
tap.is(math.type(row.i), "integer", "integers stay integers")
tap.is(row.f, 1.5, "reals are numbers")
tap.is(row.n, nil, "NULL is nil")
tap.is(row.b, 1, "booleans bind as 1/0")

local all = db:query("SELECT ref FROM cases ORDER BY ref")
local k = 0
for row in all:rows() do k = k + 1; assert(row.ref) end
tap.is(k, #all, "r:rows() visits every row")
local seen = 0
for i, row in ipairs(all) do seen = i end
tap.is(seen, #all, "ipairs works over a result")

local csv = db:query("SELECT ref, 'a,b' AS x FROM cases WHERE ref = '22 001 239'"):csv()
tap.is(csv, 'ref,x\r\n22 001 239,"a,b"\r\n', "r:csv() returns RFC 4180 text")
local path = tmp .. "/out.csv"
db:query("SELECT ref FROM cases ORDER BY ref LIMIT 1"):csv(path)
local f = assert(io.open(path))
tap.like(f:read("a"), "^ref\r\n%d%d %d%d%d %d%d%d\r\n$", "r:csv(path) writes the file")
f:close()
local js = db:query("SELECT ref, 1 AS one, NULL AS none FROM cases WHERE ref = '22 001 239'"):json()
tap.is(js, '[{"ref":"22 001 239","one":1}]', "r:json() keeps column order and leaves NULL out")
tap.is(ombuds.parse_json(js)[1].ref, "22 001 239", "the JSON reads back")

tap.raises("only reads the store", "db:query refuses writes", db.query, db, "DELETE FROM cases")
tap.raises("only reads the store", "db:query refuses writes in a WITH", db.query, db,
           "WITH x AS (SELECT 1) INSERT INTO warnings SELECT 1, 1, 'x' FROM x")
tap.raises("exactly one SQL statement", "one statement at a time", db.query, db, "SELECT 1; SELECT 2")
tap.raises("has 1 parameter but 0 values were given", "missing parameters are an error", db.query, db,
           "SELECT ?")
tap.raises("bad argument #3 to 'query' (SQL parameter 2", "a table is not a SQL value",
           function() return db:query("SELECT ?, ?", 1, {}) end)
tap.raises("query: no such column: nope", "SQLite errors name the method", db.query, db, "SELECT nope")
tap.raises("bad argument #1 to 'query' (string expected", "the SQL must be a string",
           function() return db:query() end)

local other = ombuds.open(tmp .. "/other.db")
tap.like(tostring(other), "other%.db%)$", "ombuds.open opens (and creates) a store")
tap.is(other:count(), 0, "a new store is empty")
tap.like(other:path(), "other%.db$", "store:path()")
other:close()
tap.is(tostring(other), "ombuds.Store (closed)", "tostring of a closed store")
tap.raises("attempt to use a closed store", "a closed store refuses work", other.count, other)
tap.ok(pcall(other.close, other), "closing twice is harmless")
do
  local s <close> = ombuds.open(tmp .. "/other.db")
  tap.is(s:count(), 0, "a store works as a to-be-closed variable")
end
local ro = ombuds.open(tmp .. "/other.db", {readonly = true})
tap.raises("only reads", "a read-only store still refuses writes", ro.query, ro, "DELETE FROM cases")
ro:close()
tap.raises("cannot open store", "opening in a missing directory fails clearly", ombuds.open,
           tmp .. "/no/such/dir/x.db")
tap.raises("ombuds.Store expected, got number", "methods check their object", db.count, 42)
tap.done()
