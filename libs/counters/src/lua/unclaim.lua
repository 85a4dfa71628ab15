-- Gives back a claim decided by claim.lua whose Postgres commit failed (never one that committed).
-- KEYS as claim.lua. ARGV: offer id, round id, run id the claim was decided under, reason, business day,
-- then the limited categories the claim counted in (as claim.lua), and reason is one of:
--   'failed'   the commit failed for another reason (e.g. Postgres unavailable): give back stock and person counts
--   'sold_out' Postgres refused the stock: mark the offer sold out in Redis, give back the person counts
--   'limit'    Postgres refused the person's sequence number (Redis had too few claims for them): keep the
--              person count (it moves toward the truth), give back the stock
--   'unknown'  the commit's answer was lost and Postgres does not have the claim (yet): it may still commit,
--              so keep the person counts and the key's pending record (CampaignCounters.settlePerson settles
--              them once it cannot), give back the stock (ck_round_offers_issued refuses a late surplus)
-- Counters of another run (Redis restarted and was rebuilt from Postgres since) are left alone.
if redis.call('HGET', KEYS[1], 'run') ~= ARGV[3] then return 0 end
local reason = ARGV[4]
if reason == 'sold_out' then
  redis.call('HSET', KEYS[1], 'i:' .. ARGV[1], redis.call('HGET', KEYS[1], 's:' .. ARGV[1]))
else
  redis.call('HINCRBY', KEYS[1], 'i:' .. ARGV[1], -1)
end
if reason == 'unknown' then return 1 end
-- A person count already taken from Postgres (CampaignCounters.settlePerson) may no longer hold this
-- claim: it never goes below zero.
local function giveBack(field)
  if tonumber(redis.call('HGET', KEYS[2], field) or '0') > 0 then redis.call('HINCRBY', KEYS[2], field, -1) end
end
if reason ~= 'limit' then
  giveBack('r:' .. ARGV[2])
  giveBack('d:' .. ARGV[5])
  giveBack('c')
  for i = 6, #ARGV do giveBack('g:' .. ARGV[i]) end
end
redis.call('DEL', KEYS[3])
return 1
