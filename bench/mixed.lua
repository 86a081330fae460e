-- wrk script of bench/targets.py's mixed load: each request takes the next of the paths given
-- after "--" on wrk's command line, in turn (each of wrk's threads keeps its own turn).
local paths = {}
local turn = 0

function init(args)
  for _, path in ipairs(args) do
    paths[#paths + 1] = path
  end
end

function request()
  turn = turn % #paths + 1
  return wrk.format("GET", paths[turn])
end
