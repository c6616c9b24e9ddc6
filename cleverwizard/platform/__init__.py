"""The platform's own records entered outside Clever: accounts and courses added from a file or
by hand, and login emails filled in bulk. Each is planned first (the preview, ``--dry-run``)
and applied as one run in the history, undoable like an import."""
