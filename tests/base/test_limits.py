"""Bounded reads: a pipe, a device, a folder or an outsized file is refused before it is read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qualcode.base.limits import FileTooLarge, NotRegularFile, check_file, read_limited


def test_a_regular_file_within_its_limit_is_read(tmp_path):
    (tmp_path / "a").write_bytes(b"12345")
    assert read_limited(tmp_path / "a", 5) == b"12345"
    assert check_file(tmp_path / "a", 5) == 5


def test_an_outsized_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big"
    with big.open("wb") as handle:
        handle.truncate(10**12)  # a terabyte, sparse: reading it would never end
    with pytest.raises(FileTooLarge) as caught:
        read_limited(big, 1000)
    assert caught.value.size == 10**12 and caught.value.limit == 1000 and "too large" in caught.value.strerror


@pytest.mark.parametrize("kind", ["pipe", "device", "folder"])
def test_what_is_not_a_regular_file_is_refused_without_blocking(tmp_path, kind):
    path = {"pipe": tmp_path / "fifo", "device": Path("/dev/zero"), "folder": tmp_path}[kind]
    if kind == "pipe":
        os.mkfifo(path)  # nobody writes: opening it to read would block for ever
    with pytest.raises(NotRegularFile) as caught:
        read_limited(path)
    assert f"not a regular file but a {kind}" in caught.value.strerror
