# Shared helpers for infra/services.sh: paths, ports, logging, PID files, waiting, apt and Python.
# Sourced (not executed). Every service file under infra/services/ defines the functions
#   svc_<name>_install  svc_<name>_start  svc_<name>_ready  svc_<name>_setup
#   svc_<name>_version  svc_<name>_url   and the variable  <NAME>_STOP_SIGNAL (optional).

INFRA_DIR=${INFRA_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
ROOT_DIR=$(cd "$INFRA_DIR/.." && pwd)
RUN_DIR=${VITRINA_RUN_DIR:-$INFRA_DIR/.run}
CACHE_DIR=${VITRINA_CACHE_DIR:-$INFRA_DIR/.cache}
HOST=127.0.0.1

# Ports (env overrides) and credentials, the defaults match the stack profile in vitrina.config.
POSTGRES_PORT=${VITRINA_POSTGRES_PORT:-5432}
MARIADB_PORT=${VITRINA_MARIADB_PORT:-3306}
REDIS_PORT=${VITRINA_REDIS_PORT:-6379}
KAFKA_PORT=${VITRINA_KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${VITRINA_KAFKA_CONTROLLER_PORT:-9093}
NEO4J_PORT=${VITRINA_NEO4J_PORT:-7687}
MINIO_PORT=${VITRINA_MINIO_PORT:-9000}
NEO4J_USER=neo4j
NEO4J_PASSWORD=${VITRINA_NEO4J_PASSWORD:-vitrina-neo4j}
NEO4J_AUTH=${VITRINA_NEO4J_AUTH:-true}
MINIO_USER=${VITRINA_MINIO_USER:-vitrina}
MINIO_PASSWORD=${VITRINA_MINIO_PASSWORD:-vitrina-minio}
MINIO_BUCKET=${VITRINA_MINIO_BUCKET:-vitrina}
START_TIMEOUT=${VITRINA_START_TIMEOUT:-300}

ALL_SERVICES=(postgres mariadb redis kafka neo4j minio)
# The port variables of each service (checked free before a start).
declare -A SERVICE_PORTS=([postgres]=POSTGRES_PORT [mariadb]=MARIADB_PORT [redis]=REDIS_PORT
  [kafka]="KAFKA_PORT KAFKA_CONTROLLER_PORT" [neo4j]=NEO4J_PORT [minio]=MINIO_PORT)
# A word of each server's command line (live_pid checks it against PID reuse).
declare -A PROC_MATCH=([postgres]=postgres [mariadb]=mariadbd [redis]=redis-server
  [kafka]=kafka.Kafka [neo4j]=VitrinaNeo4j [minio]=minio)

log() { printf '%s\n' "services: $*" >&2; }
die() { printf '%s\n' "services: ERROR: $*" >&2; exit 1; }

svc_dir() { printf '%s/%s' "$RUN_DIR" "$1"; }
pid_file() { printf '%s/%s/%s.pid' "$RUN_DIR" "$1" "$1"; }
log_file() { printf '%s/%s/%s.log' "$RUN_DIR" "$1" "$1"; }

# The PID recorded for a service when that process is alive, else nothing (and status 1).
live_pid() {
  local file pid
  file=$(pid_file "$1")
  [[ -s $file ]] || return 1
  pid=$(head -n1 "$file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # A zombie (killed, not yet reaped) is dead for our purposes.
  [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) != Z ]] || return 1
  # After a reboot the PID may belong to another program: check the command line.
  local want=${PROC_MATCH[$1]:-$1}
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$want" || return 1
  printf '%s' "$pid"
}

# RUN_AS: a command prefix running a program as an unprivileged OS user when we are root
# (postgres refuses root); setpriv execs in place so the PID stays the server's own PID.
run_as() {
  RUN_AS=()
  if [[ $(id -u) -eq 0 ]]; then
    RUN_AS=(setpriv "--reuid=$1" "--regid=$1" --init-groups --)
  fi
}

# Start a command detached (own session, stdout+stderr to the service log), record its PID.
spawn() {
  local name=$1
  shift
  local logf
  logf=$(log_file "$name")
  mkdir -p "$(svc_dir "$name")"
  printf '\n=== %s start %s\n' "$name" "$(date -u +%FT%TZ)" >>"$logf"
  # 9>&-: the server must not inherit infra/services.sh's lock (it would hold it forever).
  setsid "$@" >>"$logf" 2>&1 </dev/null 9>&- &
  printf '%s\n' "$!" >"$(pid_file "$name")"
}

# Wait until `svc_<name>_ready` succeeds, failing early when the process has died.
wait_ready() {
  local name=$1 timeout=${2:-$START_TIMEOUT} start=$SECONDS
  until "svc_${name}_ready" >/dev/null 2>&1; do
    if ! live_pid "$name" >/dev/null; then
      log "$name: the process exited during start; last lines of $(log_file "$name"):"
      tail -n 25 "$(log_file "$name")" >&2 || true
      return 1
    fi
    if ((SECONDS - start > timeout)); then
      log "$name: not answering after ${timeout}s; last lines of $(log_file "$name"):"
      tail -n 25 "$(log_file "$name")" >&2 || true
      return 1
    fi
    sleep 0.5
  done
}

# Is something (not ours) already listening on the port? Uses bash's /dev/tcp.
port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

_APT_UPDATED=0
# Install Debian packages that are missing (apt-get update once per run); never starts them.
apt_ensure() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "need root or sudo to install: ${missing[*]}"
    sudo=(sudo)
  fi
  log "installing Debian packages: ${missing[*]}"
  if ((!_APT_UPDATED)); then
    "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq || die "apt-get update failed"
    _APT_UPDATED=1
  fi
  # policy-rc.d answering 101 keeps the packages' own init scripts from starting a system server.
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    made_policy=1
  fi
  local rc=0
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends \
    "${missing[@]}" >&2 || rc=$?
  ((made_policy)) && "${sudo[@]}" rm -f "$policy"
  ((rc == 0)) || die "apt-get install ${missing[*]} failed (exit $rc)"
}

