-- KEYS[1] a rebuild lock, then keys of its campaign; ARGV[1] the holder's token, ARGV[2] 'unlink' or a
-- lifetime in ms for the hashes (0: none), then for hashes each one's fields as a JSON object of strings.
-- Deletes the keys, or sets the hashes' fields, only if the caller still holds the lock, in one step, so a
-- rebuild that lost its lock writes nothing (answers 0).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == 'unlink' then
  if #KEYS > 1 then redis.call('UNLINK', unpack(KEYS, 2)) end
  return 1
end
local ttl = tonumber(ARGV[2])
for i = 2, #KEYS do
  for field, value in pairs(cjson.decode(ARGV[i + 1])) do redis.call('HSET', KEYS[i], field, value) end
  if ttl > 0 then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1
