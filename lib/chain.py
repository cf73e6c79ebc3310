"""Nested functions: a chain of factories, the wires between them, the chain rule.

A *chain* f₁, f₂, …, fₙ of elementwise array functions is the nested function
F(x) = fₙ(…f₂(f₁(x))…). In the diagram view each fᵢ is a small factory and a
wire joins the output of one factory to the input of the next; this module
computes what flows along every wire (:meth:`NestedFunction.stages`), the local
derivative of every factory at its own input
(:meth:`NestedFunction.local_derivatives`), their product, which is the chain
rule (:meth:`NestedFunction.derivative`),

    F′(x) = fₙ′(uₙ₋₁) · … · f₂′(u₁) · f₁′(u₀),   u₀ = x, uᵢ = fᵢ(uᵢ₋₁),

and how a small nudge ε of the input is multiplied by each factory on its way
to the output (:meth:`NestedFunction.nudge`).

Every function here is vectorised: ``x`` may be a scalar or an array of any
shape ``(...)``, and every returned array has that shape, in float64.

Source: Weidman, *Deep Learning from Scratch* (O'Reilly, 2019), chapter 1,
identifiers ``Chain``, ``chain_length_2``, ``chain_deriv_2``,
``chain_length_3`` and ``chain_deriv_3``. Unlike the book's ``chain_deriv_2``,
which evaluates f₁(x) twice, the local derivatives here are taken at the stage
values of a single forward pass: every factory runs once per stage (an
unregistered one is also evaluated at its input ± Δ by the central difference).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lib import book
from lib.adapt import adapt
from lib.calculus import DELTA, NonFiniteError, deriv, near_kink
from lib.functions import spec_of

__all__ = [
    "Chain",
    "NestedFunction",
    "Nudge",
    "chain_deriv_2",
    "chain_deriv_3",
    "chain_length_2",
    "chain_length_3",
]

FloatArray = NDArray[np.float64]

Chain = list[Callable[[NDArray[np.floating]], NDArray[np.floating]]]
"""The book's ``Chain``: a list of array functions, applied first to last."""

DerivativeSource = Literal["analytic", "numeric"]


def _as_float64(x: ArrayLike) -> FloatArray:
    """Return ``x`` as a float64 array (scalars become 0-d arrays)."""
    return np.asarray(x, dtype=np.float64)


def _name_of(func: Callable[..., object]) -> str:
    """Return the registered name of ``func``, else its ``__name__``, else its repr."""
    spec = spec_of(func)
    if spec is not None:
        return spec.name
    return getattr(func, "__name__", repr(func))


@dataclass(frozen=True, eq=False)
class Nudge:
    """A nudge ε of the input, followed along every wire of a chain.

    All arrays have the shape ``(...)`` of the input ``x``; the three lists of
    wires have one entry per wire, ``n + 1`` for a chain of ``n`` functions
    (wire 0 is the input, wire ``n`` the output). ``multipliers`` has one entry
    per factory, ``n``.

    Attributes
    ----------
    epsilon : float
        The nudge added to the input.
    stages : list of ndarray, length n + 1
        Unnudged values on every wire: ``[x, f1(x), f2(f1(x)), ...]``.
    nudged_stages : list of ndarray, length n + 1
        The same for the input ``x + epsilon``.
    changes : list of ndarray, length n + 1
        ``nudged_stages[i] - stages[i]``; ``changes[0]`` equals ``epsilon``.
    multipliers : list of ndarray, length n
        Local derivative of each factory at its unnudged input: the factor by
        which that factory multiplies a small change passing through it.
    ratio : ndarray
        ``changes[-1] / epsilon``: the forward-difference slope of the whole
        chain, which tends to :meth:`NestedFunction.derivative` as ε → 0 with
        error ≈ ε·|F″(x)|/2.
    """

    epsilon: float
    stages: list[FloatArray]
    nudged_stages: list[FloatArray]
    changes: list[FloatArray]
    multipliers: list[FloatArray]
    ratio: FloatArray

    @property
    def predicted_changes(self) -> list[FloatArray]:
        """Change on every wire predicted by the chain rule, length n + 1.

        ``epsilon · multipliers[0] · … · multipliers[i-1]`` on wire ``i``: what
        the factories do to an infinitesimal nudge. The actual ``changes``
        differ from it by O(ε²).

        Returns
        -------
        list of ndarray, length n + 1
            Same shapes as ``changes``.
        """
        predicted = [np.full_like(self.stages[0], self.epsilon)]
        for multiplier in self.multipliers:
            predicted.append(predicted[-1] * multiplier)
        return predicted