# The Python that has the project's clients (used for real round-trip readiness probes).
python_bin() {
  if [[ -n ${VITRINA_PYTHON:-} ]]; then
    printf '%s' "$VITRINA_PYTHON"
  elif [[ -x $ROOT_DIR/.venv/bin/python ]]; then
    printf '%s' "$ROOT_DIR/.venv/bin/python"
  else
    printf '%s' python3
  fi
}

probe() { "$(python_bin)" "$INFRA_DIR/probe.py" "$@"; }

# Check once that the probe's Python has the clients; a clear message instead of a timeout.
require_probe_python() {
  local py
  py=$(python_bin)
  "$py" -c 'import confluent_kafka, neo4j, boto3' 2>/dev/null && return 0
  die "$py lacks confluent-kafka/neo4j/boto3 (used to check that services answer); run 'make .venv/.installed-dev' or set VITRINA_PYTHON"
}

need_cmd() { command -v "$1" >/dev/null 2>&1 || die "$1 is required ($2)"; }

# Maven: copy a pom's runtime dependencies into a folder once (marker = pom checksum).
mvn_copy() {
  local pom=$1 dest=$2
  shift 2
  local sum marker="$dest/.pom.sha256"
  sum=$(cat "$pom" <(printf '%s' "$*") | sha256sum | cut -d' ' -f1)
  if [[ -f $marker && $(cat "$marker") == "$sum" ]]; then return 0; fi
  need_cmd mvn "to fetch jars from Maven Central"
  log "fetching jars for $(basename "$(dirname "$pom")") from Maven Central into $dest"
  rm -rf "$dest"
  mkdir -p "$dest"
  local mlog=$CACHE_DIR/mvn.log
  if ! mvn -B -q -Dstyle.color=never -f "$pom" "$@" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$dest" >"$mlog" 2>&1; then
    tail -n 30 "$mlog" >&2
    die "mvn dependency:copy-dependencies failed for $pom (full output in $mlog)"
  fi
  printf '%s' "$sum" >"$marker"
}
