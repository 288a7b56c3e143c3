# Redis from Debian packages; AOF + RDB persistence in $RUN_DIR/redis/data.
# The Debian packages to install (none when the programs are there).
svc_redis_packages() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  printf '%s\n' redis-server redis-tools
}

# shellcheck disable=SC2046 # one word per package
svc_redis_install() { apt_ensure $(svc_redis_packages); }

svc_redis_start() {
  local data
  data=$(svc_dir redis)/data
  mkdir -p "$data"
  spawn redis redis-server --bind "$HOST" --port "$REDIS_PORT" --dir "$data" --daemonize no \
    --appendonly yes --appendfsync everysec --save "60 1" --logfile "" --protected-mode yes
}

svc_redis_ready() { [[ $(redis-cli -h "$HOST" -p "$REDIS_PORT" PING 2>/dev/null) == PONG ]]; }
svc_redis_setup() { :; }
svc_redis_version() { redis-server --version | grep -o 'v=[^ ]*' | cut -d= -f2; }
svc_redis_url() { printf 'redis://%s:%s/0' "$HOST" "$REDIS_PORT"; }
svc_redis_info() { printf 'host=%s\nport=%s\n' "$HOST" "$REDIS_PORT"; }
