-- Put before every counter script (scripts.ts). The run id of the Redis server running the script: a
-- restart gives a server a new one, and so does a failover (the promoted replica is another process), so
-- counters stamped with it by their rebuild (`run`) are fenced on any other server, whichever master of a
-- cluster holds them and whatever the client believes about the slot map.
local function serverRun()
  return string.match(redis.call('INFO', 'server'), 'run_id:(%w+)')
end
