"""Input: from a scenario folder (``scenario.yaml`` with its CSV or ``.xlsx`` tables) to a checked ``Scenario``.

Takes a path (and ``--set`` overrides); gives ``quota.input.scenario.Scenario``, typed tables and options that
every later stage reads, or a ``ScenarioError`` listing every problem with its file, row and column.
``read`` finds the files and reads them as text (``files`` checks that a file may be read, ``yamlfile`` is the
one YAML reader, ``tables`` reads a CSV table, ``workbook`` an ``.xlsx`` scenario); ``validate`` turns them into a
``Scenario``: ``config`` checks and types every yaml key, ``cells`` every cell, ``checks`` what holds across rows
and tables. ``variants`` applies ``--set`` overrides, ``idle`` classifies the idle-land (闲置土地) parcels,
``eligibility`` says which projects are excluded and why (read by the checks for their messages and by the model
for who enters it), and ``options`` holds typed options the model does not use (``idle_land``, ``factor``).
Rule sets (RULES.md): ``rulesets`` reads the shipped sets (``rulesets/*.yaml``) and merges the one a
scenario names under its keys, ``rules`` types and checks the rule keys and the tables they need, and
``rule_options`` holds the typed rule options (``Scenario.rules``). This stage imports nothing from the model, solve or report stages.
"""
