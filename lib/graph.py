"""Functions of several inputs and of matrices, as a computational graph.

The second and third mental models of a neural network: a function of many
inputs, and a computational graph through which 2-D arrays flow forward and
gradients flow back. The chapter builds up to

    N = ν(X, W) = X · W,    S = σ(N),    L = Λ(S) = Σᵢⱼ Sᵢⱼ,

with ``X`` of shape ``(batch, features)``, ``W`` of shape ``(features, outputs)``
and ``N``, ``S`` of shape ``(batch, outputs)``. The backward pass multiplies the
upstream gradient ∂L/∂S by each local derivative on the way back:

    ∂L/∂N = ∂L/∂S ⊙ σ′(N),    ∂L/∂X = ∂L/∂N · Wᵀ,    ∂L/∂W = Xᵀ · ∂L/∂N.

Source: Weidman, *Deep Learning from Scratch* (O'Reilly, 2019), chapter 1,
identifiers ``multiple_inputs_add``, ``multiple_inputs_add_backward``,
``matmul_forward``, ``matmul_backward_first``, ``matrix_forward_extra``,
``matrix_function_backward_1``, ``matrix_function_forward_sum`` and
``matrix_function_backward_sum_1``. The book's ``matrix_function_backward_sum_1``
returns σ′(N) · Wᵀ, right only because ∂L/∂S is all ones for a sum; here the
upstream gradient is an explicit argument and is always multiplied in.

All arrays are float64; the elementwise ``sigma`` uses its analytic
derivative when it is registered in :mod:`lib.functions`, else the central
difference :func:`lib.calculus.deriv` (Δ = 0.001).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lib import book
from lib.calculus import deriv
from lib.functions import sigmoid, spec_of

__all__ = [
    "GRAPH",
    "TWO_INPUT_GRAPH",
    "ComputationalGraphSpec",
    "Edge",
    "GradientCheck",
    "GraphBackward",
    "GraphForward",
    "Node",
    "ShapeError",
    "TwoInputBackward",
    "TwoInputForward",
    "gradient_check",
    "matmul_backward_first",
    "matmul_forward",
    "matrix_forward_extra",
    "matrix_function_backward_1",
    "matrix_function_backward_sum_1",
    "matrix_function_forward_sum",
    "multiple_inputs_add",
    "backward_pass",
    "multiple_inputs_add_backward",
    "two_input_backward",
    "two_input_forward",
]

FloatArray = NDArray[np.float64]
ArrayFunction = Callable[..., ArrayLike]


class ShapeError(ValueError):
    """An operand has the wrong shape; the message names it, its shape and the expected one."""


# --------------------------------------------------------------------------- helpers


def _as_float64(x: ArrayLike) -> FloatArray:
    """Return ``x`` as a float64 array."""
    return np.asarray(x, dtype=np.float64)


def _sigma_prime(sigma: ArrayFunction, z: FloatArray) -> FloatArray:
    """Return σ′(z): analytic if ``sigma`` is registered, else ``deriv(sigma, z)``."""
    spec = spec_of(sigma)
    d = spec.derivative(z) if spec is not None else deriv(sigma, z)
    return np.broadcast_to(_as_float64(d), z.shape).copy()


def _check_matrix(name: str, arr: FloatArray, expected: str) -> None:
    """Raise ShapeError unless ``arr`` is 2-D."""
    if arr.ndim != 2:
        raise ShapeError(f"{name} has shape {arr.shape}; expected a 2-D array of shape {expected}")


def _check_matmul(X: ArrayLike, W: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Return X, W as float64 2-D arrays whose inner dimensions agree, else raise."""
    X, W = _as_float64(X), _as_float64(W)
    _check_matrix("X", X, "(batch, features)")
    _check_matrix("W", W, "(features, outputs)")
    if X.shape[1] != W.shape[0]:
        raise ShapeError(
            f"W has shape {W.shape}; expected ({X.shape[1]}, outputs): its rows must equal "
            f"the {X.shape[1]} columns (features) of X, which has shape {X.shape}"
        )
    return X, W


def _check_upstream(dL_dS: ArrayLike | None, shape: tuple[int, ...]) -> FloatArray:
    """Return the upstream gradient (ones by default), checked against S's shape."""
    if dL_dS is None:
        return np.ones(shape)
    G = _as_float64(dL_dS)
    if G.shape != shape:
        raise ShapeError(
            f"dL_dS has shape {G.shape}; expected {shape}, the shape (batch, outputs) "
            "of S = sigma(X · W)"
        )
    return G


