-- The shop-traffic wrk script (bench/shop.py fills in DATA; see bench/README.md).
-- wrk -t2 -c16 -s <generated>.lua URL -- <kind|mix> <seed> <spare offset>
-- request() draws the next request from the mix (or one kind); response() counts statuses per thread;
-- done() prints one line `SHOP_JSON {...}` with the summed counters.
DATA = __DATA__

local NSLOT = 12        -- products a customer's adds cycle over (cart lines stay <= 12, quantities low)
local ADD_GAP = 64      -- a checkout only takes a customer whose last add was issued this many requests ago
local STALE = 3000      -- checkouts never answered 201 (failed) stop blocking their customers after this

local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function pick(list)
  return list[math.random(#list)]
end

local function bearer(token, json)
  local h = {["Authorization"] = "Bearer " .. token}
  if json then h["Content-Type"] = "application/json" end
  return h
end

function init(args)
  local only = args[1] or "mix"
  math.randomseed(tonumber(args[2] or "1") + 7919 * tid)
  local spare_offset = tonumber(args[3] or "0")
  kinds, cumulative = {}, {}
  local total = 0
  for _, kw in ipairs(DATA.weights) do
    local weight = (only == "mix") and kw[2] or ((only == kw[1]) and 1 or 0)
    if weight > 0 then
      total = total + weight
      table.insert(kinds, kw[1])
      table.insert(cumulative, total)
    end
  end
  if total == 0 then error("unknown kind " .. only) end
  for i = 1, #cumulative do cumulative[i] = cumulative[i] / total end
  cumulative[#cumulative] = 2  -- no float rounding gap at the top
  counts = {}
  for _, kw in ipairs(DATA.weights) do counts[kw[1]] = 0 end
  n2xx, n3xx, n4xx, n5xx = 0, 0, 0, 0
  regular_checkouts, spare_used, spare_missing = 0, 0, 0
  first_error = ""
  seq = 0
  -- Checkouts in flight (issued, no 201 yet) and the customers they block: no add for such a customer until
  -- every checkout of the thread is answered (only a checkout answers 201), so an add never races a checkout.
  inflight, inflight_seq, blocked = 0, 0, {}
  -- this thread's customers: every DATA.threads-th one, so no customer is shared between threads
  mine = {}
  local np = #DATA.products
  for i, token in ipairs(DATA.customers) do
    if (i - 1) % DATA.threads == tid then
      local c = {get = bearer(token, false), post = bearer(token, true), slots = {}, qty = {},
                 lines = 1, next_slot = 2, last_add = -1000000}
      for j = 0, NSLOT - 1 do c.slots[j + 1] = DATA.products[((i - 1) * 3 + j) % np + 1] end
      c.qty[1] = 1  -- the untimed refill before every run put one unit of slot 1 in the cart
      table.insert(mine, c)
    end
  end
  spares = {}
  if DATA.spares_file ~= "" then
    local n = 0
    for line in io.lines(DATA.spares_file) do
      if n >= spare_offset and n % DATA.threads == tid then table.insert(spares, line) end
      n = n + 1
    end
  end
  staff_list = {bearer(DATA.admin, false), bearer(DATA.manager, false)}
  staff_all = {bearer(DATA.admin, false), bearer(DATA.manager, false), bearer(DATA.cashier, false)}
end

local function customer(writing)
  for _ = 1, 8 do
    local c = pick(mine)
    if not (writing and blocked[c]) then return c end
  end
  for _, c in ipairs(mine) do
    if not blocked[c] then return c end
  end
  return mine[1]
end

local function checkout_request(headers)
  inflight, inflight_seq = inflight + 1, seq
  return wrk.format("POST", "/api/orders", headers, DATA.checkout_body)
end

local function get(path, headers)
  return wrk.format("GET", path, headers)
end

local SORTS = {"price", "-price", "name", "-name", "created_at"}
local SIZES = {12, 24, 48}

local BUILD = {}

BUILD.browse = function()
  local r = math.random()
  local per_page = (r < 0.85 and r >= 0.70) and pick(SIZES) or 20
  local pages = math.min(7, math.ceil(#DATA.products / per_page))
  local path = "/api/products?page=" .. math.random(pages)
  if r >= 0.70 and r < 0.85 then
    path = path .. "&per_page=" .. per_page
  elseif r >= 0.85 then
    path = path .. "&sort=" .. pick(SORTS)
  end
  return get(path)
end

BUILD.filters = function()
  local r = math.random()
  if r < 0.4 or #DATA.parents == 0 then
    return get("/api/products?category_id=" .. pick(DATA.leaves))
  elseif r < 0.7 then
    return get("/api/products?category_id=" .. pick(DATA.parents) .. "&include_subcategories=true")
  end
  return get("/api/products?featured=true")
end

BUILD.search = function()
  return get("/api/products?search_type=name&search_value=" .. pick(DATA.terms))
end

BUILD.product = function()
  return get("/api/products/" .. pick(DATA.products))
end

BUILD.categories = function()
  local r = math.random()
  if r < 0.5 then return get("/api/categories") end
  if r < 0.75 then return get("/api/categories?parent_only=true") end
  return get("/api/categories/" .. pick(DATA.categories))
end

BUILD.cart_read = function()
  return get("/api/cart", customer(false).get)
end

BUILD.cart_add = function()
  local c = customer(true)
  local slot = c.next_slot
  for _ = 1, NSLOT do  -- a line at 100 (never reached in practice) is skipped: the API's cap
    if (c.qty[slot] or 0) < 100 then break end
    slot = slot % NSLOT + 1
  end
  c.next_slot = slot % NSLOT + 1
  if c.qty[slot] == nil then c.lines = c.lines + 1 end
  c.qty[slot] = (c.qty[slot] or 0) + 1
  c.last_add = seq
  return wrk.format("POST", "/api/cart/items", c.post,
                    '{"product_id": ' .. c.slots[slot] .. ', "quantity": 1}')
end

BUILD.checkout = function()
  -- The customer with the fullest cart whose last add is long answered; when no customer of the thread has
  -- anything in the cart (the checkout-alone run), a spare buyer (a prepared one-line cart, used once).
  local best = nil
  for _, c in ipairs(mine) do
    if c.lines > 0 and not blocked[c] and seq - c.last_add >= ADD_GAP and (best == nil or c.lines > best.lines) then
      best = c
    end
  end
  if best then
    best.lines, best.qty, blocked[best] = 0, {}, true
    regular_checkouts = regular_checkouts + 1
    return checkout_request(best.post)
  end
  spare_used = spare_used + 1
  local token = spares[spare_used]
  if token == nil then  -- pool spent: an empty cart, a 400 that is counted
    spare_missing = spare_missing + 1
    return checkout_request(customer(true).post)
  end
  return checkout_request(bearer(token, true))
end

BUILD.my_orders = function()
  return get(math.random() < 0.75 and "/api/orders" or "/api/orders?page=2", customer(false).get)
end

BUILD.me = function()
  return get("/api/auth/me", customer(false).get)
end

BUILD.staff_orders = function()
  return get("/api/orders/admin?page=" .. math.random(5), pick(staff_list))
end

BUILD.today = function()
  return get("/api/orders/today", pick(staff_all))
end

BUILD.static = function()
  return get("/static.json")
end

function request()
  seq = seq + 1
  if inflight > 0 and seq - inflight_seq > STALE then inflight, blocked = 0, {} end
  local r = math.random()
  local k = 1
  while cumulative[k] < r do k = k + 1 end
  local kind = kinds[k]
  counts[kind] = counts[kind] + 1
  return BUILD[kind]()
end

function response(status, headers, body)
  if status < 300 then
    n2xx = n2xx + 1
    if status == 201 and inflight > 0 then  -- only a checkout answers 201
      inflight = inflight - 1
      if inflight == 0 then blocked = {} end
    end
  elseif status < 400 then
    n3xx = n3xx + 1
  elseif status < 500 then
    n4xx = n4xx + 1
  else
    n5xx = n5xx + 1
  end
  if status >= 400 and first_error == "" then
    first_error = status .. " " .. string.sub(string.gsub(body or "", '[%c"\\]', " "), 1, 160)
  end
end

function done(summary, latency, requests)
  local sum = {n2xx = 0, n3xx = 0, n4xx = 0, n5xx = 0, regular_checkouts = 0, spare_used = 0, spare_missing = 0}
  local spare_max, issued, errors = 0, {}, {}
  for _, thread in ipairs(threads) do
    local e = thread:get("first_error") or ""
    if e ~= "" then table.insert(errors, '"' .. e .. '"') end
    for name, _ in pairs(sum) do sum[name] = sum[name] + (thread:get(name) or 0) end
    spare_max = math.max(spare_max, thread:get("spare_used") or 0)
    local c = thread:get("counts") or {}
    for kind, n in pairs(c) do issued[kind] = (issued[kind] or 0) + n end
  end
  local parts = {}
  for kind, n in pairs(issued) do table.insert(parts, string.format('"%s": %d', kind, n)) end
  io.write(string.format('SHOP_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, '
    .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "socket_errors": %d, "n2xx": %d, "n3xx": %d, "n4xx": %d, '
    .. '"n5xx": %d, "regular_checkouts": %d, "spare_used": %d, "spare_max": %d, "spare_missing": %d, '
    .. '"issued": {%s}, "first_errors": [%s]}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    sum.n2xx, sum.n3xx, sum.n4xx, sum.n5xx, sum.regular_checkouts, sum.spare_used, spare_max, sum.spare_missing,
    table.concat(parts, ", "), table.concat(errors, ", ")))
end
