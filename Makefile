# Two commands set up a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate demo serve lint bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

migrate: install
	$(BIN)/motcua migrate --noinput -v0

demo: migrate
	$(BIN)/motcua demo load

serve:
	$(BIN)/motcua runserver $(HOST):$(PORT)

run: demo
	@echo "Serving http://$(HOST):$(PORT) (stop with Ctrl+C)"
	$(BIN)/motcua runserver --noreload $(HOST):$(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check --no-cache src tests bench

test: $(VENV)/.installed-test node_modules/.installed lint
	$(BIN)/pytest $(PYTEST_ARGS)

# The statistics at a million dossiers: python -m bench reports --dossiers 1000000
bench: $(VENV)/.installed-test
	$(BIN)/python -m bench
	$(BIN)/python -m bench reports --dossiers $(or $(BENCH_DOSSIERS),20000)

messages: install
	cd src/motcua && ../../$(BIN)/motcua makemessages -l vi --no-obsolete --add-location file \
	  && ../../$(BIN)/motcua compilemessages -l vi

clean:
	rm -rf $(VENV) node_modules var
