-- wrk script of the enrollment benchmark: every request is a new application of a distinct
-- (family token, child, group) pair read from $PAIRS; threads take disjoint lines.
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  local n = tonumber(os.getenv("THREADS") or "2")
  lines = {}
  local i = 0
  for line in io.lines(os.getenv("PAIRS")) do
    if i % n == id - 1 then lines[#lines + 1] = line end
    i = i + 1
  end
  pos = 0
  created, refused, failed = 0, 0, 0
end

function request()
  pos = pos + 1
  if pos > #lines then pos = 1 end
  local token, child, group = lines[pos]:match("(%S+) (%S+) (%S+)")
  return wrk.format("POST", "/api/v1/applications",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" },
    '{"group":"' .. group .. '","child":"' .. child .. '"}')
end

function response(status, headers, body)
  if status == 201 then created = created + 1
  elseif status < 500 then refused = refused + 1
  else failed = failed + 1 end
end

function done(summary, latency, requests)
  local c, r, f = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created"); r = r + t:get("refused"); f = f + t:get("failed")
  end
  io.write(string.format("created %d refused %d failed %d seconds %.3f p50 %.2f p99 %.2f\n",
    c, r, f, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
