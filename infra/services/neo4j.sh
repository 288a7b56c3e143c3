# Neo4j 5.26 Community with Bolt, embedded from Maven Central jars and run by neo4j/VitrinaNeo4j.java.
# Auth: user neo4j, password $VITRINA_NEO4J_PASSWORD (VITRINA_NEO4J_AUTH=false disables it).
# Graph Data Science (PageRank) is loaded from a plugins folder when VITRINA_NEO4J_GDS is not false;
# whether it works is written to $RUN_DIR/neo4j/gds.txt and shown by `status`.
NEO4J_LIB=$CACHE_DIR/neo4j/lib
NEO4J_GDS_ALL=$CACHE_DIR/neo4j/gds-all
NEO4J_PLUGINS=$CACHE_DIR/neo4j/plugins
NEO4J_CLASSES=$CACHE_DIR/neo4j/classes
NEO4J_GDS=${VITRINA_NEO4J_GDS:-true}
NEO4J_HEAP=${VITRINA_NEO4J_HEAP:--Xms128m -Xmx768m}

_neo4j_password() { if [[ $NEO4J_AUTH == false ]]; then printf ''; else printf '%s' "$NEO4J_PASSWORD"; fi; }

# Plugins folder = the GDS profile's jars minus the libraries the Neo4j classpath already has.
_neo4j_plugins() {
  local marker=$NEO4J_PLUGINS/.from
  [[ -f $marker && $(cat "$marker") == "$(cat "$NEO4J_GDS_ALL/.pom.sha256")" ]] && return 0
  rm -rf "$NEO4J_PLUGINS"
  mkdir -p "$NEO4J_PLUGINS"
  local jar base artifact
  declare -A have=()
  for jar in "$NEO4J_LIB"/*.jar; do
    base=$(basename "$jar" .jar)
    have[${base%-[0-9]*}]=1
  done
  local gds_version
  gds_version=$(sed -n 's:.*<gds.version>\(.*\)</gds.version>.*:\1:p' "$INFRA_DIR/neo4j/pom.xml")
  # GDS's own modules always (some share a name with Neo4j modules, e.g. annotations);
  # third-party jars only when Neo4j does not bring that library already.
  for jar in "$NEO4J_GDS_ALL"/*.jar; do
    base=$(basename "$jar" .jar)
    artifact=${base%-[0-9]*}
    if [[ $base == *-"$gds_version" || -z ${have[$artifact]:-} ]]; then cp "$jar" "$NEO4J_PLUGINS/"; fi
  done
  cat "$NEO4J_GDS_ALL/.pom.sha256" >"$marker"
}

svc_neo4j_install() {
  need_cmd java "Java 17 runs Neo4j 5.26"
  need_cmd javac "the JDK compiles infra/neo4j/VitrinaNeo4j.java"
  mvn_copy "$INFRA_DIR/neo4j/pom.xml" "$NEO4J_LIB"
  if [[ $NEO4J_GDS != false ]]; then
    mvn_copy "$INFRA_DIR/neo4j/pom.xml" "$NEO4J_GDS_ALL" -Pgds
    _neo4j_plugins
  fi
  local src=$INFRA_DIR/neo4j/VitrinaNeo4j.java
  if [[ ! -f $NEO4J_CLASSES/VitrinaNeo4j.class || $src -nt $NEO4J_CLASSES/VitrinaNeo4j.class ]]; then
    mkdir -p "$NEO4J_CLASSES"
    javac -nowarn -d "$NEO4J_CLASSES" -cp "$NEO4J_LIB/*" "$src" || die "neo4j: javac $src failed"
  fi
}

svc_neo4j_start() {
  local dir plugins="" cp="$NEO4J_LIB/*:$NEO4J_CLASSES"
  dir=$(svc_dir neo4j)
  mkdir -p "$dir/home"
  # GDS registers its services through kernel extensions (found on the classpath) and its
  # procedures from the plugins folder: the same jars go in both, the parent loader wins.
  if [[ $NEO4J_GDS != false ]]; then
    plugins=$NEO4J_PLUGINS
    cp="$cp:$NEO4J_PLUGINS/*"
  fi
  rm -f "$dir/gds.txt"
  # shellcheck disable=SC2086 # NEO4J_HEAP holds several JVM options
  spawn neo4j java $NEO4J_HEAP -XX:+UseG1GC -Djava.awt.headless=true \
    -cp "$cp" VitrinaNeo4j "$dir/home" "$NEO4J_PORT" "$(_neo4j_password)" "$plugins"
}

svc_neo4j_ready() { probe neo4j "bolt://$HOST:$NEO4J_PORT" "$NEO4J_USER" "$(_neo4j_password)"; }

svc_neo4j_setup() {
  local out
  out=$(svc_dir neo4j)/gds.txt
  if [[ $NEO4J_GDS == false ]]; then
    printf 'no: disabled by VITRINA_NEO4J_GDS=false\n' >"$out"
  else
    # The full PageRank check runs once per set of plugin jars; later starts only ask gds.version().
    local verified=$NEO4J_PLUGINS/.pagerank-ok quick=""
    [[ -f $verified ]] && quick=quick
    probe neo4j-gds "bolt://$HOST:$NEO4J_PORT" "$NEO4J_USER" "$(_neo4j_password)" "$out" "$quick" ||
      printf 'no: the GDS probe failed\n' >"$out"
    if [[ $(cat "$out") == yes* ]]; then touch "$verified"; else rm -f "$verified"; fi
  fi
  log "neo4j: Graph Data Science: $(cat "$out")"
}

svc_neo4j_version() {
  local jar gds
  jar=$(find "$NEO4J_LIB" -maxdepth 1 -name 'neo4j-kernel-[0-9]*.jar' 2>/dev/null | head -n1)
  gds=$(cat "$(svc_dir neo4j)/gds.txt" 2>/dev/null | cut -d: -f1 | cut -d' ' -f1-2)
  if [[ -n $jar ]]; then
    printf '%s (gds: %s)' "$(basename "$jar" .jar | sed 's/^neo4j-kernel-//')" "${gds:-unknown}"
  else
    printf 'not installed'
  fi
}
svc_neo4j_url() { printf 'bolt://%s:%s' "$HOST" "$NEO4J_PORT"; }
svc_neo4j_info() {
  printf 'user=%s\npassword=%s\n' "$NEO4J_USER" "$(_neo4j_password)"
  printf 'gds=%s\n' "$(cat "$(svc_dir neo4j)/gds.txt" 2>/dev/null || printf 'unknown')"
}
