"""A fully connected neural network: forward pass, backward pass, training.

This module serves the episode "What is a neural network?", which shows three
of the four answers to the article's quiz:

- **A. a function**: :func:`forward` maps inputs ``X`` of shape
  ``(batch, sizes[0])`` to outputs of shape ``(batch, sizes[-1])``;
- **C. layers of neurons**: :class:`Forward` keeps every layer's
  pre-activations ``Z`` and activations ``A``, one column per neuron;
- **D. a universal function approximator**: :func:`train` records the network
  at chosen steps (:class:`Checkpoint`) so that a scene can morph the output
  toward a target curve, and :func:`hidden_contributions` splits a
  ``(1, H, 1)`` network's output into ``H`` scaled hidden-unit curves.

The numbers of that scene are fixed by the ``DEMO_*`` constants and computed by
:func:`approximation_demo`, so the scene and the tests share them.

Conventions (row vectors, as in the book): a batch is a matrix with one
example per row. For layer ``k`` (``k = 0 .. L-1``, ``L = len(sizes) - 1``)::

    Z[k]   = A[k] @ W[k] + b[k]        # shape (batch, sizes[k+1])
    A[k+1] = act(Z[k])                 # hidden layers, k < L-1
    A[L]   = Z[L-1]                    # linear output layer

with ``W[k]`` of shape ``(sizes[k], sizes[k+1])``, ``b[k]`` of shape
``(sizes[k+1],)`` and ``A[0] = X``. Everything is float64.

Source: Weidman, *Deep Learning from Scratch* (O'Reilly, 2019), chapter 2
(``forward_loss``, ``loss_gradients``, ``train`` of the two-layer network) and
chapter 3 (``Layer``, ``NeuralNetwork``). Unlike the book's two-layer network,
the gradient of the squared error here keeps its factor 2
(:func:`mse_loss_grad`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lib.functions import sigmoid, sigmoid_deriv, tanh, tanh_deriv

__all__ = [
    "ACTIVATIONS",
    "DEMO_ACTIVATION",
    "DEMO_CHECKPOINTS",
    "DEMO_FINAL_LOSS",
    "DEMO_HIDDEN",
    "DEMO_LEARNING_RATE",
    "DEMO_LOSS_BOUND",
    "DEMO_N_POINTS",
    "DEMO_SEED",
    "DEMO_STEPS",
    "DEMO_X_RANGE",
    "Approximation",
    "Checkpoint",
    "Forward",
    "Gradients",
    "Network",
    "TrainingResult",
    "approximation_demo",
    "backward",
    "forward",
    "hidden_contributions",
    "init_network",
    "mse_loss",
    "mse_loss_grad",
    "train",
]

Array = NDArray[np.float64]

ACTIVATIONS: dict[str, tuple[Callable[[Array], Array], Callable[[Array], Array]]] = {
    "sigmoid": (sigmoid, sigmoid_deriv),
    "tanh": (tanh, tanh_deriv),
}
"""Hidden-layer activations by name: ``(function, derivative)`` from :mod:`lib.functions`."""


# --------------------------------------------------------------------------- validation


def _check_activation(activation: object) -> str:
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        choices = ", ".join(repr(name) for name in ACTIVATIONS)
        raise ValueError(f"unknown activation {activation!r}; expected one of: {choices}")
    return activation


def _check_sizes(sizes: object) -> tuple[int, ...]:
    try:
        items = tuple(sizes)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"sizes must be a sequence of layer widths, got {sizes!r}") from None
    if len(items) < 2:
        raise ValueError(f"sizes must list at least 2 layers (input and output), got {items!r}")
    for size in items:
        if isinstance(size, bool) or not isinstance(size, Integral) or size < 1:
            raise ValueError(f"every layer width must be a positive int, got {items!r}")
    return tuple(int(size) for size in items)


def _frozen(values: ArrayLike) -> Array:
    arr = np.array(values, dtype=np.float64)  # a copy, never a view of the caller's array
    arr.flags.writeable = False
    return arr


def _as_batch(values: ArrayLike, width: int, name: str) -> Array:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != width:
        raise ValueError(
            f"{name} has shape {arr.shape}; expected (batch, {width}), "
            f"one example per row (reshape a 1-D array with {name}.reshape(-1, {width}))"
        )
    return arr


# --------------------------------------------------------------------------- network


@dataclass(frozen=True, eq=False)
class Network:
    """An immutable fully connected network with a linear output layer.

    Attributes
    ----------
    sizes : tuple of int
        Layer widths from input to output, e.g. ``(1, 8, 1)``; length ``L + 1``.
    weights : tuple of ndarray
        ``weights[k]`` has shape ``(sizes[k], sizes[k+1])``; ``L`` matrices.
    biases : tuple of ndarray
        ``biases[k]`` has shape ``(sizes[k+1],)``; ``L`` vectors.
    activation : str
        Activation of the hidden layers, a key of :data:`ACTIVATIONS`
        (``'sigmoid'`` or ``'tanh'``). The output layer is linear.

    Raises
    ------
    ValueError
        If the sizes, the parameter shapes or the activation are invalid.

    Notes
    -----
    The parameters are stored as read-only float64 copies, so a network (for
    example a training :class:`Checkpoint`) can never change after creation.
    Equality is identity (``eq=False``): compare parameters with numpy.

    Examples
    --------
    >>> net = Network((2, 1), (np.array([[1.0], [2.0]]),), (np.array([0.5]),), "tanh")
    >>> forward(net, [[1.0, 1.0]]).output
    array([[3.5]])
    """

    sizes: tuple[int, ...]
    weights: tuple[Array, ...]
    biases: tuple[Array, ...]
    activation: str

    def __post_init__(self) -> None:
        sizes = _check_sizes(self.sizes)
        activation = _check_activation(self.activation)
        weights = tuple(_frozen(w) for w in self.weights)
        biases = tuple(_frozen(b) for b in self.biases)
        n_layers = len(sizes) - 1
        if len(weights) != n_layers or len(biases) != n_layers:
            raise ValueError(
                f"sizes {sizes} need {n_layers} weight matrices and bias vectors, "
                f"got {len(weights)} and {len(biases)}"
            )
        for k, (w, b) in enumerate(zip(weights, biases, strict=True)):
            if w.shape != (sizes[k], sizes[k + 1]):
                raise ValueError(
                    f"weights[{k}] has shape {w.shape}; expected {(sizes[k], sizes[k + 1])}"
                )
            if b.shape != (sizes[k + 1],):
                raise ValueError(f"biases[{k}] has shape {b.shape}; expected {(sizes[k + 1],)}")
        object.__setattr__(self, "sizes", sizes)
        object.__setattr__(self, "activation", activation)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "biases", biases)

    @property
    def n_layers(self) -> int:
        """Number of weight layers ``L = len(sizes) - 1``."""
        return len(self.sizes) - 1

    @property
    def n_parameters(self) -> int:
        """Total number of weights and biases."""
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases, strict=True))


def init_network(
    sizes: Sequence[int],
    rng: np.random.Generator,
    activation: str = "tanh",
    scale: float | None = None,
) -> Network:
    """Draw a network's weights and biases from a normal distribution.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths from input to output, at least 2 entries, all positive.
    rng : numpy.random.Generator
        Source of randomness, e.g. ``np.random.default_rng(0)``. A seed is
        refused so that the caller owns (and can reuse) the generator.
    activation : {'tanh', 'sigmoid'}, optional
        Activation of the hidden layers. Default ``'tanh'``.
    scale : float, optional
        Standard deviation of every weight and bias. Default ``None``:
        ``1 / sqrt(sizes[k])`` for layer ``k`` (LeCun initialisation), which
        keeps each pre-activation's variance near that of its inputs.

    Returns
    -------
    Network
        ``weights[k]`` of shape ``(sizes[k], sizes[k+1])`` and ``biases[k]`` of
        shape ``(sizes[k+1],)``, drawn in that order, layer by layer. Biases
        are random, not zero, so that hidden units start at different places
        (with zero biases and an odd target such as sin, the biases of a tanh
        network would stay zero for ever).

    Raises
    ------
    TypeError
        If ``rng`` is not a ``numpy.random.Generator``.
    ValueError
        If ``sizes`` has fewer than 2 entries or a non-positive entry, if
        ``activation`` is unknown (the message lists the choices), or if
        ``scale`` is not positive and finite.

    Examples
    --------
    >>> net = init_network((1, 8, 1), np.random.default_rng(0))
    >>> [w.shape for w in net.weights], [b.shape for b in net.biases]
    ([(1, 8), (8, 1)], [(8,), (1,)])
    >>> init_network((1, 8, 1), np.random.default_rng(0), activation="relu")
    Traceback (most recent call last):
    ...
    ValueError: unknown activation 'relu'; expected one of: 'sigmoid', 'tanh'
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy.random.Generator (e.g. np.random.default_rng(seed)), "
            f"got {type(rng).__name__}"
        )
    sizes = _check_sizes(sizes)
    activation = _check_activation(activation)
    if scale is not None and (
        isinstance(scale, bool) or not isinstance(scale, Real) or not 0 < scale < np.inf
    ):
        raise ValueError(f"scale must be a positive finite number or None, got {scale!r}")
    weights = []
    biases = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        std = float(scale) if scale is not None else 1.0 / np.sqrt(fan_in)
        weights.append(rng.normal(0.0, std, size=(fan_in, fan_out)))
        biases.append(rng.normal(0.0, std, size=fan_out))
    return Network(sizes, tuple(weights), tuple(biases), activation)


