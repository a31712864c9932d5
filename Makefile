# Two commands a person needs: `make demo` and `make test`. Both set up what they need first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup demo test test-fast serve reliability bench check-ui clean

setup: $(STAMP)
	@$(PY) -m mastomove.agent.provision

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "mastomove needs Python 3.11 or newer")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

demo: setup
	@$(VENV)/bin/mastomove demo

test: setup
	@$(PY) -m pytest $(PYTEST_ARGS)

# Unit and integration tests (pages and steps against tiny local sites in Chromium); no whole-agent
# runs (e2e, reliability, check-ui) and not the fixture servers' own suite: about 85 s on 2 cores.
test-fast: setup
	@$(PY) -m pytest -m "not slow and not e2e" $(PYTEST_ARGS)

reliability: setup
	@$(PY) tests/reliability/report.py

bench: setup
	@$(PY) -m bench

check-ui: setup
	@$(VENV)/bin/mastomove check-ui $(CHECK_ARGS)

serve: setup
	@$(PY) -m mastomove.fixtures serve

clean:
	rm -rf $(VENV) runs test-results check-ui-results .pytest_cache
