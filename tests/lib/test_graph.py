"""Tests of lib.graph: two-input and matrix functions, the backward pass, the graph spec."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from numpy.testing import assert_allclose

from lib.calculus import DELTA
from lib.functions import sigmoid, sigmoid_deriv, tanh
from lib.graph import (
    GRAPH,
    TWO_INPUT_GRAPH,
    ComputationalGraphSpec,
    Edge,
    GradientCheck,
    GraphBackward,
    GraphForward,
    Node,
    ShapeError,
    TwoInputBackward,
    TwoInputForward,
    gradient_check,
    matmul_backward_first,
    matmul_forward,
    matrix_forward_extra,
    matrix_function_backward_1,
    matrix_function_backward_sum_1,
    matrix_function_forward_sum,
    multiple_inputs_add,
    multiple_inputs_add_backward,
    two_input_backward,
    two_input_forward,
)
from tests.tolerances import EPS

SIGMOID_THIRD_BOUND = 1 / 8
"""max |σ‴| (σ‴ = σ′·(1 − 6σ + 6σ²), largest in magnitude at 0, where it is −1/8)."""

H = 1e-5
"""Step of the test's own central differences."""

SHAPES = [(2, 3, 4), (4, 3, 2), (5, 2, 3), (3, 5, 1), (1, 4, 2)]
"""(batch, features, outputs), all three different in each."""


# ---------------------------------------------------------------- references


def reference_sigmoid(z):
    """σ(z) = (1 + tanh(z/2))/2: an independent formula, not lib's."""
    return 0.5 * (1 + np.tanh(z / 2))


def objective(X, W, G):
    """J = Σ G ⊙ σ(X · W), computed without lib."""
    return float(np.sum(G * reference_sigmoid(X @ W)))


def finite_difference_gradient(X, W, G, which: str, h: float = H):
    """Central difference of J with respect to every element of X or W, one at a time."""
    target = X if which == "X" else W
    grad = np.zeros_like(target)
    for idx in np.ndindex(target.shape):
        plus, minus = target.copy(), target.copy()
        plus[idx] += h
        minus[idx] -= h
        step = plus[idx] - minus[idx]
        if which == "X":
            grad[idx] = (objective(plus, W, G) - objective(minus, W, G)) / step
        else:
            grad[idx] = (objective(X, plus, G) - objective(X, minus, G)) / step
    return grad


def finite_difference_tolerance(X, W, G, which: str, h: float = H) -> float:
    """Largest error the central difference of J may have, from its error terms.

    Truncation: h²/6·|∂³J/∂θ³| with, for θ = X_ij, ∂³J = Σ_k G_ik σ‴(N_ik) W_jk³, so
    |∂³J| ≤ (1/8)·(|G| · |W|ᵀ³)_ij; for θ = W_jk, ≤ (1/8)·(|X|ᵀ³ · |G|)_jk.
    Round-off: each J value is off by ≲ ε·[(m + 2)·Σ|G ⊙ S| + (features + 2)/4·Σ|G| ⊙ (|X|·|W|)]
    (summing m = batch·outputs terms, rounding S, and the matmul's error in N times
    σ′ ≤ 1/4); two of them divided by 2h. The analytic side is off by ≲
    (features + outputs)·ε·(|dL_dN|·|W|ᵀ or |X|ᵀ·|dL_dN|), bounded by the same terms.
    Doubled for safety.
    """
    absG, absX, absW = np.abs(G), np.abs(X), np.abs(W)
    if which == "X":
        third = SIGMOID_THIRD_BOUND * absG @ (absW**3).T
        analytic = absG @ absW.T / 4
    else:
        third = SIGMOID_THIRD_BOUND * (absX**3).T @ absG
        analytic = absX.T @ absG / 4
    batch, features = X.shape
    outputs = W.shape[1]
    S = reference_sigmoid(X @ W)
    value_error = EPS * (
        (batch * outputs + 2) * np.sum(absG * S) + (features + 2) / 4 * np.sum(absG * (absX @ absW))
    )
    analytic_error = (features + outputs) * EPS * float(np.max(analytic))
    return 2 * (h**2 / 6 * float(np.max(third)) + value_error / h + analytic_error)


