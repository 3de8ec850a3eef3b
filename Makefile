# Two commands a newcomer needs: `make book` and `make test`. Everything else is listed by `make help`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Sphinx flags: warnings are errors (-W), nitpicky references (-n), report all before failing.
BOOK_FLAGS := --warningiserror --nitpick --keep-going
ARGS ?=

# Where the publishers' raw files are (see alliance/extracts.py for their download addresses).
RAW ?= ../shared/data

PDF := _build/latex/alliance-report.pdf

.PHONY: help setup validate update check book pdf test lint clean extracts system-deps bench edition

help:
	@echo "make book      set up .venv, validate data, build the HTML into _build/html"
	@echo "make test      set up .venv, then every test (lint, unit, data, notebooks, built site)"
	@echo "make update    validate, then re-execute chapters whose inputs changed (ARGS=--all for every one)"
	@echo "make validate  validate data/ against data/datapackage.json"
	@echo "make check     list chapters whose stored outputs are stale"
	@echo "make pdf       the whole book as one PDF (needs scripts/install-system-deps.sh once)"
	@echo "make extracts  remake data/sipri_milex.csv and data/us_troops.csv from the raw files in RAW=$(RAW)"
	@echo "make edition   record the data baseline of the edition in CITATION.cff (once per release)"
	@echo "make bench     benchmarks (update, build, page weight, rendering) into BENCHMARKS.md"
	@echo "make clean     remove _build and generated files"

$(STAMP): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (Python 3.11) on PATH"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

setup: $(STAMP)

validate: $(STAMP)
	$(BIN)/python -m alliance.validate

update: validate
	$(BIN)/python -m alliance.execute --validate-first $(ARGS)

check: $(STAMP)
	$(BIN)/python -m alliance.execute --check

# The book renders stored outputs; it refuses stale or failed notebooks and invalid data.
book: validate check
	$(BIN)/python -m alliance.site
	$(BIN)/jupyter-book build . $(BOOK_FLAGS)
	@# An incremental build with no page out of date skips copying static files: copy ours.
	cp assets/*.* _generated/static/* _build/html/_static/
	@# The site offers the PDF edition when one has been built (make pdf).
	@if [ -f $(PDF) ]; then cp $(PDF) _build/html/alliance-report.pdf; echo "PDF edition copied into the site"; fi

# The PDF edition through Sphinx's LaTeX builder and xelatex (latexmk), from the same stored outputs.
pdf: validate check
	@command -v xelatex >/dev/null || { echo "xelatex not found: run scripts/install-system-deps.sh"; exit 1; }
	$(BIN)/python -m alliance.site
	$(BIN)/jupyter-book build . --builder pdflatex $(BOOK_FLAGS)
	@test -f $(PDF) && echo "PDF: $(PDF)"

# Speed and size measurements with targets, written to BENCHMARKS.md (not part of make test).
bench: validate
	$(BIN)/python bench/run.py

# A release step: the baseline later editions are compared with (see README, "Editions").
edition: validate
	$(BIN)/python -m alliance.changes record

system-deps:
	bash scripts/install-system-deps.sh

test: validate
	$(BIN)/ruff check alliance tests bench
	$(BIN)/python -m pytest tests --ignore=tests/test_site.py --ignore=tests/test_pdf.py --ignore=tests/test_browser.py --ignore=tests/test_hostile.py --ignore=tests/test_edition_site.py
	$(BIN)/python -m pytest --nbval chapters --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider
	$(MAKE) pdf
	$(MAKE) book
	$(BIN)/python -m pytest tests/test_site.py tests/test_edition_site.py tests/test_pdf.py tests/test_browser.py tests/test_hostile.py

extracts: $(STAMP)
	$(BIN)/python -m alliance.extracts sipri $(RAW)/SIPRI-Milex-data-1948-2023.xlsx
	$(BIN)/python -m alliance.extracts troops $(RAW)/us_troops_country_year.csv
	$(MAKE) validate

lint: $(STAMP)
	$(BIN)/ruff check alliance tests bench

clean:
	rm -rf _build _generated
