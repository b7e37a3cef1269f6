# make run   : install into .venv, build the demo company if missing, start the app
# make test  : install (with Debian's chromium for browser tests) and run every test
# make bench : benchmark against a bare DuckDB baseline in the same run
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
DB     := data/kam.duckdb
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench demo install install-dev chromium clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(DB): | $(VENV)/.installed
	$(PY) -m kam demo --db $(DB)

demo: $(VENV)/.installed
	rm -f $(DB) $(DB).wal
	$(PY) -m kam demo --db $(DB)

run: $(VENV)/.installed $(DB)
	$(VENV)/bin/streamlit run app.py

chromium:
	@test -x /usr/bin/chromium && fc-list :lang=zh | grep -q . || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk; }

test: $(VENV)/.installed-dev chromium
	$(PY) -m pytest

bench: $(VENV)/.installed-dev
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache
