"""Tests of lib.network: gradients against finite differences, training, decomposition.

Gradient-check tolerance (central difference of the loss L in one parameter θ)::

    |(L(θ+h) − L(θ−h)) / 2h − L'(θ)|  <=  h²/6 · M3  +  C · ε · max(|L|, 1) / h

The first term is the truncation error (Taylor: the h² term of the central
difference is L‴(ξ)/6), with M3 an upper bound on |∂³L/∂θ³| that
``test_third_derivative_bound_holds`` checks for exactly these networks
(measured max ≈ 2.0; M3 = 10). The second is round-off: each evaluation of L, a
mean of at most 8 squared residuals computed through two small matmuls, is off
by at most C · ε · |L| with C = 10, and the difference quotient divides that
by h. With h = 1e-5 (near the optimal (3ε/M3)^(1/3)) this gives
atol ≈ 1.7e-10 + 4.4e-10 · max(|L|, 1); the observed errors are about 5e-11.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from lib.network import (
    ACTIVATIONS,
    DEMO_CHECKPOINTS,
    DEMO_FINAL_LOSS,
    DEMO_HIDDEN,
    DEMO_LOSS_BOUND,
    DEMO_N_POINTS,
    DEMO_STEPS,
    Forward,
    Network,
    approximation_demo,
    backward,
    forward,
    hidden_contributions,
    init_network,
    mse_loss,
    mse_loss_grad,
    train,
)
from tests.tolerances import EPS

H = 1e-5  # finite-difference step for the gradient check
M3 = 10.0  # bound on |third derivative of the loss| along any one parameter, see module doc
ROUNDOFF_C = 10.0  # relative round-off of one loss evaluation, in units of eps
H3 = 1e-2  # step of the third-derivative stencil


@pytest.fixture
def rng() -> np.random.Generator:
    # Same seed as tests/conftest.py's shared fixture; local so this module stands alone.
    return np.random.default_rng(20190601)


def fd_atol(loss_value: float) -> float:
    """Tolerance of a central difference of the loss, derived in the module docstring."""
    return H**2 / 6 * M3 + ROUNDOFF_C * EPS * max(abs(loss_value), 1.0) / H


def perturbed(net: Network, kind: str, k: int, idx: tuple[int, ...], t: float) -> Network:
    """Return ``net`` with parameter ``kind[k][idx]`` increased by ``t``."""
    weights = [w.copy() for w in net.weights]
    biases = [b.copy() for b in net.biases]
    (weights if kind == "W" else biases)[k][idx] += t
    return Network(net.sizes, tuple(weights), tuple(biases), net.activation)


def parameter_indices(net: Network):
    for kind, params in (("W", net.weights), ("b", net.biases)):
        for k, p in enumerate(params):
            for idx in np.ndindex(p.shape):
                yield kind, k, idx


CASES = [
    pytest.param(sizes, activation, id=f"{'-'.join(map(str, sizes))}-{activation}")
    for sizes in ((2, 3, 2), (1, 5, 1))
    for activation in ("tanh", "sigmoid")
]


def problem(sizes, activation, rng):
    net = init_network(sizes, rng, activation=activation)
    X = rng.normal(size=(4, sizes[0]))
    Y = rng.normal(size=(4, sizes[-1]))
    return net, X, Y


# --------------------------------------------------------------------------- gradients


@pytest.mark.parametrize(("sizes", "activation"), CASES)
def test_backward_matches_central_differences_for_every_parameter(sizes, activation, rng):
    net, X, Y = problem(sizes, activation, rng)
    fwd = forward(net, X)
    grads = backward(net, fwd, mse_loss_grad(fwd.output, Y))

    def loss(n: Network) -> float:
        return mse_loss(forward(n, X).output, Y)

    atol = fd_atol(loss(net))
    n_checked = 0
    for kind, k, idx in parameter_indices(net):
        numeric = (
            loss(perturbed(net, kind, k, idx, H)) - loss(perturbed(net, kind, k, idx, -H))
        ) / (2 * H)
        analytic = (grads.dW if kind == "W" else grads.db)[k][idx]
        assert_allclose(analytic, numeric, rtol=0, atol=atol, err_msg=f"d{kind}[{k}]{idx}")
        n_checked += 1
    assert n_checked == net.n_parameters


@pytest.mark.parametrize(("sizes", "activation"), CASES)
def test_backward_input_gradient_matches_central_differences(sizes, activation, rng):
    net, X, Y = problem(sizes, activation, rng)
    fwd = forward(net, X)
    grads = backward(net, fwd, mse_loss_grad(fwd.output, Y))
    atol = fd_atol(mse_loss(fwd.output, Y))
    for idx in np.ndindex(X.shape):
        up, down = X.copy(), X.copy()
        up[idx] += H
        down[idx] -= H
        numeric = (
            mse_loss(forward(net, up).output, Y) - mse_loss(forward(net, down).output, Y)
        ) / (2 * H)
        assert_allclose(grads.dX[idx], numeric, rtol=0, atol=atol, err_msg=f"dX{idx}")


@pytest.mark.parametrize(("sizes", "activation"), CASES)
def test_third_derivative_bound_holds(sizes, activation, rng):
    # Justifies M3 in fd_atol: a 4-point stencil estimates L''' (error O(H3²·L⁽⁵⁾),
    # round-off ~ eps·|L|/H3³ ≈ 2e-10, both negligible against M3).
    net, X, Y = problem(sizes, activation, rng)

    def loss(n: Network) -> float:
        return mse_loss(forward(n, X).output, Y)

    for kind, k, idx in parameter_indices(net):
        f = [loss(perturbed(net, kind, k, idx, t * H3)) for t in (2, 1, -1, -2)]
        third = (f[0] - 2 * f[1] + 2 * f[2] - f[3]) / (2 * H3**3)
        assert abs(third) < M3, f"|L'''| = {abs(third):.3g} along {kind}[{k}]{idx}"


def test_gradients_have_parameter_shapes(rng):
    net = init_network((3, 4, 5, 2), rng, activation="sigmoid")
    X = rng.normal(size=(7, 3))
    fwd = forward(net, X)
    grads = backward(net, fwd, np.ones((7, 2)))
    assert [g.shape for g in grads.dW] == [w.shape for w in net.weights]
    assert [g.shape for g in grads.db] == [b.shape for b in net.biases]
    assert grads.dX.shape == X.shape


def test_linear_output_and_hidden_activation(rng):
    net = init_network((2, 3, 1), rng, activation="sigmoid")
    X = rng.normal(size=(5, 2))
    fwd = forward(net, X)
    assert_array_equal(fwd.A[0], X)
    assert_allclose(fwd.Z[0], X @ net.weights[0] + net.biases[0], rtol=1e-15, atol=1e-15)
    assert_allclose(fwd.A[1], 1 / (1 + np.exp(-fwd.Z[0])), rtol=1e-14, atol=1e-15)
    assert_array_equal(fwd.output, fwd.Z[1])  # the output layer is linear
    assert fwd.output.dtype == np.float64


# --------------------------------------------------------------------------- loss


def test_mse_loss_and_gradient_with_factor_two():
    Y_pred = np.array([[1.0, 2.0], [3.0, -1.0]])
    Y = np.array([[0.0, 2.0], [1.0, 1.0]])
    assert mse_loss(Y_pred, Y) == pytest.approx((1 + 0 + 4 + 4) / 4, rel=1e-15)
    assert_allclose(mse_loss_grad(Y_pred, Y), 2 * (Y_pred - Y) / 4, rtol=0, atol=1e-15)


def test_mse_loss_grad_matches_central_differences(rng):
    Y_pred = rng.normal(size=(3, 2))
    Y = rng.normal(size=(3, 2))
    grad = mse_loss_grad(Y_pred, Y)
    # mse is quadratic: its third derivative is 0, so only round-off remains.
    atol = ROUNDOFF_C * EPS * max(mse_loss(Y_pred, Y), 1.0) / H
    for idx in np.ndindex(Y.shape):
        up, down = Y_pred.copy(), Y_pred.copy()
        up[idx] += H
        down[idx] -= H
        numeric = (mse_loss(up, Y) - mse_loss(down, Y)) / (2 * H)
        assert_allclose(grad[idx], numeric, rtol=0, atol=atol)


@pytest.mark.parametrize("func", [mse_loss, mse_loss_grad])
def test_mse_rejects_mismatched_shapes(func):
    with pytest.raises(ValueError, match=r"Y_pred has shape \(3, 1\) but Y has shape \(3,\)"):
        func(np.zeros((3, 1)), np.zeros(3))
    with pytest.raises(ValueError, match="empty"):
        func(np.zeros((0, 1)), np.zeros((0, 1)))


# --------------------------------------------------------------------------- network & init


def test_init_network_shapes_dtype_and_determinism():
    a = init_network((1, 8, 1), np.random.default_rng(7))
    b = init_network((1, 8, 1), np.random.default_rng(7))
    assert a.sizes == (1, 8, 1)
    assert a.activation == "tanh"
    assert [w.shape for w in a.weights] == [(1, 8), (8, 1)]
    assert [b_.shape for b_ in a.biases] == [(8,), (1,)]
    assert all(p.dtype == np.float64 for p in (*a.weights, *a.biases))
    for p, q in zip((*a.weights, *a.biases), (*b.weights, *b.biases), strict=True):
        assert_array_equal(p, q)


def test_init_network_scale_sets_the_spread():
    net = init_network((1, 4000, 1), np.random.default_rng(3), scale=0.5)
    # sample std of 4000 normals: relative standard error 1/sqrt(2·4000) ≈ 0.011; allow 5σ.
    assert np.std(net.weights[0]) == pytest.approx(0.5, rel=0.06)
    assert np.std(net.biases[0]) == pytest.approx(0.5, rel=0.06)


@pytest.mark.parametrize(
    "sizes", [(3,), (), (1, 0, 1), (1, -2, 1), (1, 2.5, 1), (1, True, 1)], ids=repr
)
def test_init_network_rejects_bad_sizes(sizes, rng):
    with pytest.raises(ValueError, match="sizes|layer width"):
        init_network(sizes, rng)


def test_init_network_rejects_unknown_activation_listing_choices(rng):
    with pytest.raises(ValueError, match="unknown activation 'relu'") as info:
        init_network((1, 2, 1), rng, activation="relu")
    for name in ACTIVATIONS:
        assert repr(name) in str(info.value)


@pytest.mark.parametrize(
    "seed", [0, None, np.random.RandomState(0)], ids=["0", "None", "RandomState(0)"]
)
def test_init_network_requires_a_generator(seed):
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        init_network((1, 2, 1), seed)


@pytest.mark.parametrize("scale", [0.0, -1.0, np.inf, np.nan])
def test_init_network_rejects_bad_scale(scale, rng):
    with pytest.raises(ValueError, match="scale"):
        init_network((1, 2, 1), rng, scale=scale)


def test_network_is_immutable_and_owns_its_arrays(rng):
    w0 = np.ones((1, 2))
    net = Network((1, 2, 1), (w0, np.ones((2, 1))), (np.zeros(2), np.zeros(1)), "tanh")
    w0[0, 0] = 99.0
    assert net.weights[0][0, 0] == 1.0
    with pytest.raises(ValueError, match="read-only"):
        net.weights[0][0, 0] = 5.0
    with pytest.raises(AttributeError):
        net.activation = "sigmoid"


def test_network_rejects_inconsistent_parameters():
    with pytest.raises(ValueError, match=r"weights\[1\] has shape \(2, 2\); expected \(2, 1\)"):
        Network((1, 2, 1), (np.ones((1, 2)), np.ones((2, 2))), (np.zeros(2), np.zeros(1)), "tanh")
    with pytest.raises(ValueError, match=r"biases\[0\] has shape \(3,\); expected \(2,\)"):
        Network((1, 2, 1), (np.ones((1, 2)), np.ones((2, 1))), (np.zeros(3), np.zeros(1)), "tanh")
    with pytest.raises(ValueError, match="need 2 weight matrices"):
        Network((1, 2, 1), (np.ones((1, 2)),), (np.zeros(2),), "tanh")


# --------------------------------------------------------------------------- shape errors


@pytest.mark.parametrize("shape", [(5,), (5, 3), (2, 5, 2)])
def test_forward_names_both_shapes(shape, rng):
    net = init_network((2, 3, 1), rng)
    expected = re.escape(f"X has shape {tuple(shape)}; expected (batch, 2)")
    with pytest.raises(ValueError, match=expected):
        forward(net, np.zeros(shape))


def test_backward_rejects_wrong_output_gradient_shape(rng):
    net = init_network((2, 3, 1), rng)
    fwd = forward(net, np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"dL_dY has shape \(4,\); expected .*\(4, 1\)"):
        backward(net, fwd, np.zeros(4))


def test_backward_rejects_a_forward_of_another_network(rng):
    net = init_network((2, 3, 1), rng)
    other = init_network((2, 5, 1), rng)
    fwd = forward(other, np.zeros((4, 2)))
    assert isinstance(fwd, Forward)
    with pytest.raises(ValueError, match=r"do not fit a network of sizes \(2, 3, 1\)"):
        backward(net, fwd, np.zeros((4, 1)))


# --------------------------------------------------------------------------- training


def test_one_training_step_is_one_gradient_descent_update(rng):
    net, X, Y = problem((2, 3, 2), "tanh", rng)
    lr = 0.3
    fwd = forward(net, X)
    grads = backward(net, fwd, mse_loss_grad(fwd.output, Y))
    stepped = train(net, X, Y, learning_rate=lr, steps=1).net
    for new, old, g in zip(stepped.weights, net.weights, grads.dW, strict=True):
        assert_allclose(new, old - lr * g, rtol=0, atol=1e-15)
    for new, old, g in zip(stepped.biases, net.biases, grads.db, strict=True):
        assert_allclose(new, old - lr * g, rtol=0, atol=1e-15)


def test_zero_steps_returns_the_initial_network(rng):
    net, X, Y = problem((1, 5, 1), "sigmoid", rng)
    result = train(net, X, Y, learning_rate=0.1, steps=0, checkpoints=(0,))
    assert result.losses.shape == (1,)
    assert result.final_loss == mse_loss(forward(net, X).output, Y)
    for p, q in zip(result.net.weights, net.weights, strict=True):
        assert_array_equal(p, q)
    assert result.checkpoints[0].step == 0


def test_train_does_not_change_the_input_network(rng):
    net, X, Y = problem((1, 5, 1), "tanh", rng)
    before = [w.copy() for w in net.weights]
    train(net, X, Y, learning_rate=0.1, steps=5)
    for p, q in zip(net.weights, before, strict=True):
        assert_array_equal(p, q)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"steps": 10, "checkpoints": (0, 11)}, r"checkpoint 11 is not an int in \[0, steps=10\]"),
        ({"steps": 10, "checkpoints": (-1,)}, r"checkpoint -1 is not an int"),
        ({"steps": 10, "checkpoints": (5, 2)}, "strictly increasing"),
        ({"steps": 10, "checkpoints": (2, 2)}, "strictly increasing"),
        ({"steps": 10, "checkpoints": (2.0,)}, r"checkpoint 2.0 is not an int"),
        ({"steps": -1}, "steps must be a non-negative int"),
        ({"steps": 10, "learning_rate": 0.0}, "learning_rate must be positive"),
        ({"steps": 10, "learning_rate": -0.1}, "learning_rate must be positive"),
    ],
)
def test_train_rejects_bad_arguments(kwargs, message, rng):
    net, X, Y = problem((1, 5, 1), "tanh", rng)
    kwargs = {"learning_rate": 0.1, **kwargs}
    with pytest.raises(ValueError, match=message):
        train(net, X, Y, **kwargs)


def test_train_rejects_mismatched_data(rng):
    net, X, Y = problem((1, 5, 1), "tanh", rng)
    with pytest.raises(ValueError, match="X has 4 rows but Y has 3"):
        train(net, X, Y[:3], learning_rate=0.1, steps=1)
    with pytest.raises(ValueError, match=r"Y has shape \(4,\); expected \(batch, 1\)"):
        train(net, X, Y[:, 0], learning_rate=0.1, steps=1)


def test_train_reports_divergence_clearly(rng):
    net, X, Y = problem((1, 5, 1), "tanh", rng)
    with pytest.raises(FloatingPointError, match="learning_rate=1000.0 is too large"):
        train(net, X, Y, learning_rate=1e3, steps=200)


# --------------------------------------------------------------------------- the scene's demo


@pytest.fixture(scope="module")
def demo():
    return approximation_demo()


def test_demo_reaches_the_documented_loss(demo):
    assert demo.training.final_loss <= DEMO_LOSS_BOUND
    # The documented value is rounded to 4 digits; gradient descent here is contracting,
    # so BLAS-dependent round-off cannot move it by more than that.
    assert demo.training.final_loss == pytest.approx(DEMO_FINAL_LOSS, rel=1e-3)


def test_demo_loss_decreases_monotonically(demo):
    losses = demo.training.losses
    assert losses.shape == (DEMO_STEPS + 1,)
    assert np.all(np.diff(losses) <= 0)
    assert losses[-1] < losses[0] / 1000


def test_demo_checkpoints_match_their_networks(demo):
    assert tuple(c.step for c in demo.checkpoints) == DEMO_CHECKPOINTS
    X, Y = demo.x[:, None], demo.y[:, None]
    for c in demo.checkpoints:
        assert c.loss == demo.training.losses[c.step]
        assert mse_loss(forward(c.net, X).output, Y) == pytest.approx(c.loss, rel=1e-14)
    losses = [c.loss for c in demo.checkpoints]
    assert losses == sorted(losses, reverse=True)
    assert_array_equal(demo.checkpoints[-1].net.weights[0], demo.net.weights[0])


def test_demo_data_is_sin_on_minus_pi_to_pi(demo):
    assert demo.x.shape == (DEMO_N_POINTS,)
    assert demo.x[0] == -np.pi
    assert demo.x[-1] == np.pi
    assert_array_equal(demo.y, np.sin(demo.x))
    assert demo.net.sizes == (1, DEMO_HIDDEN, 1)


def test_demo_is_deterministic(demo):
    again = approximation_demo()
    assert_array_equal(again.training.losses, demo.training.losses)
    for a, b in zip(again.checkpoints, demo.checkpoints, strict=True):
        for p, q in zip(
            (*a.net.weights, *a.net.biases), (*b.net.weights, *b.net.biases), strict=True
        ):
            assert_array_equal(p, q)


def test_demo_accepts_another_target():
    result = approximation_demo(target=np.cos, x_range=(-2.0, 2.0), steps=50, checkpoints=(0, 50))
    assert_array_equal(result.y, np.cos(result.x))
    assert result.checkpoints[-1].loss < result.checkpoints[0].loss


def test_demo_rejects_bad_range():
    with pytest.raises(ValueError, match="x_range must be increasing"):
        approximation_demo(x_range=(1.0, -1.0), steps=1)


# --------------------------------------------------------------------------- decomposition


def test_contributions_sum_back_to_the_output(demo):
    x = np.linspace(-4.0, 4.0, 201)
    for c in demo.checkpoints:
        parts = hidden_contributions(c.net, x)
        assert parts.shape == (201, DEMO_HIDDEN)
        output = forward(c.net, x[:, None]).output[:, 0]
        # sum of 8 terms of size <= ~1: round-off ~ 8 · eps · 1 ≈ 2e-15.
        assert_allclose(parts.sum(axis=1) + c.net.biases[1][0], output, rtol=0, atol=1e-12)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_each_contribution_is_a_scaled_hidden_activation(activation, rng):
    net = init_network((1, 6, 1), rng, activation=activation)
    x = np.linspace(-3.0, 3.0, 11)
    hidden = forward(net, x[:, None]).A[1]
    expected = hidden * net.weights[1][:, 0]
    assert_allclose(hidden_contributions(net, x), expected, rtol=1e-15, atol=1e-15)
    assert_allclose(hidden_contributions(net, x[:, None]), expected, rtol=1e-15, atol=1e-15)


@pytest.mark.parametrize("sizes", [(2, 3, 1), (1, 3, 2), (1, 3, 3, 1), (1, 1)])
def test_contributions_need_a_one_hidden_layer_scalar_network(sizes, rng):
    net = init_network(sizes, rng)
    with pytest.raises(ValueError, match=r"needs a \(1, H, 1\) network"):
        hidden_contributions(net, np.zeros(3))


def test_contributions_reject_bad_x_shape(rng):
    net = init_network((1, 3, 1), rng)
    with pytest.raises(ValueError, match=r"x has shape \(3, 2\); expected \(n,\) or \(n, 1\)"):
        hidden_contributions(net, np.zeros((3, 2)))