# --------------------------------------------------------------------------- forward


@dataclass(frozen=True, eq=False)
class Forward:
    """Every intermediate value of one forward pass (the "layers of neurons" view).

    Attributes
    ----------
    Z : tuple of ndarray
        Pre-activations: ``Z[k] = A[k] @ W[k] + b[k]``, shape
        ``(batch, sizes[k+1])``, for ``k = 0 .. L-1``.
    A : tuple of ndarray
        Activations, ``L + 1`` of them: ``A[0] = X`` of shape
        ``(batch, sizes[0])``, ``A[k+1] = act(Z[k])`` for hidden layers and
        ``A[L] = Z[L-1]`` (linear output). Column ``j`` of ``A[k]`` is neuron
        ``j`` of layer ``k``.
    """

    Z: tuple[Array, ...]
    A: tuple[Array, ...]

    @property
    def X(self) -> Array:
        """The input ``A[0]``, shape ``(batch, sizes[0])``."""
        return self.A[0]

    @property
    def output(self) -> Array:
        """The network's output ``A[L]``, shape ``(batch, sizes[-1])``."""
        return self.A[-1]


def _forward(
    weights: Sequence[Array], biases: Sequence[Array], activation: str, X: Array
) -> Forward:
    act = ACTIVATIONS[activation][0]
    last = len(weights) - 1
    Z: list[Array] = []
    A: list[Array] = [X]
    for k, (w, b) in enumerate(zip(weights, biases, strict=True)):
        z = A[-1] @ w + b
        Z.append(z)
        A.append(z if k == last else act(z))
    return Forward(tuple(Z), tuple(A))


