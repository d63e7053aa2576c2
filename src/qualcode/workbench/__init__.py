"""The researcher's workbench: from the tables of a results folder back to the quotes behind them.

Each module holds one tool, and each returns pandas DataFrames:

* `table`: a results folder opened for queries (`open_workbench`): every
  segment with the attributes of its interview and its case's configuration,
  and the codes found in it;
* `select`: `--where ATTRIBUTE=VALUE` and Boolean code queries (`--code A
  --and B --not C --near D --within sentence|turn|N`), with did-you-mean;
* `matrix`: code × attribute and code × code matrices whose every cell opens
  to its segment ids;
* `words`: lemma frequencies, keyness by group (log-likelihood and log
  ratio) and keywords in context;
* `framework`: the framework matrix (cases × themes, strongest quotes, a
  summary for the analyst), written and read back;
* `qca`: calibrated memberships for R's QCA package and fs/QCA, and a truth
  table with Ragin's consistency and coverage.
"""
