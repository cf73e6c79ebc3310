"""lib.book: the book's listings are the code the validated functions run, to the last bit."""

from __future__ import annotations

import ast
import inspect

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from lib import book, calculus, chain, functions, graph
from tests.strategies import float_arrays, points_for_deriv

KERNELS = (
    book.square,
    book.leaky_relu,
    book.deriv,
    book.chain_deriv_2,
    book.chain_deriv_3,
    book.matrix_function_backward_sum_1,
)


@pytest.mark.parametrize("kernel", KERNELS, ids=lambda k: k.__name__)
def test_a_listing_reads_like_the_book(kernel):
    tree = ast.parse(inspect.getsource(kernel)).body[0]
    body = tree.body[1:]  # after the docstring
    assert all(a.annotation is None for a in tree.args.args), "no type annotations"
    assert tree.returns is None
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert not [n for n in names if n.startswith("_")], "no private helpers"
    lines = sum(node.end_lineno - node.lineno + 1 for node in body)
    assert lines <= 12


@given(float_arrays(-5, 5))
def test_square_and_leaky_relu_are_their_kernels(x):
    assert_array_equal(functions.square(x), book.square(x))
    assert_array_equal(functions.leaky_relu(x), book.leaky_relu(x))


@given(points_for_deriv())
def test_validated_deriv_returns_the_kernels_number(case):
    name, a, delta = case
    func = functions.FUNCTIONS[name].func
    assert calculus.deriv(func, a, delta) == book.deriv(func, np.float64(a), delta)


@given(float_arrays(-3, 3, max_dims=1), st.sampled_from(["2", "3"]))
def test_chain_deriv_is_the_kernels_and_the_nested_functions(x, length):
    fs = [functions.leaky_relu, functions.sigmoid, functions.square][-int(length) :]
    validated = chain.chain_deriv_2 if length == "2" else chain.chain_deriv_3
    kernel = book.chain_deriv_2 if length == "2" else book.chain_deriv_3
    assert_array_equal(validated(fs, x), kernel(fs, np.asarray(x, dtype=np.float64)))
    assert_array_equal(validated(fs, x), chain.NestedFunction(fs).derivative(x))


def test_derivative_is_the_registered_formula_else_the_checked_central_difference():
    assert book.derivative(functions.sigmoid) is functions.sigmoid_deriv

    def own(x):
        return x**3

    assert book.derivative(own)(2.0) == calculus.deriv(own, 2.0)


def test_backward_pass_returns_the_kernels_gradients(rng):
    X, W = rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    dLdS = rng.normal(size=(3, 2))
    back = graph.matrix_function_backward_sum_1(X, W, functions.tanh, dLdS)
    dLdX, dLdW = book.matrix_function_backward_sum_1(X, W, functions.tanh, dLdS)
    assert_array_equal(back.dL_dX, dLdX)
    assert_array_equal(back.dL_dW, dLdW)


def test_listing_for_shows_the_kernel_or_a_teachers_own_function():
    assert book.listing_for(functions.square) is book.square
    assert book.listing_for(functions.leaky_relu) is book.leaky_relu
    assert book.listing_for(functions.cube) is functions.cube  # no kernel: its own source

    def own(x):
        return x + 1

    assert book.listing_for(own) is own
