# The two commands of the README: `make render` and `make test`.
# Each sets up what it needs on first use (Debian packages, then .venv with the
# project installed editable) and is quick when everything is already there.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
APT_PACKAGES := libcairo2-dev libpango1.0-dev pkg-config texlive-latex-base texlive-latex-extra dvisvgm fonts-noto-cjk
QUALITY ?=
SCENE ?=
ARGS ?=

.PHONY: render test explore lint preview list sysdeps setup clean

render: setup
	$(PY) render.py render $(if $(QUALITY),-q $(QUALITY)) $(ARGS)

test: setup
	$(PY) -m ruff check .
	$(PY) -m pytest $(ARGS)

# Property tests with fresh random draws, ten times as many (the default run repeats its draws).
explore: setup
	HYPOTHESIS_PROFILE=explore $(PY) -m pytest -q -m "not slow" -p no:cacheprovider \
	  $$(grep -rl "@given" tests) $(ARGS)

lint: setup
	$(PY) -m ruff check .

list: setup
	$(PY) render.py list

preview: setup
	@if [ -z "$(SCENE)" ]; then echo "usage: make preview SCENE=<scene id or class name>  (see: make list)"; exit 2; fi
	$(PY) render.py preview $(SCENE) $(ARGS)

setup: sysdeps $(STAMP)

# Install the Debian packages that are missing, and only those.
sysdeps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then echo "installing:$$missing"; bash -c "$$cmd"; \
	  elif command -v sudo >/dev/null 2>&1; then echo "installing with sudo:$$missing"; sudo bash -c "$$cmd"; \
	  else echo "Missing Debian packages:$$missing"; echo "Run as root: $$cmd"; exit 1; fi; \
	fi

# (Re)install the project editable whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf build media .pytest_cache