def random_problem(rng, shape, ones: bool = False):
    batch, features, outputs = shape
    X = rng.normal(size=(batch, features))
    W = rng.normal(size=(features, outputs))
    G = np.ones((batch, outputs)) if ones else rng.normal(size=(batch, outputs))
    return X, W, G


# ---------------------------------------------------------------- two inputs


@pytest.mark.parametrize(
    ("sigma", "third_bound"),
    [(sigmoid, SIGMOID_THIRD_BOUND), (tanh, 2.0), (np.sin, 1.0)],  # max |f‴| of each
)
def test_multiple_inputs_partials_equal_finite_differences(rng, sigma, third_bound):
    x = rng.normal(size=(3, 4))
    y = rng.normal(size=(3, 4))
    ds_dx, ds_dy = multiple_inputs_add_backward(x, y, sigma)
    # s is elementwise, so perturbing every element at once gives every partial.
    fd_x = (multiple_inputs_add(x + H, y, sigma) - multiple_inputs_add(x - H, y, sigma)) / (2 * H)
    fd_y = (multiple_inputs_add(x, y + H, sigma) - multiple_inputs_add(x, y - H, sigma)) / (2 * H)
    # Central difference: H²/6·max|σ‴| + (rounding of x ± H and of σ, |σ| ≤ 1 and
    # |x + y| ≲ 10, a few ulps each)/H.
    tol = H**2 / 6 * third_bound + 4 * EPS * 10 / H
    assert_allclose(ds_dx, fd_x, rtol=0, atol=tol)
    assert_allclose(ds_dy, fd_y, rtol=0, atol=tol)
    assert ds_dx is not ds_dy


def test_multiple_inputs_add_values():
    fwd = two_input_forward([1.0, -2.0], [-1.0, 0.5])
    assert isinstance(fwd, TwoInputForward)
    assert_allclose(fwd.a, [0.0, -1.5], rtol=0, atol=0)
    assert_allclose(fwd.s, sigmoid(np.array([0.0, -1.5])), rtol=0, atol=0)
    assert_allclose(multiple_inputs_add([1.0, -2.0], [-1.0, 0.5]), fwd.s, rtol=0, atol=0)
    dx, dy = multiple_inputs_add_backward([1.0, -2.0], [-1.0, 0.5])
    assert_allclose(dx, sigmoid_deriv(fwd.a), rtol=0, atol=0)
    assert_allclose(dy, dx, rtol=0, atol=0)


def test_multiple_inputs_unregistered_sigma_uses_deriv():
    def cube(z):
        return z**3

    x, y = np.array([0.5, -1.0, 2.0]), np.array([0.25, 0.5, -0.5])
    ds_dx, _ = multiple_inputs_add_backward(x, y, cube)
    # deriv with Δ = 0.001 on z³ has error exactly Δ²·f‴/6 = Δ² (f‴ = 6), plus round-off.
    assert_allclose(ds_dx, 3 * (x + y) ** 2 + DELTA**2, rtol=0, atol=1e-12)


