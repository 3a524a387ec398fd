# Two commands: `make run` and `make test`. Each sets up what it needs first.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
SOURCES = pyproject.toml $(shell find quota scenarios -type f -not -name '*.pyc' 2>/dev/null)
# A second interpreter (Python >= 3.12, where pip resolves PuLP 4), if this machine has one.
PY_NEXT ?= $(shell for p in $$HOME/.pyenv/versions/3.13*/bin/python $$HOME/.pyenv/versions/3.12*/bin/python \
                 $$(command -v python3.13) $$(command -v python3.12); do \
              if [ -x "$$p" ] && "$$p" -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then echo $$p; break; fi; \
              done)
PYTEST_ARGS ?=

.PHONY: run test test-main test-next clean

run: $(VENV)/.installed
	$(VENV)/bin/quota run --out runs/default --force

test: test-main test-next

test-main: $(VENV)/.installed-test
	$(PY) -m pytest $(PYTEST_ARGS)

test-next:
ifneq ($(strip $(PY_NEXT)),)
	$(MAKE) --no-print-directory VENV=.venv-next PYTHON=$(PY_NEXT) test-main
else
	@echo "no Python >= 3.12 found: tests ran under $$($(PY) --version) only"
endif

# A plain (non-editable) install, so the bundled scenario is found the way users get it.
$(VENV)/.installed: $(SOURCES)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check .
	touch $@

$(VENV)/.installed-test: $(SOURCES)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check '.[test]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf .venv .venv-next build *.egg-info runs
