-- Decides one redemption atomically. All keys share the campaign's hash tag (one cluster slot).
-- KEYS[1] budget hash    PREFIX:{c:C}:b                  (run, build, snap, cap = budget in fen, used = subsidy redeemed)
-- KEYS[2] merchant day   PREFIX:{c:C}:m:MERCHANT:DAY      (n = redemptions, fen = subsidy, that business day)
-- KEYS[3] voucher        PREFIX:{c:C}:v:VOUCHER           (the holder: the decision that redeemed it, see below)
-- KEYS[4] idempotency    PREFIX:{c:C}:x:MERCHANT:KEY      (the fingerprint of a request with this key still in flight)
-- ARGV: run id the caller knows, subsidy (fen), merchant daily redemption limit (0: none), merchant daily
--       subsidy cap (fen, 0: none), holder, request fingerprint, when the voucher key may go (unix ms)
-- The holder is REDEMPTION|DECIDED_AT_MS|SUBSIDY|MERCHANT|DAY|RUN|IDEMPOTENCY_KEY as the caller wrote it, then
-- |BUILD, the build of the counters that counted it: release.lua gives its counts back from it (only to
-- that build), and a decision that never reached Postgres can be recognised and released.
-- The budget is fenced unless the counters, the caller and this server all carry the same run id (prelude.lua).
-- Returns {status, value}: OK | FENCED run | IN_PROGRESS fingerprint | ALREADY_REDEEMED holder
--                          | BUDGET_EXHAUSTED | MERCHANT_LIMIT_REACHED count|subsidy
local budget = redis.call('HMGET', KEYS[1], 'run', 'cap', 'used', 'build')
local run = serverRun()
if budget[1] ~= run or ARGV[1] ~= run then return {'FENCED', run} end
-- A committed redemption with this key is found in Postgres before the script runs; here only one in flight.
local inFlight = redis.call('GET', KEYS[4])
if inFlight then return {'IN_PROGRESS', inFlight} end
local holder = redis.call('GET', KEYS[3])
if holder then return {'ALREADY_REDEEMED', holder} end
local subsidy = tonumber(ARGV[2])
if tonumber(budget[3] or '0') + subsidy > tonumber(budget[2]) then return {'BUDGET_EXHAUSTED', ''} end
local day = redis.call('HMGET', KEYS[2], 'n', 'fen')
local limit = tonumber(ARGV[3])
local cap = tonumber(ARGV[4])
if limit > 0 and tonumber(day[1] or '0') >= limit then return {'MERCHANT_LIMIT_REACHED', 'count'} end
if cap > 0 and tonumber(day[2] or '0') + subsidy > cap then return {'MERCHANT_LIMIT_REACHED', 'subsidy'} end
redis.call('HINCRBY', KEYS[1], 'used', subsidy)
redis.call('HINCRBY', KEYS[2], 'n', 1)
redis.call('HINCRBY', KEYS[2], 'fen', subsidy)
redis.call('PEXPIRE', KEYS[2], 3 * 86400000)
redis.call('SET', KEYS[3], ARGV[5] .. '|' .. (budget[4] or ''), 'PXAT', ARGV[7])
-- Short-lived: after the commit a retry finds the redemption in Postgres; an api that dies before
-- committing must not block retries for long.
redis.call('SET', KEYS[4], ARGV[6], 'EX', 30)
return {'OK', ''}
