# Apache Kafka 4.x (KRaft, one combined broker+controller) from Maven Central jars, Java 17.
# Transactions work on one node (replication factors 1, min ISR 1). Topics are not auto-created:
# the project creates its topics with explicit partition counts.
KAFKA_LIB=$CACHE_DIR/kafka/lib
KAFKA_HEAP=${VITRINA_KAFKA_HEAP:--Xms128m -Xmx512m}

_kafka_java() {
  # shellcheck disable=SC2086 # KAFKA_HEAP holds several JVM options
  java $KAFKA_HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$INFRA_DIR/kafka/log4j2.properties" \
    -Dkafka.logs.dir="$(svc_dir kafka)" -cp "$KAFKA_LIB/*" "$@"
}

svc_kafka_install() {
  need_cmd java "Java 17 runs Kafka"
  mvn_copy "$INFRA_DIR/kafka/pom.xml" "$KAFKA_LIB"
}

_kafka_config() {
  cat <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$(svc_dir kafka)/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=8
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
log.retention.hours=168
CONF
}

svc_kafka_start() {
  local dir conf cluster
  dir=$(svc_dir kafka)
  conf=$dir/server.properties
  mkdir -p "$dir"
  _kafka_config >"$conf"
  if [[ ! -f $dir/data/meta.properties ]]; then
    rm -rf "$dir/data"
    cluster=$(_kafka_java kafka.tools.StorageTool random-uuid 2>>"$(log_file kafka)" | tail -n1)
    log "kafka: formatting storage (cluster $cluster)"
    _kafka_java kafka.tools.StorageTool format --standalone -t "$cluster" -c "$conf" \
      >>"$(log_file kafka)" 2>&1 || die "kafka: storage format failed, see $(log_file kafka)"
  fi
  spawn kafka java $KAFKA_HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$INFRA_DIR/kafka/log4j2.properties" \
    -cp "$KAFKA_LIB/*" kafka.Kafka "$conf"
}

svc_kafka_ready() { probe kafka "$HOST:$KAFKA_PORT"; }
svc_kafka_setup() { :; }

svc_kafka_version() {
  local jar
  jar=$(find "$KAFKA_LIB" -maxdepth 1 -name 'kafka_2.13-*.jar' 2>/dev/null | head -n1)
  [[ -n $jar ]] && basename "$jar" .jar | sed 's/^kafka_2.13-//' || printf 'not installed'
}
svc_kafka_url() { printf 'kafka://%s:%s' "$HOST" "$KAFKA_PORT"; }
svc_kafka_info() { printf 'bootstrap=%s:%s\ncontroller=%s:%s\n' "$HOST" "$KAFKA_PORT" "$HOST" "$KAFKA_CONTROLLER_PORT"; }
