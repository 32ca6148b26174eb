-- wrk script: each request is a random line of the file given after `--`
-- ("PATH<TAB>TOKEN"), sent with that bearer token over keep-alive
-- connections. done() prints one JSON object, prefixed with the
-- BENCH_LABEL environment variable (JSON members ending in a comma).
local reqs = {}

function init(args)
  local f = assert(io.open(args[1], "r"))
  for line in f:lines() do
    local path, token = line:match("^([^\t]+)\t(.+)$")
    if path then
      reqs[#reqs + 1] = wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
    end
  end
  f:close()
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function request()
  return reqs[math.random(#reqs)]
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    '{%s"rps":%.1f,"requests":%d,"p50_ms":%.3f,"p99_ms":%.3f,"p999_ms":%.3f,"mean_ms":%.3f,"max_ms":%.3f,"errors":%d,"status_errors":%d}\n',
    os.getenv("BENCH_LABEL") or "",
    summary.requests / secs, summary.requests,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.mean / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout + e.status, e.status))
end
