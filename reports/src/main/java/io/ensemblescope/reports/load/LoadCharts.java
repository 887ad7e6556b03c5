package io.ensemblescope.reports.load;

import java.awt.BasicStroke;
import java.awt.Paint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The load test's charts: latency against throughput, p99 against batch size, and latency CDFs. */
final class LoadCharts {
    private LoadCharts() {}

    /** p50 and p99 against achieved samples/s, one pair of lines per model, for one batch size and loop mode. */
    static JFreeChart latencyVsThroughput(List<LoadResult> results, int batch, String mode) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, List<LoadResult>> m : byLabel(results,
                r -> r.point().batch() == batch && r.point().mode().equals(mode)).entrySet()) {
            XYSeries p50 = new XYSeries(m.getKey() + " p50", false, true);
            XYSeries p99 = new XYSeries(m.getKey() + " p99", false, true);
            for (LoadResult r : m.getValue()) {
                p50.add(r.samplesPerSecond(), r.latency().p50() / 1000);
                p99.add(r.samplesPerSecond(), r.latency().p99() / 1000);
            }
            data.addSeries(p50);
            data.addSeries(p99);
        }
        JFreeChart chart = lines(ChartFactory.createXYLineChart("Latency vs throughput, B = " + batch + ", " + mode
                + " loop", "throughput (samples/s)", "latency (ms)", data));
        // A model's p50 and p99 share its colour; p99 is dashed.
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
        DefaultDrawingSupplier colours = new DefaultDrawingSupplier();
        for (int i = 0; i < data.getSeriesCount(); i += 2) {
            Paint paint = colours.getNextPaint();
            r.setSeriesPaint(i, paint);
            r.setSeriesPaint(i + 1, paint);
            r.setSeriesStroke(i + 1, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 4f}, 0f));
        }
        return chart;
    }

    /** p99 against batch size, one line per model, at one load (concurrency or rate). */
    static JFreeChart p99VsBatch(List<LoadResult> results, String load) {
        XYSeriesCollection data = new XYSeriesCollection();
        byLabel(results, r -> r.point().load().equals(load)).forEach((label, runs) -> {
            XYSeries s = new XYSeries(label, true, true);
            runs.forEach(r -> s.add(r.point().batch(), r.latency().p99() / 1000));
            data.addSeries(s);
        });
        return lines(ChartFactory.createXYLineChart("p99 latency vs batch size, " + load, "batch size B",
                "p99 latency (ms)", data));
    }

    /** Cumulative latency distribution of every model at one point, latency on a log axis. */
    static JFreeChart cdf(List<LoadResult> results, LoadPoint point) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (LoadResult r : results) {
            if (r.point().equals(point) && !r.cdf().isEmpty()) {
                XYSeries s = new XYSeries(r.label(), false, true);
                r.cdf().forEach(p -> s.add(Math.max(p[0], 1) / 1000, p[1]));
                data.addSeries(s);
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Latency CDF, B = " + point.batch() + ", " + point.load(),
                "latency (ms, log scale)", "percentile", data);
        LogAxis x = new LogAxis("latency (ms, log scale)");
        x.setSmallestValue(1e-3);
        chart.getXYPlot().setDomainAxis(x);
        return chart;
    }

    private static Map<String, List<LoadResult>> byLabel(List<LoadResult> results, Predicate<LoadResult> keep) {
        Map<String, List<LoadResult>> out = new LinkedHashMap<>();
        results.stream().filter(keep).filter(r -> r.requests() > 0)
                .forEach(r -> out.computeIfAbsent(r.label(), l -> new java.util.ArrayList<>()).add(r));
        return out;
    }

    private static JFreeChart lines(JFreeChart chart) {
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        plot.setRenderer(renderer);
        return chart;
    }
}
