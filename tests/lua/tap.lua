-- SPDX-License-Identifier: GPL-3.0-or-later
-- tap.lua -- a small Test Anything Protocol helper for the Lua API tests
-- (tests/lua/test_*.lua, run by tests/lua/run.sh through `ombuds run`).
-- Each check prints "ok N - what" or "not ok N - what" with what was wanted
-- and got; run.sh numbers the lines of all files and prints the plan.
local tap = {}
local n, failed = 0, 0

local function show(v)
  if type(v) == "string" then return string.format("%q", v) end
  return tostring(v)
end

function tap.ok(cond, what)
  n = n + 1
  print((cond and "ok " or "not ok ") .. n .. " - " .. what)
  if not cond then failed = failed + 1 end
  return cond
end

function tap.is(got, want, what)
  local ok = got == want
  tap.ok(ok, what)
  if not ok then
    print("#   want: " .. show(want))
    print("#    got: " .. show(got))
  end
  return ok
end

function tap.like(got, pattern, what)
  local ok = type(got) == "string" and got:find(pattern) ~= nil
  tap.ok(ok, what)
  if not ok then
    print("#   want to match: " .. pattern)
    print("#             got: " .. show(got))
  end
  return ok
end

-- Calls f(...) and checks that it raises an error matching pattern
-- (a plain substring when plain is true).
function tap.raises(pattern, what, f, ...)
  local ok, err = pcall(f, ...)
  local matched = not ok and tostring(err):find(pattern, 1, true) ~= nil
  tap.ok(matched, what)
  if not matched then
    print("#   want an error containing: " .. pattern)
    print("#                        got: " .. (ok and "no error" or show(tostring(err))))
  end
  return matched
end

-- Ends the file: exit status 1 when a check failed.
function tap.done()
  os.exit(failed == 0 and 0 or 1, true) -- closing the state keeps valgrind quiet
end

return tap
