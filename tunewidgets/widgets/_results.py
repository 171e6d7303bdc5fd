"""Result views: the trials table, the best configuration as code, one trial in detail."""

from __future__ import annotations

import json
import math
from html import escape
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ..study import Trial

__all__ = ["BestView", "ResultsTable", "TrialDetail"]

_TABLE_CSS = """
<style>
.tw-table table {border-collapse: collapse; font-size: 12px; width: 100%;}
.tw-table th, .tw-table td {padding: 2px 8px; border-bottom: 1px solid #e5e5e5; text-align: right;}
.tw-table th {background: #f6f6f6; position: sticky; top: 0;}
.tw-table tr.tw-failed td {color: #b00020;}
.tw-table tr.tw-pruned td {color: #888;}
.tw-table tr.tw-best td {font-weight: bold; background: #eef7ee;}
</style>
"""


def _value(v: Any) -> str:
    if isinstance(v, float):
        return "" if math.isnan(v) else f"{v:.4g}"
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v)


class ResultsTable(widgets.VBox):
    """The trials as a table: best first by default, sortable by any column.

    Parameters
    ----------
    max_rows : int, default=25
        Rows shown (the rest are counted).

    Examples
    --------
    >>> from tunewidgets.widgets import ResultsTable
    >>> table = ResultsTable()
    >>> table.sort_by.value
    'score'
    """

    def __init__(self, max_rows: int = 25) -> None:
        self.max_rows = max_rows
        self.sort_by = widgets.Dropdown(
            options=["score"],
            value="score",
            description="sort by",
            layout=widgets.Layout(width="230px"),
        )
        self.descending = widgets.ToggleButtons(
            options=[("high first", True), ("low first", False)],
            value=True,
            style={"button_width": "80px"},
        )
        self.html = widgets.HTML(layout=widgets.Layout(max_height="360px", overflow="auto"))
        self._frame: pd.DataFrame | None = None
        self.sort_by.observe(lambda _: self._render(), "value")
        self.descending.observe(lambda _: self._render(), "value")
        super().__init__([widgets.HBox([self.sort_by, self.descending]), self.html])
        self.update(pd.DataFrame(columns=["number", "score", "state"]))

    def update(self, frame: pd.DataFrame) -> None:
        """Show these trials (a ``study.trials_dataframe()``).

        Parameters
        ----------
        frame : pandas.DataFrame
        """
        self._frame = frame
        columns = [c for c in frame.columns if c not in ("started", "error")]
        if list(self.sort_by.options) != columns:
            current = self.sort_by.value
            self.sort_by.options = columns
            self.sort_by.value = current if current in columns else "score"
        self._render()

    def _render(self) -> None:
        frame = self._frame
        if frame is None or frame.empty:
            self.html.value = "<i>No trials yet.</i>"
            return
        key = self.sort_by.value if self.sort_by.value in frame.columns else "score"
        try:
            ordered = frame.sort_values(
                key, ascending=not self.descending.value, na_position="last", kind="stable"
            )
        except TypeError:  # mixed types in a categorical column: sort by their text
            ordered = frame.assign(_key=frame[key].astype(str)).sort_values(
                "_key", ascending=not self.descending.value, kind="stable"
            )
        complete = frame[frame["state"] == "complete"]
        best = int(complete.loc[complete["score"].idxmax(), "number"]) if len(complete) else None
        shown = ordered.head(self.max_rows)
        columns = [c for c in frame.columns if c not in ("started", "error", "_key")]
        head = "".join(f"<th>{escape(str(c))}</th>" for c in columns)
        rows = []
        for _, row in shown.iterrows():
            css = "tw-best" if row["number"] == best else f"tw-{row['state']}"
            cells = "".join(f"<td>{escape(_value(row[c]))}</td>" for c in columns)
            rows.append(f'<tr class="{css}">{cells}</tr>')
        more = len(frame) - len(shown)
        note = f"<p><i>… and {more} more trials.</i></p>" if more > 0 else ""
        self.html.value = (
            f'{_TABLE_CSS}<div class="tw-table"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>{note}</div>"
        )


def best_code_line(params: dict[str, Any], estimator: Any = None) -> str:
    """A line of Python that applies the best configuration.

    Parameters
    ----------
    params : dict
        The configuration.
    estimator : estimator, optional
        Gives ``model = <the estimator as constructed>.set_params(...)`` (a
        pipeline with its steps, an estimator with the arguments it was given);
        a plain ``best_params = {...}`` otherwise.

    Returns
    -------
    str

    Examples
    --------
    >>> from sklearn.svm import SVC
    >>> best_code_line({"C": 2.5}, SVC(kernel="linear"))
    "model = SVC(kernel='linear').set_params(**{'C': 2.5})"
    """
    literal = "{" + ", ".join(f"{k!r}: {v!r}" for k, v in params.items()) + "}"
    if estimator is None:
        return f"best_params = {literal}"
    try:  # scikit-learn's repr is the constructor call; never shortened here
        constructed = estimator.__repr__(N_CHAR_MAX=1_000_000)
    except TypeError:
        constructed = f"{type(estimator).__name__}()"
    return f"model = {constructed}.set_params(**{literal})"


