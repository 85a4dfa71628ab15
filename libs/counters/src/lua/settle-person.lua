-- KEYS[1] a person hash, ARGV[1] its `t` when read, then field, value, …: replaces the hash unless `t`
-- moved (then answers -1).
if redis.call('HGET', KEYS[1], 't') ~= ARGV[1] then return -1 end
redis.call('DEL', KEYS[1])
if #ARGV > 1 then redis.call('HSET', KEYS[1], unpack(ARGV, 2)) end
return 1
