# vitrina — the two commands: `make run` (embedded, no services) and `make test` (everything).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ARGS ?=
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: run test test-unit test-integration lint typecheck services-up services-down services-status clean
.PHONY: airflow airflow-venv airflow-down airflow-status spark spark-jars warm

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e ".[local]"
	$(MAKE) --no-print-directory warm
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e ".[dev]"
	touch $@ $(VENV)/.installed-run

## Once per install: a two-hour tiny run in a scratch folder compiles the numba kernels and
## parses the dbt project into their caches, so the first `make run` does not pay for them.
warm: $(BIN)/activate
	@echo "compiling the kernels and parsing the dbt project once (about a minute)"
	@tmp=$$(mktemp -d) && $(BIN)/vitrina --data-dir $$tmp run --scale tiny --duration 2h \
		--start 2026-11-01T00:00:00Z > $(VENV)/warm.log 2>&1; rc=$$?; rm -rf $$tmp; \
		if [ $$rc -ne 0 ]; then tail -20 $(VENV)/warm.log; fi; exit $$rc

## The main job on embedded engines: simulate -> stream -> ingest -> transform -> publish.
run: $(VENV)/.installed-run
	$(BIN)/vitrina run $(ARGS)

## Everything: services up, the whole pytest suite (unit + integration), ruff and mypy.
## The services, the Airflow venv, ruff and mypy run side by side (downloads and builds
## overlap), then pytest; --durations lists the slowest tests in every log.
test: $(VENV)/.installed-dev
	$(MAKE) --no-print-directory -j4 services-up airflow-venv spark-jars lint typecheck
	$(BIN)/pytest -q tests --durations=30

## Unit tests only: leaves out every service (tests/integration is not collected).
test-unit: $(VENV)/.installed-dev
	@echo "test-unit: services left out on purpose: tests/integration (PostgreSQL, MariaDB, Redis, Kafka, Neo4j, MinIO) is not run"
	$(BIN)/pytest -q tests/unit

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

## Real services (infra/services.sh): the readiness probes use the venv's clients.
services-up: $(VENV)/.installed-dev
	bash infra/services.sh up

services-down:
	bash infra/services.sh down

services-status:
	bash infra/services.sh status

## The Spark jobs' jars (Kafka connector, JDBC drivers) into ~/.cache/vitrina/spark-jars ahead of
## the tests; a Maven repository of its own, so it can run beside the services' Maven installs.
spark-jars: $(VENV)/.installed-dev
	MAVEN_OPTS="-Dmaven.repo.local=$(HOME)/.m2/vitrina-spark-jars" $(BIN)/python -m vitrina.spark.jars >/dev/null

## Spark standalone cluster alone (a master and two workers, spark://127.0.0.1:7077; also in services-up).
spark: $(VENV)/.installed-dev
	bash infra/services.sh up spark

clean:
	rm -rf data .pytest_cache .mypy_cache .ruff_cache src/vitrina/__pycache__/numba-*

## Airflow 3 in its own virtual environment (its pins are its own), with vitrina installed into it.
AIRFLOW_VENV ?= .venv-airflow

$(AIRFLOW_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(AIRFLOW_VENV)
	$(AIRFLOW_VENV)/bin/pip install -q --upgrade pip
	$(AIRFLOW_VENV)/bin/pip install -q -e ".[airflow,stack,spark]"
	# The Spark provider's pyspark-client overwrites part of pyspark's modules: pyspark again, whole.
	$(AIRFLOW_VENV)/bin/pip install -q --force-reinstall --no-deps "pyspark>=3.5,<5"
	touch $@

airflow-venv: $(AIRFLOW_VENV)/.installed

## Airflow on 127.0.0.1 (api-server, scheduler, dag-processor, triggerer); the UI's URL is printed.
airflow: airflow-venv $(VENV)/.installed-dev
	bash infra/services.sh up postgres
	VITRINA_AIRFLOW_VENV=$(abspath $(AIRFLOW_VENV)) bash infra/services/airflow.sh up

airflow-down:
	bash infra/services/airflow.sh down

airflow-status:
	bash infra/services/airflow.sh status
