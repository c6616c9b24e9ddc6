"""``python -m cleverwizard`` is the same as the ``cleverwizard`` command."""

from cleverwizard.cli.main import main

main()
