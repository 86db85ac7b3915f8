-- GET /cases/<reference>/presence/?seen=0: the case page's collision poll (every 10 s per open
-- page), for references drawn uniformly from RAPPORT_REFS_FILE. The first poll of each case checks
-- access and is remembered in the cache (cases.presence.GRANT_TTL); later ones read the cache only.
local refs = {}
for line in io.lines(os.getenv("RAPPORT_REFS_FILE")) do refs[#refs + 1] = line end
function setup(thread) thread:set("seed", math.random(1, 1e6)) end
function init(args) math.randomseed(seed or os.time()) end
request = function()
  return wrk.format("GET", "/cases/" .. refs[math.random(1, #refs)] .. "/presence/?seen=0")
end
