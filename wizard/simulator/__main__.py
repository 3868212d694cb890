from wizard.simulator.cli import main

raise SystemExit(main())
