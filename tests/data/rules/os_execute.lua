return {
  checks = {
    { id = "shell", label = "Runs a shell", test = function(app)
        os.execute("echo pwned")
        return true
      end },
  },
}
