-- GET /cases/<reference>/ for references drawn uniformly from RAPPORT_REFS_FILE (one per line).
local refs = {}
for line in io.lines(os.getenv("RAPPORT_REFS_FILE")) do refs[#refs + 1] = line end
function setup(thread) thread:set("seed", math.random(1, 1e6)) end
function init(args) math.randomseed(seed or os.time()) end
request = function()
  return wrk.format("GET", "/cases/" .. refs[math.random(1, #refs)] .. "/")
end
