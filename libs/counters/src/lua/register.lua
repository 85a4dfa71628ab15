-- Records one identity's registration for a lottery round, once. Both keys share the campaign's hash tag.
-- KEYS[1] registration  PREFIX:{c:C}:l:ROUND:IDENTITY  the receipt of the identity's registration
-- KEYS[2] idempotency   PREFIX:{c:C}:lk:RESIDENT:KEY   the round a resident's Idempotency-Key was used for
--                       (or an unused key of the same slot when there is none)
-- ARGV: the new receipt, round id, seconds the records are kept, whether the request has a key (0|1),
--       the receipt to replace ('' for none: set when Postgres showed the stored one never committed)
-- Returns {status, value}: OK '' | DUPLICATE stored receipt | KEY_REUSED round id
if ARGV[4] == '1' then
  local round = redis.call('GET', KEYS[2])
  if round and round ~= ARGV[2] then return {'KEY_REUSED', round} end
end
local stored = redis.call('GET', KEYS[1])
if stored and stored ~= ARGV[5] then return {'DUPLICATE', stored} end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[3]))
if ARGV[4] == '1' then redis.call('SET', KEYS[2], ARGV[2], 'EX', tonumber(ARGV[3])) end
return {'OK', ''}
