# cloudaudit.aws: developer entry points. Every target installs what it needs.
#   make demo   - the emulator, a demo organization, converge + drift check
#   make test   - unit, emulator, integration, sanity and lint tests
#   make docs   - the docs site (build/docs/html/index.html) and its browser screenshot test
#   make test-min-ansible - a representative subset on the lowest ansible-core of meta/runtime.yml (.venv-min)
#   make galaxy-import    - galaxy-importer on the built tarball with its ansible-lint step too (slow)
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
JOBS ?= 2

.PHONY: venv venv-min test test-min-ansible galaxy-import unit integration sanity demo bench docs clean

venv:
	@scripts/bootstrap-venv

test: venv
	$(PY) -m pytest -n $(JOBS) --dist loadgroup --durations=15 tests

# The lowest ansible-core that meta/runtime.yml declares (min-ansible-requirements.txt), with the same boto3,
# moto and pytest: the unit tests, the in-process execution (plugin_utils, the resources action, both execution
# paths of every module) and the main modules' integration targets. Not part of `make test` (15 min on 2 shared cores).
MIN_PY := .venv-min/bin/python
MIN_TARGETS := s3_audit_bucket s3_audit_bucket_cloudtrail cloudtrail_trail cloudtrail_trail_selectors cloudtrail_kms_key \
	cloudtrail_log_group cloudtrail_organization cloudtrail_lake_store account_role
MIN_TESTS := tests/unit tests/integration/test_execution_paths.py tests/integration/test_resources_action.py \
	$(foreach t,$(MIN_TARGETS),tests/integration/test_targets.py::test_target[$(t)])

venv-min:
	@scripts/bootstrap-venv-min

test-min-ansible: venv-min
	@$(MIN_PY) -c 'from ansible.release import __version__; print("ansible-core", __version__)'
	$(MIN_PY) -m pytest -n $(JOBS) --dist loadgroup $(MIN_TESTS)

galaxy-import: venv
	CLOUDAUDIT_IMPORTER_LINT=1 $(PY) -m pytest -p no:xdist -q tests/sanity/test_galaxy_importer.py

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
	rm -rf $(VENV) .venv-min tests/output build reports bench/results .pytest_cache
