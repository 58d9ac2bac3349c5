"""`python3 tools/mutate ...` (or `python3 -m mutate ...` from tools/)."""

import sys
from pathlib import Path

sys.dont_write_bytecode = True  # leave no __pycache__ in the tree
if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mutate.cli import main  # noqa: E402

sys.exit(main())
