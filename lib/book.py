"""The book's listings: short kernels that compute, and that the code panels show.

Each function here is the teaching form of a computation, written as Weidman's
*Deep Learning from Scratch* (O'Reilly, 2019), chapter 1, writes it: the book's
identifiers and names, no type annotations, no validation, no private helpers.
The public, validated functions of :mod:`lib` check their inputs and then call
these kernels for the computation itself, so the listing a learner reads on
screen is the code that computed the numbers beside it (never a typed copy).

Two departures from the book, both deliberate (see MISSION.md): the chain
kernels compute f1(x) once and take each factory's derivative through
:func:`derivative` (the registered formula, else the central difference), and
``matrix_function_backward_sum_1`` multiplies the upstream gradient ``dLdS``
in instead of assuming it is all ones.

Examples
--------
>>> round(float(deriv(square, 3.0)), 9)
6.0
>>> float(leaky_relu(-1.0))
-0.2
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "chain_deriv_2",
    "chain_deriv_3",
    "derivative",
    "deriv",
    "leaky_relu",
    "listing_for",
    "matrix_function_backward_sum_1",
    "square",
]


def square(x):
    """Square each element: the book's ``square``, f(x) = x².

    Parameters
    ----------
    x : ndarray, shape (...)
        Input values, float.

    Returns
    -------
    ndarray, shape (...)
        ``x ** 2``.
    """
    return np.power(x, 2)


def leaky_relu(x):
    """Leaky ReLU, the book's ``leaky_relu``: max(0.2x, x) elementwise.

    Parameters
    ----------
    x : ndarray, shape (...)
        Input values, float.

    Returns
    -------
    ndarray, shape (...)
        ``0.2 * x`` where ``x < 0``, else ``x``.
    """
    return np.maximum(0.2 * x, x)


def deriv(func, input_, delta=0.001):
    """Central difference (f(a + Δ) − f(a − Δ)) / (2Δ): the book's ``deriv``.

    Parameters
    ----------
    func : callable
        Elementwise function, array (...) -> array (...).
    input_ : float or ndarray, shape (...)
        The point(s) a, axis coordinates.
    delta : float
        The step Δ > 0 (the book's 0.001). Not checked here: see
        :func:`lib.calculus.deriv`, which validates and then calls this.

    Returns
    -------
    float or ndarray, shape (...)
        The estimate of f'(a); error Δ²/6 · |f‴| + O(ε/Δ).
    """
    f_plus = func(input_ + delta)
    f_minus = func(input_ - delta)
    return (f_plus - f_minus) / (2 * delta)


def derivative(func):
    """Return f′ as a function: the registered analytic derivative, else ``deriv``.

    Parameters
    ----------
    func : callable
        Elementwise function; registered in :mod:`lib.functions` or not.

    Returns
    -------
    callable
        ``x -> f′(x)``: the registry's formula when ``func`` is registered,
        else the validated central difference :func:`lib.calculus.deriv`
        (Δ = 0.001, which refuses points within Δ of a registered kink).

    Examples
    --------
    >>> from lib.functions import sigmoid
    >>> float(derivative(sigmoid)(0.0))
    0.25
    """
    # Imported here: lib.functions and lib.calculus call this module's kernels.
    from lib.calculus import deriv as checked_deriv
    from lib.functions import spec_of

    spec = spec_of(func)
    if spec is not None:
        return spec.derivative
    return lambda x: checked_deriv(func, x)


def chain_deriv_2(chain, input_range):
    """Chain rule for f2(f1(x)): f2′(f1(x)) · f1′(x), the book's ``chain_deriv_2``.

    Parameters
    ----------
    chain : list of 2 callables
        ``[f1, f2]`` (the book's ``Chain``).
    input_range : ndarray, shape (...)
        Input values x, float64.

    Returns
    -------
    ndarray, shape (...)
        The derivative at each x. f1(x) is computed once (the book: twice).
    """
    f1, f2 = chain
    f1_of_x = f1(input_range)
    df1dx = derivative(f1)(input_range)
    df2du = derivative(f2)(f1_of_x)
    return df1dx * df2du


def chain_deriv_3(chain, input_range):
    """Chain rule for f3(f2(f1(x))), the book's ``chain_deriv_3``.

    Parameters
    ----------
    chain : list of 3 callables
        ``[f1, f2, f3]``.
    input_range : ndarray, shape (...)
        Input values x, float64.

    Returns
    -------
    ndarray, shape (...)
        f1′(x) · f2′(f1(x)) · f3′(f2(f1(x))) at each x.
    """
    f1, f2, f3 = chain
    f1_of_x = f1(input_range)
    f2_of_x = f2(f1_of_x)
    df1dx = derivative(f1)(input_range)
    df2du = derivative(f2)(f1_of_x)
    df3du = derivative(f3)(f2_of_x)
    return df1dx * df2du * df3du


def matrix_function_backward_sum_1(X, W, sigma, dLdS):
    """Gradients of L through S = σ(X · W), the book's ``matrix_function_backward_sum_1``.

    Parameters
    ----------
    X : ndarray, shape (batch, features)
        Inputs.
    W : ndarray, shape (features, outputs)
        Weights.
    sigma : callable
        Elementwise function of the forward pass.
    dLdS : ndarray, shape (batch, outputs)
        The upstream gradient ∂L/∂S (all ones for L = Σ S). The book leaves
        it out, which is right only when it is all ones.

    Returns
    -------
    dLdX : ndarray, shape (batch, features)
        (∂L/∂S ⊙ σ′(N)) · Wᵀ.
    dLdW : ndarray, shape (features, outputs)
        Xᵀ · (∂L/∂S ⊙ σ′(N)).
    """
    N = np.dot(X, W)
    dSdN = derivative(sigma)(N)
    dLdN = dLdS * dSdN
    dNdX = np.transpose(W, (1, 0))
    dLdX = np.dot(dLdN, dNdX)
    dNdW = np.transpose(X, (1, 0))
    dLdW = np.dot(dNdW, dLdN)
    return dLdX, dLdW


_BY_NAME = {"square": square, "leaky_relu": leaky_relu}


def listing_for(func):
    """Return the book kernel that computes ``func``, else ``func`` itself.

    A registered function of :mod:`lib.functions` with a kernel here (``square``,
    ``leaky_relu``) is shown as its kernel; any other function (a teacher's own)
    is shown as its own source.

    Parameters
    ----------
    func : callable
        A function a scene plots or evaluates.

    Returns
    -------
    callable
        The function whose source a code panel shows.

    Examples
    --------
    >>> from lib import functions
    >>> listing_for(functions.square) is square
    True
    """
    from lib.functions import spec_of

    spec = spec_of(func)
    if spec is not None and spec.func is func and spec.name in _BY_NAME:
        return _BY_NAME[spec.name]
    return func
