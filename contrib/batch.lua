-- alliance batch configuration: the programs a nightly run covers.
-- Paths are relative to this file's folder (here, contrib/).
-- Run: alliance batch contrib/batch.lua [--jobs 2]
return {
  {
    name = "monteregie",
    inputs = "../inputs/monteregie",
    rules = "../rules/monteregie.lua",
    out = "../outputs/monteregie",
    -- db = "/var/lib/alliance/monteregie.db",  -- default: out/alliance.db
  },
  {
    name = "lanaudiere",
    inputs = "../inputs/lanaudiere",
    rules = "../rules/lanaudiere.lua",
    out = "../outputs/lanaudiere",
  },
}
