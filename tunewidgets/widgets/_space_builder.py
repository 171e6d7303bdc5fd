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
from ._space_rows import CategoricalRow, FixedRow, NumericRow, Row, error_html

__all__ = ["SpaceBuilder", "default_parameter"]

_ROW = {"align_items": "center", "width": "100%", "flex_flow": "row nowrap"}  # a new Layout each


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
        self.branch_rows: list[dict[str, Row]] = [{}]
        self._current = 0  # the branch parameters are added to
        self._rows_box = widgets.VBox()
        self.space_error = widgets.HTML("")
        self._add_box = self._make_add_box()
        self.children = [self._rows_box, self.space_error, self._add_box]
        self._load(space or SearchSpace())
        self._refresh_add_options()
        self._changed()

    @property
    def rows(self) -> dict[str, Row]:
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

        def remove(row_name: str, rows: dict[str, Row] = rows) -> None:
            self._remove_from(rows, row_name)

        row: Row
        if isinstance(param, Categorical):
            row = CategoricalRow(name, param, self._changed, remove)
        elif isinstance(param, Float | Int):
            row = NumericRow(name, param, self._changed, remove)
        else:
            row = FixedRow(name, param, self._changed, remove)
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

    def _branch_box(self, b: int, rows: dict[str, Row]) -> widgets.Widget:
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

    def _remove_from(self, rows: dict[str, Row], name: str) -> None:
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
                and isinstance(row, CategoricalRow) == isinstance(param, Categorical)
                and isinstance(row, FixedRow) == (not isinstance(param, Categorical | Float | Int))
                and (not isinstance(row, NumericRow) or row.integer == isinstance(param, Int))
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
            self._add_error.value = error_html(str(exc))

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
        self.space_error.value = error_html(message)
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
