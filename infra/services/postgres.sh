# PostgreSQL 15 from the machine's binaries; data in $RUN_DIR/postgres/data, run as OS user postgres
# when we are root. Role vitrina/vitrina, databases vitrina and vitrina_source.
PG_BIN=${VITRINA_PG_BIN:-/usr/lib/postgresql/15/bin}
POSTGRES_STOP_SIGNAL=INT # "fast" shutdown: TERM would wait for every client to disconnect

# Where the cluster lives: infra/.run/postgres, unless we are root and the OS user postgres
# cannot reach it (a clone under /root): then a folder of its own under /var/tmp, named after
# the run folder so that each checkout keeps its own cluster.
_pg_base() {
  local dir
  dir=$(svc_dir postgres)
  if [[ $(id -u) -eq 0 ]] && id postgres >/dev/null 2>&1 && { [[ ! -d $RUN_DIR ]] ||
    ! setpriv --reuid=postgres --regid=postgres --init-groups -- test -x "$RUN_DIR"; }; then
    printf '/var/tmp/vitrina-postgres-%s' "$(printf '%s' "$dir" | sha256sum | cut -c1-12)"
  else
    printf '%s' "$dir"
  fi
}
_pg_sock() { printf '%s/sock' "$(_pg_base)"; }
_pg_su() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$(_pg_sock)" -p "$POSTGRES_PORT" -U postgres "$@"; }

# The Debian packages to install (none when the binaries are there).
svc_postgres_packages() { [[ -x $PG_BIN/postgres ]] || printf '%s\n' postgresql-15; }

svc_postgres_install() {
  # shellcheck disable=SC2046 # one word per package
  apt_ensure $(svc_postgres_packages)
  [[ -x $PG_BIN/postgres ]] || die "postgres: no binaries in $PG_BIN (set VITRINA_PG_BIN)"
  if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/sh postgres
  fi
}

svc_postgres_start() {
  local dir data
  mkdir -p "$(svc_dir postgres)"
  dir=$(_pg_base)
  data=$dir/data
  mkdir -p "$dir" "$(_pg_sock)"
  [[ $dir == "$(svc_dir postgres)" ]] || log "postgres: user postgres cannot reach $RUN_DIR; cluster in $dir"
  run_as postgres
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$dir" "$(_pg_sock)"
    chmod 700 "$dir"
    "${RUN_AS[@]}" test -w "$dir" || die "postgres: OS user postgres cannot write $dir"
  fi
  if [[ ! -s $data/PG_VERSION ]]; then
    rm -rf "$data"
    log "postgres: initdb $data"
    (cd "$dir" && "${RUN_AS[@]}" "$PG_BIN/initdb" -D "$data" -U postgres -E UTF8 --no-locale \
      --auth-local=trust --auth-host=scram-sha-256 >>"$(log_file postgres)" 2>&1) ||
      die "postgres: initdb failed, see $(log_file postgres)"
  fi
  rm -f "$data/postmaster.pid" # stale after a crash; we only get here when our PID is dead
  spawn postgres "${RUN_AS[@]}" "$PG_BIN/postgres" -D "$data" -p "$POSTGRES_PORT" \
    -c listen_addresses="$HOST" -c unix_socket_directories="$(_pg_sock)" -c max_connections=200
}

svc_postgres_ready() { [[ $(_pg_su -d postgres -Atc 'select 1' 2>/dev/null) == 1 ]]; }

svc_postgres_setup() {
  _pg_su -d postgres >/dev/null <<'SQL'
do $$ begin
  if not exists (select from pg_roles where rolname = 'vitrina') then
    create role vitrina login createdb password 'vitrina';
  end if;
end $$;
select 'create database vitrina owner vitrina'
where not exists (select from pg_database where datname = 'vitrina') \gexec
select 'create database vitrina_source owner vitrina'
where not exists (select from pg_database where datname = 'vitrina_source') \gexec
SQL
}

svc_postgres_version() { "$PG_BIN/postgres" --version | awk '{print $3}'; }
svc_postgres_url() { printf 'postgresql://vitrina:vitrina@%s:%s/vitrina' "$HOST" "$POSTGRES_PORT"; }
svc_postgres_info() {
  printf 'cluster=%s\n' "$(_pg_base)/data"
  printf 'host=%s\nport=%s\nuser=vitrina\npassword=vitrina\n' "$HOST" "$POSTGRES_PORT"
  printf 'source_url=postgresql://vitrina:vitrina@%s:%s/vitrina_source\n' "$HOST" "$POSTGRES_PORT"
}
