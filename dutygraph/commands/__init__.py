"""One module per CLI verb: `configure(parser)` adds its options, `run(args)` returns an exit code."""
