package io.ensemblescope.cli.loadtest;

import io.ensemblescope.cli.progress.ProgressBar;
import io.ensemblescope.reports.load.LoadResult;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a load test with an ETA: a live bar on a terminal, one plain line per finished run otherwise (no
 * control characters in pipes and logs).
 */
public final class LoadProgress {
    private final PrintStream out;
    private final ProgressBar bar;
    private final int runs;
    private final long runEstimateNanos;
    private final long start = System.nanoTime();
    private int done;

    /**
     * @param runs runs planned
     * @param runEstimateNanos expected length of one run, for the ETA before any has finished
     */
    public LoadProgress(PrintStream out, boolean live, int runs, long runEstimateNanos) {
        this.out = out;
        this.bar = live ? new ProgressBar(out, "loadtest") : null;
        this.runs = runs;
        this.runEstimateNanos = runEstimateNanos;
    }

    /** Live when stderr is a terminal (the JVM has a console) and TERM is not "dumb". */
    public static boolean terminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    synchronized void running(String what) {
        if (bar != null) {
            bar.update((double) done / runs, what + "  " + eta());
        }
    }

    synchronized void finished(LoadResult r) {
        done++;
        String line = String.format(Locale.ROOT, "[%d/%d] %s B=%d %s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, %d errors%s"
                        + "  %s", done, runs, r.label(), r.point().batch(), r.point().load(), r.requestsPerSecond(),
                r.latency().p50() / 1e3, r.latency().p99() / 1e3, r.errorCount(), r.stable() ? "" : " (unstable)",
                eta());
        if (bar != null) {
            bar.update((double) done / runs, line);
        } else {
            out.println(line);
        }
    }

    synchronized void end() {
        if (bar != null) {
            bar.done(String.format(Locale.ROOT, "%d runs in %s", done, duration(System.nanoTime() - start)));
        }
    }

    private String eta() {
        long elapsed = System.nanoTime() - start;
        long perRun = done == 0 ? runEstimateNanos : elapsed / done;
        return "ETA " + duration(perRun * (runs - done));
    }

    static String duration(long nanos) {
        long s = Math.round(nanos / 1e9);
        return s >= 60 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60) : s + " s";
    }
}
