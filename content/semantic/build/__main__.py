"""``python -m content.semantic.build``: build the local e5-small model (see ``model``)."""

import sys

from content.semantic.build.model import main

sys.exit(main())