def forward(net: Network, X: ArrayLike) -> Forward:
    """Run the network on a batch, keeping every layer's values.

    Parameters
    ----------
    net : Network
        The network.
    X : array_like, shape (batch, sizes[0])
        One example per row.

    Returns
    -------
    Forward
        Pre-activations ``Z`` and activations ``A`` of every layer;
        ``.output`` has shape ``(batch, sizes[-1])``.

    Raises
    ------
    ValueError
        If ``X`` is not 2-D with ``sizes[0]`` columns; the message names both
        shapes.

    Examples
    --------
    >>> net = init_network((2, 3, 1), np.random.default_rng(0))
    >>> fwd = forward(net, np.zeros((5, 2)))
    >>> [a.shape for a in fwd.A], [z.shape for z in fwd.Z]
    ([(5, 2), (5, 3), (5, 1)], [(5, 3), (5, 1)])
    >>> forward(net, np.zeros(5))
    Traceback (most recent call last):
    ...
    ValueError: X has shape (5,); expected (batch, 2), one example per row (reshape a 1-D array with X.reshape(-1, 2))
    """  # noqa: E501
    X = _as_batch(X, net.sizes[0], "X")
    return _forward(net.weights, net.biases, net.activation, X)


# --------------------------------------------------------------------------- backward


