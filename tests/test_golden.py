"""Tier 4: golden frames of key moments (last frames, 320x180), tolerant.

Four of the stored PNGs were made before the speed work (manim's DecimalNumber,
x264 preset medium) and matched the faster code pixel for pixel, so a speed change
that alters what is drawn fails here. SecantBecomesTangent and FactoryNudge were
regenerated after intended changes (lines clipped to the plot, a separator after ε);
SecantBecomesTangent, DerivativeInThreeViews and LimitShrinks again for issue 11/10 (axes by
scenes.components.plotting with round numbers; rise f(a+Δ) − f(a−Δ) in the output colour);
DerivativeInThreeViews (also the book's deriv listing, the three headings on one baseline) and
BackwardThroughTheGraph (arrays laid out to stay legible at 1080p) after the layout audit;
DerivativeInThreeViews again when labels had to clear lines (a ± Δ marked under the x axis,
not beside the dots; headings 5 px higher).
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from tests.golden import GOLDEN_DIR, KEY_MOMENTS, difference, render_last_frame
from tests.tolerances import GOLDEN_CHANGED_SHARE_TOLERANCE as CHANGED_SHARE_TOLERANCE
from tests.tolerances import GOLDEN_MEAN_TOLERANCE as MEAN_TOLERANCE


@pytest.mark.parametrize(("module", "class_name"), KEY_MOMENTS, ids=[c for _, c in KEY_MOMENTS])
def test_last_frame_matches_golden(module, class_name):
    with Image.open(GOLDEN_DIR / f"{class_name}.png") as img:
        golden = np.asarray(img.convert("RGB"))
    frame = render_last_frame(module, class_name)
    assert frame.shape == golden.shape
    mean, changed = difference(frame, golden)
    assert mean <= MEAN_TOLERANCE, (
        f"mean difference {mean:.3f} (regenerate: python -m tests.golden)"
    )
    assert changed <= CHANGED_SHARE_TOLERANCE, f"{changed:.2%} of pixels changed"


def test_difference_detects_a_moved_line():
    a = np.zeros((180, 320, 3), np.uint8)
    b = a.copy()
    a[90, 10:300] = 255
    b[92, 10:300] = 255
    mean, changed = difference(a, b)
    assert changed > CHANGED_SHARE_TOLERANCE
