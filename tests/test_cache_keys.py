"""The cache's small pure parts: what turns it off, what counts as plain data (anything else is a
miss), and what a run's key depends on (its label, the program and every part, in order)."""

from __future__ import annotations

import marshal

import pytest

from ngocoord.load import cache


@pytest.mark.parametrize("value, on", [(None, True), ("", True), ("0", True), ("1", False), ("yes", False)])
def test_no_cache_is_off_only_when_unset_empty_or_zero(monkeypatch, value, on):
    if value is None:
        monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    else:
        monkeypatch.setenv(cache.NO_CACHE_ENV, value)
    assert cache.enabled() is on
    assert (cache.store() is not None) is on


@pytest.mark.parametrize("value", [
    {"id": "act-1", "n": 3, "x": 1.5, "ok": True, "none": None, "list": [1, ["a", {"b": (2, 3)}]]},
    [], {}, (), "text", 0, None, {1: "number keys", None: "and None", True: "and booleans"},
])
def test_plain_data_is_plain(value):
    assert cache.is_plain(value) is True
    assert cache.loads(marshal.dumps(value)) == value


@pytest.mark.parametrize("value", [
    {1, 2}, frozenset({1}), b"bytes", bytearray(b"x"), 1j, compile("1", "x", "eval"), Ellipsis,
    {"id": {1, 2}}, [1, [2, [b"deep"]]], ("a", ("b", {3})),
    {(1, 2): "a tuple key"}, {b"k": "a bytes key"}, {frozenset(): 1},
    {"a": [1, 2], "b": {"c": b"late"}},
])
def test_anything_else_is_not_plain_and_is_a_miss(value):
    assert cache.is_plain(value) is False
    assert cache.loads(marshal.dumps(value)) is None


def test_only_bytes_are_read_as_entries():
    assert cache.loads(marshal.dumps("x")) == "x"
    assert cache.loads(memoryview(marshal.dumps([1]))) == [1]
    assert cache.loads("x") is None
    assert cache.loads(None) is None


def test_a_value_marshal_cannot_store_is_not_stored():
    assert cache.dumps(object()) is None
    assert cache.dumps({"a": [1]}) == marshal.dumps({"a": [1]})


def test_a_runs_key_depends_on_its_label_the_program_and_each_part_in_order(monkeypatch):
    key = cache.combined_key("lint", ["2026-07-01", "*", b"\x01" * 20])
    assert len(key) == 20
    assert key == cache.combined_key("lint", ["2026-07-01", "*", b"\x01" * 20])
    assert key != cache.combined_key("fmt", ["2026-07-01", "*", b"\x01" * 20])
    assert key != cache.combined_key("lint", ["*", "2026-07-01", b"\x01" * 20])
    assert key != cache.combined_key("lint", ["2026-07-01*", "", b"\x01" * 20])
    assert cache.combined_key("lint", ["a\udcff"]) != cache.combined_key("lint", ["a\udcfe"])  # a name that is not UTF-8
    monkeypatch.setattr(cache, "fingerprint", lambda: b"another version!")
    assert key != cache.combined_key("lint", ["2026-07-01", "*", b"\x01" * 20])


def test_a_files_key_depends_on_its_bytes_its_kind_and_the_program(monkeypatch):
    key = cache.file_key(b"id: act-1\n", "activity")
    assert len(key) == 20
    assert key != cache.file_key(b"id: act-2\n", "activity")
    assert key != cache.file_key(b"id: act-1\n", "organization")
    assert key != cache.combined_key("activity", [b"id: act-1\n"])
    monkeypatch.setattr(cache, "fingerprint", lambda: b"another version!")
    assert key != cache.file_key(b"id: act-1\n", "activity")
