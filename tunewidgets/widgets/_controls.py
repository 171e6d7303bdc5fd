"""``Controls``: strategy, budgets and execution settings, the run buttons and progress."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as widgets
import traitlets

from .._validation import check_int, check_real
from ..runner import RunnerState, check_n_jobs
from ..strategies import available_strategies

__all__ = ["Controls", "format_seconds"]

_ERROR_STYLE = "color:#b00020;font-size:12px;"
_FIELD = {"width": "212px"}  # a new Layout for each widget (a shared one can be closed)
_STYLE = {"description_width": "72px"}

_STRATEGY_LABELS = {
    "grid": "grid",
    "random": "random",
    "bayes": "Bayesian (GP)",
    "evolution": "evolutionary",
    "tpe": "TPE (Optuna)",
}


def format_seconds(seconds: float | None) -> str:
    """``"1:02:03"`` or ``"2:03"`` for a duration, ``"–"`` when unknown.

    Parameters
    ----------
    seconds : float or None

    Returns
    -------
    str
    """
    if seconds is None or seconds != seconds or seconds == float("inf"):
        return "–"
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _optional_number(text: str) -> float | None:
    text = text.strip()
    if text.lower() in ("", "none"):
        return None
    return float(text)


class Controls(widgets.VBox):
    """Search settings and the buttons that drive a search.

    A strategy dropdown with each strategy's own options, the budgets
    (``n_trials``, ``timeout``), ``n_jobs``, and for estimators ``scoring`` and
    ``cv``; Start, Pause, Step, Resume and Stop, each enabled only when it makes
    sense for the runner's state; a progress bar with trials done, best score,
    elapsed time and ETA. Invalid input is shown next to its field and makes
    :attr:`valid` False; typed values are never clamped.

    Parameters
    ----------
    strategy : str, default="bayes"
        Initial strategy.
    n_trials : int or None, default=60
        Initial trial budget; None leaves the field empty ("no limit"), and a
        timeout is then required.
    timeout : float, optional
        Initial time budget in seconds.
    n_jobs : int, default=1
        Trials at once.
    scoring : str, optional
        Initial scorer name (estimators only).
    cv : int, default=5
        Folds (estimators only).
    seed : int, optional
        Seed of the strategy.
    strategy_options : dict, optional
        Initial options of the strategy.
    estimator_settings : bool, default=True
        Show ``scoring`` and ``cv`` (hidden for plain objectives).
    fixed_cv : str, optional
        The splitter passed in code (e.g. ``"GroupKFold(n_splits=3)"``): the
        ``cv`` field shows its number of folds and cannot be edited, so that
        typing a number never replaces it.

    Attributes
    ----------
    valid : bool
        Whether every field is valid (a traitlet).

    Examples
    --------
    >>> from tunewidgets.widgets import Controls
    >>> controls = Controls(n_trials=20)
    >>> controls.settings()["n_trials"]
    20
    >>> controls.n_trials.value = "0"
    >>> controls.valid
    False
    """

    valid = traitlets.Bool(True)

    def __init__(
        self,
        *,
        strategy: str = "bayes",
        n_trials: int | None = 60,
        timeout: float | None = None,
        n_jobs: int = 1,
        scoring: str | None = None,
        cv: int = 5,
        seed: int | None = None,
        strategy_options: dict[str, Any] | None = None,
        estimator_settings: bool = True,
        fixed_cv: str | None = None,
    ) -> None:
        super().__init__(layout=widgets.Layout(width="100%"))
        options = dict(strategy_options or {})
        names = available_strategies()
        self.strategy = widgets.Dropdown(
            options=[(_STRATEGY_LABELS.get(n, n), n) for n in names],
            value=strategy if strategy in names else "bayes",
            description="strategy",
            layout=_FIELD,
            style=_STYLE,
        )
        self.acquisition = widgets.Dropdown(
            options=[
                ("expected improvement", "ei"),
                ("probability of improvement", "pi"),
                ("upper confidence bound", "ucb"),
                ("portfolio of the three (hedge)", "hedge"),
            ],
            value=options.get("acquisition", "ei"),
            description="acquisition",
            layout=_FIELD,
            style=_STYLE,
        )
        self.n_initial = widgets.Text(
            str(options.get("n_initial", "")),
            placeholder="auto",
            description="initial",
            layout=_FIELD,
            style=_STYLE,
            continuous_update=False,
        )
        self.resolution = widgets.IntText(
            options.get("resolution", 5), description="resolution", layout=_FIELD, style=_STYLE
        )
        self.population_size = widgets.IntText(
            options.get("population_size", 10),
            description="population",
            layout=_FIELD,
            style=_STYLE,
        )
        self.n_trials = widgets.Text(
            "" if n_trials is None else str(n_trials),
            placeholder="no limit",
            description="n_trials",
            layout=_FIELD,
            style=_STYLE,
            continuous_update=False,
        )
        self.timeout = widgets.Text(
            "" if timeout is None else f"{timeout:g}",
            placeholder="none (seconds)",
            description="timeout",
            layout=_FIELD,
            style=_STYLE,
            continuous_update=False,
        )
        self.n_jobs = widgets.IntText(n_jobs, description="n_jobs", layout=_FIELD, style=_STYLE)
        self.scoring = widgets.Combobox(
            value=scoring or "",
            placeholder="estimator's default",
            options=_scorer_names(),
            ensure_option=False,
            description="scoring",
            layout=_FIELD,
            style=_STYLE,
            continuous_update=False,
        )
        self.cv = widgets.IntText(cv, description="cv folds", layout=_FIELD, style=_STYLE)
        self._fixed = {"cv"} if fixed_cv is not None else set()
        if fixed_cv is not None:
            self.cv.tooltip = f"the splitter given in code: {fixed_cv}"
            self.cv.disabled = True
        self.seed = widgets.Text(
            "" if seed is None else str(seed),
            placeholder="none",
            description="seed",
            layout=_FIELD,
            style=_STYLE,
            continuous_update=False,
        )
        self._fields: dict[str, widgets.Widget] = {
            "strategy": self.strategy,
            "acquisition": self.acquisition,
            "n_initial": self.n_initial,
            "resolution": self.resolution,
            "population_size": self.population_size,
            "n_trials": self.n_trials,
            "timeout": self.timeout,
            "n_jobs": self.n_jobs,
            "scoring": self.scoring,
            "cv": self.cv,
            "seed": self.seed,
        }
        self._errors = {name: widgets.HTML("") for name in self._fields}
        self._external: dict[str, str] = {}
        self._boxes = {
            name: widgets.VBox([w, self._errors[name]]) for name, w in self._fields.items()
        }
        self._strategy_box = widgets.GridBox(
            layout=widgets.Layout(grid_template_columns="repeat(2, 218px)", grid_gap="0 6px")
        )
        data_fields = [self._boxes["scoring"], self._boxes["cv"]] if estimator_settings else []
        self.estimator_settings = estimator_settings

        self.start_button = widgets.Button(description="Start", icon="play", button_style="success")
        self.pause_button = widgets.Button(description="Pause", icon="pause")
        self.step_button = widgets.Button(
            description="Step", icon="step-forward", tooltip="run one trial, then pause"
        )
        self.resume_button = widgets.Button(description="Resume", icon="play")
        self.stop_button = widgets.Button(description="Stop", icon="stop", button_style="danger")
        for button in self.buttons.values():
            button.layout = widgets.Layout(width="100px")
        self.progress = widgets.IntProgress(
            value=0, min=0, max=max(n_trials or 1, 1), layout=widgets.Layout(width="100%")
        )
        self.progress_label = widgets.HTML("")
        grid = widgets.Layout(grid_template_columns="repeat(2, 218px)", grid_gap="0 6px")
        self._general = widgets.GridBox(
            [
                self._boxes["n_trials"],
                self._boxes["timeout"],
                self._boxes["n_jobs"],
                self._boxes["seed"],
                *data_fields,
            ],
            layout=grid,
        )
        self.settings_box = widgets.VBox(
            [
                widgets.GridBox([self._boxes["strategy"]], layout=grid),
                self._strategy_box,
                self._general,
            ]
        )
        self.buttons_box = widgets.HBox(
            list(self.buttons.values()), layout=widgets.Layout(flex_flow="row wrap")
        )
        self.children = [self.settings_box]
        for widget in self._fields.values():
            widget.observe(lambda _: self.validate(), "value")
        self.strategy.observe(lambda _: self._show_strategy_options(), "value")
        self._show_strategy_options()
        self.show_state(None, can_start=True)

    # -- layout -----------------------------------------------------------------
    @property
    def buttons(self) -> dict[str, widgets.Button]:
        """The run buttons by action name."""
        return {
            "start": self.start_button,
            "pause": self.pause_button,
            "step": self.step_button,
            "resume": self.resume_button,
            "stop": self.stop_button,
        }

    def on(self, action: str, callback: Callable[[], None]) -> None:
        """Call ``callback()`` when the button of ``action`` is clicked.

        Parameters
        ----------
        action : {"start", "pause", "step", "resume", "stop"}
        callback : callable
        """
        self.buttons[action].on_click(lambda _: callback())

    def _show_strategy_options(self) -> None:
        per = {
            "bayes": ["acquisition", "n_initial"],
            "grid": ["resolution"],
            "evolution": ["population_size"],
        }.get(self.strategy.value, [])
        self._strategy_box.children = [self._boxes[name] for name in per]
        self.validate()

    # -- values -----------------------------------------------------------------------
    def _parse(self) -> tuple[dict[str, Any], dict[str, str]]:
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        owner = "Dashboard"

        def attempt(name: str, func: Callable[[], Any]) -> None:
            try:
                values[name] = func()
            except ValueError as exc:
                errors[name] = str(exc)

        attempt("n_trials", lambda: _int_or_none(self.n_trials.value, "n_trials", low=1))
        attempt(
            "timeout",
            lambda: check_real(
                _number_or_error(self.timeout.value, "timeout"),
                "timeout",
                owner=owner,
                low=0.0,
                low_inclusive=False,
                allow_none=True,
            ),
        )
        if values.get("n_trials", 0) is None and values.get("timeout", 0) is None:
            del values["n_trials"]
            errors["n_trials"] = (
                "The search needs a budget: give n_trials (a whole number >= 1) or a timeout "
                "in seconds."
            )
        attempt("n_jobs", lambda: check_n_jobs(self.n_jobs.value, owner) and self.n_jobs.value)
        attempt("seed", lambda: _int_or_none(self.seed.value, "seed", low=0))
        if self.estimator_settings:
            attempt("scoring", lambda: _scoring(self.scoring.value))
            attempt("cv", lambda: check_int(self.cv.value, "cv", owner=owner, low=2))
        options: dict[str, Any] = {}
        strategy = self.strategy.value
        if strategy == "bayes":
            options["acquisition"] = self.acquisition.value
            attempt("n_initial", lambda: _int_or_none(self.n_initial.value, "n_initial", low=1))
            if values.get("n_initial") is not None:
                options["n_initial"] = values["n_initial"]
        elif strategy == "grid":
            attempt(
                "resolution",
                lambda: check_int(self.resolution.value, "resolution", owner=owner, low=2),
            )
            if "resolution" in values:
                options["resolution"] = values["resolution"]
        elif strategy == "evolution":
            attempt(
                "population_size",
                lambda: check_int(
                    self.population_size.value, "population_size", owner=owner, low=2
                ),
            )
            if "population_size" in values:
                options["population_size"] = values["population_size"]
        values["strategy"] = strategy
        values["strategy_options"] = options
        return values, errors

    def validate(self) -> bool:
        """Check every field, show the messages next to them; return whether all are valid.

        Returns
        -------
        bool
        """
        _, errors = self._parse()
        errors = {**errors, **self._external}
        for name, label in self._errors.items():
            message = errors.get(name, "")
            label.value = (
                f'<span class="tw-error" style="{_ERROR_STYLE}">{escape(message)}</span>'
                if message
                else ""
            )
        self.valid = not errors
        return self.valid

    def show_error(self, field: str, message: str) -> None:
        """Show a message found elsewhere (e.g. by building the strategy) next to a field.

        Parameters
        ----------
        field : str
            The field's name, e.g. ``"strategy"`` or ``"scoring"``.
        message : str
            The message; ``""`` clears it.
        """
        if message:
            self._external[field] = message
        else:
            self._external.pop(field, None)
        self.validate()

    def values(self) -> dict[str, Any]:
        """The valid settings as plain values; an invalid field is left out.

        Returns
        -------
        dict
            As :meth:`settings`, less the fields whose input is invalid.
        """
        return self._parse()[0]

    def settings(self) -> dict[str, Any]:
        """The settings as plain values.

        Returns
        -------
        dict
            ``strategy``, ``strategy_options``, ``n_trials``, ``timeout``,
            ``n_jobs``, ``seed`` and, for estimators, ``scoring`` and ``cv``.

        Raises
        ------
        ValueError
            Listing the invalid fields.
        """
        values, errors = self._parse()
        if errors:
            raise ValueError("Invalid settings: " + "; ".join(errors.values()))
        return values

    # -- state -------------------------------------------------------------------------
    def show_state(
        self, state: RunnerState | None, *, can_start: bool, continuing: bool = False
    ) -> None:
        """Enable the buttons that make sense in ``state``.

        Parameters
        ----------
        state : RunnerState or None
            None when no search has been started (or the last one finished).
        can_start : bool
            Whether the space and settings are valid.
        continuing : bool, default=False
            Label Start as "Continue" (the study already has trials).
        """
        idle = state in (None, RunnerState.IDLE, RunnerState.FINISHED)
        # paused (after a Step): Start goes on with that search, as Resume does
        self.start_button.disabled = not ((idle and can_start) or state is RunnerState.PAUSED)
        self.start_button.description = "Continue" if continuing else "Start"
        self.step_button.disabled = not (
            (idle and can_start) or state in (RunnerState.RUNNING, RunnerState.PAUSED)
        )
        self.pause_button.disabled = state is not RunnerState.RUNNING
        self.resume_button.disabled = state is not RunnerState.PAUSED
        self.stop_button.disabled = state not in (RunnerState.RUNNING, RunnerState.PAUSED)
        self.settings_box_disabled(not idle)

    def settings_box_disabled(self, disabled: bool) -> None:
        """Freeze the settings while a search runs.

        Parameters
        ----------
        disabled : bool
        """
        for name, widget in self._fields.items():
            widget.disabled = disabled or name in self._fixed

    def show_progress(
        self, done: int, total: int | None, best: float | None, elapsed: float, eta: float | None
    ) -> None:
        """Update the progress bar and its label.

        Parameters
        ----------
        done : int
            Trials finished in this search.
        total : int or None
            Trials planned (None without a trial budget).
        best : float or None
            Best score of the study.
        elapsed : float
            Seconds of search.
        eta : float or None
            Estimated seconds left.
        """
        self.progress.max = max(total or done or 1, 1)
        self.progress.value = min(done, self.progress.max)
        best_text = "–" if best is None else f"{best:.4g}"
        of = f"/{total}" if total else ""
        self.progress_label.value = (
            f"<span class='tw-progress'><b class='tw-done'>{done}</b>{of} trials · best "
            f"<b>{best_text}</b> · elapsed {format_seconds(elapsed)} · ETA {format_seconds(eta)}"
            "</span>"
        )


def _scorer_names() -> list[str]:
    from sklearn.metrics import get_scorer_names

    return sorted(get_scorer_names())


def _scoring(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    names = _scorer_names()
    if text not in names:
        close = difflib.get_close_matches(text, names, n=3)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise ValueError(
            f"Unknown scoring {text!r}.{hint} Pick a name from the list, or leave it empty "
            "for the estimator's own score."
        )
    return text


def _number_or_error(text: str, name: str) -> float | None:
    try:
        return _optional_number(text)
    except ValueError:
        raise ValueError(f"{name}: {text!r} is not a number (leave it empty for none).") from None


def _int_or_none(text: str, name: str, low: int | None = None) -> int | None:
    value = _number_or_error(text, name)
    if value is None:
        return None
    if not float(value).is_integer():
        raise ValueError(f"{name} must be a whole number. Got {text!r}.")
    return check_int(int(value), name, owner="Dashboard", low=low)
