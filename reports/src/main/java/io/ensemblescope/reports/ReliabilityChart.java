package io.ensemblescope.reports;

import io.ensemblescope.api.v1.ReliabilityBin;
import io.ensemblescope.api.v1.SplitReport;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Reliability diagram of one method on one split: accuracy per confidence bin, pooled over seeds (bin counts summed,
 * accuracy and confidence count-weighted), against the diagonal of perfect calibration.
 */
final class ReliabilityChart {
    private ReliabilityChart() {}

    static JFreeChart of(String method, String split, List<SplitReport> seeds) {
        int bins = seeds.get(0).getReliabilityCount();
        XYIntervalSeries accuracy = new XYIntervalSeries("accuracy");
        XYSeries confidence = new XYSeries("mean confidence");
        for (int b = 0; b < bins; b++) {
            long n = 0;
            double hits = 0;
            double conf = 0;
            for (SplitReport s : seeds) {
                ReliabilityBin bin = s.getReliability(b);
                n += bin.getCount();
                hits += bin.getAccuracy() * bin.getCount();
                conf += bin.getConfidence() * bin.getCount();
            }
            ReliabilityBin edges = seeds.get(0).getReliability(b);
            if (n > 0) {
                double acc = hits / n;
                accuracy.add((edges.getLower() + edges.getUpper()) / 2, edges.getLower(), edges.getUpper(), acc, acc,
                        acc);
                confidence.add((edges.getLower() + edges.getUpper()) / 2, conf / n);
            }
        }
        XYSeries diagonal = new XYSeries("perfect calibration");
        diagonal.add(0, 0);
        diagonal.add(1, 1);
        XYSeriesCollection lines = new XYSeriesCollection(diagonal);
        lines.addSeries(confidence);
        NumberAxis x = new NumberAxis("confidence (max p̄)");
        x.setRange(0, 1);
        NumberAxis y = new NumberAxis("accuracy");
        y.setRange(0, 1);
        XYBarRenderer barRenderer = new XYBarRenderer(0.05);
        barRenderer.setBarPainter(new StandardXYBarPainter());
        barRenderer.setShadowVisible(false);
        XYPlot plot = new XYPlot(new XYIntervalSeriesCollection(), x, y, barRenderer);
        XYIntervalSeriesCollection bars = new XYIntervalSeriesCollection();
        bars.addSeries(accuracy);
        plot.setDataset(0, bars);
        plot.setDataset(1, lines);
        plot.setRenderer(1, new XYLineAndShapeRenderer(true, true));
        return new JFreeChart("Reliability: " + method + " on " + split, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }
}