# ------------------------------------------------------------ functions of two inputs


@dataclass(frozen=True, eq=False)
class TwoInputForward:
    """The values in the forward pass of s = σ(x + y).

    Attributes
    ----------
    x, y : ndarray, shape (...)
        The two inputs.
    a : ndarray, shape (...)
        ``x + y``, the output of the addition factory α.
    s : ndarray, shape (...)
        ``sigma(a)``, the output.
    """

    x: FloatArray
    y: FloatArray
    a: FloatArray
    s: FloatArray


def two_input_forward(
    x: ArrayLike, y: ArrayLike, sigma: ArrayFunction = sigmoid
) -> TwoInputForward:
    """Run a = x + y, s = σ(a) and keep every intermediate value.

    Parameters
    ----------
    x, y : array_like, shape (...)
        The inputs, same shape.
    sigma : callable, optional
        Elementwise function; default :func:`lib.functions.sigmoid`.

    Returns
    -------
    TwoInputForward
        ``x``, ``y``, ``a`` and ``s``, float64.

    Raises
    ------
    ShapeError
        If ``x`` and ``y`` have different shapes.

    Examples
    --------
    >>> fwd = two_input_forward([1.0, -2.0], [-1.0, 0.5])
    >>> fwd.a, fwd.s
    (array([ 0. , -1.5]), array([0.5       , 0.18242552]))
    """
    x, y = _as_float64(x), _as_float64(y)
    if x.shape != y.shape:
        raise ShapeError(f"y has shape {y.shape}; expected {x.shape}, the shape of x")
    a = x + y
    return TwoInputForward(x=x, y=y, a=a, s=_as_float64(sigma(a)))


def multiple_inputs_add(x: ArrayLike, y: ArrayLike, sigma: ArrayFunction = sigmoid) -> FloatArray:
    """Return s = σ(x + y): the book's ``multiple_inputs_add``.

    Parameters
    ----------
    x, y : array_like, shape (...)
        The inputs, same shape.
    sigma : callable, optional
        Elementwise function; default :func:`lib.functions.sigmoid`.

    Returns
    -------
    ndarray, shape (...)
        ``sigma(x + y)``, float64.

    Raises
    ------
    ShapeError
        If ``x`` and ``y`` have different shapes.

    Examples
    --------
    >>> multiple_inputs_add([1.0], [-1.0])
    array([0.5])
    """
    return two_input_forward(x, y, sigma).s


def multiple_inputs_add_backward(
    x: ArrayLike, y: ArrayLike, sigma: ArrayFunction = sigmoid
) -> tuple[FloatArray, FloatArray]:
    """Return ∂s/∂x and ∂s/∂y of s = σ(x + y): the book's ``multiple_inputs_add_backward``.

    ∂s/∂x = σ′(a) · ∂a/∂x = σ′(a) · 1, and likewise for y: an addition passes
    the gradient back unchanged to both inputs.

    Parameters
    ----------
    x, y : array_like, shape (...)
        The inputs, same shape.
    sigma : callable, optional
        Elementwise function; its registered analytic derivative is used, else
        :func:`lib.calculus.deriv`.

    Returns
    -------
    ds_dx, ds_dy : ndarray, shape (...)
        The elementwise partial derivatives, float64 (equal, but separate
        arrays).

    Raises
    ------
    ShapeError
        If ``x`` and ``y`` have different shapes.
    lib.calculus.DerivativeError
        If ``sigma`` is unregistered and its central difference fails (see
        :func:`lib.calculus.deriv`).

    Examples
    --------
    >>> multiple_inputs_add_backward([1.0], [-1.0])
    (array([0.25]), array([0.25]))
    """
    fwd = two_input_forward(x, y, sigma)
    ds_da = _sigma_prime(sigma, fwd.a)
    da_dx = np.ones_like(fwd.x)
    da_dy = np.ones_like(fwd.y)
    return ds_da * da_dx, ds_da * da_dy


# ---------------------------------------------------------------- matrix functions


