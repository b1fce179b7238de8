from postlint.launch import main

raise SystemExit(main())
