package io.ensemblescope.cli.progress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Progress of one step on stderr, in the form its reader can use: on a terminal a bar redrawn in place; in a pipe or
 * a file one plain line per tenth of the way (and at least every {@value #LINE_EVERY_SECONDS} s), never a control
 * character. {@code ESCOPE_PROGRESS=bar|lines|none} overrides the choice. The fraction shown only moves forward.
 */
public final class ProgressBar {
    /** Environment variable that overrides the output form: bar, lines or none. */
    public static final String ENV = "ESCOPE_PROGRESS";
    static final int LINE_EVERY_SECONDS = 30;
    private static final int WIDTH = 28;
    /** The stream whose last line is an unfinished bar, so that an error can start on a line of its own. */
    private static final AtomicReference<PrintStream> OPEN_LINE = new AtomicReference<>();

    enum Mode { BAR, LINES, NONE }

    private final PrintStream out;
    private final String label;
    private final Mode mode;
    private double shown = -1;
    private long lastDraw;
    private int lastTenth = -1;

    public ProgressBar(PrintStream out, String label) {
        this(out, label, mode(System.getenv(ENV)));
    }

    ProgressBar(PrintStream out, String label, Mode mode) {
        this.out = out;
        this.label = clean(label);
        this.mode = mode;
    }

    static Mode mode(String setting) {
        if (setting != null) {
            switch (setting.strip().toLowerCase(Locale.ROOT)) {
                case "bar" -> { return Mode.BAR; }
                case "lines" -> { return Mode.LINES; }
                case "none" -> { return Mode.NONE; }
                default -> { }
            }
        }
        return Terminal.stderrIsTerminal() ? Mode.BAR : Mode.LINES;
    }

    /** Ends an unfinished bar line, if any, so that what follows starts on its own line. */
    public static void endLine() {
        PrintStream open = OPEN_LINE.getAndSet(null);
        if (open != null) {
            open.println();
            open.flush();
        }
    }

    /** Shows {@code fraction} (never less than shown before) with {@code detail}. */
    public synchronized void update(double fraction, String detail) {
        double f = Math.max(shown, Math.max(0, Math.min(1, Double.isNaN(fraction) ? 0 : fraction)));
        shown = f;
        long now = System.nanoTime();
        switch (mode) {
            case BAR -> {
                if (f < 1 && now - lastDraw < 100_000_000L) {
                    return;
                }
                lastDraw = now;
                int filled = (int) Math.round(f * WIDTH);
                out.printf(Locale.ROOT, "\r%-44s [%s%s] %3.0f%% %s\u001b[K", label, "#".repeat(filled),
                        "-".repeat(WIDTH - filled), f * 100, clean(detail));
                OPEN_LINE.set(out);
            }
            case LINES -> {
                int tenth = (int) Math.floor(f * 10);
                if (tenth <= lastTenth && now - lastDraw < LINE_EVERY_SECONDS * 1_000_000_000L) {
                    return;
                }
                lastTenth = tenth;
                lastDraw = now;
                out.printf(Locale.ROOT, "%-44s %3.0f%% %s%n", label, f * 100, clean(detail));
            }
            case NONE -> { }
        }
        out.flush();
    }

    /** Shows 100 % with {@code detail} and ends the line. */
    public synchronized void done(String detail) {
        if (mode == Mode.LINES) {
            lastTenth = -1; // the final line is always printed
        }
        update(1, detail);
        if (mode == Mode.BAR) {
            out.println();
            out.flush();
            OPEN_LINE.compareAndSet(out, null);
        }
    }

    /** Details come from services and datasets: no control characters reach the output. */
    private static String clean(String s) {
        return s == null ? "" : s.replaceAll("\\p{Cntrl}", " ");
    }
}
