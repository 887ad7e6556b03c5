package io.ensemblescope.cli;

import io.ensemblescope.inference.InferenceServer;
import io.ensemblescope.metrics.service.MetricsServer;
import io.ensemblescope.trainer.TrainerServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs services in the foreground. {@code trainer}, {@code inference} and {@code metrics} take their server's own
 * flags (see {@code escope serve trainer --help}); {@code all} runs the three in one JVM on the default ports.
 */
@Command(name = "serve", description = "Run a service: trainer, inference, metrics, or all.")
final class ServeCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "trainer, inference, metrics or all")
    String service;

    @Option(names = "--store", description = "all: checkpoint store root.")
    Path store = Defaults.store();

    @Option(names = "--device", description = "all: auto, cpu, gpu or gpu:N.")
    String device = "auto";

    @Option(names = "--ports", split = ",", description = "all: gRPC ports of trainer,inference,metrics.")
    int[] ports = {50051, 50052, 50053};

    @Option(names = "--metrics-ports", split = ",", description = "all: /metrics ports of trainer,inference,metrics.")
    int[] metricsPorts = {9101, 9102, 9103};

    @CommandLine.Unmatched
    String[] rest = new String[0];

    @Override
    public Integer call() throws Exception {
        // Services log their ports and lifecycle; set before the first logger initialises.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        return switch (service) {
            case "trainer" -> new CommandLine(new TrainerServer()).execute(rest);
            case "inference" -> new CommandLine(new InferenceServer()).execute(rest);
            case "metrics" -> new CommandLine(new MetricsServer()).execute(rest);
            case "all" -> all();
            default -> throw new IllegalArgumentException("unknown service '" + service
                    + "': trainer, inference, metrics or all");
        };
    }

    private int all() throws Exception {
        if (rest.length > 0) {
            throw new IllegalArgumentException("unknown option " + rest[0] + " for serve all");
        }
        if (ports.length != 3 || metricsPorts.length != 3) {
            throw new IllegalArgumentException("--ports and --metrics-ports take three ports each");
        }
        LocalServices services = LocalServices.start(store, device, ports, metricsPorts);
        System.out.println(services.describe());
        System.out.flush();
        services.blockUntilShutdown();
        return 0;
    }
}
