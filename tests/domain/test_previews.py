"""Which files get previews, and how big a preview may be (``domain.previews``)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain.previews import PreviewKind, PreviewState, fit, initial_state, preview_kind, source_acceptable


@pytest.mark.parametrize(
    ("content_type", "kind", "state"),
    [
        ("image/png", PreviewKind.IMAGE, PreviewState.PENDING),
        ("image/jpeg", PreviewKind.IMAGE, PreviewState.PENDING),
        ("image/gif", PreviewKind.IMAGE, PreviewState.PENDING),
        ("image/webp", PreviewKind.IMAGE, PreviewState.PENDING),
        ("application/pdf", PreviewKind.PDF, PreviewState.PENDING),
        ("text/plain", None, PreviewState.NONE),
        ("application/msword", None, PreviewState.NONE),
        ("image/svg+xml", None, PreviewState.NONE),  # never accepted, never drawn
    ],
)
def test_images_and_pdfs_are_previewed_everything_else_is_not(content_type, kind, state):
    assert preview_kind(content_type) == kind
    assert initial_state(content_type) == state


@pytest.mark.parametrize(
    ("size", "fitted"),
    [((2000, 1000), (480, 240)), ((1000, 2000), (240, 480)), ((100, 50), (100, 50)), ((10_000, 1), (480, 1))],
)
def test_a_preview_fits_its_longer_side_and_is_never_enlarged(size, fitted):
    assert fit(*size, 480) == fitted


def test_a_picture_with_no_area_cannot_be_fitted():
    with pytest.raises(ValueError, match="positive"):
        fit(0, 10, 480)


def test_decoding_is_refused_above_the_pixel_bound():
    assert source_acceptable(6000, 6000)
    assert not source_acceptable(10_000, 10_000)
    assert not source_acceptable(0, 10)


@given(st.integers(1, 100_000), st.integers(1, 100_000), st.integers(1, 2000))
def test_a_fitted_preview_is_within_bounds_and_keeps_its_shape(width, height, side):
    w, h = fit(width, height, side)
    assert 1 <= w <= max(side, 1)
    assert 1 <= h <= max(side, 1)
    assert w <= width
    assert h <= height
