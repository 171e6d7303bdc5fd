"""The rows of the SpaceBuilder: one per parameter, numeric, categorical or shown as it is."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets

from ..space import Categorical, Float, Int, Parameter
from ..space._choices import base_label, is_plain

__all__ = ["CategoricalRow", "FixedRow", "NumericRow", "Row", "error_html", "parse_choice"]

_ROW = {"align_items": "center", "width": "100%", "flex_flow": "row nowrap"}  # a new Layout each
_NAME = {"width": "100px", "min_width": "100px", "overflow": "hidden"}
_TEXT = {"width": "66px"}
_ERROR_STYLE = "color:#b00020;font-size:12px;"


def _fmt(value: float, integer: bool = False) -> str:
    return str(int(value)) if integer else f"{value:.4g}"


def error_html(message: str) -> str:
    from html import escape

    return (
        f'<span class="tw-error" style="{_ERROR_STYLE}">{escape(message)}</span>' if message else ""
    )


def parse_choice(text: str) -> Any:
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


class Row(widgets.VBox):
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
        self.error.value = error_html(message)
        return message


class NumericRow(Row):
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


class FixedRow(Row):
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


class CategoricalRow(Row):
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
        value = parse_choice(text)
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
