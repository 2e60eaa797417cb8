-- wrk script for Plaza's benchmark (scripts/bench/run.sh).
-- Spreads requests over the sessions that `plaza seed --sessions` wrote.
-- Environment: SESSIONS (file of "TOKEN CSRF USERNAME" lines), SCENARIO
-- (home | api_home | public | post | tag | posting | healthz), POST_IDS (file
-- of public post ids, one a line), API_TOKENS (file of "TOKEN USERNAME"
-- lines: client API bearer tokens for api_home, issue 19).

local sessions = {}
local scenario = os.getenv("SCENARIO") or "home"
local post_ids = {}
local tags = {
  "%E6%98%A5%E8%8A%82%E5%BF%AB%E4%B9%90", "%E8%AF%BB%E4%B9%A6%E6%89%93%E5%8D%A1", "%E6%91%84%E5%BD%B1",
  "rust", "ai", "coffee", "music", "running",
  "%E6%8A%80%E6%9C%AF%E5%88%86%E4%BA%AB", "%E6%A0%A1%E5%9B%AD%E7%94%9F%E6%B4%BB",
}
local counter = 0

for line in io.lines(os.getenv("SESSIONS")) do
  local token, csrf = line:match("^(%S+) (%S+)")
  if token then sessions[#sessions + 1] = { token = token, csrf = csrf } end
end

local api_tokens = {}
if os.getenv("API_TOKENS") then
  for line in io.lines(os.getenv("API_TOKENS")) do
    local token = line:match("^(%S+)")
    if token then api_tokens[#api_tokens + 1] = token end
  end
end

local thread_id = 0
if os.getenv("POST_IDS") then
  for line in io.lines(os.getenv("POST_IDS")) do post_ids[#post_ids + 1] = line end
end

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

function init(args)
  math.randomseed(os.time() + (tid or 0) * 7919)
end

local function session()
  return sessions[math.random(#sessions)]
end

function request()
  local s = session()
  local headers = { ["Cookie"] = "plaza_session=" .. s.token }
  if scenario == "home" then
    return wrk.format("GET", "/", headers)
  elseif scenario == "api_home" then
    -- The same home timeline as JSON, with a bearer token and no cookie.
    local t = api_tokens[math.random(#api_tokens)]
    return wrk.format("GET", "/api/v1/timelines/home", { ["Authorization"] = "Bearer " .. t })
  elseif scenario == "public" then
    return wrk.format("GET", "/public", headers)
  elseif scenario == "post" then
    return wrk.format("GET", "/posts/" .. post_ids[math.random(#post_ids)], headers)
  elseif scenario == "tag" then
    return wrk.format("GET", "/tags/" .. tags[math.random(#tags)], headers)
  elseif scenario == "posting" then
    counter = counter + 1
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local body = "csrf_token=" .. s.csrf .. "&visibility=public&body=" ..
      "%E5%8E%8B%E6%B5%8B%E5%B8%96%E5%AD%90+benchmark+post+" .. (tid or 0) .. "-" .. counter
    return wrk.format("POST", "/posts", headers, body)
  else
    return wrk.format("GET", "/healthz")
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RESULT scenario=%s requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx3xx=%d connect_err=%d read_err=%d timeouts=%d\n",
    scenario, summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors.status, errors.connect, errors.read, errors.timeout))
end
