package io.ensemblescope.cli;

import io.ensemblescope.trainer.TrainerServer;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Starts one service in the foreground, with its gRPC and /metrics ports. */
@Command(name = "serve", description = "Run a service: trainer (more as they land).")
final class ServeCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "trainer")
    String service;

    @CommandLine.Unmatched
    String[] rest = new String[0];

    @Override
    public Integer call() throws Exception {
        return switch (service) {
            case "trainer" -> new CommandLine(new TrainerServer()).execute(rest);
            default -> throw new IllegalArgumentException("unknown service '" + service + "' (trainer)");
        };
    }
}