@dataclass(frozen=True, eq=False)
class Gradients:
    """Gradient of a scalar loss with respect to a network's parameters and input.

    Attributes
    ----------
    dW : tuple of ndarray
        ``dW[k] = ∂L/∂W[k]``, same shape as ``weights[k]``.
    db : tuple of ndarray
        ``db[k] = ∂L/∂b[k]``, same shape as ``biases[k]``.
    dX : ndarray, shape (batch, sizes[0])
        ``∂L/∂X``, the gradient with respect to the input.
    """

    dW: tuple[Array, ...]
    db: tuple[Array, ...]
    dX: Array


def _backward(weights: Sequence[Array], activation: str, fwd: Forward, dL_dY: Array) -> Gradients:
    deriv = ACTIVATIONS[activation][1]
    n_layers = len(weights)
    dW: list[Array] = [np.empty(0)] * n_layers
    db: list[Array] = [np.empty(0)] * n_layers
    grad = dL_dY  # ∂L/∂Z[k], starting with the linear output layer: Z[L-1] = Y
    for k in range(n_layers - 1, -1, -1):
        dW[k] = fwd.A[k].T @ grad
        db[k] = grad.sum(axis=0)
        grad = grad @ weights[k].T  # ∂L/∂A[k]
        if k > 0:
            grad = grad * deriv(fwd.Z[k - 1])  # ∂L/∂Z[k-1], elementwise chain rule
    return Gradients(tuple(dW), tuple(db), grad)


def backward(net: Network, forward_result: Forward, dL_dY: ArrayLike) -> Gradients:
    """Backpropagate ``∂L/∂Y`` through the network (the chain rule, layer by layer).

    For each layer, from the output back::

        dW[k] = A[k].T @ G          G = ∂L/∂Z[k], shape (batch, sizes[k+1])
        db[k] = G.sum(axis=0)
        G    <- (G @ W[k].T) * act'(Z[k-1])

    Parameters
    ----------
    net : Network
        The network that produced ``forward_result``.
    forward_result : Forward
        The result of ``forward(net, X)``.
    dL_dY : array_like, shape (batch, sizes[-1])
        Gradient of the scalar loss with respect to the output, e.g.
        :func:`mse_loss_grad`.

    Returns
    -------
    Gradients
        ``dW``, ``db`` with the shapes of ``net.weights`` and ``net.biases``,
        and ``dX`` with the shape of ``X``.

    Raises
    ------
    ValueError
        If ``forward_result`` does not fit ``net``, or ``dL_dY`` does not have
        the output's shape.

    Examples
    --------
    A single linear layer: ∂L/∂W = Xᵀ · ∂L/∂Y, ∂L/∂X = ∂L/∂Y · Wᵀ.

    >>> net = Network((2, 1), (np.array([[1.0], [2.0]]),), (np.zeros(1),), "tanh")
    >>> X = np.array([[3.0, 4.0]])
    >>> grads = backward(net, forward(net, X), np.ones((1, 1)))
    >>> grads.dW[0].ravel(), grads.db[0], grads.dX
    (array([3., 4.]), array([1.]), array([[1., 2.]]))
    """
    A = forward_result.A
    shapes_ok = len(A) == len(net.sizes) and all(
        a.ndim == 2 and a.shape[1] == size for a, size in zip(A, net.sizes, strict=True)
    )
    if not shapes_ok:
        raise ValueError(
            f"forward_result has activations of shapes {[a.shape for a in A]}, "
            f"which do not fit a network of sizes {net.sizes}"
        )
    batch = A[0].shape[0]
    dL_dY = np.asarray(dL_dY, dtype=np.float64)
    if dL_dY.shape != (batch, net.sizes[-1]):
        raise ValueError(
            f"dL_dY has shape {dL_dY.shape}; expected the output's shape {(batch, net.sizes[-1])}"
        )
    return _backward(net.weights, net.activation, forward_result, dL_dY)


