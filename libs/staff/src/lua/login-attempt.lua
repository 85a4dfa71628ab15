-- One staff login attempt of a username from a client address, decided before the password is checked,
-- so a burst of parallel tries cannot all pass before the first failure is counted.
-- KEYS[1] hash of this username and address: n = attempts in the window, until = ms before which none may start
-- KEYS[2] failed logins of this username from every address in the window
-- ARGV: now (ms), window (s), free attempts, free attempts under attack, username ceiling, first wait (ms), longest wait (ms)
-- Returns {1, 0} when the attempt may go on, {0, ms to wait} when it must wait.
local now = tonumber(ARGV[1])
local waitUntil = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
if now < waitUntil then
  return {0, waitUntil - now}
end
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
local free = tonumber(ARGV[3])
if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[5]) then
  free = tonumber(ARGV[4])
end
-- From the free-th attempt on, the next one waits: first wait, doubled per attempt, capped. A success
-- deletes the key, so only an attempt that fails leaves the wait in place.
if n >= free then
  local wait = math.min(tonumber(ARGV[6]) * 2 ^ (n - free), tonumber(ARGV[7]))
  redis.call('HSET', KEYS[1], 'until', now + wait)
end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
return {1, 0}
