"""Preflight: what a series needs before any scene starts (LaTeX, dvisvgm, fonts)."""

from __future__ import annotations

import shutil
from collections.abc import Sequence

LATEX_PACKAGES = "texlive-latex-base texlive-latex-extra dvisvgm"


def problems(fonts: Sequence[str] = (), latex: bool = False, font_package: str = "") -> list[str]:
    """Return a message for each missing requirement (an empty list when all is there).

    Parameters
    ----------
    fonts : sequence of str
        Font family names the scenes pin (manim falls back silently to another
        font, drawing empty boxes for glyphs it lacks).
    latex : bool
        Whether scenes use MathTex/Tex (needs ``latex`` and ``dvisvgm``).
    font_package : str
        The package that installs the fonts, for the message.
    """
    found = []
    if latex:
        missing = [tool for tool in ("latex", "dvisvgm") if shutil.which(tool) is None]
        if missing:
            found.append(
                f"{' and '.join(missing)} not found (MathTex needs them); "
                f"install: apt-get install {LATEX_PACKAGES}"
            )
    if fonts:
        import manimpango

        installed = set(manimpango.list_fonts())
        absent = [f for f in fonts if f not in installed]
        if absent:
            hint = f"apt-get install {font_package}" if font_package else "install them"
            found.append(f"font(s) {', '.join(absent)} not installed; {hint}")
    return found
