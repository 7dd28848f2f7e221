from dutygraph.cli import main

raise SystemExit(main())