def matmul_forward(X: ArrayLike, W: ArrayLike) -> FloatArray:
    """Return N = X · W: the book's ``matmul_forward``.

    Each row of ``X`` is one observation's features; each column of ``N`` is
    one new feature, a weighted sum of the old ones.

    Parameters
    ----------
    X : array_like, shape (batch, features)
        Inputs.
    W : array_like, shape (features, outputs)
        Weights.

    Returns
    -------
    ndarray, shape (batch, outputs)
        ``X @ W``, float64.

    Raises
    ------
    ShapeError
        If ``X`` or ``W`` is not 2-D, or ``W`` has not ``features`` rows; the
        message names the operand, its shape and the expected shape.

    Examples
    --------
    >>> matmul_forward([[1.0, 2.0, 3.0]], [[1.0], [0.5], [-1.0]])
    array([[-1.]])
    """
    X, W = _check_matmul(X, W)
    return X @ W


def matmul_backward_first(X: ArrayLike, W: ArrayLike) -> FloatArray:
    """Return ∂N/∂X = Wᵀ for N = X · W: the book's ``matmul_backward_first``.

    Row ``k`` of the result is the gradient of column ``k`` of N with respect
    to any row of X. For one observation and one output (the book's shapes
    ``(1, features)`` and ``(features, 1)``) it has the shape of X; in general
    the gradient of a scalar L is ∂L/∂X = ∂L/∂N · Wᵀ (see
    :func:`matrix_function_backward_sum_1`).

    Parameters
    ----------
    X : array_like, shape (batch, features)
        Inputs (only their shape is used, for the check).
    W : array_like, shape (features, outputs)
        Weights.

    Returns
    -------
    ndarray, shape (outputs, features)
        ``W.T``, float64, a new array.

    Raises
    ------
    ShapeError
        As for :func:`matmul_forward`.

    Examples
    --------
    >>> matmul_backward_first([[1.0, 2.0, 3.0]], [[1.0], [0.5], [-1.0]])
    array([[ 1. ,  0.5, -1. ]])
    """
    _, W = _check_matmul(X, W)
    return W.T.copy()


def matrix_forward_extra(X: ArrayLike, W: ArrayLike, sigma: ArrayFunction = sigmoid) -> FloatArray:
    """Return S = σ(X · W): the book's ``matrix_forward_extra``.

    Parameters
    ----------
    X : array_like, shape (batch, features)
        Inputs.
    W : array_like, shape (features, outputs)
        Weights.
    sigma : callable, optional
        Elementwise function; default :func:`lib.functions.sigmoid`.

    Returns
    -------
    ndarray, shape (batch, outputs)
        ``sigma(X @ W)``, float64.

    Raises
    ------
    ShapeError
        As for :func:`matmul_forward`.

    Examples
    --------
    >>> matrix_forward_extra([[1.0, 2.0]], [[1.0], [-0.5]])
    array([[0.5]])
    """
    return _as_float64(sigma(matmul_forward(X, W)))


def matrix_function_backward_1(
    X: ArrayLike, W: ArrayLike, sigma: ArrayFunction = sigmoid
) -> FloatArray:
    """Return σ′(N) · Wᵀ, the gradient of Σ S with respect to X: ``matrix_function_backward_1``.

    The book's "∂S/∂X". S is a matrix, so its derivative with respect to X is
    really the gradient of a scalar: this is ∂(Σᵢⱼ Sᵢⱼ)/∂X, the upstream
    gradient of a sum being all ones. For any other L use
    :func:`matrix_function_backward_sum_1` with ``dL_dS``.

    Parameters
    ----------
    X : array_like, shape (batch, features)
        Inputs.
    W : array_like, shape (features, outputs)
        Weights.
    sigma : callable, optional
        Elementwise function; its registered analytic derivative is used, else
        :func:`lib.calculus.deriv`.

    Returns
    -------
    ndarray, shape (batch, features)
        ``sigma'(X @ W) @ W.T``, float64.

    Raises
    ------
    ShapeError
        As for :func:`matmul_forward`.

    Examples
    --------
    >>> matrix_function_backward_1([[1.0, 2.0]], [[1.0], [-0.5]])
    array([[ 0.25 , -0.125]])
    """
    X, W = _check_matmul(X, W)
    N = X @ W
    dS_dN = _sigma_prime(sigma, N)
    dN_dX = W.T
    return dS_dN @ dN_dX


