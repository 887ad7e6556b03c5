package io.ensemblescope.cli;

import io.ensemblescope.core.routines.CheckpointAssembler;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** Prints the EnsembleScope, DJL and Java versions. */
@Command(name = "version", description = "Print versions.")
final class VersionCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        for (String line : new Provider().getVersion()) {
            System.out.println(line);
        }
        return 0;
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "escope " + CheckpointAssembler.CODE_VERSION,
                "DJL " + ai.djl.engine.Engine.getDjlVersion() + " (PyTorch engine, offline)",
                "Java " + System.getProperty("java.version")};
        }
    }
}
