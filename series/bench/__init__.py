"""Render benchmark: our build against plain ``manim render`` and against the floor.

``python render.py bench`` runs :func:`run_benchmark` and prints its table. It
measures, in one run (each figure the median of ``runs`` samples, with min and
max; ours and the baseline interleaved A B A B so that drift hits both):

``cold``
    A cold build at ``-q l`` (the whole series, or with ``quick`` the first
    scene of each episode): :func:`series.build.build` with the default jobs
    into a fresh build tree, against plain ``manim render -ql FILE CLASS``
    of each scene one after another, each with a fresh ``--media_dir``.
    Ratio plain / ours (per pair of runs).
``nochange``
    The same build again on the warm build tree (everything cached).
``edit``
    A class attribute inserted into one scene class (only it: its content key
    changes, its module's other scenes' do not), then the build of its
    episode up to the updated episode MP4, in a copy of the warm build tree.
    The edit changes no frame, so the episode's assembly record is dropped to
    make it assemble as after a real edit. The file is restored byte for byte
    (and its modification time) in a ``finally``, also on Ctrl-C or SIGTERM;
    if someone else changed the file meanwhile, only the benchmark's line is
    removed (:mod:`.edit`).
``hd``
    One representative scene at 1080p60: ours (:func:`series.build.render_scene`,
    ``force=True``), plain ``manim render -qh``, and the floor measured in the
    same run on the same frames, rasterisation alone plus encoding alone with
    our encoder (:mod:`.floor`). Ratios: ours / floor and plain / ours (per run).
``memory``
    Peak resident memory of our 1080p worker and of plain ``manim render -qh``
    (the child's own ``VmHWM``, :mod:`.measure`; taken from the ``hd`` runs).
``preview``
    ``render.py preview CLASS`` as a subprocess, from its start to the PNG's
    path printed on stdout; with the preview server (:mod:`series.warm`), once
    with none running (``preview.first``: the command starts it) and once with
    it up (``preview``), the server stopped at the end.
``watch``
    One ``--watch`` update: the same still again in this process, with the
    TeX cache and an idle warm parent (the preview server) left by the first.
``series``
    The whole series at 1080p30 from a cold tree (once): wall time over the
    video's duration. Not in the default sections: it takes minutes.
``tests``
    The default test run, ``python -m pytest -q`` (once).

Each figure with a target of issue 15 prints it and how far the median is
(:data:`.report.TARGETS`).

Our renders use the machinery's own :class:`~series.settings.RenderSettings`
and :class:`~series.tree.BuildTree`, and its worker command; the figures are
also written as JSON to ``BuildTree(out).bench / <timestamp>.json`` so that
runs can be compared. Nothing here asserts anything about time.

Modules: :mod:`.measure` (child processes, plain manim), :mod:`.edit` (the
file edit and its restore), :mod:`.floor` (rasterisation and encoding alone),
:mod:`.report` (figures and the table), :mod:`.run` (the orchestration).
"""

from .edit import appended_line, class_edit, inserted_line
from .floor import FRAME_BUDGET, encode_floor, rasterise, run_rasterise
from .measure import BenchError, MeasuredWorker, Run, manim_command, plain_manim, run_measured
from .report import TARGETS, Figure, Target, environment, format_table
from .run import DEFAULT_SECTIONS, REPRESENTATIVE, SECTIONS, quick_series, run_benchmark

__all__ = [
    "DEFAULT_SECTIONS",
    "FRAME_BUDGET",
    "REPRESENTATIVE",
    "SECTIONS",
    "TARGETS",
    "BenchError",
    "Figure",
    "MeasuredWorker",
    "Run",
    "Target",
    "appended_line",
    "class_edit",
    "encode_floor",
    "environment",
    "format_table",
    "inserted_line",
    "manim_command",
    "plain_manim",
    "quick_series",
    "rasterise",
    "run_benchmark",
    "run_measured",
    "run_rasterise",
]