@dataclass(frozen=True, eq=False)
class GraphForward:
    """Every array in the forward pass of L = Σ σ(X · W).

    Attributes
    ----------
    X : ndarray, shape (batch, features)
        Inputs.
    W : ndarray, shape (features, outputs)
        Weights.
    N : ndarray, shape (batch, outputs)
        ``X @ W``.
    S : ndarray, shape (batch, outputs)
        ``sigma(N)``.
    L : numpy.float64, shape ()
        ``S.sum()``.
    """

    X: FloatArray
    W: FloatArray
    N: FloatArray
    S: FloatArray
    L: np.float64


@dataclass(frozen=True, eq=False)
class GraphBackward:
    """Every gradient in the backward pass of L through S = σ(X · W).

    Each gradient has the shape of the array it is the gradient with respect
    to.

    Attributes
    ----------
    dL_dS : ndarray, shape (batch, outputs)
        The upstream gradient ∂L/∂S (all ones for L = Σ S).
    dS_dN : ndarray, shape (batch, outputs)
        σ′(N), the local (elementwise) derivative of σ.
    dL_dN : ndarray, shape (batch, outputs)
        ``dL_dS * dS_dN``.
    dL_dX : ndarray, shape (batch, features)
        ``dL_dN @ W.T``.
    dL_dW : ndarray, shape (features, outputs)
        ``X.T @ dL_dN``.
    """

    dL_dS: FloatArray
    dS_dN: FloatArray
    dL_dN: FloatArray
    dL_dX: FloatArray
    dL_dW: FloatArray


def matrix_function_forward_sum(
    X: ArrayLike, W: ArrayLike, sigma: ArrayFunction = sigmoid
) -> GraphForward:
    """Run L = Σ σ(X · W) and keep every array: the book's ``matrix_function_forward_sum``.

    Parameters
    ----------
    X : array_like, shape (batch, features)
        Inputs.
    W : array_like, shape (features, outputs)
        Weights.
    sigma : callable, optional
        Elementwise function; default :func:`lib.functions.sigmoid`.

    Returns
    -------
    GraphForward
        ``X``, ``W``, ``N``, ``S`` and ``L`` (the book returns only L).

    Raises
    ------
    ShapeError
        As for :func:`matmul_forward`.

    Examples
    --------
    >>> fwd = matrix_function_forward_sum([[1.0, 2.0]], [[1.0, 0.0], [-0.5, 0.0]])
    >>> fwd.S
    array([[0.5, 0.5]])
    >>> float(fwd.L)
    1.0
    """
    X, W = _check_matmul(X, W)
    N = X @ W
    S = _as_float64(sigma(N))
    return GraphForward(X=X, W=W, N=N, S=S, L=S.sum())


def backward_pass(
    fwd: GraphForward, sigma: ArrayFunction = sigmoid, dL_dS: ArrayLike | None = None
) -> GraphBackward:
    """Run the backward pass of L = Σ σ(X · W) from a forward pass already run.

    The chain rule node by node, right to left, with the upstream gradient
    multiplied in: ∂L/∂N = ∂L/∂S ⊙ σ′(N), ∂L/∂X = ∂L/∂N · Wᵀ,
    ∂L/∂W = Xᵀ · ∂L/∂N. :func:`matrix_function_backward_sum_1` runs the
    forward pass and then this.

    Parameters
    ----------
    fwd : GraphForward
        The forward pass (X, W, N, S, L).
    sigma : callable, optional
        The elementwise function of the forward pass.
    dL_dS : array_like, shape (batch, outputs), optional
        Upstream gradient; default all ones (the gradient of a sum).

    Returns
    -------
    GraphBackward
        Every gradient, each with the shape of its array.

    Raises
    ------
    ShapeError
        If ``dL_dS`` does not have the shape of S.
    """
    G = _check_upstream(dL_dS, fwd.S.shape)
    dS_dN = _sigma_prime(sigma, fwd.N)
    dL_dN = G * dS_dN
    dL_dX, dL_dW = book.matrix_function_backward_sum_1(fwd.X, fwd.W, sigma, G)
    return GraphBackward(dL_dS=G, dS_dN=dS_dN, dL_dN=dL_dN, dL_dX=dL_dX, dL_dW=dL_dW)


