"""The wheel carries every subpackage under the one import root, with its data files."""
from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile

import pytest

from tests.shared import PROJECT

CONFIG = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
# package → folder, e.g. dutygraph.queries → docs/queries
MAPPED = {package: folder for package, folder in CONFIG["tool"]["setuptools"]["package-dir"].items()
          if package != "dutygraph"}


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(PROJECT)],
        check=True,
    )
    (wheel,) = out.glob("dutygraph-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def source_packages() -> set[str]:
    """Every folder with an __init__.py in the project's mapped folders, as a dotted name."""
    packages = {"dutygraph"}
    for init in (PROJECT / "dutygraph").rglob("__init__.py"):
        packages.add(".".join(init.parent.relative_to(PROJECT).parts))
    for package, folder in MAPPED.items():
        for init in (PROJECT / folder).rglob("__init__.py"):
            packages.add(".".join((package, *init.parent.relative_to(PROJECT / folder).parts)))
    return packages


def test_every_subpackage_is_in_the_wheel(wheel_names):
    for package in source_packages():
        assert package.replace(".", "/") + "/__init__.py" in wheel_names, package


def test_no_generic_top_level_names_in_the_wheel(wheel_names):
    top = {name.split("/")[0] for name in wheel_names if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"dutygraph"}


def test_data_files_ship_with_the_wheel(wheel_names):
    for folder in ("ontology", "shapes"):
        for ttl in (PROJECT / folder).glob("*.ttl"):
            assert f"dutygraph/{folder}/{ttl.name}" in wheel_names, ttl
    for data in (PROJECT / "extract" / "data").glob("*"):
        assert f"dutygraph/extract/data/{data.name}" in wheel_names, data
    for query in (PROJECT / "docs" / "queries").glob("*.rq"):  # the query page offers them
        assert f"dutygraph/queries/{query.name}" in wheel_names, query


def data_packages() -> set[str]:
    """Folders of data files (no __init__.py) inside the mapped folders, as dotted names: setuptools
    ships their files only when they are listed as packages, and warns otherwise."""
    packages = set()
    for package, folder in MAPPED.items():
        for sub in (PROJECT / folder).rglob("*"):
            if (sub.is_dir() and sub.name != "__pycache__" and not (sub / "__init__.py").exists()
                    and any(path.is_file() for path in sub.iterdir())):
                packages.add(".".join((package, *sub.relative_to(PROJECT / folder).parts)))
    return packages


def test_pyproject_lists_every_package():
    assert set(CONFIG["tool"]["setuptools"]["packages"]) == source_packages() | data_packages()


def test_building_prints_no_warning_about_our_configuration(tmp_path):
    """What `make run` shows on install: setuptools must find nothing to warn about in pyproject.toml
    (licence, packages, data folders). Lower-case `warning:` lines are about the environment (no
    byte-compiling), not the configuration."""
    output = ""
    for hook in ("build_sdist", "build_wheel"):  # one process each: in one, the second builds in the tree
        code = f"from setuptools import build_meta; import sys; print(build_meta.{hook}(sys.argv[1]))"
        done = subprocess.run([sys.executable, "-W", "always", "-c", code, str(tmp_path)], cwd=PROJECT,
                              capture_output=True, text=True, check=True)
        output += done.stdout + done.stderr
    assert not re.findall(r"\w+Warning\b.*", output)
    (sdist,) = tmp_path.glob("dutygraph-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    shipped = [path for folder in ("api/static", "api/templates", "extract/data", "docs/queries")
               for path in (PROJECT / folder).rglob("*") if path.is_file()]
    assert all(str(path.relative_to(PROJECT)) in names for path in shipped)
