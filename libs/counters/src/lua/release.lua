-- Releases a voucher from the redemption decision that holds it, and gives back what the campaign's
-- counters counted of it: after its commit failed, when it never reached Postgres, or after its reversal.
-- KEYS[1] budget hash, KEYS[2] the merchant day the redemption counted in, KEYS[3] voucher,
-- KEYS[4] idempotency record to drop (or an unused key of the same slot), KEYS[5] given-back marker (the
-- build a reversed redemption was last given back to)
-- ARGV[1] the redemption id
-- ARGV[2] '' for a decision that never committed; for a reversed redemption, the build of the counters the
--         caller checked against Postgres (RedemptionCounters.giveBackReversal)
-- ARGV[3] '1' when that build's snapshot counted the reversed redemption, else '0'
-- ARGV[4] the redemption's subsidy (fen)
-- The counters count a redemption either through its own decision, made in their build (the holder's last
-- field, see redeem.lua), or through the snapshot the build was rebuilt from, never both. A reversed
-- redemption gives back once per build (KEYS[5]), whichever way it was counted and whether or not its
-- voucher record survived.
-- Returns 1 when the voucher was released from this decision, 0 when it was not held by it, and -1 (nothing
-- changed) when the counters were rebuilt since the caller checked them: check again.
local build = redis.call('HGET', KEYS[1], 'build')
local reversed = ARGV[2] ~= ''
if reversed and build ~= ARGV[2] then return -1 end
local holder = redis.call('GET', KEYS[3])
local fields = nil
if holder and string.sub(holder, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. '|' then
  fields = {}
  for field in string.gmatch(holder, '[^|]+') do table.insert(fields, field) end
  -- fields: redemption, decided at, subsidy, merchant, day, run, idempotency key, build
  redis.call('DEL', KEYS[3], KEYS[4])
end
local subsidy = nil
if fields and build and fields[8] == build then
  subsidy = tonumber(fields[3])
elseif reversed and ARGV[3] == '1' then
  subsidy = tonumber(ARGV[4])
end
if subsidy and reversed then
  if redis.call('GET', KEYS[5]) == build then
    subsidy = nil
  else
    redis.call('SET', KEYS[5], build, 'EX', 8 * 86400)
  end
end
if subsidy then
  redis.call('HINCRBY', KEYS[1], 'used', -subsidy)
  -- Only the last days' counts are kept (they expire); an older day has nothing to give back to.
  if redis.call('EXISTS', KEYS[2]) == 1 then
    redis.call('HINCRBY', KEYS[2], 'n', -1)
    redis.call('HINCRBY', KEYS[2], 'fen', -subsidy)
  end
end
if fields then return 1 end
return 0
