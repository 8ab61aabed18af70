from policies.command import main

raise SystemExit(main())
