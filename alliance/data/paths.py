"""Paths resolved from the package location, never from the working directory."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
DATAPACKAGE = DATA_DIR / "datapackage.json"
CHAPTERS_DIR = ROOT / "chapters"
PACKAGE_DIR = ROOT / "alliance"
# Files made at build time (bibliography, Vega bundle); ignored by git.
GENERATED_DIR = ROOT / "_generated"
BUILD_DIR = ROOT / "_build"
