// Runs Neo4j Community (embedded, from Maven Central jars) with its Bolt server for infra/services.sh.
// Usage: java -cp 'lib/*:classes' VitrinaNeo4j HOME_DIR BOLT_PORT PASSWORD|"" [PLUGIN_DIR]
// An empty PASSWORD disables authentication; otherwise user neo4j gets that password on every start.

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

public final class VitrinaNeo4j {
    private VitrinaNeo4j() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: VitrinaNeo4j HOME_DIR BOLT_PORT PASSWORD [PLUGIN_DIR]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = args[2];
        boolean auth = !password.isEmpty();
        Files.createDirectories(home);

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 128L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseInternalSettings.udc_network_enabled, false);
        if (args.length > 3 && !args[3].isEmpty()) {
            builder.setConfig(GraphDatabaseSettings.plugin_dir, Path.of(args[3]).toAbsolutePath())
                    .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("gds.*"));
        }
        DatabaseManagementService dbms = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("vitrina-neo4j: shutting down");
            System.out.flush();
            dbms.shutdown();
            stopped.countDown();
        }));
        if (auth) {
            try {
                dbms.database("system").executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
            } catch (RuntimeException exc) {
                // Setting the same password again is refused: the password is already right.
                if (!String.valueOf(exc.getMessage()).contains("same")) {
                    throw exc;
                }
            }
        }
        System.out.println("vitrina-neo4j: ready on bolt://127.0.0.1:" + port + (auth ? " (auth)" : " (no auth)"));
        System.out.flush();
        stopped.await();
    }
}
