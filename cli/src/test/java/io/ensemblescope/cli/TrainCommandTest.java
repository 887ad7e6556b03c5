package io.ensemblescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.ExecutorKind;
import io.ensemblescope.api.v1.TrainRequest;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The request {@code escope train} sends, as picocli parses its options. */
class TrainCommandTest {
    private static TrainRequest request(String... args) {
        TrainCommand train = new TrainCommand();
        new CommandLine(train).parseArgs(args);
        return train.request();
    }

    @Test
    void theExecutorIsLeftToTheTrainerUnlessNamed() {
        assertEquals(ExecutorKind.EXECUTOR_KIND_UNSPECIFIED, request("--name", "m").getExecutor());
        assertEquals(ExecutorKind.LOCAL, request("--name", "m", "--executor", "local").getExecutor());
        assertEquals(ExecutorKind.KUBERNETES, request("--name", "m", "--executor", "kubernetes").getExecutor());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> request("--name", "m", "--executor", "slurm"));
        assertTrue(e.getMessage().startsWith("--executor"), e.getMessage());
    }
}
