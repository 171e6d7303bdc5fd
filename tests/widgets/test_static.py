"""What a notebook saved with live views holds: one copy of plotly's code, and static copies.

A notebook is shared as a file, an HTML export or a page on GitHub, where no
kernel runs its widgets. The views leave a static copy of their last state as an
ordinary output, and their figures keep plotly's 5 MB front-end bundle once per
kernel, not once per figure.
"""

from __future__ import annotations

import re
from pathlib import Path

import plotly
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

import tunewidgets as tw
from tunewidgets.widgets import _static
from tunewidgets.widgets._figures import live_figure_class, new_figure_widget, plotly_bundle
from tunewidgets.widgets._static import STATIC_CSS, StaticCopy

from .helpers import shown

WAIT = 60
SPACE = tw.SearchSpace({"x": tw.Float(0.0, 1.0), "y": tw.Float(0.0, 1.0)})


def objective(params):
    return -((params["x"] - 0.3) ** 2) - (params["y"] - 0.6) ** 2


@pytest.fixture
def shell(monkeypatch):
    """A notebook's kernel as far as display goes: an IPython shell whose outputs we read."""
    InteractiveShell.clear_instance()
    shell = InteractiveShell.instance()
    monkeypatch.setattr(_static, "_PLOTLYJS_SHOWN", False)
    monkeypatch.setattr(pio.renderers, "default", "plotly_mimetype")
    yield shell
    InteractiveShell.clear_instance()


def _html(output) -> str:
    return output.data.get("text/html", "")


def _copies(outputs, display_id=None):
    """The static copies among the captured outputs, oldest first."""
    found = [o for o in outputs if "tw-static-copy" in _html(o)]
    if display_id is not None:
        found = [o for o in found if o.transient.get("display_id") == display_id]
    return found


# -- one copy of plotly's bundle ---------------------------------------------------------
def test_figures_refer_to_one_bundle_instead_of_carrying_it():
    first = new_figure_widget(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])))
    second = new_figure_widget()
    assert isinstance(first, go.FigureWidget) and isinstance(first, live_figure_class())
    state = first.get_state()
    assert len(state["_esm"]) < 5_000  # the loader, not the 5 MB bundle
    assert (
        state["_bundle"] == second.get_state()["_bundle"] == f"IPY_MODEL_{plotly_bundle().model_id}"
    )
    bundle = Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"
    assert plotly_bundle().code == bundle.read_text(encoding="utf-8")
    assert first.data[0].y == (3, 4)  # still plotly's FigureWidget in every other way


def test_the_whole_state_holds_the_figure_as_it_is_now():
    """What a page reloaded while the kernel runs asks for (plotly keeps the first state)."""
    from tunewidgets.widgets._figures import sync_figure

    figure = new_figure_widget(go.Figure(go.Scatter(y=[3, 1, 2])))
    figure._repr_mimebundle_()
    sync_figure(figure, go.Figure(go.Scatter(y=[5.0, 6.0, 7.0])))
    assert list(figure.get_state("_widget_data")["_widget_data"][0]["y"]) == [3, 1, 2]
    assert list(figure.get_state()["_widget_data"][0]["y"]) == [5.0, 6.0, 7.0]


def test_a_closed_bundle_is_made_again():
    old = plotly_bundle()
    old.close()
    figure = new_figure_widget()
    assert figure._bundle is not old and figure._bundle.comm is not None
    assert plotly_bundle() is figure._bundle


# -- static copies -----------------------------------------------------------------------
def test_static_copy_is_hidden_only_by_the_live_views_stylesheet():
    dash = tw.Dashboard(objective=objective, space=SPACE, n_trials=3, storage=None, display=False)
    styles = [str(getattr(w, "value", "")) for w in dash.widget.children[0].children]
    assert any(STATIC_CSS in s for s in styles)
    race = tw.Race(
        objective=objective, space=SPACE, strategies=["random"], n_trials=2, display=False
    )
    assert any(STATIC_CSS in str(getattr(w, "value", "")) for w in race.widget.children)


