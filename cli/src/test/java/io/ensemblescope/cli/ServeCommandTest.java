package io.ensemblescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.rpc.StoreOption;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code escope serve <service>} hands every option to the service's own command: nothing is swallowed by serve. */
class ServeCommandTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String err) {}

    private static Run escope(String... args) {
        CommandLine cl = Escope.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.setErr(new PrintWriter(err, true));
        }
        for (CommandLine sub : cl.getSubcommands().get("serve").getSubcommands().values()) {
            sub.setErr(new PrintWriter(err, true));
        }
        return new Run(cl.execute(args), err.toString());
    }

    @Test
    void storeAndPortsReachTheServiceCommand() {
        CommandLine cl = Escope.commandLine();
        CommandLine.ParseResult parsed = cl.parseArgs("serve", "inference", "--store", "/srv/store", "--port", "0",
                "--max-batch-size", "8");
        CommandLine.ParseResult inference = parsed.subcommand().subcommand();
        assertTrue(inference.commandSpec().userObject() instanceof io.ensemblescope.inference.InferenceServer);
        assertEquals(Path.of("/srv/store"), inference.matchedOptionValue("--store", null));
        assertEquals(0, (int) inference.matchedOptionValue("--port", -1));
    }

    @Test
    void aServiceWithoutStoreFailsInOneLineNamingFlagAndVariable() {
        Assumptions.assumeTrue(StoreOption.fromEnvironment(System::getenv).isEmpty(), "ESCOPE_STORE is set here");
        for (String service : new String[] {"trainer", "inference", "metrics", "all"}) {
            Run run = service.equals("all") ? escope("serve", "all", "--ports", "0,0,0", "--metrics-ports", "-1,-1,-1")
                    : escope("serve", service, "--port", "0", "--metrics-port", "-1");
            assertEquals(1, run.exit(), service + ": " + run.err());
            assertEquals("escope: no checkpoint store: pass --store DIR or set ESCOPE_STORE", run.err().strip(),
                    service);
        }
    }

    @Test
    void anUnwritableTrainerStoreFailsInOneLine() throws Exception {
        Path store = Files.writeString(tmp.resolve("file"), "x").resolve("checkpoints");
        Run run = escope("serve", "trainer", "--port", "0", "--metrics-port", "-1", "--store", store.toString());
        assertEquals(2, run.exit(), "a flag's bad value is a usage error (docs/CLI.md): " + run.err());
        assertTrue(run.err().strip().startsWith("escope: --store (or ESCOPE_STORE): " + store), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void aNonLoopbackHostWithoutAuthenticationFailsInOneLineForEveryService() {
        for (String service : new String[] {"trainer", "inference", "metrics", "all"}) {
            Run run = service.equals("all") ? escope("serve", "all", "--ports", "0,0,0", "--metrics-ports",
                    "-1,-1,-1", "--store", tmp.toString(), "--host", "0.0.0.0")
                    : escope("serve", service, "--port", "0", "--metrics-port", "-1", "--store", tmp.toString(),
                    "--host", "0.0.0.0");
            assertEquals(2, run.exit(), service + ": " + run.err()); // a usage error: it names a flag
            assertEquals("escope: --host 0.0.0.0 is not a loopback address: serving it to the network needs"
                    + " --auth-tokens FILE or --tls-client-ca FILE, or an explicit --insecure", run.err().strip(),
                    service);
        }
    }

    @Test
    void unknownOptionsAndServicesAreUsageErrors() {
        assertEquals(2, escope("serve", "inference", "--store", tmp.toString(), "--no-such-option").exit());
        assertEquals(2, escope("serve", "nonsense").exit());
        assertEquals(2, escope("serve").exit());
    }
}
