"""Commands: the ``quota`` command line (``cli``, with ``exits``: how a command ends) and the commands built
on runs: ``sweep`` (with ``sweep_grid``, ``sweep_pool``, ``sweep_folder``), ``compare`` (with
``compare_report``), ``generate`` (with ``generate_data``, ``generate_names``) and ``docs_cli`` (which
writes docs/cli.md from the ``--help`` texts).

Takes command-line arguments; gives run folders, tables and messages through the library stages. No
library code imports this package.
"""
