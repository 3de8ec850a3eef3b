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
# Tests that read the built site or PDF (or build a copy): they run after `make pdf` and `make book`.
BUILT_TESTS := tests/test_site.py tests/test_edition_site.py tests/test_reader_text.py tests/test_downloads.py \
	tests/test_pdf.py tests/test_browser.py tests/test_hostile.py tests/test_build.py tests/test_links.py

.PHONY: help setup validate update check book pdf test lint clean extracts system-deps bench edition

help:
	@echo "make book      set up .venv, validate data, build the HTML into _build/html"
	@echo "make test      set up .venv, then every test (lint, unit, data, notebooks, built site)"
	@echo "make update    validate, then re-execute chapters whose inputs changed (ARGS=--all for every one)"
	@echo "make validate  validate data/ against data/datapackage.json"
	@echo "make check     list chapters whose stored outputs are stale"
	@echo "make pdf       the whole book as one PDF (needs the system packages: make system-deps)"
	@echo "make system-deps  TeX, fonts, poppler and a browser for the PDF and browser tests (make test runs it)"
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
	cp -r assets/fonts _build/html/_static/
	@# The site offers the PDF edition only when it was built from the current sources.
	$(BIN)/python -m alliance.site --publish-pdf

# The PDF edition through Sphinx's LaTeX builder and xelatex (latexmk), from the same stored outputs.
pdf: validate check
	@command -v xelatex >/dev/null || { echo "xelatex not found: run make system-deps"; exit 1; }
	$(BIN)/python -m alliance.site
	$(BIN)/jupyter-book build . --builder pdflatex $(BOOK_FLAGS)
	@test -f $(PDF) && echo "PDF: $(PDF)"
	$(BIN)/python -m alliance.site --stamp-pdf

# Speed and size measurements with targets, written to BENCHMARKS.md (not part of make test).
bench: validate
	$(BIN)/python bench/run.py

# A release step: the baseline later editions are compared with (see README, "Editions").
edition: validate
	$(BIN)/python -m alliance.changes record

# System packages for the PDF and the browser tests: installed on Debian or Ubuntu (as root or
# with sudo), listed with how to get them elsewhere. `make test` runs it first.
system-deps: $(STAMP)
	bash scripts/install-system-deps.sh $(BIN)/python

test: validate system-deps
	$(BIN)/ruff check alliance tests bench
	$(BIN)/python -m pytest tests $(addprefix --ignore=,$(BUILT_TESTS))
	$(BIN)/python -m pytest --nbval chapters --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider
	$(MAKE) pdf
	$(MAKE) book
	$(BIN)/python -m pytest $(BUILT_TESTS)

extracts: $(STAMP)
	$(BIN)/python -m alliance.extracts sipri $(RAW)/SIPRI-Milex-data-1948-2023.xlsx
	$(BIN)/python -m alliance.extracts troops $(RAW)/us_troops_country_year.csv
	$(MAKE) validate

lint: $(STAMP)
	$(BIN)/ruff check alliance tests bench

clean:
	rm -rf _build _generated