def matrix_function_backward_sum_1(
    X: ArrayLike,
    W: ArrayLike,
    sigma: ArrayFunction = sigmoid,
    dL_dS: ArrayLike | None = None,
) -> GraphBackward:
    """Backpropagate an upstream gradient through S = σ(X · W): ``matrix_function_backward_sum_1``.

    ∂L/∂N = ∂L/∂S ⊙ σ′(N),   ∂L/∂X = ∂L/∂N · Wᵀ,   ∂L/∂W = Xᵀ · ∂L/∂N.

    Unlike the book, which returns σ′(N) · Wᵀ (right only because the
    gradient of a sum is all ones), the upstream gradient is multiplied in,
    so the same code serves any L that depends on X and W through S.

    Parameters
    ----------
    X : array_like, shape (batch, features)
        Inputs.
    W : array_like, shape (features, outputs)
        Weights.
    sigma : callable, optional
        Elementwise function; its registered analytic derivative is used, else
        :func:`lib.calculus.deriv`.
    dL_dS : array_like, shape (batch, outputs), optional
        The upstream gradient ∂L/∂S. Default all ones: the gradient of
        L = Σ S, the book's case.

    Returns
    -------
    GraphBackward
        ``dL_dS``, ``dS_dN``, ``dL_dN``, ``dL_dX`` and ``dL_dW``.

    Raises
    ------
    ShapeError
        As for :func:`matmul_forward`, or if ``dL_dS`` does not have the shape
        of S.

    Examples
    --------
    >>> X = [[1.0, 2.0]]
    >>> W = [[1.0], [-0.5]]
    >>> matrix_function_backward_sum_1(X, W).dL_dX
    array([[ 0.25 , -0.125]])
    >>> matrix_function_backward_sum_1(X, W, dL_dS=[[2.0]]).dL_dW
    array([[0.5],
           [1. ]])
    """
    return backward_pass(matrix_function_forward_sum(X, W, sigma), sigma, dL_dS)


# ----------------------------------------------------------- the graph, as data


NodeKind = Literal["input", "operation", "output"]


@dataclass(frozen=True)
class Node:
    r"""A node of a computational graph diagram.

    Attributes
    ----------
    id : str
        Unique identifier, used by :class:`Edge`.
    label : str
        Short LaTeX for inside the node, e.g. ``\sigma``.
    tex : str
        LaTeX of the equation the node computes (or its name, for an input).
    kind : {'input', 'operation', 'output'}
        What the node is.
    forward_field : str
        Name of the :class:`GraphForward` field holding the array this node
        outputs (for an input, the input itself).
    column : int
        Left-to-right position in the diagram, 0 for the inputs.
    """

    id: str
    label: str
    tex: str
    kind: NodeKind
    forward_field: str
    column: int


@dataclass(frozen=True)
class Edge:
    """A wire of a computational graph diagram.

    Attributes
    ----------
    source, target : str
        Node ids; arrays flow forward from source to target.
    forward_field : str
        The :class:`GraphForward` field flowing forward along the wire.
    backward_field : str
        The :class:`GraphBackward` field flowing back along it: the gradient
        of L with respect to the forward array (same shape).
    """

    source: str
    target: str
    forward_field: str
    backward_field: str


