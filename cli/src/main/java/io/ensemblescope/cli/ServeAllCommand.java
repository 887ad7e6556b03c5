package io.ensemblescope.cli;

import io.ensemblescope.datasets.DataDirectories;
import io.ensemblescope.rpc.StoreOption;
import io.ensemblescope.rpc.security.SecurityOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code escope serve all}: the trainer, inference and metrics services in one JVM, sharing one store and one set of
 * security options (host, TLS, tokens) for all their ports.
 */
@Command(name = "all",
        description = "Run the trainer, inference and metrics services in this JVM.")
final class ServeAllCommand implements Callable<Integer> {
    @Mixin
    StoreOption store = new StoreOption();

    @Mixin
    SecurityOptions security = new SecurityOptions();

    @Option(names = "--device", description = "auto, cpu, gpu or gpu:N (default ${DEFAULT-VALUE}).")
    String device = "auto";

    @Option(names = "--ports", split = ",", description = "gRPC ports of trainer,inference,metrics.")
    int[] ports = {50051, 50052, 50053};

    @Option(names = "--metrics-ports", split = ",", description = "/metrics ports of trainer,inference,metrics.")
    int[] metricsPorts = {9101, 9102, 9103};

    @Override
    public Integer call() throws Exception {
        if (ports.length != 3 || metricsPorts.length != 3) {
            throw new IllegalArgumentException("--ports and --metrics-ports take three ports each");
        }
        Path dir = store.writable();
        LocalServices services = LocalServices.start(dir, device, ports, metricsPorts, DataDirectories.NONE,
                security.resolve(), true);
        System.out.println(services.describe());
        System.out.flush();
        services.blockUntilShutdown();
        return 0;
    }
}
