-- Sends pre-signed requests, each once: Fly's nonces may not repeat, and wrk's Lua cannot sign.
-- Arguments: the file of requests (one per line: signature, a tab, then the path and query of a
-- GET or the body of a POST), the method, and the mount prefix (/flyio or /plain).
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file, method, prefix = args[1], args[2], args[3]
  requests = {}
  for line in io.lines(file .. "." .. id) do
    local tab = line:find("\t", 1, true)
    local signature = line:sub(1, tab - 1)
    local rest = line:sub(tab + 1)
    if method == "GET" then
      requests[#requests + 1] = wrk.format("GET", prefix .. rest, { ["X-Signature"] = signature })
    else
      requests[#requests + 1] = wrk.format("POST", prefix .. "/extensions",
        { ["X-Signature"] = signature, ["Content-Type"] = "application/json" }, rest)
    end
  end
  index = 0
  wrapped = 0
end

function request()
  index = index + 1
  if index > #requests then
    -- Out of fresh requests: the SDK refuses these, and the run is reported as invalid.
    index = 1
    wrapped = wrapped + 1
  end
  return requests[index]
end

function done(summary, latency, requests)
  local wraps = 0
  for _, thread in ipairs(threads) do
    wraps = wraps + (thread:get("wrapped") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    "wrk-result requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d socket_errors=%d wrapped=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.status, errors.connect + errors.read + errors.write + errors.timeout, wraps))
end