@dataclass(frozen=True)
class ComputationalGraphSpec:
    """A computational graph as data: nodes in topological order and edges.

    Parameters
    ----------
    nodes : tuple of Node
        In topological (left-to-right) order.
    edges : tuple of Edge
        Each from an earlier node to a later one.

    Raises
    ------
    ValueError
        If node ids repeat, an edge names an unknown node, an edge points
        backwards (the nodes are not in topological order or the columns do
        not increase along it), or a node has an unknown kind.
    """

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def __post_init__(self) -> None:
        """Check ids, kinds and topological order."""
        object.__setattr__(self, "nodes", tuple(self.nodes))
        object.__setattr__(self, "edges", tuple(self.edges))
        order: dict[str, int] = {}
        for i, node in enumerate(self.nodes):
            if node.id in order:
                raise ValueError(f"node id {node.id!r} appears twice")
            if node.kind not in ("input", "operation", "output"):
                raise ValueError(
                    f"node {node.id!r} has kind {node.kind!r}; expected "
                    "'input', 'operation' or 'output'"
                )
            order[node.id] = i
        for edge in self.edges:
            for end in (edge.source, edge.target):
                if end not in order:
                    raise ValueError(f"edge {edge.source!r} -> {edge.target!r}: no node {end!r}")
            src, dst = self.nodes[order[edge.source]], self.nodes[order[edge.target]]
            if order[edge.source] >= order[edge.target] or src.column >= dst.column:
                raise ValueError(
                    f"edge {edge.source!r} -> {edge.target!r} points backwards; nodes must be "
                    "in topological order with increasing columns"
                )

    def node(self, node_id: str) -> Node:
        """Return the node called ``node_id``.

        Parameters
        ----------
        node_id : str
            A node id.

        Returns
        -------
        Node
            The node.

        Raises
        ------
        KeyError
            If there is no such node; the message lists the ids.

        Examples
        --------
        >>> GRAPH.node("S").kind
        'operation'
        """
        for node in self.nodes:
            if node.id == node_id:
                return node
        ids = ", ".join(n.id for n in self.nodes)
        raise KeyError(f"no node {node_id!r}; expected one of: {ids}")

    def incoming(self, node_id: str) -> tuple[Edge, ...]:
        """Return the edges ending at ``node_id``, in order.

        Parameters
        ----------
        node_id : str
            A node id.

        Returns
        -------
        tuple of Edge
            Its input wires.

        Examples
        --------
        >>> [e.source for e in GRAPH.incoming("N")]
        ['X', 'W']
        """
        return tuple(e for e in self.edges if e.target == node_id)

    def outgoing(self, node_id: str) -> tuple[Edge, ...]:
        """Return the edges starting at ``node_id``, in order.

        Parameters
        ----------
        node_id : str
            A node id.

        Returns
        -------
        tuple of Edge
            Its output wires.

        Examples
        --------
        >>> [(e.forward_field, e.backward_field) for e in GRAPH.outgoing("N")]
        [('N', 'dL_dN')]
        """
        return tuple(e for e in self.edges if e.source == node_id)

    @property
    def columns(self) -> tuple[tuple[Node, ...], ...]:
        """Nodes grouped by column, left to right.

        Returns
        -------
        tuple of tuple of Node
            ``columns[c]`` holds the nodes with ``column == c``, in order.

        Examples
        --------
        >>> [[n.id for n in col] for col in GRAPH.columns]
        [['X', 'W'], ['N'], ['S'], ['L']]
        """
        n_columns = 1 + max(n.column for n in self.nodes)
        return tuple(tuple(n for n in self.nodes if n.column == c) for c in range(n_columns))


GRAPH = ComputationalGraphSpec(
    nodes=(
        Node("X", "X", "X", "input", "X", 0),
        Node("W", "W", "W", "input", "W", 0),
        Node("N", r"\nu", r"N = \nu(X, W) = X \cdot W", "operation", "N", 1),
        Node("S", r"\sigma", r"S = \sigma(N)", "operation", "S", 2),
        Node("L", r"\Lambda", r"L = \Lambda(S) = \sum_{i,j} S_{ij}", "output", "L", 3),
    ),
    edges=(
        Edge("X", "N", "X", "dL_dX"),
        Edge("W", "N", "W", "dL_dW"),
        Edge("N", "S", "N", "dL_dN"),
        Edge("S", "L", "S", "dL_dS"),
    ),
)
"""The graph of L = Σ σ(X · W) (chapter 1's last diagram), laid out left to right.

Node ``forward_field`` and edge ``forward_field`` name :class:`GraphForward`
fields; edge ``backward_field`` names :class:`GraphBackward` fields, so a diagram
can label each wire with the array from :func:`matrix_function_forward_sum` and
the gradient from :func:`matrix_function_backward_sum_1`.
"""


@dataclass(frozen=True, eq=False)
class TwoInputBackward:
    """The gradients on the wires of :data:`TWO_INPUT_GRAPH`, s = σ(x + y).

    Attributes
    ----------
    ds_dx, ds_dy : ndarray, shape (...)
        ∂s/∂x and ∂s/∂y (equal: the addition passes σ′(a) back to both inputs).
    ds_da : ndarray, shape (...)
        ∂s/∂a = σ′(a), the gradient on the wire from ``+`` to σ.
    """

    ds_dx: FloatArray
    ds_dy: FloatArray
    ds_da: FloatArray


