-- wrk script for bench/load.py: a weighted mix of prepared requests, with latencies per endpoint.
--
--   wrk -t N -c N -d 60s -s bench/replay.lua http://127.0.0.1:PORT -- DIR N scan:30,queue:25,...
--
-- DIR/<endpoint>.tsv holds the endpoint's requests, one a line:
--   METHOD <tab> PATH <tab> BEARER TOKEN <tab> IDEMPOTENCY KEY <tab> JSON BODY      (empty fields allowed)
-- Thread n of N takes lines n, n+N, n+2N ... of each file and sends them in order, starting over when it runs
-- out (counted as `wrapped`: load.py makes the files long enough that one-time requests never repeat). Each
-- request's endpoint is drawn by weight. With one connection per thread (-t N -c N) a thread's request()
-- and response() alternate strictly, so the time between them (CLOCK_MONOTONIC through LuaJIT's FFI) is that
-- request's latency; done() prints one JSON object with counts, latency percentiles (µs), answers by status
-- and a few bodies of answers outside 2xx, per endpoint. What done() reads from the threads is kept in flat
-- globals per endpoint (lat_<name>, st_<name>, sm_<name>, wr_<name>): wrk 4.1's thread:get() crashes on
-- nested tables.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } jiashu_timespec;
int clock_gettime(int clk_id, jiashu_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("jiashu_timespec")

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000000 + tonumber(timespec.tv_nsec) / 1000
end

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local dir, nthreads, mix = args[1], tonumber(args[2]), args[3]
  mix_arg = mix
  names, cumulative, total = {}, {}, 0
  reqs, pos, lats, statuses, samples = {}, {}, {}, {}, {}
  for name, weight in mix:gmatch("([%w_]+):(%d+)") do
    total = total + tonumber(weight)
    table.insert(names, name)
    table.insert(cumulative, total)
    reqs[name], pos[name] = {}, 0
    lats[name], statuses[name], samples[name] = {}, {}, {}
    _G["lat_" .. name], _G["st_" .. name], _G["sm_" .. name], _G["wr_" .. name] =
        lats[name], statuses[name], samples[name], 0
    local i = 0
    for line in io.lines(dir .. "/" .. name .. ".tsv") do
      if i % nthreads == id - 1 then
        local method, path, token, key, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
        local headers = {}
        if token ~= "" then headers["Authorization"] = "Bearer " .. token end
        if key ~= "" then headers["Idempotency-Key"] = key end
        if body ~= "" then headers["Content-Type"] = "application/json" else body = nil end
        table.insert(reqs[name], wrk.format(method, path, headers, body))
      end
      i = i + 1
    end
    if #reqs[name] == 0 then error("no requests for " .. name .. " in thread " .. id) end
  end
  math.randomseed(id * 7919 + os.time())
  current, started = nil, 0
end

function request()
  local r, k = math.random() * total, 1
  while cumulative[k] < r do k = k + 1 end
  current = names[k]
  local p = pos[current] + 1
  if p > #reqs[current] then
    p = 1
    _G["wr_" .. current] = _G["wr_" .. current] + 1
  end
  pos[current] = p
  started = now_us()
  return reqs[current][p]
end

function response(status, headers, body)
  local name = current
  table.insert(lats[name], now_us() - started)
  statuses[name][status] = (statuses[name][status] or 0) + 1
  if (status < 200 or status > 299) and #samples[name] < 3 then
    table.insert(samples[name], tostring(status) .. " " .. string.sub(body or "", 1, 300))
  end
end

local function quote(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end

local function percentile(sorted, p)
  if #sorted == 0 then return 0 end
  return sorted[math.max(1, math.ceil(#sorted * p / 100))]
end

function done(summary, latency, requests)
  local merged, mix = {}, threads[1]:get("mix_arg")   -- the main Lua state never sees the arguments
  for name in mix:gmatch("([%w_]+):%d+") do
    local m = { lats = {}, statuses = {}, samples = {}, wrapped = 0 }
    merged[name] = m
    for _, thread in ipairs(threads) do
      for _, v in ipairs(thread:get("lat_" .. name)) do table.insert(m.lats, v) end
      for status, n in pairs(thread:get("st_" .. name)) do m.statuses[status] = (m.statuses[status] or 0) + n end
      for _, s in ipairs(thread:get("sm_" .. name)) do
        if #m.samples < 5 then table.insert(m.samples, quote(s)) end
      end
      m.wrapped = m.wrapped + thread:get("wr_" .. name)
    end
  end
  local parts = {}
  for name, m in pairs(merged) do
    table.sort(m.lats)
    local sum = 0
    for _, v in ipairs(m.lats) do sum = sum + v end
    local st = {}
    for status, n in pairs(m.statuses) do table.insert(st, string.format('"%d": %d', status, n)) end
    table.insert(parts, string.format(
      '"%s": {"requests": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, ' ..
      '"wrapped": %d, "statuses": {%s}, "samples": [%s]}',
      name, #m.lats, percentile(m.lats, 50), percentile(m.lats, 90), percentile(m.lats, 99),
      m.lats[#m.lats] or 0, #m.lats > 0 and sum / #m.lats or 0, m.wrapped, table.concat(st, ", "),
      table.concat(m.samples, ", ")))
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
    '"timeouts": %d, "endpoints": {%s}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, table.concat(parts, ", ")))
end
