#!/usr/bin/env bash
# Airflow 3 natively on 127.0.0.1 (no Docker): api-server, scheduler, dag-processor, triggerer
# with the LocalExecutor, the metadata database `airflow` in infra/'s PostgreSQL, DAGs from dags/.
#   bash infra/services/airflow.sh up       create the database, migrate it, start, wait for health
#   bash infra/services/airflow.sh down     stop the four processes by PID
#   bash infra/services/airflow.sh status   one line per process, then the UI's URL; exit 0 if all up
#   bash infra/services/airflow.sh env      the AIRFLOW__* settings used (secrets left out)
#   bash infra/services/airflow.sh connections   the connections generated from the profile
#                                                (ids and URLs, passwords masked)
# Needs .venv-airflow (`make airflow-venv`) and PostgreSQL (`bash infra/services.sh up postgres`).
# See docs/orchestration.md.
set -euo pipefail

INFRA_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../lib/common.sh
source "$INFRA_DIR/lib/common.sh"

# Airflow's own run folder may differ from the other services' (VITRINA_RUN_DIR).
RUN_DIR=${VITRINA_AIRFLOW_RUN_DIR:-$RUN_DIR}
AIRFLOW_VENV=${VITRINA_AIRFLOW_VENV:-$ROOT_DIR/.venv-airflow}
# Not 8080/8081 (Spark's UIs), 8793/8794 (Airflow's own log servers for tasks and triggers).
AIRFLOW_PORT=${VITRINA_AIRFLOW_PORT:-8780}
AIRFLOW_DB=${VITRINA_AIRFLOW_DB:-airflow}
# Two cores: two task processes at once (the jobs are CPU-bound: DuckDB, dbt, polars).
AIRFLOW_PARALLELISM=${VITRINA_AIRFLOW_PARALLELISM:-2}
COMPONENTS=(api-server scheduler dag-processor triggerer)
for _c in "${COMPONENTS[@]}"; do PROC_MATCH[airflow-$_c]="airflow $_c"; done
PROC_MATCH[airflow-api-server]="airflow api" # it renames itself "airflow api_server -- host:..."

home_dir() { printf '%s/airflow/home' "$RUN_DIR"; }

# A secret generated once per run folder (mode 600), shared by the four processes: tokens the
# api-server signs must verify in the scheduler, connections must decrypt in every process.
secret_file() {
  local file
  file="$(home_dir)/$1"
  if [[ ! -s $file ]]; then
    mkdir -p "$(home_dir)"
    (umask 077 && "$AIRFLOW_VENV/bin/python" -c "$2" >"$file")
  fi
  printf '%s' "$file"
}

airflow_env() {
  export AIRFLOW_HOME
  AIRFLOW_HOME=$(home_dir)
  export PATH="$AIRFLOW_VENV/bin:$PATH"
  export AIRFLOW__CORE__DAGS_FOLDER="$ROOT_DIR/dags"
  export AIRFLOW__CORE__LOAD_EXAMPLES=False
  export AIRFLOW__CORE__EXECUTOR=LocalExecutor
  # One parser, one api-server worker: the rest of the two cores is for the tasks.
  export AIRFLOW__CORE__PARALLELISM=$AIRFLOW_PARALLELISM
  export AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG=$AIRFLOW_PARALLELISM
  export AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES=1
  export AIRFLOW__API__WORKERS=1
  export AIRFLOW__API__HOST=$HOST
  export AIRFLOW__API__PORT=$AIRFLOW_PORT
  export AIRFLOW__API__BASE_URL="http://$HOST:$AIRFLOW_PORT"
  export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://$HOST:$AIRFLOW_PORT/execution/"
  export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="postgresql+psycopg://vitrina:vitrina@$HOST:$POSTGRES_PORT/$AIRFLOW_DB"
  # psycopg 3 (already in vitrina[postgres]) for the async engine too, instead of asyncpg.
  export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC="postgresql+psycopg_async://vitrina:vitrina@$HOST:$POSTGRES_PORT/$AIRFLOW_DB"
  # The UI listens on 127.0.0.1 only: every visitor is an admin, no password to hand out.
  export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS=True
  export AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT=${VITRINA_AIRFLOW_LOG_PORT:-8793}
  export AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT=${VITRINA_AIRFLOW_TRIGGER_LOG_PORT:-8794}
  # The tasks run vitrina on the stack profile unless the caller chose one.
  export VITRINA_PROFILE=${VITRINA_PROFILE:-stack}
  export PYTHONPATH="$ROOT_DIR/dags${PYTHONPATH:+:$PYTHONPATH}"
  AIRFLOW__API_AUTH__JWT_SECRET=$(cat "$(secret_file jwt_secret 'import secrets; print(secrets.token_urlsafe(32))')")
  AIRFLOW__CORE__FERNET_KEY=$(cat "$(secret_file fernet_key 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')")
  export AIRFLOW__API_AUTH__JWT_SECRET AIRFLOW__CORE__FERNET_KEY
  load_connections
}