def two_input_backward(
    x: ArrayLike, y: ArrayLike, sigma: ArrayFunction = sigmoid
) -> TwoInputBackward:
    """Run the backward pass of s = σ(x + y) and keep the gradient on every wire.

    Parameters
    ----------
    x, y : array_like, shape (...)
        The inputs, same shape.
    sigma : callable, optional
        Elementwise function; default :func:`lib.functions.sigmoid`.

    Returns
    -------
    TwoInputBackward
        ``ds_dx`` and ``ds_dy`` from :func:`multiple_inputs_add_backward`, and
        ``ds_da`` = σ′(x + y).

    Raises
    ------
    ShapeError
        If ``x`` and ``y`` have different shapes.

    Examples
    --------
    >>> two_input_backward(1.0, -1.0).ds_da
    array(0.25)
    """
    ds_dx, ds_dy = multiple_inputs_add_backward(x, y, sigma)
    ds_da = _sigma_prime(sigma, two_input_forward(x, y, sigma).a)
    return TwoInputBackward(ds_dx=ds_dx, ds_dy=ds_dy, ds_da=ds_da)


TWO_INPUT_GRAPH = ComputationalGraphSpec(
    nodes=(
        Node("x", "x", "x", "input", "x", 0),
        Node("y", "y", "y", "input", "y", 0),
        Node("a", "+", "a = x + y", "operation", "a", 1),
        Node("s", r"\sigma", r"s = \sigma(a)", "output", "s", 2),
    ),
    edges=(
        Edge("x", "a", "x", "ds_dx"),
        Edge("y", "a", "y", "ds_dy"),
        Edge("a", "s", "a", "ds_da"),
    ),
)
"""The graph of s = σ(x + y): node and edge fields name :class:`TwoInputForward`
and :class:`TwoInputBackward` fields (:func:`two_input_forward`,
:func:`two_input_backward`)."""


# ------------------------------------------------------------------ gradient check


@dataclass(frozen=True, eq=False)
class GradientCheck:
    """Analytic gradient of one operand beside its finite-difference estimate.

    Attributes
    ----------
    which : {'X', 'W'}
        The operand perturbed.
    index : tuple of int or None
        The element checked, or None for every element.
    epsilon : float
        The perturbation.
    numeric : ndarray, shape () or the operand's shape
        Central-difference estimate of ∂J/∂(operand), J = Σ(dL_dS ⊙ S).
    analytic : ndarray, same shape
        The backward pass's value (``dL_dX`` or ``dL_dW``).
    abs_error : ndarray, same shape
        ``|numeric - analytic|``.
    rel_error : ndarray, same shape
        ``abs_error / max(|numeric|, |analytic|)``, 0 where both are 0.
    """

    which: Literal["X", "W"]
    index: tuple[int, ...] | None
    epsilon: float
    numeric: FloatArray
    analytic: FloatArray
    abs_error: FloatArray
    rel_error: FloatArray


def _normalise_index(index: object, shape: tuple[int, ...], which: str) -> tuple[int, ...]:
    """Return ``index`` as a tuple of non-negative ints inside ``shape``, else raise."""
    raw = index if isinstance(index, tuple) else (index,)
    if len(raw) != len(shape) or not all(
        isinstance(i, int | np.integer) and not isinstance(i, bool) for i in raw
    ):
        raise IndexError(
            f"index {index!r} does not name one element of {which}, shape {shape}; "
            f"expected a tuple of {len(shape)} ints"
        )
    out = []
    for i, n in zip(raw, shape, strict=True):
        if not -n <= i < n:
            raise IndexError(f"index {index!r} is out of range for {which} of shape {shape}")
        out.append(int(i) % n)
    return tuple(out)


