r"""A teacher's variant of Episode 0's universal approximator: the cosine, fewer neurons.

The title comes from lib's registry (``\cos(x)``) and the narration from the knobs:
"cosine of x, sampled at forty points ... six hidden neurons".
"""

import numpy as np

from scenes.ep00_what_is_a_network import UniversalApproximator


class ApproximateCosine(UniversalApproximator):
    """cos on (−π, π), 40 training points, 6 hidden neurons."""

    target = staticmethod(np.cos)
    n_points = 40
    hidden = 6
