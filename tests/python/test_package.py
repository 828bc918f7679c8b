"""Packaging: version, stubs, typed marker, data files, exceptions."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import tomllib
from conftest import REPO

import missionkit as mk
from missionkit import _core


def test_version_is_consistent() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert mk.__version__ == pyproject["project"]["version"]
    cmake = (REPO / "CMakeLists.txt").read_text()
    assert re.search(rf"project\(missionkit VERSION {re.escape(mk.__version__)}\b", cmake)
    header = (REPO / "include/missionkit/version.hpp").read_text()
    assert f'#define MISSIONKIT_VERSION_STRING "{mk.__version__}"' in header


def test_typed_package_ships_stubs_and_marker() -> None:
    pkg = Path(mk.__file__).parent
    assert (pkg / "py.typed").is_file()
    assert (pkg / "_core.pyi").is_file()
    assert (pkg / "data" / "mission-spec.schema.json").is_file()


def test_stub_names_match_the_extension() -> None:
    stub = ast.parse((Path(mk.__file__).parent / "_core.pyi").read_text())
    stub_names = {n.name for n in stub.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    stub_names |= {
        t.target.id for t in stub.body if isinstance(t, ast.AnnAssign) and isinstance(t.target, ast.Name)
    }
    runtime = {n for n in dir(_core) if not n.startswith("_")}
    assert stub_names - {"__version__"} == runtime


def test_public_names_are_exported() -> None:
    for name in mk.__all__:
        assert hasattr(mk, name), name


def test_exceptions_are_value_errors() -> None:
    for exc in (mk.Error, mk.SpecError, mk.DataError, mk.DomainError):
        assert issubclass(exc, ValueError)
    assert issubclass(mk.SpecError, mk.Error)
