package io.ensemblescope.cli;

import io.ensemblescope.reports.ReportWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * Where a command writes its report ({@code reproduce}, {@code evaluate}): {@code --out}, a new or empty directory,
 * else a new {@code reports/<run>-<time>/}. A picocli mixin, so both spell and check it the same way.
 */
public final class ReportOut {
    @Option(names = "--out", description = "Report directory, new or empty (default: reports/<run>-<time>).")
    Path out;

    /** Checks --out before any work: a report never lands beside an earlier one's plots. */
    public void validate() {
        if (out != null) {
            Values.newDirectory("--out", out);
        }
    }

    /** --out, else {@code reports/<run>-<yyyyMMdd-HHmmss>}. */
    public Path directory(String run) {
        return out != null ? out : Path.of("reports", run + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** Says on stderr where the report went. */
    public static void announce(ReportWriter.Written written) {
        System.err.printf(Locale.ROOT, "report: %s (%d plots)%n", written.markdown().toAbsolutePath(),
                written.plots().size());
    }
}
