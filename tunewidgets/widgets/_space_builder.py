"""``SpaceBuilder``: edit a search space with sliders, text fields and multi-selects."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import traitlets

from ..objectives import check_estimator_params
from ..space import Categorical, Float, Int, Parameter, SearchSpace
from ..space._choices import base_label, is_plain

__all__ = ["SpaceBuilder", "default_parameter"]

_ROW = widgets.Layout(align_items="center", width="100%", flex_flow="row nowrap")
_NAME = widgets.Layout(width="100px", min_width="100px", overflow="hidden")
_TEXT = widgets.Layout(width="66px")
_ERROR_STYLE = "color:#b00020;font-size:12px;"


def _fmt(value: float, integer: bool = False) -> str:
    return str(int(value)) if integer else f"{value:.4g}"


def _error_html(message: str) -> str:
    from html import escape

    return (
        f'<span class="tw-error" style="{_ERROR_STYLE}">{escape(message)}</span>' if message else ""
    )


def default_parameter(value: Any) -> Parameter | None:
    """A starting range for a parameter from its current value (None if not searchable).

    Parameters
    ----------
    value : object
        The estimator's current value of the parameter.

    Returns
    -------
    Parameter or None
        Around positive floats a log range of four decades, around ints a log or
        linear range, booleans and strings as choices.
    """
    if isinstance(value, bool) or value is None:
        return Categorical([value] if value is None else [True, False])
    if isinstance(value, numbers.Integral):
        v = int(value)
        if v >= 4:
            return Int(max(1, v // 4), v * 4, log=True)
        return Int(min(v, 0), max(v, 0) + 10)
    if isinstance(value, numbers.Real) and math.isfinite(value):
        v = float(value)
        if v > 0:
            return Float(v / 100, v * 100, log=True)
        if v == 0:
            return Float(0.0, 1.0)
        return Float(v * 10, -v * 10)
    if isinstance(value, str):
        return Categorical([value])
    return None


def _parse_choice(text: str) -> Any:
    text = text.strip()
    lowered = text.lower()
    if lowered in ("none", "null"):
        return None
    if lowered in ("true", "false"):
        return lowered == "true"
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text.strip("'\"")


class _Row(widgets.VBox):
    """One parameter: its controls on a line, its error under it."""

    def __init__(self, name: str, on_change: Callable[[], None], on_remove: Callable[[str], None]):
        self.name = name
        self._on_change = on_change
        from html import escape

        self.label = widgets.HTML(
            f'<b title="{escape(name)}" style="white-space:nowrap">{escape(name)}</b>', layout=_NAME
        )
        self.remove = widgets.Button(
            icon="times", tooltip=f"remove {name}", layout=widgets.Layout(width="30px")
        )
        self.remove.on_click(lambda _: on_remove(self.name))
        self.error = widgets.HTML("")
        self.message = ""
        super().__init__()

    def parameter(self) -> Parameter:
        raise NotImplementedError

    def validate(self) -> str:
        """Rebuild the parameter; show and return the error message ('' if valid)."""
        try:
            self.parameter()
            message = ""
        except ValueError as exc:
            message = str(exc)
        self.message = message
        self.error.value = _error_html(message)
        return message


class _NumericRow(_Row):
    """Float or Int: low and high as text, a range slider between, a log toggle."""

    def __init__(
        self,
        name: str,
        param: Float | Int,
        on_change: Callable[[], None],
        on_remove: Callable[[str], None],
    ) -> None:
        super().__init__(name, on_change, on_remove)
        self.integer = isinstance(param, Int)
        self._syncing = False
        self._exact = self._exact_of(param)
        self.low = widgets.Text(
            _fmt(param.low, self.integer), layout=_TEXT, continuous_update=False
        )
        self.high = widgets.Text(
            _fmt(param.high, self.integer), layout=_TEXT, continuous_update=False
        )
        self.log_scale = widgets.ToggleButton(
            value=param.log,
            description="log",
            tooltip="search on a log scale",
            layout=widgets.Layout(width="44px"),
        )
        self.slider = widgets.FloatRangeSlider(
            readout=False, continuous_update=False, layout=widgets.Layout(width="120px")
        )
        self.slider.tooltip = "int" if self.integer else "float"
        self.children = [
            widgets.HBox(
                [self.label, self.low, self.slider, self.high, self.log_scale, self.remove],
                layout=_ROW,
            ),
            self.error,
        ]
        self._envelope = (param.low, param.high)
        self._set_slider(param.low, param.high)
        self.low.observe(self._typed, "value")
        self.high.observe(self._typed, "value")
        self.slider.observe(self._slid, "value")
        self.log_scale.observe(self._typed, "value")

    # slider coordinates: log10 of the value on a log scale, the value otherwise
    def _to_slider(self, v: float) -> float:
        return math.log10(v) if self.log_scale.value else v

    def _from_slider(self, s: float) -> float:
        v = 10**s if self.log_scale.value else s
        return float(round(v)) if self.integer else v

    def _set_slider(self, low: float, high: float) -> None:
        lo_env, hi_env = min(self._envelope[0], low), max(self._envelope[1], high)
        self._envelope = (lo_env, hi_env)
        self._syncing = True
        try:
            if self.log_scale.value and lo_env <= 0:
                self.slider.disabled = True
                return
            self.slider.disabled = False
            a, b = self._to_slider(lo_env), self._to_slider(hi_env)
            if b <= a:
                b = a + 1.0
            step = (b - a) / 200
            # order matters: widen before moving the handles
            self.slider.min, self.slider.max = min(a, self.slider.min), max(b, self.slider.max)
            self.slider.min, self.slider.max, self.slider.step = a, b, step
            lo, hi = self._to_slider(max(low, lo_env)), self._to_slider(min(high, hi_env))
            if lo <= hi:
                self.slider.value = (lo, hi)
        finally:
            self._syncing = False

    def _number(self, text: str, which: str) -> float:
        exact = self._exact.get(which)
        if exact is not None and exact[0] == text:
            return exact[1]  # shown rounded, kept exact (e.g. a proposed narrower space)
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{which} of {self.name!r}: {text!r} is not a number.") from None
        if self.integer and not value.is_integer():
            raise ValueError(f"{which} of {self.name!r} must be a whole number. Got {text!r}.")
        return value

    def parameter(self) -> Parameter:
        low = self._number(self.low.value, "low")
        high = self._number(self.high.value, "high")
        if self.integer:
            return Int(int(low), int(high), log=self.log_scale.value)
        return Float(low, high, log=self.log_scale.value)

    def _typed(self, change: Mapping[str, Any]) -> None:
        if self._syncing:
            return
        if self.validate() == "":
            param = self.parameter()
            assert isinstance(param, Float | Int)
            self._set_slider(param.low, param.high)
        self._on_change()

    def _slid(self, change: Mapping[str, Any]) -> None:
        if self._syncing:
            return
        lo, hi = change["new"]
        self._syncing = True
        try:
            self.low.value = _fmt(self._from_slider(lo), self.integer)
            self.high.value = _fmt(self._from_slider(hi), self.integer)
        finally:
            self._syncing = False
        self.validate()
        self._on_change()

    def _exact_of(self, param: Float | Int) -> dict[str, tuple[str, float]]:
        return {
            "low": (_fmt(param.low, self.integer), param.low),
            "high": (_fmt(param.high, self.integer), param.high),
        }

    def set_parameter(self, param: Float | Int) -> None:
        self._exact = self._exact_of(param)
        self._syncing = True
        try:
            self.log_scale.value = param.log
            self.low.value = _fmt(param.low, self.integer)
            self.high.value = _fmt(param.high, self.integer)
        finally:
            self._syncing = False
        self._set_slider(param.low, param.high)
        self.validate()


def _same_choice(a: Any, b: Any) -> bool:
    if a is b:
        return True
    return is_plain(a) and is_plain(b) and type(a) is type(b) and a == b


def _choice_text(choice: Any) -> str:
    if isinstance(choice, str):
        return choice
    return repr(choice) if is_plain(choice) else base_label(choice)


class _FixedRow(_Row):
    """A parameter shown as it is (a scipy.stats distribution): it can be removed, not edited."""

    def __init__(
        self,
        name: str,
        param: Parameter,
        on_change: Callable[[], None],
        on_remove: Callable[[str], None],
    ) -> None:
        super().__init__(name, on_change, on_remove)
        from html import escape

        self.param = param
        self.shown = widgets.HTML(f"<code>{escape(repr(param))}</code>")
        self.children = [widgets.HBox([self.label, self.shown, self.remove], layout=_ROW)]

    def parameter(self) -> Parameter:
        return self.param

    def set_parameter(self, param: Parameter) -> None:
        from html import escape

        self.param = param
        self.shown.value = f"<code>{escape(repr(param))}</code>"
        self.validate()


class _CategoricalRow(_Row):
    """Categorical: a multi-select of the choices, and a field to add one."""

    def __init__(
        self,
        name: str,
        param: Categorical,
        on_change: Callable[[], None],
        on_remove: Callable[[str], None],
    ) -> None:
        super().__init__(name, on_change, on_remove)
        self.choices: list[Any] = list(param.choices)
        self.select = widgets.SelectMultiple(layout=widgets.Layout(width="160px"))
        self.add = widgets.Text(
            placeholder="add a choice ⏎",
            continuous_update=False,
            layout=widgets.Layout(width="120px"),
        )
        self._refresh_options(selected=self.choices)
        self.select.observe(lambda _: self._changed(), "value")
        self.add.observe(self._added, "value")
        self.children = [
            widgets.HBox(
                [self.label, self.select, self.add, self.remove],
                layout=_ROW,
            ),
            self.error,
        ]

    def _refresh_options(self, selected: list[Any]) -> None:
        self.select.options = [(_choice_text(c), i) for i, c in enumerate(self.choices)]
        self.select.rows = min(max(len(self.choices), 2), 5)
        keys = [i for i, c in enumerate(self.choices) if any(_same_choice(c, s) for s in selected)]
        self.select.value = tuple(keys)

    def _changed(self) -> None:
        self.validate()
        self._on_change()

    def _added(self, change: Mapping[str, Any]) -> None:
        text = change["new"]
        if not text.strip():
            return
        value = _parse_choice(text)
        selected = [self.choices[i] for i in self.select.value]
        if not any(_same_choice(value, c) for c in self.choices):
            self.choices.append(value)
        self._refresh_options(selected=[*selected, value])
        self.add.value = ""
        self._changed()

    def parameter(self) -> Parameter:
        chosen = [self.choices[i] for i in self.select.value]
        if not chosen:
            raise ValueError(f"Choose at least one value for {self.name!r}.")
        return Categorical(chosen)

    def set_parameter(self, param: Categorical) -> None:
        for choice in param.choices:
            if not any(_same_choice(choice, c) for c in self.choices):
                self.choices.append(choice)
        self._refresh_options(selected=list(param.choices))
        self.validate()


class SpaceBuilder(widgets.VBox):
    """Edit a search space: a row per hyperparameter.

    Floats and ints get a range slider (on a log scale where ``log=True``, with
    the bounds shown and typed as real values), a log toggle and a remove
    button; categoricals a multi-select with a field to add choices; a
    scipy.stats distribution is shown as it is. New parameters can be added
    from the estimator's ``get_params()`` or by name. Invalid input is shown
    next to the field and makes :attr:`valid` False (the Dashboard then
    disables Start); typed bounds are never clamped.

    A space of branches (``tw.SearchSpace([{...}, {...}])``) is shown branch
    by branch, each with its own rows; parameters are added to the branch
    picked beside the Add button, and branches can be added and removed.

    Parameters
    ----------
    space : SearchSpace, optional
        The starting space.
    estimator : estimator, optional
        Offers its other parameters to add, starting from their current values.
    check : callable, optional
        ``check(space)`` raising ValueError for a space the objective cannot use
        (e.g. an unknown parameter name); its message is shown under the rows.

    Attributes
    ----------
    valid : bool
        Whether every row and the whole space are valid (a traitlet; observe it).
    version : int
        Increases on every edit (a traitlet; observe it).
    branch_rows : list of dict
        The rows of each branch, by parameter name (one dict for a space
        without branches).

    Examples
    --------
    >>> import tunewidgets as tw
    >>> builder = tw.SpaceBuilder(tw.SearchSpace({"C": tw.Float(1e-3, 1e3, log=True)}))
    >>> builder.rows["C"].high.value = "10"
    >>> builder.space
    SearchSpace({
        'C': Float(0.001, 10.0, log=True),
    })
    >>> builder.rows["C"].low.value = "100"
    >>> builder.valid
    False
    >>> branched = tw.SpaceBuilder(tw.SearchSpace([{"kernel": ["rbf"], "gamma": [0.1, 1.0]},
    ...                                            {"kernel": ["linear"]}]))
    >>> [sorted(rows) for rows in branched.branch_rows]
    [['gamma', 'kernel'], ['kernel']]
    >>> len(branched.space.branches)
    2
    """

    valid = traitlets.Bool(True)
    version = traitlets.Int(0)

    def __init__(
        self,
        space: SearchSpace | None = None,
        *,
        estimator: Any = None,
        check: Callable[[SearchSpace], None] | None = None,
    ) -> None:
        super().__init__(layout=widgets.Layout(width="100%"))
        self.estimator = estimator
        self._check = check
        self.branch_rows: list[dict[str, _Row]] = [{}]
        self._current = 0  # the branch parameters are added to
        self._rows_box = widgets.VBox()
        self.space_error = widgets.HTML("")
        self._add_box = self._make_add_box()
        self.children = [self._rows_box, self.space_error, self._add_box]
        self._load(space or SearchSpace())
        self._refresh_add_options()
        self._changed()

    @property
    def rows(self) -> dict[str, _Row]:
        """The rows of the branch picked for adding (of the space, without branches)."""
        return self.branch_rows[self._current]

    def _load(self, space: SearchSpace) -> None:
        branches = space.branches
        self.branch_rows = [{} for _ in branches]
        self._current = 0
        for b, branch in enumerate(branches):
            for name, param in branch.items():
                self._add_row(name, param, b)
        self._layout_rows()

    # -- rows ----------------------------------------------------------------------
    def _add_row(self, name: str, param: Parameter, branch: int | None = None) -> None:
        rows = self.branch_rows[self._current if branch is None else branch]

        def remove(row_name: str, rows: dict[str, _Row] = rows) -> None:
            self._remove_from(rows, row_name)

        row: _Row
        if isinstance(param, Categorical):
            row = _CategoricalRow(name, param, self._changed, remove)
        elif isinstance(param, Float | Int):
            row = _NumericRow(name, param, self._changed, remove)
        else:
            row = _FixedRow(name, param, self._changed, remove)
        rows[name] = row
        self._layout_rows()
        row.validate()

    def _layout_rows(self) -> None:
        if len(self.branch_rows) == 1:
            self._rows_box.children = list(self.branch_rows[0].values())
        else:
            self._rows_box.children = [
                self._branch_box(b, rows) for b, rows in enumerate(self.branch_rows)
            ]
        if hasattr(self, "_branch_pick"):
            n = len(self.branch_rows)
            self._branch_pick.options = [(f"branch {b + 1}", b) for b in range(n)]
            self._branch_pick.value = self._current
            self._branch_pick.layout.display = None if n > 1 else "none"

    def _branch_box(self, b: int, rows: dict[str, _Row]) -> widgets.Widget:
        header = widgets.HTML(
            f"<b>branch {b + 1}</b> <span style='color:#777'>of {len(self.branch_rows)}"
            f"{': no parameters (the estimator as it is)' if not rows else ''}</span>"
        )
        drop = widgets.Button(
            icon="trash", tooltip=f"remove branch {b + 1}", layout=widgets.Layout(width="30px")
        )
        drop.on_click(lambda _, rows=rows: self.remove_branch(self.branch_rows.index(rows)))
        return widgets.VBox(
            [widgets.HBox([header, drop], layout=_ROW), *rows.values()],
            layout=widgets.Layout(border="1px solid #e0e0e0", padding="2px 6px", margin="2px 0"),
        )

    def add_parameter(self, name: str, param: Parameter | None = None) -> None:
        """Add a row (from the estimator's current value when ``param`` is None).

        In a space of branches it goes to the branch picked beside the Add button.

        Parameters
        ----------
        name : str
            The parameter's name.
        param : Parameter, optional
            Its range; inferred from the estimator's current value when omitted.

        Raises
        ------
        ValueError
            If the name is taken, or no range can be inferred.
        """
        if name in self.rows:
            raise ValueError(f"{name!r} is already in the space.")
        if param is None:
            current = self._estimator_params().get(name)
            param = default_parameter(current)
            if param is None:
                raise ValueError(
                    f"No range can be inferred for {name!r} (its value is {current!r})."
                )
        self._add_row(name, param)
        self._refresh_add_options()
        self._changed()

    def remove_parameter(self, name: str) -> None:
        """Remove a row (of the branch picked beside the Add button).

        Parameters
        ----------
        name : str
        """
        self._remove_from(self.rows, name)

    def _remove_from(self, rows: dict[str, _Row], name: str) -> None:
        rows.pop(name, None)
        self._layout_rows()
        self._refresh_add_options()
        self._changed()

    def add_branch(self) -> None:
        """Add an empty branch (the space becomes, or stays, a space of branches)."""
        self.branch_rows.append({})
        self._current = len(self.branch_rows) - 1
        self._layout_rows()
        self._refresh_add_options()
        self._changed()

    def remove_branch(self, index: int) -> None:
        """Remove a branch and its rows (the last one cannot be removed).

        Parameters
        ----------
        index : int
            Position of the branch, from 0.
        """
        if len(self.branch_rows) > 1:
            del self.branch_rows[index]
            self._current = min(self._current, len(self.branch_rows) - 1)
        self._layout_rows()
        self._refresh_add_options()
        self._changed()

    def set_space(self, space: SearchSpace) -> None:
        """Show ``space``: rows are updated, added and removed to match.

        Parameters
        ----------
        space : SearchSpace
        """
        if len(space.branches) > 1 or len(self.branch_rows) > 1:
            self._load(space)
            self._refresh_add_options()
            self._changed()
            return
        rows = self.branch_rows[0]
        for name in [n for n in rows if n not in space]:
            rows.pop(name)
        for name, param in space.items():
            row = rows.get(name)
            same_kind = (
                row is not None
                and isinstance(row, _CategoricalRow) == isinstance(param, Categorical)
                and isinstance(row, _FixedRow) == (not isinstance(param, Categorical | Float | Int))
                and (not isinstance(row, _NumericRow) or row.integer == isinstance(param, Int))
            )
            if row is not None and same_kind:
                row.set_parameter(param)  # type: ignore[attr-defined]
            else:
                rows.pop(name, None)
                self._add_row(name, param, 0)
        self.branch_rows[0] = {name: rows[name] for name in space}
        self._layout_rows()
        self._refresh_add_options()
        self._changed()

    # -- the add box -----------------------------------------------------------------
    def _estimator_params(self) -> dict[str, Any]:
        if self.estimator is None:
            return {}
        return dict(self.estimator.get_params(deep=True))

    def _addable(self) -> list[str]:
        params = self._estimator_params()
        return sorted(
            name
            for name, value in params.items()
            if name not in self.rows and default_parameter(value) is not None
        )

    def _make_add_box(self) -> widgets.Box:
        self._add_name = widgets.Combobox(
            placeholder="parameter to add",
            ensure_option=False,
            layout=widgets.Layout(width="200px"),
        )
        self._add_kind = widgets.Dropdown(
            options=["auto", "float", "int", "choice"],
            value="auto",
            layout=widgets.Layout(width="76px"),
        )
        self._add_button = widgets.Button(
            description="Add", icon="plus", layout=widgets.Layout(width="80px")
        )
        self._add_error = widgets.HTML("")
        self._add_button.on_click(lambda _: self._add_clicked())
        self._branch_pick = widgets.Dropdown(
            options=[("branch 1", 0)], value=0, layout=widgets.Layout(width="96px", display="none")
        )
        self._branch_pick.observe(self._picked, "value")
        self._branch_button = widgets.Button(
            description="Branch",
            icon="plus",
            tooltip="add a branch: a set of parameters searched instead of the others",
            layout=widgets.Layout(width="90px"),
        )
        self._branch_button.on_click(lambda _: self.add_branch())
        return widgets.VBox(
            [
                widgets.HBox(
                    [
                        self._add_name,
                        self._add_kind,
                        self._branch_pick,
                        self._add_button,
                        self._branch_button,
                    ],
                    layout=_ROW,
                ),
                self._add_error,
            ]
        )

    def _picked(self, change: Mapping[str, Any]) -> None:
        if change["new"] is not None and change["new"] < len(self.branch_rows):
            self._current = int(change["new"])
            self._refresh_add_options()

    def _refresh_add_options(self) -> None:
        if hasattr(self, "_add_name"):
            self._add_name.options = self._addable()

    def _add_clicked(self) -> None:
        name = self._add_name.value.strip()
        kind = self._add_kind.value
        try:
            if not name:
                raise ValueError("Type or pick the name of a parameter to add.")
            if self.estimator is not None:
                check_estimator_params(self.estimator, [name])
            param: Parameter | None = None
            if kind == "float":
                param = Float(0.0, 1.0)
            elif kind == "int":
                param = Int(1, 10)
            elif kind == "choice":
                param = Categorical([self._estimator_params().get(name, "a")])
            elif name not in self._estimator_params():
                param = Float(0.0, 1.0)
            self.add_parameter(name, param)
            self._add_name.value = ""
            self._add_error.value = ""
        except ValueError as exc:
            self._add_error.value = _error_html(str(exc))

    # -- validation ----------------------------------------------------------------------
    def _changed(self) -> None:
        problems = [
            row.message for rows in self.branch_rows for row in rows.values() if row.message
        ]
        message = ""
        if not problems:
            try:
                space = self._build()
                if len(space) == 0 and len(space.branches) == 1:
                    message = "Add at least one parameter to search."
                elif self._check is not None:
                    self._check(space)
            except ValueError as exc:
                message = str(exc)
        self.space_error.value = _error_html(message)
        self.valid = not problems and not message
        self.version += 1

    def _build(self) -> SearchSpace:
        branches = [
            {name: row.parameter() for name, row in rows.items()} for rows in self.branch_rows
        ]
        return SearchSpace(branches[0] if len(branches) == 1 else branches)

    @property
    def errors(self) -> dict[str, str]:
        """The messages shown, by parameter name (``""`` for the space as a whole)."""
        out = {
            name: row.message
            for rows in self.branch_rows
            for name, row in rows.items()
            if row.message
        }
        if self.space_error.value:
            import re

            out[""] = re.sub(r"<[^>]+>", "", self.space_error.value)
        return out

    @property
    def space(self) -> SearchSpace:
        """The space as edited.

        Raises
        ------
        ValueError
            Listing what is invalid.
        """
        if not self.valid:
            listed = "; ".join(f"{k or 'space'}: {v}" for k, v in self.errors.items())
            raise ValueError(f"The search space is not valid: {listed}")
        return self._build()
