# MinIO built from source with `go install` (cached binary), data in $RUN_DIR/minio/data; the
# project's bucket is created on start. The Go module proxy cannot resolve MinIO's RELEASE.* tag
# names (not semver), so the version is pinned as the pseudo-version of a commit of github.com/minio/minio.
MINIO_MODULE_VERSION=${VITRINA_MINIO_VERSION:-v0.0.0-20260212201848-7aac2a2c5b7c}
MINIO_BIN=$CACHE_DIR/minio/$MINIO_MODULE_VERSION/minio

svc_minio_install() {
  [[ -x $MINIO_BIN ]] && return 0
  need_cmd go "MinIO is built with go install"
  log "minio: go install github.com/minio/minio@$MINIO_MODULE_VERSION (a few minutes on a cold cache)"
  mkdir -p "$(dirname "$MINIO_BIN")"
  GOBIN=$(dirname "$MINIO_BIN") GOFLAGS=-buildvcs=false CGO_ENABLED=0 \
    go install "github.com/minio/minio@$MINIO_MODULE_VERSION" >&2 || die "minio: go install failed"
}

svc_minio_start() {
  local data
  data=$(svc_dir minio)/data
  mkdir -p "$data"
  spawn minio env MINIO_ROOT_USER="$MINIO_USER" MINIO_ROOT_PASSWORD="$MINIO_PASSWORD" \
    MINIO_BROWSER=off MINIO_UPDATE=off MINIO_CI_CD=1 \
    "$MINIO_BIN" server --quiet --address "$HOST:$MINIO_PORT" "$data"
}

svc_minio_ready() { probe minio "http://$HOST:$MINIO_PORT" "$MINIO_USER" "$MINIO_PASSWORD" "$MINIO_BUCKET"; }
svc_minio_setup() { :; } # the readiness probe creates the bucket when it is missing

# `minio --version` says DEVELOPMENT.GOGET for go-installed builds: show the module version.
svc_minio_version() { printf '%s' "$MINIO_MODULE_VERSION"; }
svc_minio_url() { printf 'http://%s:%s' "$HOST" "$MINIO_PORT"; }
svc_minio_note() { printf 'bucket=%s user=%s' "$MINIO_BUCKET" "$MINIO_USER"; }
svc_minio_info() {
  printf 'endpoint=http://%s:%s\nuser=%s\npassword=%s\nbucket=%s\n' "$HOST" "$MINIO_PORT" \
    "$MINIO_USER" "$MINIO_PASSWORD" "$MINIO_BUCKET"
}
