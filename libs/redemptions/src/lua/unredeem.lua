-- Gives back what redeem.lua counted: when the Postgres commit failed, and after a reversal committed.
-- KEYS as redeem.lua (KEYS[2] is the merchant day the redemption counted in).
-- ARGV: run id the counts were made under, subsidy (fen), redemption id, drop the idempotency record (1|0)
-- Counters of another run (Redis restarted and was rebuilt from Postgres since) are left alone.
if redis.call('HGET', KEYS[1], 'run') ~= ARGV[1] then return 0 end
local subsidy = tonumber(ARGV[2])
redis.call('HINCRBY', KEYS[1], 'used', -subsidy)
redis.call('HINCRBY', KEYS[2], 'n', -1)
redis.call('HINCRBY', KEYS[2], 'fen', -subsidy)
if redis.call('GET', KEYS[3]) == ARGV[3] then redis.call('DEL', KEYS[3]) end
if ARGV[4] == '1' then redis.call('DEL', KEYS[4]) end
return 1
