package io.ensemblescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The command-line contract of docs/CLI.md, one row per case of issue #19's findings: each row runs escope and checks
 * the exit code, that a failure is one line on stderr (no stack trace, no control characters) matching the row's
 * pattern, and for help and version what stdout says. Most rows run in this JVM through the launcher's own command
 * line and error handling ({@link EscopeRun}: the same {@link Escope#commandLine()} {@code main} executes); the rows
 * marked {@code launcher} run escope as a separate process (three at a time), so that real exit codes, stream
 * separation and the server runtime's logging are checked end to end, without a JVM start per row.
 */
class CliContractTest {
    @TempDir
    static Path tmp;
    private static ServerSocket busy;
    private static ExecutorService pool;
    private static final Map<String, Future<EscopeProcess.Result>> RESULTS = new LinkedHashMap<>();
    private static final List<Row> ROWS = new ArrayList<>();

    /**
     * @param finding the issue's finding number and what it was
     * @param exit the exit code expected
     * @param stderr a pattern stderr must contain
     * @param stdout a pattern stdout must contain (null: not checked)
     */
    record Row(String finding, List<String> args, int exit, Pattern stderr, Pattern stdout, boolean launcher) {
        @Override
        public String toString() {
            return finding + ": escope " + String.join(" ", args);
        }
    }

    private static void row(String finding, int exit, String stderr, String... args) {
        ROWS.add(new Row(finding, List.of(args), exit, Pattern.compile(stderr), null, false));
    }

    private static void help(String finding, String stdout, String... args) {
        ROWS.add(new Row(finding, List.of(args), 0, Pattern.compile(""), Pattern.compile(stdout), false));
    }

    /** The row just added runs as a separate process of the launcher. */
    private static void throughTheLauncher() {
        Row r = ROWS.remove(ROWS.size() - 1);
        ROWS.add(new Row(r.finding(), r.args(), r.exit(), r.stderr(), r.stdout(), true));
    }

    @BeforeAll
    static void startEveryRow() throws IOException {
        busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        String busyPort = Integer.toString(busy.getLocalPort());
        String closed = "127.0.0.1:" + closedPort();
        String store = Files.createDirectories(tmp.resolve("store")).toString();
        String file = Files.writeString(tmp.resolve("a-file"), "x").toString();
        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("report.md"), "an earlier report");
        String emptySvhn = Files.createDirectories(tmp.resolve("svhn-without-mat")).toString();

        row("2 busy port: one line naming the address", 1, "^escope: Failed to bind to address .*:" + busyPort
                + ": address already in use", "serve", "trainer", "--port", busyPort, "--metrics-port", "-1",
                "--store", store, "--device", "cpu");
        throughTheLauncher();
        row("2 bad port: one line naming the flag", 2, "^escope: --port must be a port in 0\\.\\.65535, got -5",
                "serve", "trainer", "--port", "-5",
                "--metrics-port", "-1", "--store", store, "--device", "cpu");
        throughTheLauncher();
        row("2 malformed address named by its flag", 2, "^escope: --trainer must be host:port .*'notahostport'",
                "reproduce", "--trainer", "notahostport");
        row("2 unreachable services named by role and address", 1, "^escope: trainer service at " + closed
                + " is unreachable \\(connection refused\\)$", "reproduce", "--quick", "--trainer", closed,
                "--inference", closed, "--metrics", closed);
        row("2 unreachable trainer named", 1, "^escope: trainer service at " + closed + " is unreachable",
                "models", "--trainer", closed);
        row("2 unknown option: one line with the help hint", 2, "^escope: Unknown option: '--frobnicate' \\(see"
                + " 'escope reproduce --help'\\)$", "reproduce", "--frobnicate");
        throughTheLauncher();

        row("3 --svhn-dir checked before training", 2, "^escope: --svhn-dir /nonexistent does not exist$",
                "reproduce", "--study", "cifar10", "--quick", "--svhn-dir", "/nonexistent");
        row("3 --svhn-dir without the .mat file", 2, "^escope: --svhn-dir .* has no test_32x32.mat", "reproduce",
                "--study", "cifar10", "--quick", "--svhn-dir", emptySvhn);
        row("3 a bad shift name before any split", 2, "^escope: --shifted: unknown shift 'blur-9'", "evaluate",
                "some-model", "--shifted", "rotate-30,blur-9", "--store", store);
        row("3 a bad OOD name before any split", 2, "^escope: --ood must name a dataset \\(.*\\), got 'nope'$",
                "evaluate", "some-model", "--ood", "nope", "--store", store);
        row("3 --out an existing file, before the work", 2, "^escope: --out .* exists and is not a directory$",
                "reproduce", "--quick", "--store", store, "--out", file);

        help("5 version --help", "^Usage: escope version", "version", "--help");
        throughTheLauncher();
        help("5 bench --help", "^Usage: escope bench", "bench", "--help");
        help("5 bench training --help", "^Usage: escope bench training", "bench", "training", "--help");
        help("5 cifar10c --help", "^Usage: escope cifar10c", "cifar10c", "--help");
        help("5 serve --help without a service", "^Usage: escope serve", "serve", "--help");
        throughTheLauncher();
        help("5 serve trainer --help names the command as typed", "^Usage: escope serve trainer ", "serve",
                "trainer", "--help");
        throughTheLauncher();
        help("5 escope help train", "^Usage: escope train", "help", "train");
        help("5 train marks --name required, shows defaults", "(?s)\\(--name=<name> \\|.*--epochs=<epochs>\\s+"
                + "Training epochs.*Default: 10", "train", "-h");
        row("5 train without --name", 2, "^escope: Error: Missing required argument.*--name", "train");

        row("6 --epochs named as a flag", 2, "^escope: --epochs must be > 0, got 0$", "train", "--name", "m",
                "--epochs", "0", "--store", store);
        row("6 --limit checked against the dataset", 2, "^escope: --limit 99999999 exceeds the 60000 training"
                + " images of mnist", "train", "--name", "m", "--limit", "99999999", "--store", store);
        row("6 bench --mnist-images too many", 2, "^escope: --mnist-images must be in 10..60000, got 999999$",
                "bench", "training", "--mnist-images", "999999");
        row("6 bench --mnist-images 0", 2, "^escope: --mnist-images must be in 10..60000, got 0$", "bench",
                "training", "--mnist-images", "0");
        row("6 --job-dir that does not exist", 2, "^escope: --job-dir /nope does not exist$", "train", "--job-dir",
                "/nope", "--member", "0");
        row("6 --method lists the accepted values", 2, "^escope: --method must be single, mc-dropout,"
                + " deep-ensemble or batch-ensemble, got 'foo'$", "train", "--name", "m", "--method", "foo");

        row("7 models NAME that is not there", 1, "^escope: no model named 'nosuchmodel' in ", "models",
                "nosuchmodel", "--store", store);
        row("7 models --store missing", 2, "^escope: --store /does-not-exist does not exist$", "models", "--store",
                "/does-not-exist");
        row("7 models --store a file", 2, "^escope: --store .* is not a directory$", "models", "--store", file);
        row("7 models on an empty store says so", 0, "^escope: no models in ", "models", "--store", store);
        throughTheLauncher();
        row("7 montage --frost-dir missing", 2, "^escope: --frost-dir /nonexistent does not exist$", "cifar10c",
                "montage", "--index", "0", "--out", tmp.resolve("m.png").toString(), "--frost-dir", "/nonexistent");
        row("7 --scale on the MNIST study", 2, "^escope: --scale applies to --study cifar10 only", "reproduce",
                "--scale", "smoke");

        row("8 --seeds (old) and --num-seeds together", 2, "^escope: --seeds is the old spelling of --num-seeds",
                "reproduce", "--seeds", "2", "--num-seeds", "2");
        row("8 --mc-samples 0 refused by reproduce", 2, "^escope: --mc-samples must be in 1..256, got 0$",
                "reproduce", "--mc-samples", "0");
        row("8 --mc-samples 0 refused by evaluate alike", 2, "^escope: --mc-samples must be in 1..256, got 0$",
                "evaluate", "some-model", "--mc-samples", "0", "--store", store);
        help("8 train --version", "^escope \\d", "train", "--version");
        help("8 serve trainer --version", "^escope \\d", "serve", "trainer", "--version");
        throughTheLauncher();

        row("10 evaluate --out holding an earlier report", 2, "^escope: --out .* is not empty", "evaluate",
                "some-model", "--store", store, "--out", full.toString());

        pool = Executors.newFixedThreadPool(3);
        for (Row r : ROWS) {
            if (r.launcher()) {
                RESULTS.put(r.toString(), pool.submit(() -> EscopeProcess.run(r.args())));
            }
        }
    }

    @AfterAll
    static void stop() throws IOException {
        pool.shutdownNow();
        busy.close();
    }

    static Stream<Row> rows() {
        return ROWS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void commandLineGivesExitCodeAndMessage(Row row) throws Exception {
        EscopeProcess.Result r = row.launcher() ? RESULTS.get(row.toString()).get() : inThisJvm(row.args());
        assertEquals(row.exit(), r.exit(), r::toString);
        assertTrue(row.stderr().matcher(r.err()).find(), () -> "stderr does not match " + row.stderr() + ": " + r);
        if (row.stdout() != null) {
            assertTrue(row.stdout().matcher(r.out()).find(), () -> "stdout does not match " + row.stdout() + ": " + r);
            assertFalse(Pattern.compile("\\b(trainer|inference|metrics)-server\\b").matcher(r.out()).find(),
                    "usage names the command as typed: " + r);
        }
        assertPlainText(r.err());
        if (row.exit() != 0) {
            assertEquals(1, r.err().strip().lines().count(), () -> "one line on stderr: " + r);
        }
    }

    /** The row's command as {@code main} executes it, in this JVM. */
    private static EscopeProcess.Result inThisJvm(List<String> args) {
        EscopeRun run = EscopeRun.escope(args.toArray(String[]::new));
        return new EscopeProcess.Result(args, run.exit(), run.out(), run.err());
    }

    /** No stack trace and no control characters (only newlines) in what a user reads. */
    static void assertPlainText(String err) {
        assertFalse(err.lines().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by:")),
                "no stack trace: " + err);
        assertTrue(err.chars().noneMatch(c -> c < 0x20 && c != '\n'), "no control characters: " + err);
    }

    @Test
    void verboseOrEscopeDebugAddTheStackTrace() throws Exception {
        EscopeProcess.Result verbose = inThisJvm(List.of("reproduce", "--mc-samples", "0", "--verbose"));
        // The environment variable is read by the launcher's process: only a process of its own can set it.
        EscopeProcess.Result debug = EscopeProcess.run(List.of("reproduce", "--mc-samples", "0"), List.of(),
                Map.of(ErrorHandling.DEBUG_ENV, "1"));
        for (EscopeProcess.Result r : List.of(verbose, debug)) {
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.err().startsWith("escope: --mc-samples must be in 1..256, got 0\n"), r::toString);
            assertTrue(r.err().contains("\tat io.ensemblescope.cli."), r::toString);
        }
    }

    @Test
    void badTrainValuesAreRejectedBeforeTheEngineLoads() throws Exception {
        Path log = tmp.resolve("classes.log");
        EscopeProcess.Result r = EscopeProcess.run(List.of("train", "--name", "m", "--batch-size", "0", "--store",
                tmp.resolve("store").toString()), List.of("-Xlog:class+load=info:file=" + log), Map.of());
        assertEquals(2, r.exit(), r::toString);
        assertEquals("escope: --batch-size must be > 0, got 0", r.err().strip());
        String loaded = Files.readString(log);
        assertTrue(loaded.contains("io.ensemblescope.trainer.request.TrainRequests"), "the trainer's own checks ran");
        // DJL's engine lookup may be touched; what costs the seconds is loading PyTorch's natives.
        assertFalse(loaded.contains("ai.djl.pytorch.jni.LibUtils"), "PyTorch was not loaded");
    }

    /** Every command in the tree, so that one added later (escope loadtest, …) is held to the contract too. */
    private static List<CommandLine> commands(CommandLine cl) {
        List<CommandLine> all = new ArrayList<>(List.of(cl));
        cl.getSubcommands().values().stream().distinct().forEach(sub -> all.addAll(commands(sub)));
        return all;
    }

    @Test
    void everyCommandHasHelpVersionAndAnExplainedOption() {
        List<CommandLine> all = commands(Escope.commandLine());
        assertTrue(all.size() >= 17, "the whole tree: " + all.size());
        for (CommandLine cl : all) {
            String name = cl.getCommandSpec().qualifiedName(" ");
            // picocli's help command brings its own -h/--help; it prints other commands' help, not a version.
            assertTrue(cl.getCommandSpec().mixinStandardHelpOptions() || name.equals("escope help")
                    && cl.getCommandSpec().findOption("-h") != null, name + ": -h/--help and -V/--version");
            assertTrue(cl.getCommandSpec().usageMessage().showDefaultValues(), name + ": defaults shown");
            assertTrue(cl.getCommandSpec().findOption("--verbose") != null, name + ": --verbose");
            for (OptionSpec o : cl.getCommandSpec().options()) {
                assertTrue(o.description().length > 0 && !o.description()[0].isBlank(),
                        name + " " + o.longestName() + ": a description");
            }
            for (PositionalParamSpec p : cl.getCommandSpec().positionalParameters()) {
                assertTrue(p.description().length > 0 && !p.description()[0].isBlank(),
                        name + " " + p.paramLabel() + ": a description");
            }
            String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertTrue(usage.contains("Usage: " + name + " "), usage); // picocli's help command: description first
            List<String> path = List.of(name.split(" ")).subList(1, name.split(" ").length);
            for (String flag : List.of("-h", "--help", "-V", "--version")) {
                StringWriter text = new StringWriter();
                CommandLine root = Escope.commandLine();
                root.setOut(new PrintWriter(text, true));
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                if (name.equals("escope help")) {
                    continue; // its own argument is a command name; escope help train is a row of the table
                }
                assertEquals(0, root.execute(args.toArray(String[]::new)), name + " " + flag);
                assertTrue(flag.endsWith("V") || flag.endsWith("version") ? text.toString().startsWith("escope ")
                        : text.toString().startsWith("Usage: " + name), name + " " + flag + ": " + text);
            }
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort(); // closed on return: nothing listens there
        }
    }
}
