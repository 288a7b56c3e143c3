#!/usr/bin/env bash
# Real services for tests and the stack profile, native (no Docker), on 127.0.0.1:
#   bash infra/services.sh up [NAME...]      install what is missing, start, wait until it answers
#   bash infra/services.sh down [NAME...]    stop by PID (data is kept in infra/.run/NAME/)
#   bash infra/services.sh status [NAME...]  one line per service; exit 0 only when all are up
#   bash infra/services.sh url NAME          the service's URL
#   bash infra/services.sh info NAME         key=value lines: URL, credentials... (pytest fixtures)
# NAME is one of: postgres mariadb redis kafka neo4j minio spark (default: all). See docs/services.md.
set -euo pipefail

INFRA_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
source "$INFRA_DIR/lib/common.sh"
ALL_SERVICES+=(spark) # a Spark standalone cluster: infra/services/spark.sh
for _svc in "${ALL_SERVICES[@]}"; do
  # shellcheck source=/dev/null
  source "$INFRA_DIR/services/$_svc.sh"
done

check_names() {
  local name known
  for name in "$@"; do
    known=0
    for _svc in "${ALL_SERVICES[@]}"; do [[ $name == "$_svc" ]] && known=1; done
    ((known)) || die "unknown service '$name' (known: ${ALL_SERVICES[*]})"
  done
}

# Failures are checked explicitly below: this runs inside `||` (where bash ignores set -e).
up_one() {
  local name=$1 t0=$SECONDS pid
  if pid=$(live_pid "$name"); then
    if "svc_${name}_ready" >/dev/null 2>&1; then
      log "$name: already up (pid $pid) at $("svc_${name}_url")"
      return 0
    fi
    log "$name: process $pid is alive but not answering yet; waiting"
    if wait_ready "$name"; then
      "svc_${name}_setup" || { log "$name: setup after start failed"; return 1; }
      log "$name: up (pid $pid) at $("svc_${name}_url")"
      return 0
    fi
    live_pid "$name" >/dev/null && return 1
    log "$name: process $pid died; starting it again"
  fi
  rm -f "$(pid_file "$name")"
  "svc_${name}_install" || { log "$name: install failed"; return 1; }
  local port_var
  for port_var in ${SERVICE_PORTS[$name]}; do
    if port_busy "${!port_var}"; then
      log "$name: port ${!port_var} is taken by another process (not one infra/services.sh started here); set VITRINA_$port_var to use another port"
      return 1
    fi
  done
  log "$name: starting (data in $(svc_dir "$name"))"
  "svc_${name}_start" || { log "$name: start failed, see $(log_file "$name")"; return 1; }
  wait_ready "$name" || return 1
  "svc_${name}_setup" || { log "$name: setup after start failed"; return 1; }
  log "$name: up (pid $(live_pid "$name")) at $("svc_${name}_url") in $((SECONDS - t0))s"
}

down_one() {
  local name=$1 pid sig_var signal waited=0
  if ! pid=$(live_pid "$name"); then
    rm -f "$(pid_file "$name")"
    log "$name: not running"
    return 0
  fi
  sig_var=${name^^}_STOP_SIGNAL
  signal=${!sig_var:-TERM}
  kill -s "$signal" "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= 600)); then # 60 s
      log "$name: pid $pid ignored SIG$signal for 60s; killing it"
      kill -s KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  rm -f "$(pid_file "$name")"
  log "$name: stopped (pid $pid)"
}

status_one() {
  local name=$1 state=down pid note=""
  if pid=$(live_pid "$name") && "svc_${name}_ready" >/dev/null 2>&1; then state=up; fi
  declare -F "svc_${name}_note" >/dev/null && note=" $("svc_${name}_note")"
  printf '%-9s %-5s %-34s %s%s\n' "$name" "$state" "$("svc_${name}_version" 2>/dev/null || printf '?')" \
    "$("svc_${name}_url")" "$note"
  [[ $state == up ]]
}

# locked FN NAME: run "FN NAME" holding NAME's lock (in a subshell).
locked() {
  local fn=$1 name=$2
  (
    flock -w 900 9 || { log "$name: another infra/services.sh kept it locked for 15 min"; exit 1; }
    "$fn" "$name"
  ) 9>"$RUN_DIR/.$name.lock"
}

