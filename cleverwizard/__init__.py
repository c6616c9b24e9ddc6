"""cleverwizard: connect a learning platform to Clever, from a terminal wizard or headless.

``httpx`` imports its own command-line client (``httpx._main``) when it is imported, and
that pulls in rich and pygments: about a third of a headless command's start-up, for a tool
cleverwizard never runs. A ``None`` entry in ``sys.modules`` makes that one import fail, and
httpx then skips its CLI as it does when those extras are not installed. The wizard imports
rich itself (Textual), so nothing else changes.
"""

import sys

if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
