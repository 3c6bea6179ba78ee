local f = io.open("/etc/passwd")
return { program = f:read("a") }
