"""Print the README's permission matrix (Markdown), generated from tests/permissions.py."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.permissions import markdown_matrix  # noqa: E402

if __name__ == "__main__":
    sys.stdout.write(markdown_matrix())
