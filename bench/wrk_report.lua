-- wrk script for bench/loadtest.py: counts statuses, replays prepared POST bodies, keeps 201 ids.
--   wrk ... -s bench/wrk_report.lua <url> -- get
--   wrk ... -s bench/wrk_report.lua <url> -- post BODIES_FILE IDS_DIR STEP [nokey]
-- BODIES_FILE has one request a line: "<idempotency key>\t<json body>"; each thread takes every
-- n-th line and starts over (same keys, so a replay is idempotent) when it runs out. With
-- "nokey" the Idempotency-Key header is left out (to measure what the key costs).
-- done() prints one line "WRKJSON {...}" that loadtest.py parses.

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  mode = args[1] or "get"
  if mode == "post" then
    keys, bodies = {}, {}
    for line in io.lines(args[2]) do
      local key, body = string.match(line, "^([^\t]+)\t(.*)$")
      table.insert(keys, key)
      table.insert(bodies, body)
    end
    step = tonumber(args[4] or "1")
    send_key = args[5] ~= "nokey"
    first = tid + 1
    nxt = first
    ids = io.open(args[3] .. "/ids-" .. tid .. ".txt", "w")
  end
end

function request()
  if mode ~= "post" then
    return wrk.format(nil)
  end
  if nxt > #bodies then
    nxt = first
  end
  local i = nxt
  nxt = nxt + step
  local headers = {["Content-Type"] = "application/json"}
  if send_key then
    headers["Idempotency-Key"] = keys[i]
  end
  return wrk.format("POST", nil, headers, bodies[i])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if mode == "post" and status == 201 then
    local id = string.match(body, '"id":"([%x%-]+)"')
    if id then
      ids:write(id, "\n")
      ids:flush()
    end
  end
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    if counts then
      for status, n in pairs(counts) do
        merged[status] = (merged[status] or 0) + n
      end
    end
  end
  local parts = {}
  for status, n in pairs(merged) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "status_errors": %d, "timeout": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, "statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50.0), latency:percentile(95.0), latency:percentile(99.0),
    latency.max, latency.mean, table.concat(parts, ", ")))
end
