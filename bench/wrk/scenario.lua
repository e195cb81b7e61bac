-- One benchmark scenario for wrk, described by a spec file the driver writes:
--   wrk -t2 -c32 -d10s --latency -s bench/wrk/scenario.lua http://127.0.0.1:8000 -- SPEC
-- Spec lines: "method GET", "path /api/v1/tasks/{id}", "header Name: value" (repeatable),
-- "body <one line>", "ids 12 40 77 ..." ({id} in the path takes them round-robin).
-- Every response that is not 2xx is counted (wrk itself counts only >= 400), and done()
-- prints one "BENCH_JSON {...}" line that the driver parses.

local spec = { method = "GET", path = "/", headers = {}, body = nil, ids = {} }
local threads = {}
local counter = 0
non2xx = 0

local function load_spec(path)
  local file = assert(io.open(path, "r"), "cannot open spec " .. tostring(path))
  for line in file:lines() do
    local key, value = line:match("^(%S+) (.*)$")
    if key == "method" then spec.method = value
    elseif key == "path" then spec.path = value
    elseif key == "body" then spec.body = value
    elseif key == "header" then
      local name, header_value = value:match("^([^:]+):%s*(.*)$")
      spec.headers[name] = header_value
    elseif key == "ids" then
      for id in value:gmatch("%d+") do table.insert(spec.ids, id) end
    end
  end
  file:close()
end

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  load_spec(args[1])
  -- Threads start at different ids so that they do not update the same rows in step.
  counter = (thread_index or 0) * math.floor(#spec.ids / 2 + 0.5)
end

function request()
  local path = spec.path
  if #spec.ids > 0 then
    counter = counter + 1
    path = path:gsub("{id}", spec.ids[(counter % #spec.ids) + 1])
  end
  return wrk.format(spec.method, path, spec.headers, spec.body)
end

-- A 304 answers a poll's If-None-Match: what that scenario expects, not an error.
function response(status, headers, body)
  if (status < 200 or status > 299) and status ~= 304 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do
    not_ok = not_ok + (thread:get("non2xx") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, '
      .. '"p95_us": %d, "p99_us": %d, "max_us": %d, "non2xx": %d, "connect": %d, "read": %d, "write": %d, '
      .. '"timeout": %d, "status_errors": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max, not_ok, errors.connect,
    errors.read, errors.write, errors.timeout, errors.status))
end