# --------------------------------------------------------------------------- loss


def _check_pair(Y_pred: ArrayLike, Y: ArrayLike) -> tuple[Array, Array]:
    Y_pred = np.asarray(Y_pred, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if Y_pred.shape != Y.shape:
        raise ValueError(
            f"Y_pred has shape {Y_pred.shape} but Y has shape {Y.shape}; "
            "they must be equal (no broadcasting)"
        )
    if Y.size == 0:
        raise ValueError("the mean squared error of an empty batch is undefined")
    return Y_pred, Y


def mse_loss(Y_pred: ArrayLike, Y: ArrayLike) -> float:
    """Mean squared error L = mean((Y_pred − Y)²) over all elements.

    Parameters
    ----------
    Y_pred : array_like, shape (...)
        Predictions.
    Y : array_like, same shape as ``Y_pred``
        Targets.

    Returns
    -------
    float
        The loss, ``>= 0``.

    Raises
    ------
    ValueError
        If the shapes differ (no broadcasting) or the arrays are empty.

    Examples
    --------
    >>> mse_loss([[1.0], [3.0]], [[0.0], [0.0]])
    5.0
    """
    Y_pred, Y = _check_pair(Y_pred, Y)
    return float(np.mean((Y_pred - Y) ** 2))


def mse_loss_grad(Y_pred: ArrayLike, Y: ArrayLike) -> Array:
    """Gradient of :func:`mse_loss` with respect to ``Y_pred``: 2 (Y_pred − Y) / n.

    ``n`` is ``Y.size``, the number of elements averaged. The factor 2 is the
    derivative of the square; the book's two-layer network omits it (which
    only rescales the learning rate, but is not the gradient).

    Parameters
    ----------
    Y_pred : array_like, shape (...)
        Predictions.
    Y : array_like, same shape as ``Y_pred``
        Targets.

    Returns
    -------
    ndarray, same shape as ``Y_pred``
        ``∂L/∂Y_pred``.

    Raises
    ------
    ValueError
        If the shapes differ or the arrays are empty.

    Examples
    --------
    >>> mse_loss_grad([[1.0], [3.0]], [[0.0], [0.0]])
    array([[1.],
           [3.]])
    """
    Y_pred, Y = _check_pair(Y_pred, Y)
    return 2.0 * (Y_pred - Y) / Y.size


# --------------------------------------------------------------------------- training


@dataclass(frozen=True, eq=False)
class Checkpoint:
    """The network after ``step`` gradient-descent steps, and its loss.

    Attributes
    ----------
    step : int
        Number of updates applied (0 = the initial network).
    net : Network
        The network at that step.
    loss : float
        Its mean squared error on the training data.
    """

    step: int
    net: Network
    loss: float


@dataclass(frozen=True, eq=False)
class TrainingResult:
    """What :func:`train` returns.

    Attributes
    ----------
    net : Network
        The network after all steps.
    checkpoints : tuple of Checkpoint
        One per requested step, in increasing order of step.
    losses : ndarray, shape (steps + 1,)
        ``losses[s]`` is the loss after ``s`` steps; ``losses[0]`` is the
        initial loss, ``losses[-1]`` the final one.
    """

    net: Network
    checkpoints: tuple[Checkpoint, ...]
    losses: Array

    @property
    def final_loss(self) -> float:
        """The loss of :attr:`net`, ``losses[-1]``."""
        return float(self.losses[-1])


def train(
    net: Network,
    X: ArrayLike,
    Y: ArrayLike,
    learning_rate: float,
    steps: int,
    checkpoints: Sequence[int] = (),
) -> TrainingResult:
    """Fit ``net`` to ``(X, Y)`` by full-batch gradient descent on the MSE.

    Each step computes the forward pass, ``L = mse_loss(output, Y)``, the
    gradients by :func:`backward`, then ``W <- W − learning_rate · ∂L/∂W`` (and
    the same for the biases). The input ``net`` is not modified.

    Parameters
    ----------
    net : Network
        The initial network.
    X : array_like, shape (batch, sizes[0])
        Inputs, one example per row.
    Y : array_like, shape (batch, sizes[-1])
        Targets.
    learning_rate : float
        Step size, positive.
    steps : int
        Number of updates, ``>= 0``.
    checkpoints : sequence of int, optional
        Steps at which to record the network, strictly increasing, each in
        ``[0, steps]``; 0 records the initial network, ``steps`` the final one.

    Returns
    -------
    TrainingResult
        The final network, the checkpoints and the loss after every step.

    Raises
    ------
    ValueError
        If the shapes do not fit the network, the batch is empty, X or Y holds
        NaN or inf (named with its row and column), ``learning_rate`` is not
        positive, ``steps`` is negative, or a checkpoint is out of range or
        out of order.
    FloatingPointError
        If the loss stops being finite (the learning rate is too large).

    Examples
    --------
    >>> X = np.linspace(-1, 1, 16).reshape(-1, 1)
    >>> net = init_network((1, 4, 1), np.random.default_rng(0))
    >>> result = train(net, X, X**2, learning_rate=0.1, steps=200, checkpoints=(0, 200))
    >>> [c.step for c in result.checkpoints]
    [0, 200]
    >>> bool(result.final_loss < result.checkpoints[0].loss)
    True
    """
    X = _as_batch(X, net.sizes[0], "X")
    Y = _as_batch(Y, net.sizes[-1], "Y")
    if X.shape[0] != Y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} rows but Y has {Y.shape[0]}; they must match")
    if X.shape[0] == 0:
        raise ValueError("X and Y have no rows: training needs a batch of at least one example")
    for name, arr in (("X", X), ("Y", Y)):
        bad = ~np.isfinite(arr)
        if bad.any():
            row, col = (int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"{name} must be finite; {name}[{row}, {col}] = {float(arr[row, col])!r} "
                f"({int(bad.sum())} non-finite value(s) in all)"
            )
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, Real):
        raise TypeError(f"learning_rate must be a number, got {learning_rate!r}")
    if not 0 < learning_rate < np.inf:
        raise ValueError(f"learning_rate must be positive and finite, got {learning_rate!r}")
    if isinstance(steps, bool) or not isinstance(steps, Integral) or steps < 0:
        raise ValueError(f"steps must be a non-negative int, got {steps!r}")
    wanted = tuple(checkpoints)
    for step in wanted:
        if isinstance(step, bool) or not isinstance(step, Integral) or not 0 <= step <= steps:
            raise ValueError(f"checkpoint {step!r} is not an int in [0, steps={steps}]")
    if any(b <= a for a, b in zip(wanted[:-1], wanted[1:], strict=True)):
        raise ValueError(f"checkpoints must be strictly increasing, got {wanted!r}")

    lr = float(learning_rate)
    weights = [w.copy() for w in net.weights]
    biases = [b.copy() for b in net.biases]
    losses = np.empty(int(steps) + 1)
    recorded: list[Checkpoint] = []
    pending = list(wanted)
    # Overflow is caught by the finiteness check below, with a clearer message.
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(int(steps) + 1):
            fwd = _forward(weights, biases, net.activation, X)
            loss = float(np.mean((fwd.output - Y) ** 2))
            if not np.isfinite(loss):
                raise FloatingPointError(
                    f"the loss became {loss} at step {step}; learning_rate={lr} is too large"
                )
            losses[step] = loss
            if pending and pending[0] == step:
                pending.pop(0)
                recorded.append(
                    Checkpoint(step, Network(net.sizes, weights, biases, net.activation), loss)
                )
            if step == steps:
                break
            grads = _backward(weights, net.activation, fwd, 2.0 * (fwd.output - Y) / Y.size)
            for k in range(len(weights)):
                weights[k] -= lr * grads.dW[k]
                biases[k] -= lr * grads.db[k]
    losses.flags.writeable = False
    final = Network(net.sizes, tuple(weights), tuple(biases), net.activation)
    return TrainingResult(final, tuple(recorded), losses)


