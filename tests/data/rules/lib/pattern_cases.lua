-- Fixture for tests/unit/test_rules_api.c: string.find, match, gmatch and
-- gsub on many patterns, errors included.  The test runs it both in stock
-- Lua and in the sandbox (whose pattern functions are the engine's own)
-- and expects the same text.
local function show(...)
  local out = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    out[#out + 1] = (math.type(v) or type(v)) .. ":" .. tostring(v)
  end
  return table.concat(out, ",")
end

local function collect(s, p, init)
  local out = {}
  for a, b in string.gmatch(s, p, init) do out[#out + 1] = show(a, b) end
  return table.concat(out, ";")
end

local upper_but_l = function(c) if c == "l" then return nil end return c:upper() end
local swap = function(a, b) return b .. a end

local CASES = {
  { "find", "hello world", "o w" }, { "find", "hello world", "o", 6 },
  { "find", "hello", "l+" }, { "find", "hello", "^h(.-)o$" },
  { "find", "a.b", ".", 1, true }, { "find", "a+b", "+" },
  { "find", "abc", "b", 10 }, { "find", "abc", "", 4 }, { "find", "abc", "", 5 },
  { "find", "abc", "c", -1 }, { "find", "abc", "a", -10 }, { "find", "", "" },
  { "find", "x^y", "^y" }, { "find", "x^y", "%^y" },
  { "match", "  trim me  ", "^%s*(.-)%s*$" }, { "match", "key=value", "(%w+)=(%w+)" },
  { "match", "2024-05-01", "^(%d%d%d%d)-(%d%d)-(%d%d)$" },
  { "match", "THE (quick) fox", "%((%a+)%)" }, { "match", "f(a(b)c)d", "%b()" },
  { "match", "f(a(b c)d", "%b()" }, { "match", "hello", "()ll()" },
  { "match", "THE (quick) fox", "%f[%a]%a+" }, { "match", "the end", "%f[%z]" },
  { "match", "abcabc", "(abc)%1" }, { "match", "abab", "()a%1" },
  { "match", "]", "[]]" }, { "match", "a-z", "[a%-z]+" }, { "match", "b-y", "[a-z]+" },
  { "match", "hello123", "[^%d]+" }, { "match", "hello", "h?e?x?llo" },
  { "match", "", "a*" }, { "match", "abc", "", 10 }, { "match", "a$b", "a$b" },
  { "match", "ab", "b$" }, { "match", "é ü", "[\128-\255]+" },
  { "match", "aaa", "a-b" }, { "match", "aaab", "a-b" }, { "match", "aaab", "a+b" },
  { "match", "x = 1, y = 22", "(%a)%s*=%s*(%d+)$" },
  { "match", "Tab\there", "%c" }, { "match", "AbC", "%u%l%U" },
  { "match", "0x1F!", "%x+" }, { "match", "a,b", "%p" }, { "match", "a b", "%S+%s%S" },
  { "match", "a.b", "%." }, { "match", "[x]", "%[(.)%]" }, { "match", "%d", "%%d" },
  { "match", "x", "[" }, { "match", "x", "[a" }, { "match", "x", "%" },
  { "match", "x", "(()" }, { "match", "x", "%1" }, { "match", "x", ")" },
  { "match", "x", "%f" }, { "match", "x", "%b" }, { "match", "x", "%0" },
  { "match", "x", ("("):rep(33) .. "x" .. (")"):rep(33) },
  { "match", ("x"):rep(210), ("x?"):rep(210) },
  { "gmatch", "one two  three", "%a+" }, { "gmatch", "k1=v1, k2=v2", "(%w+)=(%w+)" },
  { "gmatch", "abc", "" }, { "gmatch", "abc", "^a" }, { "gmatch", "hello", "l*" },
  { "gmatch", "hello world", "%a+", 7 }, { "gmatch", "abc", "()", -2 },
  { "gsub", "hello world", "o", "0" }, { "gsub", "hello world", "(%w+)", "<%1>" },
  { "gsub", "hello world", "%w+", "%0 %0", 1 }, { "gsub", "abc", "", "-" },
  { "gsub", "hello", "l", { l = "L" } }, { "gsub", "hello", ".", upper_but_l },
  { "gsub", "abc", "%w", "%2" }, { "gsub", "abc", "%w", "%x" },
  { "gsub", "abc", "(b)", "%%" }, { "gsub", "abc", "()b", "%1" },
  { "gsub", "a,b,,c", ",", ";", 2 }, { "gsub", "  x  ", "^%s+", "" },
  { "gsub", "hello", "l", false }, { "gsub", "hello", "(l)(l)", swap },
  { "gsub", "hello", "l", {} }, { "gsub", "x", "x", { x = {} } },
  { "gsub", "hello", "", "", 0 }, { "gsub", "héllo", "[\128-\255]", "?" },
  { "gsub", "abc", ".", { a = 1, b = true } },
}

return function()
  local out = {}
  for i, c in ipairs(CASES) do
    local fn = c[1]
    local ok, a, b, d, e = pcall(function()
      if fn == "gmatch" then return collect(c[2], c[3], c[4]) end
      return string[fn](c[2], c[3], c[4], c[5])
    end)
    out[#out + 1] = i .. " " .. fn .. " " .. (ok and show(a, b, d, e) or ("error " .. tostring(a)))
  end
  return table.concat(out, "\n")
end
