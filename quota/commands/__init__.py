"""Commands: the ``quota`` command line (``cli``) and the commands built on runs: ``sweep``, ``compare``,
``generate`` and ``docs_cli`` (which writes docs/cli.md from the ``--help`` texts).

Takes command-line arguments; gives run folders, tables and messages through the library stages. No
library code imports this package.
"""
