"""``python -m discours`` = the ``discours`` command."""
import sys

from .cli import main

sys.exit(main())
