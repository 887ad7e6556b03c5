package io.ensemblescope.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * One {@code escope} command run in this JVM as the launcher runs it ({@link Escope#commandLine()}), with what it
 * wrote to stdout and stderr (logs included).
 */
record EscopeRun(int exit, String out, String err) {

    static EscopeRun escope(String... args) {
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
}