def test_dashboard_leaves_a_static_copy_of_its_last_state(shell):
    with capture_output() as captured:
        dash = tw.Dashboard(
            objective=objective, space=SPACE, strategy="random", n_trials=6, seed=0, storage=None
        )
    first = _copies(captured.outputs)
    assert len(first) == 1, "one static copy below the live view"
    display_id = first[0].transient["display_id"]
    assert "ready" in shown(_html(first[0])) and "0 trials" in shown(_html(first[0]))
    # plotly.js goes on the page once, before the copy that needs it
    outputs = captured.outputs
    live = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.data]
    assert live[0].data["text/plain"].startswith("<live tunewidgets dashboard")  # not a VBox repr
    plotlyjs = [i for i, o in enumerate(outputs) if "plotly.js v" in _html(o)]
    copy_at = [i for i, o in enumerate(outputs) if "tw-static-copy" in _html(o)]
    assert len(plotlyjs) == 1 and plotlyjs[0] < copy_at[0]

    with capture_output() as captured:
        dash.start()
        dash.wait(WAIT)
    last = _copies(captured.outputs, display_id)[-1]
    assert last.update, "the same output is rewritten, not a new one added"
    text = shown(_html(last))
    assert "finished" in text and "6 trials" in text
    # the convergence plot; not the parallel coordinates on show, drawn with WebGL (a page
    # holds ~16 WebGL contexts, and the hidden copy is drawn again at each rewrite)
    assert _html(last).count('class="plotly-graph-div"') == 1
    assert '"type":"parcoords"' not in _html(last).replace(" ", "")
    best = dash.study.best_trial
    assert f"{best.score:.4g}" in text  # the table of the best trials
    assert "plotly.js v" not in "".join(_html(o) for o in captured.outputs)  # once is enough

    with capture_output() as captured:
        dash.plot_tabs.selected_index = 2  # the search path: now in the copy too
    html = _html(_copies(captured.outputs, display_id)[-1])
    assert html.count('class="plotly-graph-div"') == 2 and "Search path" in html


def test_the_copy_names_each_trials_parameters_and_follows_a_running_search(shell, monkeypatch):
    import time

    from tunewidgets.widgets import _dashboard

    monkeypatch.setattr(_dashboard, "STATIC_INTERVAL", 0.0)

    def slow(params):
        time.sleep(0.05)
        return objective(params)

    with capture_output() as captured:
        dash = tw.Dashboard(
            objective=slow, space=SPACE, strategy="random", n_trials=60, seed=0, storage=None
        )
        dash.start()
        deadline = time.monotonic() + WAIT
        while len(dash.study.trials) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        dash.stop()
        dash.wait(WAIT)
    texts = [shown(_html(o)) for o in _copies(captured.outputs)]
    assert any("running" in t for t in texts), "rewritten while the trials ran"
    last = _html(_copies(captured.outputs)[-1])
    headers = re.findall(r"<th>([^<]*)</th>", last)
    assert {"number", "x", "y", "score"} <= set(headers), headers


def test_race_leaves_a_static_copy_of_its_last_state(shell):
    with capture_output() as captured:
        race = tw.Race(
            objective=objective, space=SPACE, strategies=["random", "bayes"], n_trials=5, seed=0
        )
        race.start()
        race.wait(WAIT)
    copies = _copies(captured.outputs)
    assert copies and copies[-1].update
    assert {o.transient["display_id"] for o in copies} == {copies[0].transient["display_id"]}
    text = shown(_html(copies[-1]))
    assert "Race: random, bayes" in text
    assert re.search(r"random\s+5\b", text) and re.search(r"bayes\s+5\b", text)
    assert _html(copies[-1]).count('class="plotly-graph-div"') == 1


def test_a_user_notebook_renderer_puts_plotlyjs_there_once(shell, monkeypatch):
    pytest.importorskip("nbformat")  # plotly's mimetype renderer needs it
    monkeypatch.setattr(pio.renderers, "default", "plotly_mimetype+notebook")  # pending now
    with capture_output() as captured:
        copy = StaticCopy("test")
        copy.show()
        go.Figure(go.Bar(y=[1, 2])).show()  # plotly's own first figure: no second plotly.js
    assert sum("plotly.js v" in _html(o) for o in captured.outputs) == 1


def test_without_ipython_nothing_is_shown():
    InteractiveShell.clear_instance()
    copy = StaticCopy("test")
    copy.show()
    copy.update(["<p>state</p>"])
    assert not copy.shown and copy.html == "<p>state</p>"
