"""A trained model and its suggestions as the terminal shows them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

from qualcode.cli.output import cell

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.learning.model import Figures, TrainedModel


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _prf(figures: Figures | None) -> tuple[str, str, str]:
    if figures is None:
        return "—", "—", "—"
    return _f(figures["precision"]), _f(figures["recall"]), _f(figures["f1"])


def model_table(model: TrainedModel, seconds: float = 0.0) -> Table:
    """Per code: the human's examples, the threshold, and the grouped cross-validation figures."""
    title = (f"model trained on {model.segments} {model.unit} segments of {model.interviews} interview(s)"
             f" and {model.examples} codebook example(s); cross-validation grouped by interview, "
             f"{model.folds} folds" + (f"; {seconds:.1f} s" if seconds else ""))
    table = Table(title=cell(title), title_justify="left")
    for name, justify in (("code", "left"), ("kind", "left"), ("yes", "right"), ("no", "right"),
                          ("threshold", "right"), ("P", "right"), ("R", "right"), ("F1", "right"),
                          ("rules F1", "right"), ("note", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for c in model.codes:
        threshold = "rules" if not c.learnt or c.threshold > 1 else f"{c.threshold:.2f}"
        p, r, f = _prf(c.cv)
        table.add_row(cell(c.code), c.kind, str(c.positives), str(c.negatives), threshold, p, r, f,
                      _prf(c.cv_rules)[2], cell(c.note))
    for kind in ("theme", "actor"):
        both, alone = model.cv.get(kind), model.cv.get(f"{kind}_rules")
        if both is not None:
            p, r, f = _prf(both)
            table.add_row(cell(f"all {kind}s (micro)"), kind, str(both["human"]), "", "", p, r, f,
                          _prf(alone)[2], "", style="bold")
    return table


def suggestions_table(frame: pd.DataFrame) -> Table:
    """The suggested phrases and patterns, theme by theme."""
    table = Table(title=cell(f"{len(frame)} suggestion(s) for the codebook"), title_justify="left")
    for name in ("code", "action", "language", "pattern", "human yes", "human no", "rules missed"):
        table.add_column(name)
    for row in frame.itertuples(index=False):
        table.add_row(cell(row.code), str(row.action), str(row.language), cell(row.pattern), str(row.human_yes),
                      str(row.human_no), str(row.rules_missed))
    return table
