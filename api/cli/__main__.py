"""`python -m api.cli`: the same as the `venue-hire` script."""

import sys

from api.cli import main

sys.exit(main())
