#!/usr/bin/env bash
# A Spark standalone cluster in one process group: the master and SPARK_WORKERS workers, from
# pyspark's own jars. infra/services/spark.sh starts this script and records its PID; SIGTERM
# stops the workers, then the master, each by its own PID.
set -uo pipefail
: "${SPARK_HOME:?}" "${SPARK_MASTER_PORT:?}" "${SPARK_MASTER_WEBUI_PORT:?}" "${SPARK_WORKERS:?}"
host=${SPARK_LOCAL_IP:-127.0.0.1}
pids=()

stop() {
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null; done
  for i in "${pids[@]}"; do wait "$i" 2>/dev/null; done
  exit 0
}
trap stop TERM INT

"$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master --host "$host" \
  --port "$SPARK_MASTER_PORT" --webui-port "$SPARK_MASTER_WEBUI_PORT" &
pids+=($!)
for ((w = 1; w <= SPARK_WORKERS; w++)); do
  "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker --host "$host" \
    --webui-port $((SPARK_MASTER_WEBUI_PORT + w)) --cores "${SPARK_WORKER_CORES:-1}" \
    --memory "${SPARK_WORKER_MEMORY:-1g}" --work-dir "$SPARK_WORK_DIR/worker-$w" \
    "spark://$host:$SPARK_MASTER_PORT" &
  pids+=($!)
done
# Any of them exiting ends the cluster: infra/services.sh then sees it down and starts it again.
wait -n
stop
