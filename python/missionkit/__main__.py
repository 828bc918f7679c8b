"""``python -m missionkit`` is the ``missionkit`` command."""

import sys

from missionkit.cli import main

sys.exit(main())