# --------------------------------------------------------------------------- decomposition


def hidden_contributions(net: Network, x: ArrayLike) -> Array:
    """Split a ``(1, H, 1)`` network's output into its ``H`` hidden-unit curves.

    For one input and one output the network is

        y(x) = Σ_j w2[j] · act(w1[j] · x + b1[j]) + b2,

    a sum of ``H`` shifted, stretched and scaled copies of the activation
    plus a constant: the "universal approximator" picture.

    Parameters
    ----------
    net : Network
        A network with ``sizes == (1, H, 1)``.
    x : array_like, shape (n,) or (n, 1)
        Input values (axis coordinates).

    Returns
    -------
    ndarray, shape (n, H)
        Column ``j`` is ``w2[j] · a_j(x)``, hidden unit ``j``'s activation
        scaled by its output weight. The output bias ``b2`` is
        ``net.biases[1][0]``, and
        ``contributions.sum(axis=1) + b2`` equals ``forward(net, x).output[:, 0]``
        to float round-off.

    Raises
    ------
    ValueError
        If the network is not ``(1, H, 1)``, or ``x`` has another shape.

    Examples
    --------
    >>> net = init_network((1, 3, 1), np.random.default_rng(0))
    >>> x = np.linspace(-2, 2, 5)
    >>> parts = hidden_contributions(net, x)
    >>> parts.shape
    (5, 3)
    >>> y = forward(net, x.reshape(-1, 1)).output[:, 0]
    >>> bool(np.allclose(parts.sum(axis=1) + net.biases[1][0], y, rtol=0, atol=1e-12))
    True
    """
    if len(net.sizes) != 3 or net.sizes[0] != 1 or net.sizes[2] != 1:
        raise ValueError(f"hidden_contributions needs a (1, H, 1) network, got sizes {net.sizes}")
    x_arr = np.asarray(x, dtype=np.float64)
    if x_arr.ndim == 2 and x_arr.shape[1] == 1:
        x_arr = x_arr[:, 0]
    if x_arr.ndim != 1:
        raise ValueError(f"x has shape {x_arr.shape}; expected (n,) or (n, 1)")
    act = ACTIVATIONS[net.activation][0]
    hidden = act(x_arr[:, None] * net.weights[0][0] + net.biases[0])  # (n, H)
    return hidden * net.weights[1][:, 0]