# The profile's backends and the alert secrets as AIRFLOW_CONN_* variables: written by vitrina
# to a file of mode 600 and sourced here, so no secret is on a command line or printed.
load_connections() {
  local file
  file="$(home_dir)/connections.env"
  mkdir -p "$(home_dir)"
  "$AIRFLOW_VENV/bin/python" -m vitrina.airflow.connections --write "$file" \
    || die "airflow: cannot generate the connections from the vitrina profile"
  set -a
  # shellcheck disable=SC1090
  source "$file"
  set +a
}

create_database() {
  "$AIRFLOW_VENV/bin/python" - "$HOST" "$POSTGRES_PORT" "$AIRFLOW_DB" <<'PY'
import sys
import psycopg
host, port, name = sys.argv[1], sys.argv[2], sys.argv[3]
with psycopg.connect(host=host, port=port, user="vitrina", password="vitrina",
                     dbname="postgres", autocommit=True) as conn:
    if not conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
        conn.execute(f'create database "{name}" owner vitrina')
PY
}

healthy() {
  "$AIRFLOW_VENV/bin/python" - "http://$HOST:$AIRFLOW_PORT/api/v2/monitor/health" <<'PY'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
    health = json.load(r)
bad = {k: v.get("status") for k, v in health.items() if isinstance(v, dict) and v.get("status") not in ("healthy", None)}
sys.exit(1 if bad else 0)
PY
}

cmd_up() {
  [[ -x $AIRFLOW_VENV/bin/airflow ]] || die "airflow: no $AIRFLOW_VENV/bin/airflow (run make airflow-venv)"
  port_busy "$POSTGRES_PORT" || die "airflow: PostgreSQL is not answering on $HOST:$POSTGRES_PORT (bash infra/services.sh up postgres)"
  airflow_env
  create_database
  log "airflow: migrating the metadata database $AIRFLOW_DB"
  airflow db migrate >>"$(log_file airflow)" 2>&1 || die "airflow: db migrate failed, see $(log_file airflow)"
  local c started=0
  for c in "${COMPONENTS[@]}"; do
    if live_pid "airflow-$c" >/dev/null; then continue; fi
    if [[ $c == api-server ]] && port_busy "$AIRFLOW_PORT"; then
      die "airflow: port $AIRFLOW_PORT is taken by another process; set VITRINA_AIRFLOW_PORT"
    fi
    mkdir -p "$(svc_dir "airflow-$c")"
    spawn "airflow-$c" airflow "$c"
    started=1
  done
  ((started)) && log "airflow: started; waiting for http://$HOST:$AIRFLOW_PORT to be healthy"
  local start=$SECONDS
  until healthy >/dev/null 2>&1; do
    for c in "${COMPONENTS[@]}"; do
      live_pid "airflow-$c" >/dev/null || { tail -n 25 "$(log_file "airflow-$c")" >&2; die "airflow: $c exited during start"; }
    done
    ((SECONDS - start < START_TIMEOUT)) || die "airflow: not healthy after ${START_TIMEOUT}s"
    sleep 2
  done
  log "airflow: up, UI at http://$HOST:$AIRFLOW_PORT (DAGs from $ROOT_DIR/dags)"
}

cmd_down() {
  local c pid
  for c in "${COMPONENTS[@]}"; do
    pid=$(live_pid "airflow-$c") || continue
    kill -TERM "$pid" 2>/dev/null || true
  done
  for c in "${COMPONENTS[@]}"; do
    for _ in $(seq 1 60); do live_pid "airflow-$c" >/dev/null || break; sleep 0.5; done
    if pid=$(live_pid "airflow-$c"); then kill -KILL "$pid" 2>/dev/null || true; fi
    rm -f "$(pid_file "airflow-$c")"
  done
  log "airflow: down"
}

cmd_status() {
  local c pid rc=0
  for c in "${COMPONENTS[@]}"; do
    if pid=$(live_pid "airflow-$c"); then
      printf '%-22s up    pid %s\n' "airflow $c" "$pid"
    else
      printf '%-22s down\n' "airflow $c"
      rc=1
    fi
  done
  printf 'ui                     http://%s:%s\n' "$HOST" "$AIRFLOW_PORT"
  return $rc
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) airflow_env && env | grep '^AIRFLOW__' | grep -v -e JWT_SECRET -e FERNET_KEY | sort ;;
  connections) airflow_env && "$AIRFLOW_VENV/bin/python" -m vitrina.airflow.connections --list ;;
  *) die "usage: bash infra/services/airflow.sh up|down|status|env|connections" ;;
esac
