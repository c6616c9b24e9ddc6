"""Files in and out: the platform's records read from a CSV, and the roster written as rows.

Pure, like ``rules/``: these modules turn text into checked rows and store records into rows,
and never open a file, the store or the network. The service reads and writes the files.
"""
