-- KEYS[1] any key of a campaign (only routes the call to the master holding the campaign's slot).
-- Returns that server's run id (prelude.lua).
return serverRun()
