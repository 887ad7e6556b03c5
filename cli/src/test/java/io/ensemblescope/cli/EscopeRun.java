package io.ensemblescope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;

/**
 * One {@code escope} command run in this JVM as the launcher runs it ({@link Escope#commandLine()}), with what it
 * wrote to stdout and stderr (logs included).
 */
public record EscopeRun(int exit, String out, String err) {

    public static EscopeRun escope(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine cl = Escope.commandLine();
            cl.setErr(new PrintWriter(System.err, true));
            int exit = cl.execute(args);
            return new EscopeRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    /** A non-zero exit whose stderr is one line, mentioning {@code what}, with no stack trace. */
    public void assertOneLineError(String what) {
        assertNotEquals(0, exit);
        List<String> lines = err.strip().lines().toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).startsWith("escope: ") && lines.get(0).contains(what), err);
    }
}
