-- KEYS[1] a rebuild lock, ARGV[1] the holder's token, ARGV[2] milliseconds: extends the lock if the caller
-- still holds it.
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
