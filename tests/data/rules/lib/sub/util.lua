-- Fixture library module in a subfolder: require "sub.util".
return { name = "util" }