# --------------------------------------------------------------------------- the scene's demo

DEMO_SEED = 20190601
"""Seed of the demo's initial network (the same value as the tests' shared seed)."""

DEMO_X_RANGE = (-np.pi, np.pi)
"""Interval of the demo's target curve, in axis coordinates."""

DEMO_N_POINTS = 64
"""Number of evenly spaced training points on :data:`DEMO_X_RANGE`, ends included."""

DEMO_HIDDEN = 8
"""Hidden width of the demo network ``(1, DEMO_HIDDEN, 1)``."""

DEMO_ACTIVATION = "tanh"
"""Hidden activation of the demo network."""

DEMO_LEARNING_RATE = 0.1
"""Gradient-descent step size of the demo."""

DEMO_STEPS = 2000
"""Number of full-batch gradient-descent steps of the demo."""

DEMO_CHECKPOINTS = (0, 10, 30, 100, 300, 1000, 2000)
"""Steps at which the demo records the network (the frames of the morph)."""

DEMO_FINAL_LOSS = 9.724e-5
"""MSE reached by the demo after :data:`DEMO_STEPS` steps (measured, to 4 digits).

Measured with numpy 2 in float64: the loss falls monotonically, from 0.789 at
step 0 through 0.120 (10), 0.0627 (30), 0.0130 (100), 0.00374 (300) and
4.08e-4 (1000) to 9.724e-5 at step 2000; the root-mean-square error is then
about 0.01 on a curve of amplitude 1. Training takes under 0.1 s on one core.
"""

