package io.ensemblescope.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The shared server options as picocli parses them: flag over environment, no home fallback, one-line errors. */
class StoreOptionTest {
    @TempDir
    Path tmp;

    @Command(name = "server")
    static final class Server {
        @Mixin
        ServerOptions listen = new ServerOptions(50051, 9101);

        @Mixin
        StoreOption store;

        Server(Map<String, String> env) {
            store = new StoreOption(env::get);
        }
    }

    private static Server parse(Map<String, String> env, String... args) {
        Server s = new Server(env);
        new CommandLine(s).parseArgs(args);
        return s;
    }

    @Test
    void defaultPortsAreTheServicesOwnAndFlagsOverrideThem() {
        Server s = parse(Map.of());
        assertEquals(50051, s.listen.port());
        assertEquals(9101, s.listen.metricsPort());
        Server t = parse(Map.of(), "--port", "0", "--metrics-port", "-1");
        assertEquals(0, t.listen.port());
        assertEquals(-1, t.listen.metricsPort());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(Map.of(), "--port", "70000").listen.port());
        assertTrue(e.getMessage().startsWith("--port"), e.getMessage());
    }

    @Test
    void flagWinsOverEnvironmentAndEnvironmentIsUsedWithoutFlag() {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(a, parse(Map.of(StoreOption.ENV, b.toString()), "--store", a.toString()).store.writable());
        assertEquals(b, parse(Map.of(StoreOption.ENV, b.toString())).store.writable());
        assertTrue(Files.isDirectory(b), "the writable store is created");
    }

    @Test
    void missingStoreIsAOneLineErrorNamingFlagAndVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(Map.of(StoreOption.ENV, " ")).store.writable());
        assertTrue(e.getMessage().contains("--store") && e.getMessage().contains(StoreOption.ENV), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertThrows(IllegalArgumentException.class, () -> parse(Map.of()).store.readable());
    }

    @Test
    void unwritableStoreIsRefusedBeforeAnythingStarts() throws Exception {
        // A store below a regular file cannot be created, whoever runs the test (root ignores permission bits).
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path store = file.resolve("checkpoints");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(Map.of(), "--store", store.toString()).store.writable());
        assertTrue(e.getMessage().startsWith("--store (or ESCOPE_STORE): " + store + " is not a writable directory"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--store", store.toString()).store.readable());
    }

    @Test
    void readerOpensAStoreTheTrainerHasNotCreatedYet() {
        Path store = tmp.resolve("checkpoints");
        assertEquals(store, parse(Map.of(), "--store", store.toString()).store.readable());
        assertFalse(Files.exists(store), "a reader creates nothing");
    }

    @Test
    void readerRefusesAStoreWithNoParent() {
        Path nowhere = tmp.resolve("no").resolve("such").resolve("store");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(Map.of(), "--store", nowhere.toString()).store.readable());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
