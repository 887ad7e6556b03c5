package io.ensemblescope.reports;

import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/** Writes charts as PNG, rendering headless (no display is needed or used). */
public final class ChartFiles {
    static final int WIDTH = 640;
    static final int HEIGHT = 480;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ChartFiles() {}

    public static Path png(JFreeChart chart, Path dir, String name) throws IOException {
        Path file = dir.resolve(safe(name) + ".png");
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        return file;
    }

    /** A file-name-safe form: letters, digits, '.', '_' and '-' kept, anything else '_'. */
    public static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