# Run "$1 $2 NAME" for every NAME at once (VITRINA_SERVICES_PARALLEL=0: one after the other);
# FAILED lists the names whose run failed.
FAILED=()
parallel_each() {
  local fn=("$1" "$2") name i
  shift 2
  FAILED=()
  if [[ ${VITRINA_SERVICES_PARALLEL:-1} == 0 || $# -le 1 ]]; then
    for name in "$@"; do "${fn[@]}" "$name" || FAILED+=("$name"); done
  else
    local pids=()
    for name in "$@"; do
      "${fn[@]}" "$name" &
      pids+=($!)
    done
    for i in "${!pids[@]}"; do wait "${pids[i]}" || FAILED+=("${@:i+1:1}"); done
  fi
  ((${#FAILED[@]} == 0))
}

main() {
  local cmd=${1:-}
  shift || true
  local names=("$@")
  ((${#names[@]})) || names=("${ALL_SERVICES[@]}")
  check_names "${names[@]}"
  local name failed=()
  case $cmd in
    up)
      mkdir -p "$RUN_DIR" "$CACHE_DIR"
      for name in "${names[@]}"; do
        case $name in kafka | neo4j | minio) require_probe_python ;; esac
      done
      # Installs one after the other (apt and Maven hold locks), then starts in parallel;
      # MinIO's `go install` (minutes of compiling, no apt or Maven) runs beside the others.
      # Several `up`s may run at once (pytest sessions side by side): installs share one lock,
      # each service's start/stop its own.
      (
        flock -w 1800 9 || die "another infra/services.sh has held the install lock for 30 min"
        local go_pid=""
        # A failing install exits this subshell: the lock is kept until `go install` ends.
        trap '[[ -z $go_pid ]] || wait "$go_pid" 2>/dev/null' EXIT
        for name in "${names[@]}"; do
          if [[ $name == minio && ${VITRINA_SERVICES_PARALLEL:-1} != 0 ]] && ! live_pid minio >/dev/null; then
            svc_minio_install &
            go_pid=$!
          fi
        done
        # One apt-get for every service's Debian packages (one dpkg run, one man-db trigger).
        local packages=()
        for name in "${names[@]}"; do
          declare -F "svc_${name}_packages" >/dev/null || continue
          live_pid "$name" >/dev/null || mapfile -t -O "${#packages[@]}" packages < <("svc_${name}_packages")
        done
        apt_ensure "${packages[@]}"
        for name in "${names[@]}"; do
          [[ $name == minio && -n $go_pid ]] && continue
          live_pid "$name" >/dev/null || "svc_${name}_install"
        done
        if [[ -n $go_pid ]]; then
          wait "$go_pid" || { go_pid=""; exit 1; } # svc_minio_install said why
          go_pid=""
        fi
      ) 9>"$CACHE_DIR/.install.lock"
      parallel_each locked up_one "${names[@]}" || die "could not start: ${FAILED[*]} (logs in $RUN_DIR/NAME/NAME.log)"
      ;;
    down)
      mkdir -p "$RUN_DIR"
      parallel_each locked down_one "${names[@]}" || die "could not stop: ${FAILED[*]}"
      ;;
    status)
      for name in "${names[@]}"; do status_one "$name" || failed+=("$name"); done
      ((${#failed[@]} == 0)) || exit 1
      ;;
    url)
      ((${#names[@]} == 1)) || die "url takes exactly one service name"
      "svc_${names[0]}_url"
      printf '\n'
      ;;
    info)
      ((${#names[@]} == 1)) || die "info takes exactly one service name"
      printf 'url=%s\n' "$("svc_${names[0]}_url")"
      printf 'data=%s\n' "$(svc_dir "${names[0]}")"
      printf 'pid=%s\n' "$(live_pid "${names[0]}" || true)"
      "svc_${names[0]}_info"
      ;;
    *)
      die "usage: infra/services.sh up|down|status|url|info [NAME...] (names: ${ALL_SERVICES[*]})"
      ;;
  esac
}

main "$@"
