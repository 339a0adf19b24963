"""The per-installation salt: created once, kept, different per installation, and used by
the customer_key macro."""

import stat

import duckdb
import pytest

from assets.warehouse import prepare
from config.resources import RunPaths
from config.settings import Settings


def _key(salt: str, customer_id: str | None, email: str | None) -> str:
    con = duckdb.connect()
    prepare(con, Settings(), salt)
    return con.execute("select customer_key(?, ?)", [customer_id, email]).fetchall()[0][0]


def test_salt_is_created_once_and_kept(tmp_path):
    paths = RunPaths(data_dir=str(tmp_path / "data"))
    first = paths.salt()
    assert len(first) == 64 and int(first, 16) >= 0
    assert stat.S_IMODE(paths.salt_file.stat().st_mode) == 0o600
    assert RunPaths(data_dir=str(tmp_path / "data")).salt() == first


def test_installations_get_different_salts(tmp_path):
    assert (
        RunPaths(data_dir=str(tmp_path / "a")).salt()
        != RunPaths(data_dir=str(tmp_path / "b")).salt()
    )


def test_a_damaged_salt_file_is_an_error_naming_it(tmp_path):
    paths = RunPaths(data_dir=str(tmp_path))
    paths.salt_file.write_text("not hex\n")
    with pytest.raises(ValueError, match=str(paths.salt_file)):
        paths.salt()


def test_customer_key_is_stable_within_an_installation_and_differs_between_them(tmp_path):
    one = RunPaths(data_dir=str(tmp_path / "one")).salt()
    other = RunPaths(data_dir=str(tmp_path / "other")).salt()
    assert _key(one, "42", None) == _key(one, " 42 ", "x@example.com")
    assert _key(one, None, "Ann@Example.com ") == _key(one, "", "ann@example.com")
    assert _key(one, "42", None) != _key(other, "42", None)
    assert _key(one, "42", None) != _key(one, None, "42")
    # an unsalted hash of a guessed e-mail does not find the customer
    plain = duckdb.connect().execute("select sha256('email:ann@example.com')").fetchall()[0][0]
    assert _key(one, None, "ann@example.com") != plain
    assert _key(one, None, None) is None


def test_prepare_refuses_an_empty_salt():
    with pytest.raises(ValueError, match="salt"):
        prepare(duckdb.connect(), Settings(), "")