DEMO_LOSS_BOUND = 1e-4
"""Upper bound on the demo's final MSE that the tests assert."""


@dataclass(frozen=True, eq=False)
class Approximation:
    """The universal-approximation demo: data, training and its checkpoints.

    Attributes
    ----------
    x : ndarray, shape (n,)
        Training inputs, evenly spaced (axis coordinates).
    y : ndarray, shape (n,)
        Target values ``target(x)``.
    training : TrainingResult
        Result of training the network on ``(x, y)``.
    """

    x: Array
    y: Array
    training: TrainingResult

    @property
    def net(self) -> Network:
        """The trained network."""
        return self.training.net

    @property
    def checkpoints(self) -> tuple[Checkpoint, ...]:
        """The recorded networks, in increasing order of step."""
        return self.training.checkpoints


def approximation_demo(
    rng: np.random.Generator | None = None,
    *,
    target: Callable[[Array], Array] = np.sin,
    x_range: tuple[float, float] = DEMO_X_RANGE,
    n_points: int = DEMO_N_POINTS,
    hidden: int = DEMO_HIDDEN,
    activation: str = DEMO_ACTIVATION,
    learning_rate: float = DEMO_LEARNING_RATE,
    steps: int = DEMO_STEPS,
    checkpoints: Sequence[int] = DEMO_CHECKPOINTS,
) -> Approximation:
    """Train a ``(1, hidden, 1)`` network on a target curve, recording checkpoints.

    With the defaults this is the episode's scene: sin on [−π, π] sampled at
    64 points, 8 tanh hidden units, learning rate 0.1, 2000 full-batch steps,
    initial network drawn from ``np.random.default_rng(DEMO_SEED)``.

    Parameters
    ----------
    rng : numpy.random.Generator, optional
        Source of the initial weights. Default ``None`` means
        ``np.random.default_rng(DEMO_SEED)``, so the result is deterministic.
    target : callable, optional
        Elementwise function ``(n,) -> (n,)`` to approximate. Default ``np.sin``.
    x_range : tuple of float, optional
        ``(x_min, x_max)`` of the training points, axis coordinates.
    n_points : int, optional
        Number of evenly spaced training points, ends included.
    hidden : int, optional
        Number of hidden units.
    activation : {'tanh', 'sigmoid'}, optional
        Hidden activation.
    learning_rate : float, optional
        Gradient-descent step size.
    steps : int, optional
        Number of full-batch steps.
    checkpoints : sequence of int, optional
        Steps to record, strictly increasing, in ``[0, steps]``.

    Returns
    -------
    Approximation
        The data, the training result and its checkpoints.

    Raises
    ------
    ValueError
        If ``x_range`` is not increasing, ``n_points < 2``, or an argument is
        rejected by :func:`init_network` or :func:`train`.

    Examples
    --------
    >>> demo = approximation_demo(steps=100, checkpoints=(0, 100))
    >>> demo.x.shape, demo.net.sizes
    ((64,), (1, 8, 1))
    >>> bool(demo.checkpoints[-1].loss < demo.checkpoints[0].loss)
    True
    """
    x_min, x_max = (float(v) for v in x_range)
    if not x_min < x_max:
        raise ValueError(f"x_range must be increasing, got {x_range!r}")
    if isinstance(n_points, bool) or not isinstance(n_points, Integral) or n_points < 2:
        raise ValueError(f"n_points must be an int >= 2, got {n_points!r}")
    if rng is None:
        rng = np.random.default_rng(DEMO_SEED)
    x = np.linspace(x_min, x_max, int(n_points))
    y = np.asarray(target(x), dtype=np.float64)
    if y.shape != x.shape:
        raise ValueError(f"target(x) has shape {y.shape}; expected {x.shape} (elementwise)")
    net = init_network((1, hidden, 1), rng, activation=activation)
    result = train(net, x[:, None], y[:, None], learning_rate, steps, checkpoints)
    x.flags.writeable = False
    y.flags.writeable = False
    return Approximation(x, y, result)
