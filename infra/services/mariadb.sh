# MariaDB from Debian packages; data in $RUN_DIR/mariadb/data. User vitrina/vitrina, database vitrina.
MARIADBD=${VITRINA_MARIADBD:-/usr/sbin/mariadbd}

_my_sock() { printf '%s/mysqld.sock' "$(svc_dir mariadb)"; }
_my_root() { mariadb --no-defaults -uroot --socket="$(_my_sock)" "$@"; }
_my_user() { if [[ $(id -u) -eq 0 ]]; then printf root; else id -un; fi; }

# The Debian packages to install (none when the programs are there).
svc_mariadb_packages() {
  [[ -x $MARIADBD ]] && command -v mariadb >/dev/null && return 0
  printf '%s\n' mariadb-server mariadb-client
}

# shellcheck disable=SC2046 # one word per package
svc_mariadb_install() { apt_ensure $(svc_mariadb_packages); }

svc_mariadb_start() {
  local dir data
  dir=$(svc_dir mariadb)
  data=$dir/data
  mkdir -p "$dir"
  if [[ ! -d $data/mysql ]]; then
    rm -rf "$data"
    log "mariadb: mariadb-install-db $data"
    mariadb-install-db --no-defaults --datadir="$data" --user="$(_my_user)" --skip-test-db \
      --auth-root-authentication-method=normal >>"$(log_file mariadb)" 2>&1 ||
      die "mariadb: mariadb-install-db failed, see $(log_file mariadb)"
  fi
  spawn mariadb "$MARIADBD" --no-defaults --user="$(_my_user)" --datadir="$data" \
    --socket="$(_my_sock)" --port="$MARIADB_PORT" --bind-address="$HOST" --skip-name-resolve \
    --pid-file="$dir/mariadbd.pid" --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-buffer-pool-size=128M --max-connections=200
}

svc_mariadb_ready() { [[ $(_my_root -N -B -e 'select 1' 2>/dev/null) == 1 ]]; }

svc_mariadb_setup() {
  _my_root <<'SQL'
create database if not exists vitrina;
create user if not exists 'vitrina'@'127.0.0.1' identified by 'vitrina';
create user if not exists 'vitrina'@'localhost' identified by 'vitrina';
grant all privileges on *.* to 'vitrina'@'127.0.0.1';
grant all privileges on *.* to 'vitrina'@'localhost';
flush privileges;
SQL
}

svc_mariadb_version() { "$MARIADBD" --version | grep -o 'Ver [^ ]*' | cut -d' ' -f2 | cut -d- -f1-2; }
svc_mariadb_url() { printf 'mysql://vitrina:vitrina@%s:%s/vitrina' "$HOST" "$MARIADB_PORT"; }
svc_mariadb_info() { printf 'host=%s\nport=%s\nuser=vitrina\npassword=vitrina\ndatabase=vitrina\n' "$HOST" "$MARIADB_PORT"; }
