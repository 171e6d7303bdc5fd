"""A study as one self-contained, shareable HTML file.

Every plot (interactive, with plotly.js embedded so the file opens offline),
the results table, the best parameters, the search settings, and what the
search cost. Everything that comes from the user (names, choices, error
messages, settings) is escaped.
"""

from __future__ import annotations

import math
import os
import statistics
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from . import plots
from .space import Categorical

if TYPE_CHECKING:
    from .study import Study

__all__ = ["build_report", "search_cost", "write_report"]

_CSS = """
body {font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto;
      max-width: 1180px; color: #222; padding: 0 16px;}
h1 {margin-bottom: 0;} h2 {margin-top: 32px; border-bottom: 1px solid #ddd;}
.sub {color: #666; margin-top: 4px;}
table {border-collapse: collapse; font-size: 13px;}
td, th {padding: 3px 10px; border-bottom: 1px solid #eee; text-align: right;}
th {background: #f6f6f6;} td.k, th.k {text-align: left;}
.cards {display: flex; flex-wrap: wrap; gap: 12px;}
.card {border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px; min-width: 150px;}
.card b {display: block; font-size: 20px;}
.failed td {color: #b00020;} .pruned td {color: #888;}
.best td {background: #eef7ee; font-weight: bold;}
pre {background: #f6f6f6; padding: 8px; overflow-x: auto;}
.plot {margin: 12px 0 24px;}
.results {max-height: 520px; overflow: auto;}
"""


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.6g}"
    return str(value)


def search_cost(study: Study) -> dict[str, Any]:
    """What a search cost: trials by state, time, data, and the strategy's own time.

    Parameters
    ----------
    study : Study

    Returns
    -------
    dict
        ``trials``, ``complete``, ``failed``, ``pruned``, ``wall_time`` (first
        start to last end, seconds), ``trial_time_total``, ``trial_time_median``,
        ``ask_time_total``, ``ask_time_median`` (seconds), ``n_samples``,
        ``n_splits``, ``fits`` (trials x folds) and ``epochs`` (reported steps).
    """
    trials = [t for t in study.trials if t.is_finished]
    durations = [t.duration for t in trials if t.duration is not None]
    asks = [t.ask_time for t in trials]
    starts = [t.started for t in trials if t.started is not None]
    ends = [t.ended for t in trials if t.ended is not None]
    objective = study.settings.get("objective") or {}
    n_splits = objective.get("n_splits")
    return {
        "trials": len(trials),
        "complete": sum(t.state.value == "complete" for t in trials),
        "failed": sum(t.state.value == "failed" for t in trials),
        "pruned": sum(t.state.value == "pruned" for t in trials),
        "wall_time": (max(ends) - min(starts)).total_seconds() if starts and ends else 0.0,
        "trial_time_total": sum(durations),
        "trial_time_median": statistics.median(durations) if durations else 0.0,
        "ask_time_total": sum(asks),
        "ask_time_median": statistics.median(asks) if asks else 0.0,
        "n_samples": objective.get("n_samples"),
        "n_splits": n_splits,
        "fits": len(trials) * n_splits if n_splits else None,
        "epochs": sum(len(t.intermediate_values) for t in trials) or None,
    }


def _surrogate(study: Study) -> Any:
    """Refit the Bayesian model from the trials, for the report's surrogate plot."""
    if study.settings.get("strategy") != "bayes" or len(study.trials) > 500:
        return None
    from .strategies import BayesianSearch

    strategy = BayesianSearch(study.space, seed=0)
    for trial in study.trials:
        if trial.is_finished and study.space.contains(trial.params):
            score = trial.score if trial.state.value in ("complete", "pruned") else None
            strategy.tell(trial.params, score)
    return strategy.surrogate


def _figures(study: Study, frame: pd.DataFrame) -> list[tuple[str, go.Figure]]:
    space = study.space
    out = [
        ("Convergence", plots.plot_convergence(frame)),
        ("Parallel coordinates", plots.plot_parallel_coordinates(frame, space)),
    ]
    surrogate = _surrogate(study)
    names = space.names
    if len(names) >= 2:
        out.append(
            (
                "Search path",
                plots.plot_search_path(frame, space, names[0], names[1], surrogate=surrogate),
            )
        )
    numeric = [n for n in names if not isinstance(space[n], Categorical)]
    if surrogate is not None and numeric:
        out.append(("Surrogate", plots.plot_surrogate(frame, space, surrogate, numeric[0])))
    out.append(("Importance", plots.plot_importance(frame, space)))
    curves = study.intermediate_dataframe()
    if len(curves):
        out.append(("Learning curves", plots.plot_learning_curves(curves, trials=frame)))
    return out


