"""``python -m bot.auth``: user management (see :mod:`bot.auth.cli`)."""

import sys

from bot.auth.cli import main

sys.exit(main())
