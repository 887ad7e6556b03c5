package io.ensemblescope.cli.progress;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line text progress bar on stderr, redrawn in place; quiet when stderr is not meant for humans. */
public final class ProgressBar {
    private static final int WIDTH = 28;
    private final PrintStream out;
    private final String label;
    private long lastDraw;

    public ProgressBar(PrintStream out, String label) {
        this.out = out;
        this.label = label;
    }

    /** Redraws at most ten times a second, always at 100%. */
    public synchronized void update(double fraction, String detail) {
        long now = System.nanoTime();
        if (fraction < 1 && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        double f = Math.max(0, Math.min(1, fraction));
        int filled = (int) Math.round(f * WIDTH);
        out.printf(Locale.ROOT, "\r%-44s [%s%s] %3.0f%% %s\u001b[K", label, "#".repeat(filled),
                "-".repeat(WIDTH - filled), f * 100, detail);
        out.flush();
    }

    public synchronized void done(String detail) {
        update(1, detail);
        out.println();
    }
}
