"""``python -m series.bench raster REQUEST_JSON``: the rasterisation-only run of the floor."""

import sys

from .floor import main

sys.exit(main())