@dataclass(frozen=True)
class NestedFunction:
    """The nested function F(x) = fₙ(…f₂(f₁(x))…) of a chain f₁, …, fₙ.

    Parameters
    ----------
    functions : sequence of callable, length n ≥ 1
        Elementwise array functions, ``(...) -> (...)``, applied first to
        last. A list (the book's :data:`Chain`) is accepted and stored as a
        tuple.
    derivatives : sequence of (callable or None), length n, optional
        Analytic derivatives to use instead of the registry's. An entry of
        None (or the default, all None) means: the derivative registered in
        :mod:`lib.functions` for that function, or, for an unregistered
        function, the central difference :func:`lib.calculus.deriv`.

    Raises
    ------
    ValueError
        If ``functions`` is empty, or ``derivatives`` has a different length.
    TypeError
        If ``functions`` is not a sequence, or an item of ``functions`` or
        ``derivatives`` is not callable; the message names the index and the
        item.

    Examples
    --------
    >>> from lib.functions import sigmoid, square
    >>> f = NestedFunction([square, sigmoid])
    >>> f.names
    ('square', 'sigmoid')
    >>> f(0.0)
    array(0.5)
    >>> f.derivative(1.0)  # sigmoid'(1) * 2
    array(0.39322387)
    """

    functions: tuple[Callable[..., ArrayLike], ...]
    derivatives: tuple[Callable[..., ArrayLike] | None, ...] | None = field(default=None)

    def __post_init__(self) -> None:
        """Validate the chain and store the sequences as tuples."""
        functions = self.functions
        if callable(functions) or not isinstance(functions, Iterable):
            raise TypeError(
                f"functions must be a sequence of callables, got {type(functions).__name__}: "
                f"{functions!r}"
            )
        functions = tuple(functions)
        if not functions:
            raise ValueError("a chain needs at least one function, got an empty sequence")
        for i, func in enumerate(functions):
            if not callable(func):
                raise TypeError(
                    f"functions[{i}] is not callable: {func!r} (type {type(func).__name__})"
                )
        object.__setattr__(self, "functions", functions)

        if self.derivatives is not None:
            derivatives = tuple(self.derivatives)
            if len(derivatives) != len(functions):
                raise ValueError(
                    f"derivatives has length {len(derivatives)}; expected {len(functions)}, "
                    "one per function (None for the default)"
                )
            for i, d in enumerate(derivatives):
                if d is not None and not callable(d):
                    raise TypeError(
                        f"derivatives[{i}] is neither callable nor None: {d!r} "
                        f"(type {type(d).__name__})"
                    )
            object.__setattr__(self, "derivatives", derivatives)

    def __len__(self) -> int:
        """Return n, the number of functions (factories) in the chain."""
        return len(self.functions)

    def __call__(self, x: ArrayLike) -> FloatArray:
        """Evaluate F(x), the last stage.

        Parameters
        ----------
        x : array_like, shape (...)
            Input values.

        Returns
        -------
        ndarray, shape (...)
            fₙ(…f₁(x)…), float64.

        Examples
        --------
        >>> from lib.functions import square
        >>> NestedFunction([square, square])([1.0, 2.0])
        array([ 1., 16.])
        """
        return self.stages(x)[-1]

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the functions, first to last.

        The registered name (:func:`lib.functions.spec_of`) where there is
        one, else the function's ``__name__``.

        Returns
        -------
        tuple of str, length n
            One name per function.
        """
        return tuple(_name_of(f) for f in self.functions)

    @property
    def derivative_sources(self) -> tuple[DerivativeSource, ...]:
        """How each local derivative is computed, first to last.

        ``'analytic'`` when a derivative was passed in ``derivatives`` or is
        registered in :mod:`lib.functions`; ``'numeric'`` when it falls back
        to the central difference :func:`lib.calculus.deriv` (Δ = 0.001).

        Returns
        -------
        tuple of {'analytic', 'numeric'}, length n
            One entry per function.

        Examples
        --------
        >>> from lib.functions import sigmoid
        >>> NestedFunction([sigmoid, lambda x: 3 * x]).derivative_sources
        ('analytic', 'numeric')
        """
        return tuple(
            "numeric" if self._analytic_derivative(i) is None else "analytic"
            for i in range(len(self))
        )

    def _analytic_derivative(self, i: int) -> Callable[..., ArrayLike] | None:
        """Return the analytic derivative of function ``i``, or None."""
        if self.derivatives is not None and self.derivatives[i] is not None:
            return self.derivatives[i]
        spec = spec_of(self.functions[i])
        return None if spec is None else spec.derivative

    def stages(self, x: ArrayLike) -> list[FloatArray]:
        """Return the value on every wire: ``[x, f1(x), f2(f1(x)), ...]``.

        Each function is called exactly once.

        Parameters
        ----------
        x : array_like, shape (...)
            Input values.

        Returns
        -------
        list of ndarray, length n + 1, each shape (...)
            ``stages[0]`` is ``x`` (as float64), ``stages[i]`` is the output
            of function ``i`` (1-based), ``stages[-1]`` is F(x).

        Raises
        ------
        ValueError
            If a function returns an array whose shape differs from its
            input's (chain functions must be elementwise).

        Examples
        --------
        >>> from lib.functions import leaky_relu, sigmoid, square
        >>> NestedFunction([leaky_relu, square, sigmoid]).stages(-1.0)
        [array(-1.), array(-0.2), array(0.04), array(0.50999867)]
        """
        values = [_as_float64(x)]
        for i, func in enumerate(self.functions):
            out = _call_quietly(func, values[-1])
            if out.shape != values[-1].shape:
                raise ValueError(
                    f"functions[{i}] ({_name_of(func)}) returned shape {out.shape} for an "
                    f"input of shape {values[-1].shape}; chain functions must be elementwise"
                )
            values.append(out)
        return values

    def local_derivatives_at(self, stages: list[FloatArray]) -> list[FloatArray]:
        """Return each factory's derivative at stage values already computed.

        The function is not called again: ``stages`` is the output of
        :meth:`stages` (length n + 1), and factory i's derivative is taken at
        ``stages[i]``, analytic when known, else :func:`lib.calculus.deriv`.

        Parameters
        ----------
        stages : list of ndarray, shape (...)
            The values on every wire, ``[x, f1(x), f2(f1(x)), ...]``.

        Returns
        -------
        list of ndarray, shape (...)
            ``[f1'(x), f2'(f1(x)), ...]``, one per factory.
        """
        local = []
        for i, func in enumerate(self.functions):
            analytic = self._analytic_derivative(i)
            if analytic is not None:
                with np.errstate(all="ignore"):  # a non-finite result is reported by derivative
                    d = analytic(stages[i])
            else:
                d = deriv(func, stages[i])
            local.append(np.broadcast_to(_as_float64(d), stages[i].shape).copy())
        return local

    def local_derivatives(self, x: ArrayLike) -> list[FloatArray]:
        """Return each factory's derivative at its own input.

        ``[f1'(x), f2'(f1(x)), f3'(f2(f1(x))), ...]``, taken at the stage values
        of one forward pass (each function runs once at its input; the book's
        ``chain_deriv_2`` evaluates f1(x) twice). A numeric derivative also
        evaluates its function at the stage value ± Δ. The derivative is analytic
        when one was given or is registered (see :attr:`derivative_sources`),
        else the central difference :func:`lib.calculus.deriv` with Δ = 0.001.

        Parameters
        ----------
        x : array_like, shape (...)
            Input values.

        Returns
        -------
        list of ndarray, length n, each shape (...)
            ``result[i]`` is fᵢ₊₁′ evaluated at ``stages(x)[i]``.

        Raises
        ------
        lib.calculus.KinkError
            If a numeric (unregistered) derivative is asked within Δ of a kink
            (raised by :func:`lib.calculus.deriv`).

        Notes
        -----
        At a registered kink an analytic derivative returns the mean of the
        one-sided slopes (e.g. 0.6 for ``leaky_relu`` at 0); use
        :meth:`kinks_crossed` to find such points and not claim a slope there.

        Examples
        --------
        >>> from lib.functions import sigmoid, square
        >>> NestedFunction([square, sigmoid]).local_derivatives(0.0)
        [array(0.), array(0.25)]
        """
        return self.local_derivatives_at(self.stages(x))

    def derivative(self, x: ArrayLike) -> FloatArray:
        """Return F′(x) by the chain rule: the product of the local derivatives.

        F′(x) = fₙ′(uₙ₋₁) · … · f₂′(u₁) · f₁′(x), elementwise, with uᵢ the
        stage values (the book's ``chain_deriv_2`` / ``chain_deriv_3`` for any
        length). Vectorised: pass an array of x to plot dF/dx over a range.

        Parameters
        ----------
        x : array_like, shape (...)
            Input values.

        Returns
        -------
        ndarray, shape (...)
            F′(x), float64.

        Raises
        ------
        lib.calculus.KinkError
            See :meth:`local_derivatives`.
        lib.calculus.NonFiniteError
            If a stage value or the product is not finite at some x (a pole,
            overflow: ``[np.exp, np.exp]`` at 10), like :func:`lib.calculus.deriv`.

        Examples
        --------
        >>> import numpy as np
        >>> from lib.functions import square
        >>> NestedFunction([square, square]).derivative(np.array([1.0, 2.0]))  # 4x³
        array([ 4., 32.])
        """
        stages = self.stages(x)
        _check_finite(self, stages, stages[0])
        local = self.local_derivatives_at(stages)
        with np.errstate(all="ignore"):
            result = _as_float64(reduce(np.multiply, local))
        _check_finite(self, [*stages, result], stages[0], derivative=True)
        return result

    def nudge(self, x: ArrayLike, epsilon: float) -> Nudge:
        """Nudge the input by ``epsilon`` and record the change on every wire.

        Parameters
        ----------
        x : array_like, shape (...)
            Input values.
        epsilon : float
            The nudge; finite and non-zero (may be negative).

        Returns
        -------
        Nudge
            Stages, nudged stages, per-wire changes, local multipliers and
            the final ratio ``changes[-1] / epsilon``.

        Raises
        ------
        ValueError
            If ``epsilon`` is zero, not finite, or not a scalar.

        Examples
        --------
        >>> from lib.functions import square
        >>> n = NestedFunction([square, square]).nudge(1.0, 0.001)
        >>> [round(float(c), 12) for c in n.changes]
        [0.001, 0.002001, 0.004006004001]
        >>> [float(m) for m in n.multipliers]
        [2.0, 2.0]
        >>> round(float(n.ratio), 6)
        4.006004
        """
        eps = np.asarray(epsilon, dtype=np.float64)
        if eps.ndim != 0:
            raise ValueError(f"epsilon must be a scalar, got an array of shape {eps.shape}")
        eps = float(eps)
        if not np.isfinite(eps) or eps == 0.0:
            raise ValueError(f"epsilon must be finite and non-zero, got {epsilon!r}")
        stages = self.stages(x)
        nudged = self.stages(stages[0] + eps)
        changes = [_as_float64(b - a) for a, b in zip(stages, nudged, strict=True)]
        # The nudge actually applied is the float64 difference (x + ε) − x,
        # which equals ε exactly unless |x| ≫ |ε|; report the requested ε.
        changes[0] = np.full_like(stages[0], eps)
        return Nudge(
            epsilon=eps,
            stages=stages,
            nudged_stages=nudged,
            changes=changes,
            multipliers=self.local_derivatives_at(stages),
            ratio=_as_float64((nudged[-1] - stages[-1]) / eps),
        )

    def kink_mask(self, x: ArrayLike, delta: float = DELTA) -> NDArray[np.bool_]:
        """Flag, per factory, the inputs within ``delta`` of a kink or pole.

        Parameters
        ----------
        x : array_like, shape (...)
            Input values.
        delta : float, optional
            Distance Δ > 0, in the units of each stage's input. Default
            :data:`lib.calculus.DELTA` (0.001), the step of ``deriv``: closer
            than that, a central difference straddles the kink.

        Returns
        -------
        ndarray of bool, shape (n, ...)
            ``mask[i]`` is True where ``stages(x)[i]``, the input of function
            ``i``, lies within ``delta`` of one of the kinks or poles
            registered for it (:func:`lib.calculus.near_kink`). Unregistered
            functions have no known kinks.

        Raises
        ------
        lib.calculus.StepError
            If ``delta`` is not a positive finite number (a ValueError).

        Examples
        --------
        >>> from lib.functions import relu, square
        >>> NestedFunction([square, relu]).kink_mask([0.0, 1.0])
        array([[False, False],
               [ True, False]])
        """
        stages = self.stages(x)
        return np.stack(
            [near_kink(func, stages[i], delta) for i, func in enumerate(self.functions)]
        )

    def kinks_crossed(self, x: ArrayLike, delta: float = DELTA) -> NDArray[np.bool_]:
        """Return True where any stage's input is within ``delta`` of its kink.

        A scene must not claim a slope (draw a tangent) where this is True:
        there the chain is not differentiable, or a central difference with
        step ``delta`` straddles the kink. Registered poles count as well.

        Parameters
        ----------
        x : array_like, shape (...)
            Input values.
        delta : float, optional
            Distance Δ > 0; default :data:`lib.calculus.DELTA` (0.001).

        Returns
        -------
        ndarray of bool, shape (...)
            ``kink_mask(x, delta).any(axis=0)``.

        Raises
        ------
        lib.calculus.StepError
            If ``delta`` is not a positive finite number (a ValueError).

        Examples
        --------
        >>> from lib.functions import leaky_relu, sigmoid, square
        >>> f = NestedFunction([leaky_relu, square, sigmoid])
        >>> f.kinks_crossed([-1.0, 0.0, 0.0005, 0.5])
        array([False,  True,  True, False])
        >>> f.kinks_crossed(0.0005, delta=0.0001)
        array(False)
        """
        return np.asarray(self.kink_mask(x, delta).any(axis=0), dtype=bool)


def _call_quietly(func: Callable[..., ArrayLike], x: FloatArray) -> FloatArray:
    """Call a chain function silently; a scalar-only one goes through :func:`lib.adapt.adapt`."""
    with np.errstate(all="ignore"):
        try:
            return _as_float64(func(x))
        except (TypeError, ValueError):
            return _as_float64(adapt(func)(x))


def _check_finite(
    nested: NestedFunction, values: list[FloatArray], x: FloatArray, derivative: bool = False
) -> None:
    """Raise NonFiniteError naming the chain and the first x where a value is not finite."""
    for i, v in enumerate(values):
        bad = ~np.isfinite(v)
        if bad.any():
            index = tuple(int(k) for k in np.argwhere(bad)[0])
            at = float(np.broadcast_to(x, v.shape)[index])
            what = (
                "the chain-rule derivative"
                if derivative and i == len(values) - 1
                else ("the input" if i == 0 else f"stage {i} ({nested.names[i - 1]})")
            )
            raise NonFiniteError(
                f"{what} of the chain {list(nested.names)} is not finite at x={at!r} "
                f"(value {float(v[index])!r}); expected finite values: choose x away from "
                "poles and overflow"
            )


def _book_chain_derivative(
    nested: NestedFunction, kernel: Callable[..., ArrayLike], x: ArrayLike
) -> FloatArray:
    """Run the book's chain-rule listing ``kernel`` quietly, with :meth:`NestedFunction.derivative`'s checks."""
    x = _as_float64(x)
    with np.errstate(all="ignore"):
        result = _as_float64(kernel(nested.functions, x))
    if not np.isfinite(result).all():
        # Only now run the stages again, to name the first one that is not finite.
        stages = nested.stages(x)
        _check_finite(nested, [*stages, result], stages[0], derivative=True)
    return result


def _check_length(chain: Iterable[Callable[..., ArrayLike]], n: int, who: str) -> NestedFunction:
    """Return ``NestedFunction(chain)`` after checking that it has ``n`` functions."""
    nested = NestedFunction(tuple(chain))
    if len(nested) != n:
        raise ValueError(f"{who} needs a chain of length {n}, got length {len(nested)}")
    return nested


def chain_length_2(chain: Chain, x: ArrayLike) -> FloatArray:
    """Evaluate two functions in a row, f2(f1(x)): the book's ``chain_length_2``.

    Parameters
    ----------
    chain : Chain, length 2
        ``[f1, f2]``, elementwise array functions.
    x : array_like, shape (...)
        Input values.

    Returns
    -------
    ndarray, shape (...)
        f2(f1(x)), float64.

    Raises
    ------
    ValueError
        If the chain does not have length 2 (the message gives its length).

    Examples
    --------
    >>> from lib.functions import sigmoid, square
    >>> chain_length_2([square, sigmoid], 0.0)
    array(0.5)
    """
    return _check_length(chain, 2, "chain_length_2")(x)


def chain_deriv_2(chain: Chain, x: ArrayLike) -> FloatArray:
    """Differentiate f2(f1(x)) by the chain rule: the book's ``chain_deriv_2``.

    (f2∘f1)′(x) = f2′(f1(x)) · f1′(x), with f1(x) computed once (the book
    computes it twice). See :meth:`NestedFunction.derivative`.

    Parameters
    ----------
    chain : Chain, length 2
        ``[f1, f2]``.
    x : array_like, shape (...)
        Input values, e.g. ``np.linspace(-3, 3, 61)``.

    Returns
    -------
    ndarray, shape (...)
        The derivative at each x, float64.

    Raises
    ------
    ValueError
        If the chain does not have length 2.

    Examples
    --------
    >>> from lib.functions import sigmoid, square
    >>> chain_deriv_2([sigmoid, square], [0.0])  # 2·σ(0)·σ'(0)
    array([0.25])
    """
    return _book_chain_derivative(_check_length(chain, 2, "chain_deriv_2"), book.chain_deriv_2, x)


def chain_length_3(chain: Chain, x: ArrayLike) -> FloatArray:
    """Evaluate three functions in a row, f3(f2(f1(x))): the book's ``chain_length_3``.

    Parameters
    ----------
    chain : Chain, length 3
        ``[f1, f2, f3]``.
    x : array_like, shape (...)
        Input values.

    Returns
    -------
    ndarray, shape (...)
        f3(f2(f1(x))), float64.

    Raises
    ------
    ValueError
        If the chain does not have length 3.

    Examples
    --------
    >>> from lib.functions import leaky_relu, sigmoid, square
    >>> chain_length_3([leaky_relu, sigmoid, square], 0.0)
    array(0.25)
    """
    return _check_length(chain, 3, "chain_length_3")(x)


def chain_deriv_3(chain: Chain, x: ArrayLike) -> FloatArray:
    """Differentiate f3(f2(f1(x))) by the chain rule: the book's ``chain_deriv_3``.

    f3′(f2(f1(x))) · f2′(f1(x)) · f1′(x), one forward pass.

    Parameters
    ----------
    chain : Chain, length 3
        ``[f1, f2, f3]``.
    x : array_like, shape (...)
        Input values.

    Returns
    -------
    ndarray, shape (...)
        The derivative at each x, float64.

    Raises
    ------
    ValueError
        If the chain does not have length 3.

    Examples
    --------
    >>> from lib.functions import leaky_relu, sigmoid, square
    >>> chain_deriv_3([leaky_relu, square, sigmoid], [-1.0, 1.0])
    array([-0.019992  ,  0.39322387])
    """
    return _book_chain_derivative(_check_length(chain, 3, "chain_deriv_3"), book.chain_deriv_3, x)
