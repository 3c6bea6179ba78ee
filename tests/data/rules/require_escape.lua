local passwd = require "../../etc/passwd"
return { program = "escaped" }