def gradient_check(
    X: ArrayLike,
    W: ArrayLike,
    which: Literal["X", "W"] = "X",
    index: tuple[int, ...] | None = None,
    epsilon: float = 1e-6,
    sigma: ArrayFunction = sigmoid,
    dL_dS: ArrayLike | None = None,
) -> GradientCheck:
    """Check the backward pass by perturbing elements of X or W.

    The scalar objective is J = Σ(dL_dS ⊙ σ(X · W)), whose gradient the
    backward pass computes for the upstream gradient ``dL_dS``. Each element
    is moved by ±ε and (J₊ − J₋) / (x₊ − x₋) compared with the analytic value;
    the denominator is the step actually taken in float64. The error of the
    estimate is ≲ ε²/6 · |J‴| + ε_mach · |J| / ε (truncation plus round-off).
    All perturbations are evaluated at once (vectorised over a stack of
    perturbed copies), so use teaching-sized arrays.

    Parameters
    ----------
    X : array_like, shape (batch, features)
        Inputs.
    W : array_like, shape (features, outputs)
        Weights.
    which : {'X', 'W'}, optional
        The operand to perturb.
    index : tuple of int, optional
        One element of that operand (negative indices allowed); default every
        element.
    epsilon : float, optional
        The perturbation ε > 0.
    sigma : callable, optional
        Elementwise function; default :func:`lib.functions.sigmoid`.
    dL_dS : array_like, shape (batch, outputs), optional
        Upstream gradient; default all ones (J = L = Σ S).

    Returns
    -------
    GradientCheck
        Numeric and analytic gradients and their errors: 0-d arrays when
        ``index`` is given, else arrays of the operand's shape. Where either
        gradient is NaN or infinite (NaN in X, inf in X with ``which="W"``)
        the errors are NaN, so a check ``rel_error < tol`` fails there.

    Raises
    ------
    ValueError
        If ``which`` is not 'X' or 'W', or ``epsilon`` is not positive and
        finite or is lost next to an element of the operand in float64.
    IndexError
        If ``index`` is not a tuple of two ints inside the operand's shape.
    ShapeError
        As for :func:`matrix_function_backward_sum_1`.

    Examples
    --------
    >>> X = [[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]]
    >>> W = [[0.2], [0.4], [-0.3]]
    >>> check = gradient_check(X, W, which="X", index=(0, 1))
    >>> round(float(check.analytic), 6), bool(check.abs_error < 1e-9)
    (0.0822, True)
    >>> gradient_check(X, W, which="W").numeric.shape
    (3, 1)
    """
    if which not in ("X", "W"):
        raise ValueError(f"which must be 'X' or 'W'; got which={which!r}")
    eps = float(epsilon)
    if not np.isfinite(eps) or eps <= 0:
        raise ValueError(f"epsilon must be a positive finite number; got epsilon={epsilon!r}")
    with np.errstate(invalid="ignore", over="ignore"):  # NaN/inf are reported as NaN errors
        fwd = matrix_function_forward_sum(X, W, sigma)
        bwd = backward_pass(fwd, sigma, dL_dS)
    G = bwd.dL_dS
    operand = fwd.X if which == "X" else fwd.W
    analytic = bwd.dL_dX if which == "X" else bwd.dL_dW

    if index is None:
        flat = np.arange(operand.size)
        out_shape: tuple[int, ...] = operand.shape
    else:
        index = _normalise_index(index, operand.shape, which)
        flat = np.array([np.ravel_multi_index(index, operand.shape)])
        out_shape = ()
        analytic = analytic[index]

    values = operand.ravel()[flat]
    plus, minus = values + eps, values - eps
    step = plus - minus
    if np.any(step == 0):
        raise ValueError(
            f"epsilon={eps!r} is lost next to the elements of {which} in float64; "
            "expected a larger epsilon"
        )

    def objective(new_values: FloatArray) -> FloatArray:
        """J for a stack of copies of the operand, copy k with element flat[k] replaced."""
        stack = np.broadcast_to(operand, (flat.size, *operand.shape)).copy()
        stack.reshape(flat.size, -1)[np.arange(flat.size), flat] = new_values
        N = stack @ fwd.W if which == "X" else fwd.X @ stack
        return np.sum(G * _as_float64(sigma(N)), axis=(-2, -1))

    with np.errstate(invalid="ignore", over="ignore"):
        numeric = ((objective(plus) - objective(minus)) / step).reshape(out_shape)
    analytic = _as_float64(analytic)
    abs_error = np.abs(numeric - analytic)
    scale = np.maximum(np.abs(numeric), np.abs(analytic))
    rel_error = np.divide(abs_error, scale, out=np.zeros_like(abs_error), where=scale > 0)
    # A NaN or inf gradient is no agreement: report NaN (so `rel_error < tol` fails),
    # never the 0 that the division's `where` would leave.
    broken = ~(np.isfinite(numeric) & np.isfinite(analytic))
    rel_error = np.where(broken, np.nan, rel_error)
    abs_error = np.where(broken, np.nan, abs_error)
    return GradientCheck(
        which=which,
        index=index,
        epsilon=eps,
        numeric=numeric,
        analytic=analytic,
        abs_error=abs_error,
        rel_error=rel_error,
    )
