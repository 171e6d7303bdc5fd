"""The creation race: a reader polling a study file while the first search creates it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import tunewidgets as tw

ROUNDS = 20

CREATOR = textwrap.dedent(
    """
    import os, sys, time
    import tunewidgets as tw

    folder, rounds = sys.argv[1], int(sys.argv[2])
    space = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})
    print("ready", flush=True)
    for i in range(rounds):  # one new file after another, while the reader polls them all
        tw.tune(lambda p: p["x"], space, strategy="random", n_trials=2,
                storage=os.path.join(folder, f"s{i}.db"), study_name="s", progress=False)
        time.sleep(0.005)
    print("done", flush=True)
    """
)


def test_a_reader_sees_no_file_an_empty_study_or_the_study_never_not_a_study(tmp_path):
    script = tmp_path / "creator.py"
    script.write_text(CREATOR)
    folder = tmp_path / "studies"
    folder.mkdir()
    proc = subprocess.Popen(
        [sys.executable, str(script), str(folder), str(ROUNDS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    seen = {"no file": 0, "no study yet": 0, "study": 0}
    wrong = []
    paths = [folder / f"s{i}.db" for i in range(ROUNDS)]
    while proc.poll() is None:
        for path in paths:
            try:
                study = tw.Study.load(path, "s")
                assert len(study.trials) <= 2
                seen["study"] += 1
            except FileNotFoundError:
                seen["no file"] += 1
            except KeyError:
                seen["no study yet"] += 1
            except Exception as exc:  # "not a tunewidgets study file" would land here
                wrong.append(f"{path.name}: {type(exc).__name__}: {exc}")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out.strip().endswith("done")
    assert wrong == []
    assert seen["study"] > 0 and seen["no file"] > 0
    for path in paths:
        assert len(tw.Study.load(path, "s").trials) == 2
    leftovers = [p.name for p in folder.iterdir() if not p.name.startswith("s")]
    assert leftovers == []  # no temporary file left behind