def test_multiple_inputs_shape_mismatch():
    with pytest.raises(ShapeError, match=r"y has shape \(3,\); expected \(2,\), the shape of x"):
        multiple_inputs_add([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="y has shape"):  # ShapeError is a ValueError
        multiple_inputs_add_backward(np.zeros((2, 2)), np.zeros(2))


# ---------------------------------------------------------------- matmul


def test_book_matmul_example():
    X = np.array([[1.0, 2.0, 3.0]])
    W = np.array([[0.5], [-1.0], [2.0]])
    assert_allclose(matmul_forward(X, W), [[4.5]], rtol=0, atol=0)
    dN_dX = matmul_backward_first(X, W)
    assert_allclose(dN_dX, W.T, rtol=0, atol=0)
    # N is linear in X: the central difference is exact up to round-off ε·|N|/H.
    fd = finite_difference_linear(lambda Xp: matmul_forward(Xp, W).sum(), X)
    assert_allclose(dN_dX, fd, rtol=0, atol=4 * EPS * 10 / H)


def finite_difference_linear(f, X):
    grad = np.zeros_like(X)
    for idx in np.ndindex(X.shape):
        plus, minus = X.copy(), X.copy()
        plus[idx] += H
        minus[idx] -= H
        grad[idx] = (f(plus) - f(minus)) / (plus[idx] - minus[idx])
    return grad


@pytest.mark.parametrize("shape", SHAPES)
def test_matmul_backward_first_is_W_transposed(rng, shape):
    X, W, _ = random_problem(rng, shape)
    dN_dX = matmul_backward_first(X, W)
    assert dN_dX.shape == (shape[2], shape[1])
    assert_allclose(dN_dX, W.T, rtol=0, atol=0)
    assert not np.shares_memory(dN_dX, W)
    # gradient of Σ N with respect to X is ones · Wᵀ (linear: exact to round-off)
    fd = finite_difference_linear(lambda Xp: matmul_forward(Xp, W).sum(), X)
    assert_allclose(np.ones((shape[0], shape[2])) @ dN_dX, fd, rtol=0, atol=4 * EPS * 100 / H)


@pytest.mark.parametrize("shape", SHAPES)
def test_matrix_function_backward_1_is_gradient_of_sum(rng, shape):
    X, W, ones = random_problem(rng, shape, ones=True)
    assert_allclose(matrix_forward_extra(X, W), reference_sigmoid(X @ W), rtol=0, atol=4 * EPS)
    fd = finite_difference_gradient(X, W, ones, "X")
    tol = finite_difference_tolerance(X, W, ones, "X")
    assert_allclose(matrix_function_backward_1(X, W), fd, rtol=0, atol=tol)


# ---------------------------------------------------------------- the graph L = Σ σ(XW)


@pytest.mark.parametrize("shape", SHAPES)
def test_forward_sum_values(rng, shape):
    X, W, _ = random_problem(rng, shape)
    fwd = matrix_function_forward_sum(X, W)
    assert isinstance(fwd, GraphForward)
    assert_allclose(fwd.N, X @ W, rtol=0, atol=0)
    assert_allclose(fwd.S, reference_sigmoid(X @ W), rtol=0, atol=4 * EPS)
    assert_allclose(fwd.L, fwd.S.sum(), rtol=0, atol=0)
    assert {a.dtype for a in (fwd.X, fwd.W, fwd.N, fwd.S)} == {np.dtype(np.float64)}


@pytest.mark.parametrize("ones", [True, False], ids=["dL_dS=ones", "dL_dS=random"])
@pytest.mark.parametrize("shape", SHAPES)
def test_backward_equals_finite_differences_for_every_element(rng, shape, ones):
    X, W, G = random_problem(rng, shape, ones=ones)
    bwd = matrix_function_backward_sum_1(X, W, dL_dS=None if ones else G)
    assert isinstance(bwd, GraphBackward)
    for which, analytic in (("X", bwd.dL_dX), ("W", bwd.dL_dW)):
        fd = finite_difference_gradient(X, W, G, which)
        assert analytic.shape == fd.shape
        assert_allclose(analytic, fd, rtol=0, atol=finite_difference_tolerance(X, W, G, which))


@pytest.mark.parametrize("shape", SHAPES)
def test_backward_intermediate_gradients(rng, shape):
    X, W, G = random_problem(rng, shape)
    bwd = matrix_function_backward_sum_1(X, W, dL_dS=G)
    N = X @ W
    assert_allclose(bwd.dL_dS, G, rtol=0, atol=0)
    assert_allclose(bwd.dS_dN, sigmoid_deriv(N), rtol=0, atol=0)
    assert_allclose(bwd.dL_dN, G * sigmoid_deriv(N), rtol=0, atol=0)
    # dL_dN is ∂J/∂N: check it against a central difference in N directly,
    # error ≤ H²/6·|G|/8 + ε·Σ|G|/H.
    fd = np.zeros_like(N)
    for idx in np.ndindex(N.shape):
        plus, minus = N.copy(), N.copy()
        plus[idx] += H
        minus[idx] -= H
        fd[idx] = (np.sum(G * reference_sigmoid(plus)) - np.sum(G * reference_sigmoid(minus))) / (
            plus[idx] - minus[idx]
        )
    tol = 2 * (
        H**2 / 6 * SIGMOID_THIRD_BOUND * np.max(np.abs(G))
        + (N.size + 2) * EPS * np.sum(np.abs(G)) / H
    )
    assert_allclose(bwd.dL_dN, fd, rtol=0, atol=tol)


def test_upstream_gradient_is_not_dropped(rng):
    # The book's shortcut σ′(N)·Wᵀ is right only for dL_dS = ones.
    X, W, G = random_problem(rng, (3, 4, 2))
    ours = matrix_function_backward_sum_1(X, W, dL_dS=G).dL_dX
    shortcut = matrix_function_backward_1(X, W)
    assert np.max(np.abs(ours - shortcut)) > 0.1
    with_ones = matrix_function_backward_sum_1(X, W).dL_dX
    assert_allclose(with_ones, shortcut, rtol=0, atol=4 * EPS * 10)
    # linearity in the upstream gradient: G and 2G
    doubled = matrix_function_backward_sum_1(X, W, dL_dS=2 * G)
    assert_allclose(doubled.dL_dX, 2 * ours, rtol=0, atol=0)


def test_unregistered_sigma_uses_deriv(rng):
    def softsign(z):
        return z / (1 + np.abs(z))

    X, W, G = random_problem(rng, (2, 3, 4))
    bwd = matrix_function_backward_sum_1(X, W, softsign, dL_dS=G)
    exact = 1 / (1 + np.abs(X @ W)) ** 2
    # deriv with Δ = 0.001: error ≤ Δ²/6·max|f‴| = Δ²/6·6 (|softsign‴| ≤ 6 away from 0,
    # and no N lies within Δ of the kink of f″ at 0 here), plus round-off ε/Δ.
    assert np.min(np.abs(X @ W)) > DELTA
    assert_allclose(bwd.dS_dN, exact, rtol=0, atol=DELTA**2 + 4 * EPS / DELTA)


# ---------------------------------------------------------------- shape errors


@pytest.mark.parametrize(
    ("X_shape", "W_shape", "pattern"),
    [
        (
            (2, 3),
            (4, 2),
            r"W has shape \(4, 2\); expected \(3, outputs\).*X, which has shape "
            r"\(2, 3\)",
        ),
        ((3,), (3, 2), r"X has shape \(3,\); expected a 2-D array of shape \(batch, features\)"),
        ((2, 3), (3,), r"W has shape \(3,\); expected a 2-D array of shape \(features, outputs\)"),
        ((2, 3), (3, 2, 1), r"W has shape \(3, 2, 1\); expected a 2-D array"),
    ],
)
@pytest.mark.parametrize(
    "func",
    [
        matmul_forward,
        matmul_backward_first,
        matrix_forward_extra,
        matrix_function_backward_1,
        matrix_function_forward_sum,
        matrix_function_backward_sum_1,
        gradient_check,
    ],
)
def test_shape_errors_name_operand_and_shapes(func, X_shape, W_shape, pattern):
    with pytest.raises(ShapeError, match=pattern):
        func(np.zeros(X_shape), np.zeros(W_shape))


def test_upstream_gradient_shape_is_checked():
    X, W = np.zeros((5, 3)), np.zeros((3, 4))
    pattern = r"dL_dS has shape \(4, 5\); expected \(5, 4\)"
    with pytest.raises(ShapeError, match=pattern):
        matrix_function_backward_sum_1(X, W, dL_dS=np.ones((4, 5)))
    with pytest.raises(ShapeError, match=pattern):
        gradient_check(X, W, dL_dS=np.ones((4, 5)))
    assert issubclass(ShapeError, ValueError)


# ---------------------------------------------------------------- gradient check


@pytest.mark.parametrize("which", ["X", "W"])
@pytest.mark.parametrize("shape", SHAPES)
def test_gradient_check_every_element(rng, shape, which):
    X, W, G = random_problem(rng, shape)
    check = gradient_check(X, W, which=which, dL_dS=G, epsilon=H)
    assert isinstance(check, GradientCheck)
    operand = X if which == "X" else W
    assert check.numeric.shape == check.analytic.shape == operand.shape
    tol = finite_difference_tolerance(X, W, G, which)
    # lib's estimate agrees with the test's own loop (both carry the round-off bound)
    assert_allclose(check.numeric, finite_difference_gradient(X, W, G, which), rtol=0, atol=tol)
    assert_allclose(check.abs_error, np.abs(check.numeric - check.analytic), rtol=0, atol=0)
    assert_allclose(check.abs_error, 0.0, rtol=0, atol=tol)
    scale = np.maximum(np.abs(check.numeric), np.abs(check.analytic))
    assert_allclose(check.rel_error * scale, check.abs_error, rtol=0, atol=4 * EPS * tol)


def test_gradient_check_single_element_matches_full(rng):
    X, W, G = random_problem(rng, (3, 4, 2))
    full = gradient_check(X, W, which="W", dL_dS=G)
    one = gradient_check(X, W, which="W", index=(2, 1), dL_dS=G)
    assert one.numeric.shape == one.analytic.shape == ()
    assert one.index == (2, 1)
    assert_allclose(one.analytic, full.analytic[2, 1], rtol=0, atol=0)
    assert_allclose(one.numeric, full.numeric[2, 1], rtol=0, atol=0)
    negative = gradient_check(X, W, which="W", index=(-1, -1), dL_dS=G)
    assert negative.index == (3, 1)
    assert_allclose(negative.analytic, full.analytic[3, 1], rtol=0, atol=0)


def test_gradient_check_zero_gradient_has_zero_relative_error():
    X = np.array([[1.0, 2.0], [0.5, -1.0]])
    W = np.array([[0.3, -0.2], [0.0, 0.0]])  # X[:, 1] does not reach N
    check = gradient_check(X, W, which="X", index=(0, 1))
    assert_allclose(check.analytic, 0.0, rtol=0, atol=0)
    assert_allclose(check.numeric, 0.0, rtol=0, atol=0)
    assert_allclose(check.rel_error, 0.0, rtol=0, atol=0)


def test_gradient_check_bad_arguments():
    X, W = np.ones((2, 3)), np.ones((3, 4))
    with pytest.raises(ValueError, match=r"which must be 'X' or 'W'; got which='N'"):
        gradient_check(X, W, which="N")
    with pytest.raises(IndexError, match=r"index \(2, 0\) is out of range for X of shape \(2, 3\)"):
        gradient_check(X, W, which="X", index=(2, 0))
    with pytest.raises(IndexError, match=r"index \(0, 4\) is out of range for W of shape \(3, 4\)"):
        gradient_check(X, W, which="W", index=(0, 4))
    with pytest.raises(IndexError, match=r"expected a tuple of 2 ints"):
        gradient_check(X, W, which="X", index=(0,))
    with pytest.raises(IndexError, match=r"expected a tuple of 2 ints"):
        gradient_check(X, W, which="X", index=(0, 1.5))
    with pytest.raises(ValueError, match="epsilon must be a positive finite number"):
        gradient_check(X, W, epsilon=0.0)
    with pytest.raises(ValueError, match="is lost next to the elements of X"):
        gradient_check(X * 1e20, W, epsilon=1e-6)


# ---------------------------------------------------------------- the graph spec


FORWARD_FIELDS = {f.name for f in dataclasses.fields(GraphForward)}
BACKWARD_FIELDS = {f.name for f in dataclasses.fields(GraphBackward)}


def test_graph_nodes_name_forward_fields():
    assert [n.id for n in GRAPH.nodes] == ["X", "W", "N", "S", "L"]
    assert {n.forward_field for n in GRAPH.nodes} == FORWARD_FIELDS
    assert [n.kind for n in GRAPH.nodes] == ["input", "input", "operation", "operation", "output"]


def test_graph_edges_name_forward_and_backward_fields():
    for edge in GRAPH.edges:
        assert edge.forward_field == GRAPH.node(edge.source).forward_field
        assert edge.backward_field in BACKWARD_FIELDS
        assert edge.backward_field == f"dL_d{edge.forward_field}"
    # every gradient of L flows along exactly one wire; dS_dN is a local derivative
    backward = [e.backward_field for e in GRAPH.edges]
    assert sorted(backward) == sorted(BACKWARD_FIELDS - {"dS_dN"})
    assert ("N", "S", "N", "dL_dN") in [
        (e.source, e.target, e.forward_field, e.backward_field) for e in GRAPH.edges
    ]


def test_graph_is_topological_and_left_to_right():
    position = {n.id: i for i, n in enumerate(GRAPH.nodes)}
    for edge in GRAPH.edges:
        assert position[edge.source] < position[edge.target]
        assert GRAPH.node(edge.source).column < GRAPH.node(edge.target).column
    for node in GRAPH.nodes:
        has_in, has_out = bool(GRAPH.incoming(node.id)), bool(GRAPH.outgoing(node.id))
        assert (has_in, has_out) == {
            "input": (False, True),
            "operation": (True, True),
            "output": (True, False),
        }[node.kind]
    assert [[n.id for n in col] for col in GRAPH.columns] == [["X", "W"], ["N"], ["S"], ["L"]]


@pytest.mark.parametrize("shape", SHAPES)
def test_graph_wires_carry_arrays_and_gradients_of_the_same_shape(rng, shape):
    X, W, G = random_problem(rng, shape)
    fwd = matrix_function_forward_sum(X, W)
    bwd = matrix_function_backward_sum_1(X, W, dL_dS=G)
    for edge in GRAPH.edges:
        array = np.asarray(getattr(fwd, edge.forward_field))
        gradient = np.asarray(getattr(bwd, edge.backward_field))
        assert array.shape == gradient.shape, edge
    for node in GRAPH.nodes:
        getattr(fwd, node.forward_field)


def test_graph_spec_validation():
    a = Node("a", "a", "a", "input", "X", 0)
    b = Node("b", r"\sigma", "b", "operation", "S", 1)
    with pytest.raises(ValueError, match="node id 'a' appears twice"):
        ComputationalGraphSpec((a, a), ())
    with pytest.raises(ValueError, match="no node 'c'"):
        ComputationalGraphSpec((a, b), (Edge("a", "c", "X", "dL_dX"),))
    with pytest.raises(ValueError, match="points backwards"):
        ComputationalGraphSpec((a, b), (Edge("b", "a", "S", "dL_dS"),))
    with pytest.raises(ValueError, match="has kind 'layer'"):
        ComputationalGraphSpec((Node("a", "a", "a", "layer", "X", 0),), ())
    with pytest.raises(KeyError, match="no node 'Z'; expected one of: X, W, N, S, L"):
        GRAPH.node("Z")


def test_two_input_backward_keeps_the_gradient_on_every_wire():
    x, y = np.array([1.0, -2.0, 0.3]), np.array([-1.0, 0.5, 0.4])
    back = two_input_backward(x, y, tanh)
    assert isinstance(back, TwoInputBackward)
    ds_dx, ds_dy = multiple_inputs_add_backward(x, y, tanh)
    assert_allclose(back.ds_dx, ds_dx, rtol=0, atol=0)
    assert_allclose(back.ds_dy, ds_dy, rtol=0, atol=0)
    # σ = tanh: ∂s/∂a = 1 − tanh²(x + y), to a few ulps of values ≤ 1.
    assert_allclose(back.ds_da, 1 - np.tanh(x + y) ** 2, rtol=0, atol=4 * np.finfo(float).eps)
    with pytest.raises(ShapeError, match="y has shape"):
        two_input_backward(np.zeros(2), np.zeros(3))


def test_two_input_graph_names_the_forward_and_backward_fields():
    forward_fields = {f.name for f in dataclasses.fields(TwoInputForward)}
    backward_fields = {f.name for f in dataclasses.fields(TwoInputBackward)}
    assert {n.forward_field for n in TWO_INPUT_GRAPH.nodes} <= forward_fields
    assert {e.forward_field for e in TWO_INPUT_GRAPH.edges} <= forward_fields
    assert {e.backward_field for e in TWO_INPUT_GRAPH.edges} == backward_fields
