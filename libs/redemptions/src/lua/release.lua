-- Releases a voucher from the redemption decision that holds it, and gives back what that decision
-- counted: after its commit failed, after its reversal committed, or when it never reached Postgres.
-- KEYS[1] budget hash, KEYS[2] the merchant day the decision counted in, KEYS[3] voucher,
-- KEYS[4] idempotency record to drop (or an unused key of the same slot)
-- ARGV: the redemption id of the decision
-- Does nothing unless the voucher is still held by that decision, so releasing twice gives back once.
-- Counts are given back only if they were made under the current Redis run: after a restart the counters
-- were rebuilt from Postgres and never held an uncommitted decision.
local holder = redis.call('GET', KEYS[3])
if not holder or string.sub(holder, 1, string.len(ARGV[1]) + 1) ~= ARGV[1] .. '|' then return 0 end
local fields = {}
for field in string.gmatch(holder, '[^|]+') do table.insert(fields, field) end
-- fields: redemption, decided at, subsidy, merchant, day, run, idempotency key
local subsidy = tonumber(fields[3])
redis.call('DEL', KEYS[3], KEYS[4])
if redis.call('HGET', KEYS[1], 'run') == fields[6] then
  redis.call('HINCRBY', KEYS[1], 'used', -subsidy)
  redis.call('HINCRBY', KEYS[2], 'n', -1)
  redis.call('HINCRBY', KEYS[2], 'fen', -subsidy)
end
return 1