class BestView(widgets.VBox):
    """The best trial so far, and a line of code to copy.

    Examples
    --------
    >>> from tunewidgets.widgets import BestView
    >>> view = BestView()
    >>> view.update(None)
    >>> view.code.value
    ''
    """

    def __init__(self) -> None:
        self.summary = widgets.HTML("<i>No complete trial yet.</i>")
        self.code = widgets.Textarea(
            value="",
            layout=widgets.Layout(width="100%", height="64px"),
            placeholder="the best configuration, as code",
        )
        super().__init__(
            [self.summary, widgets.HTML("<small>Copy into your code:</small>"), self.code]
        )

    def update(self, trial: Trial | None, estimator: Any = None) -> None:
        """Show ``trial`` (the best), or the empty state.

        Parameters
        ----------
        trial : Trial or None
        estimator : estimator, optional
            For the code line.
        """
        if trial is None:
            self.summary.value = "<i>No complete trial yet.</i>"
            self.code.value = ""
            return
        std = f" ± {trial.score_std:.3g}" if trial.score_std else ""
        items = "".join(
            f"<tr><td><b>{escape(str(k))}</b></td><td>{escape(_value(v))}</td></tr>"
            for k, v in trial.params.items()
        )
        self.summary.value = (
            f"<b class='tw-best-score'>best score {trial.score:.4g}{std}</b> (trial "
            f"{trial.number})<table>{items}</table>"
        )
        self.code.value = best_code_line(trial.params, estimator)


class TrialDetail(widgets.VBox):
    """One trial in full: parameters, score, error, what it printed, the strategy's notes.

    Examples
    --------
    >>> from tunewidgets.widgets import TrialDetail
    >>> detail = TrialDetail()
    >>> detail.update([])
    >>> "No trials" in detail.html.value
    True
    """

    def __init__(self) -> None:
        self.number = widgets.Dropdown(description="trial", layout=widgets.Layout(width="200px"))
        self.html = widgets.HTML()
        self._trials: dict[int, Trial] = {}
        self.number.observe(lambda _: self._render(), "value")
        super().__init__([self.number, self.html])

    def update(self, trials: list[Trial]) -> None:
        """Offer these trials; keep the one shown (default: the latest failure, else the latest).

        Parameters
        ----------
        trials : list of Trial
        """
        self._trials = {t.number: t for t in trials}
        options = [(f"{t.number} · {t.state.value}", t.number) for t in reversed(trials)]
        current = self.number.value
        if [o[1] for o in self.number.options] != [o[1] for o in options]:
            self.number.options = options
        if current in self._trials:
            self.number.value = current
        elif trials:
            failed = [t for t in trials if t.error]
            self.number.value = (failed[-1] if failed else trials[-1]).number
        self._render()

    def show(self, number: int) -> None:
        """Show trial ``number``.

        Parameters
        ----------
        number : int
        """
        if number in self._trials:
            self.number.value = number

    def _render(self) -> None:
        trial = self._trials.get(self.number.value)
        if trial is None:
            self.html.value = "<i>No trials yet.</i>"
            return
        score = "–" if trial.score is None else f"{trial.score:.6g}"
        duration = "–" if trial.duration is None else f"{trial.duration:.3g} s"
        parts = [
            f"<p><b>trial {trial.number}</b> · {escape(trial.state.value)} · score {score} · "
            f"{duration} · ask {trial.ask_time * 1000:.1f} ms</p>",
            "<pre>" + escape(json.dumps(trial.params, indent=1, default=str)) + "</pre>",
        ]
        if trial.error:
            parts.append(f'<p style="color:#b00020"><b>error:</b> {escape(trial.error)}</p>')
            tb = trial.info.get("traceback")
            if tb:
                parts.append(
                    f"<details><summary>traceback</summary><pre>{escape(tb)}</pre></details>"
                )
        if trial.output:
            parts.append(f"<p><b>output</b></p><pre class='tw-output'>{escape(trial.output)}</pre>")
        notes = trial.info.get("strategy")
        if notes:
            parts.append(f"<p><b>why this point</b>: {escape(json.dumps(notes, default=str))}</p>")
        self.html.value = "".join(parts)
