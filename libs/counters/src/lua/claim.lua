-- Decides one claim atomically. All keys share the campaign's hash tag (one cluster slot).
-- KEYS[1] round hash   PREFIX:{c:C}:r:ROUND   (open, close, live, lim, rlim, dlim, run, s:OFFER, i:OFFER)
-- KEYS[2] person hash  PREFIX:{c:C}:p:PERSON  (c = claims in the campaign, r:ROUND in the round, d:DAY on a business day,
--                                               t = when the person's last claim was decided, ms)
-- KEYS[3] idempotency  PREFIX:{c:C}:k:RESIDENT:KEY (or an unused key of the same slot when there is none)
-- ARGV: now (ms), offer id, round id, run id the caller knows (of this server), how long a key stays pending in seconds
--       (0: the request has no key), request fingerprint,
--       business day (YYYY-MM-DD, Asia/Shanghai), then the categories with a per-person limit (cl:CATEGORY in
--       the round hash) that the offer's vouchers can be used in; the person hash counts them as g:CATEGORY
-- The round is fenced unless the counters, the caller and this server all carry the same run id (prelude.lua).
-- Returns {status, value}: OK seq | DUPLICATE stored | IN_PROGRESS fingerprint | FENCED run | LIMIT_REACHED scope
--                          | NO_OFFER | ROUND_NOT_OPEN | ROUND_CLOSED | SOLD_OUT;
-- the last four, for a request with a key, with a third element: '1' when the person has claims in this
-- round, so the key may have been answered before and its record lost (the caller asks Postgres).
local round = redis.call('HMGET', KEYS[1], 'run', 'open', 'close', 'live', 'lim', 's:' .. ARGV[2], 'i:' .. ARGV[2], 'rlim', 'dlim')
local run = serverRun()
if round[1] ~= run or ARGV[4] ~= run then return {'FENCED', run} end
local pendingSeconds = tonumber(ARGV[5])
if pendingSeconds > 0 then
  local stored = redis.call('GET', KEYS[3])
  if stored then
    if string.sub(stored, 1, 8) == 'pending:' then return {'IN_PROGRESS', string.sub(stored, 9)} end
    return {'DUPLICATE', stored}
  end
end
-- With a key, a refusal also says whether the person has claims in this round; `here` is that count
-- when the caller has read it already.
local function refuse(status, here)
  if pendingSeconds == 0 then return {status, ''} end
  here = tonumber(here or redis.call('HGET', KEYS[2], 'r:' .. ARGV[3]) or '0')
  return {status, '', here > 0 and '1' or '0'}
end
if not round[6] then return refuse('NO_OFFER') end
local now = tonumber(ARGV[1])
if now >= tonumber(round[3]) then return refuse('ROUND_CLOSED') end
if round[4] ~= '1' or now < tonumber(round[2]) then return refuse('ROUND_NOT_OPEN') end
-- Limits per person before stock: a person at their limit is answered with their first claim (the caller
-- does that), sold out or not, so a retry with a new key gets the same answer before and after a sell-out.
-- In the campaign, in this round and on this business day (0: no limit).
local person = redis.call('HMGET', KEYS[2], 'c', 'r:' .. ARGV[3], 'd:' .. ARGV[7])
if tonumber(person[1] or '0') >= tonumber(round[5]) then return {'LIMIT_REACHED', 'campaign'} end
local roundLimit = tonumber(round[8] or '0')
if roundLimit > 0 and tonumber(person[2] or '0') >= roundLimit then return {'LIMIT_REACHED', 'round'} end
local dayLimit = tonumber(round[9] or '0')
if dayLimit > 0 and tonumber(person[3] or '0') >= dayLimit then return {'LIMIT_REACHED', 'day'} end
for i = 8, #ARGV do
  local categoryLimit = tonumber(redis.call('HGET', KEYS[1], 'cl:' .. ARGV[i]) or '0')
  if categoryLimit > 0 and tonumber(redis.call('HGET', KEYS[2], 'g:' .. ARGV[i]) or '0') >= categoryLimit then
    return {'LIMIT_REACHED', 'category'}
  end
end
if tonumber(round[7] or '0') >= tonumber(round[6]) then return refuse('SOLD_OUT', person[2] or '0') end
for i = 8, #ARGV do redis.call('HINCRBY', KEYS[2], 'g:' .. ARGV[i], 1) end
redis.call('HINCRBY', KEYS[1], 'i:' .. ARGV[2], 1)
redis.call('HINCRBY', KEYS[2], 'r:' .. ARGV[3], 1)
redis.call('HINCRBY', KEYS[2], 'd:' .. ARGV[7], 1)
local seq = redis.call('HINCRBY', KEYS[2], 'c', 1)
-- When this person's counts last moved here: a decision older than any commit can take that Postgres
-- does not have was lost with its api (CampaignCounters.settlePerson).
redis.call('HSET', KEYS[2], 't', ARGV[1])
-- Pending for as long as the claim may still commit; replaced by the claim's id once it has.
if pendingSeconds > 0 then redis.call('SET', KEYS[3], 'pending:' .. ARGV[6], 'EX', pendingSeconds) end
return {'OK', tostring(seq)}
