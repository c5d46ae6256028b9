# cloudaudit.aws: developer entry points. Every target installs what it needs.
#   make demo   - the emulator, a demo organization, converge + drift check
#   make test   - unit, emulator, integration, sanity and lint tests
#   make docs   - the docs site (build/docs/html/index.html) and its browser screenshot test
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
JOBS ?= 2

.PHONY: venv test unit integration sanity demo bench docs clean

venv:
	@scripts/bootstrap-venv

test: venv
	$(PY) -m pytest -n $(JOBS) --dist loadgroup --durations=15 tests

unit: venv
	$(PY) -m pytest -q tests/unit tests/emulator

integration: venv
	$(PY) -m pytest -n $(JOBS) tests/integration

sanity: venv
	$(PY) -m pytest tests/sanity

demo: venv
	$(PY) -m tests.demo

bench: venv
	$(PY) -m bench

docs: venv
	$(PY) scripts/build-docs build/docs
	CLOUDAUDIT_DOCS_SITE=build/docs/html CLOUDAUDIT_DOCS_SCREENSHOTS=build/docs/screenshots $(PY) -m pytest -q -p no:xdist tests/sanity/test_docs_site.py

clean:
	rm -rf $(VENV) tests/output build reports bench/results .pytest_cache
