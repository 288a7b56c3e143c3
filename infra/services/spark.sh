# Spark standalone cluster (a master and two workers) from pyspark's own jars, Java 17.
# One supervising process (infra/spark/cluster.sh) holds the PID; SIGTERM stops the workers and
# the master. Ready when every worker has registered with the master (its JSON at /json).
SPARK_MASTER_PORT=${VITRINA_SPARK_MASTER_PORT:-7077}
# 8790+: clear of Airflow's UI (8780); the workers' UIs take the next ports (8791, 8792).
SPARK_UI_PORT=${VITRINA_SPARK_UI_PORT:-8790}
SPARK_WORKERS=${VITRINA_SPARK_WORKERS:-2}
SPARK_WORKER_MEMORY=${VITRINA_SPARK_WORKER_MEMORY:-1g}
SERVICE_PORTS[spark]="SPARK_MASTER_PORT SPARK_UI_PORT"
PROC_MATCH[spark]=spark/cluster.sh

_spark_home() {
  "$(python_bin)" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))' 2>/dev/null
}

svc_spark_install() {
  need_cmd java "Java 17 runs Spark"
  [[ -n $(_spark_home) ]] || die "pyspark is not installed in $(python_bin) (pip extra: vitrina[spark])"
}

svc_spark_start() {
  local dir home
  dir=$(svc_dir spark)
  home=$(_spark_home)
  mkdir -p "$dir/work"
  # Daemons stay small: executors get the worker's memory, the daemons need little.
  spawn spark env SPARK_HOME="$home" SPARK_MASTER_PORT="$SPARK_MASTER_PORT" \
    SPARK_MASTER_WEBUI_PORT="$SPARK_UI_PORT" SPARK_WORKERS="$SPARK_WORKERS" \
    SPARK_WORKER_MEMORY="$SPARK_WORKER_MEMORY" SPARK_WORKER_CORES=1 SPARK_WORK_DIR="$dir/work" \
    SPARK_LOCAL_IP="$HOST" SPARK_DAEMON_MEMORY=256m SPARK_LOG_DIR="$dir" SPARK_NO_DAEMONIZE=1 \
    PYSPARK_PYTHON="$(python_bin)" bash "$INFRA_DIR/spark/cluster.sh"
}

# Ready = the master answers and lists SPARK_WORKERS workers ALIVE.
svc_spark_ready() {
  local alive
  alive=$(curl -fsS --max-time 2 "http://$HOST:$SPARK_UI_PORT/json/" 2>/dev/null |
    "$(python_bin)" -c 'import json, sys; print(json.load(sys.stdin).get("aliveworkers", 0))') || return 1
  ((alive >= SPARK_WORKERS))
}
svc_spark_setup() { :; }

svc_spark_version() { "$(python_bin)" -c 'import pyspark; print(pyspark.__version__)'; }
svc_spark_url() { printf 'spark://%s:%s' "$HOST" "$SPARK_MASTER_PORT"; }
svc_spark_note() { printf '(%s workers x %s, UI http://%s:%s)' "$SPARK_WORKERS" "$SPARK_WORKER_MEMORY" "$HOST" "$SPARK_UI_PORT"; }
svc_spark_info() { printf 'master=%s\nui=http://%s:%s\nworkers=%s\n' "$(svc_spark_url)" "$HOST" "$SPARK_UI_PORT" "$SPARK_WORKERS"; }