def _table(rows: list[tuple[str, Any]]) -> str:
    body = "".join(
        f'<tr><td class="k">{escape(str(k))}</td><td class="k">{escape(_fmt(v))}</td></tr>'
        for k, v in rows
    )
    return f"<table>{body}</table>"


def _results_table(frame: pd.DataFrame, best: int | None) -> str:
    columns = [c for c in frame.columns if c != "started"]
    ordered = frame.sort_values("score", ascending=False, na_position="last", kind="stable")
    head = "".join(f"<th>{escape(str(c))}</th>" for c in columns)
    rows = []
    for _, row in ordered.iterrows():
        css = "best" if row["number"] == best else str(row["state"])
        cells = "".join(f"<td>{escape(_fmt(row[c]))}</td>" for c in columns)
        rows.append(f'<tr class="{escape(css)}">{cells}</tr>')
    return f'<div class="results"><table><tr>{head}</tr>{"".join(rows)}</table></div>'


def build_report(study: Study, *, title: str | None = None) -> str:
    """The report of ``study`` as an HTML string (see :func:`write_report`).

    Parameters
    ----------
    study : Study
    title : str, optional
        Defaults to the study's name.

    Returns
    -------
    str
    """
    frame = study.trials_dataframe()
    best = study.best_trial
    cost = search_cost(study)
    settings = study.settings
    heading = escape(title or f"Study {study.name}")
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cards = [
        ("best score", _fmt(best.score) if best else "–"),
        (
            "trials",
            f"{cost['complete']} complete · {cost['failed']} failed · {cost['pruned']} pruned",
        ),
        ("search time", f"{cost['wall_time']:.1f} s"),
        ("per trial (median)", f"{cost['trial_time_median']:.3g} s"),
        (
            "strategy's time",
            f"{cost['ask_time_total']:.2f} s total · "
            f"{cost['ask_time_median'] * 1000:.0f} ms median per ask",
        ),
    ]
    if cost["fits"]:
        cards.append(
            (
                "data",
                f"{cost['n_samples']} samples · {cost['n_splits']} folds · {cost['fits']} fits",
            )
        )
    if cost["epochs"]:
        cards.append(("epochs trained", str(cost["epochs"])))
    card_html = "".join(
        f'<div class="card">{escape(k)}<b>{escape(str(v))}</b></div>' for k, v in cards
    )
    best_html = "<p>No complete trial.</p>"
    if best is not None:
        params = [(k, "None" if v is None else v) for k, v in best.params.items()]
        best_html = _table(
            [("trial", best.number), ("score", best.score), ("score std", best.score_std), *params]
        )
    objective = settings.get("objective") or {}
    setting_rows = [
        ("strategy", settings.get("strategy")),
        *[(f"strategy: {k}", v) for k, v in (settings.get("strategy_options") or {}).items()],
        *[
            (k, settings.get(k))
            for k in ("n_trials", "timeout", "target", "patience", "seed", "executor")
            if settings.get(k) is not None
        ],
        *[(f"objective: {k}", v) for k, v in objective.items()],
        ("search space", repr(study.space)),
    ]
    figures = []
    for i, (name, figure) in enumerate(_figures(study, frame)):
        figure.update_layout(height=460)
        div = figure.to_html(
            full_html=False,
            include_plotlyjs=False,
            div_id=f"plot-{i}",
            config={"displaylogo": False, "responsive": True},
        )
        figures.append(f'<h3>{escape(name)}</h3><div class="plot">{div}</div>')
    failures = [t for t in study.trials if t.error]
    failure_html = "".join(
        f"<li>trial {t.number}: <code>{escape(t.error or '')}</code></li>" for t in failures[:50]
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{heading}</title>
<style>{_CSS}</style>
<script type="text/javascript">{get_plotlyjs()}</script>
</head><body>
<h1>{heading}</h1>
<p class="sub">tunewidgets report · study <b>{escape(study.name)}</b> · made {made}</p>
<div class="cards">{card_html}</div>
<h2>Best parameters</h2>{best_html}
<h2>Plots</h2>{"".join(figures)}
<h2>Results</h2>{_results_table(frame, best.number if best else None)}
{"<h2>Failures</h2><ul>" + failure_html + "</ul>" if failures else ""}
<h2>Search settings</h2>{_table(setting_rows)}
</body></html>
"""


def write_report(study: Study, path: str | os.PathLike[str], *, title: str | None = None) -> Path:
    """Write the report of ``study`` to ``path``.

    Parameters
    ----------
    study : Study
    path : str or path
        Where to write the HTML file.
    title : str, optional
        Defaults to the study's name.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    target = Path(path)
    target.write_text(build_report(study, title=title), encoding="utf-8")
    return target
