package io.ensemblescope.reports;

import io.ensemblescope.metrics.math.RankedScores;
import io.ensemblescope.metrics.math.RocCurve;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** OOD score histograms (in-distribution against OOD) and ROC curves (one line per method). */
final class OodCharts {
    private static final int HISTOGRAM_BINS = 50;
    /** ROC points kept per curve: enough to look smooth, few enough to render quickly at 10⁶ samples. */
    private static final int ROC_POINTS = 500;

    private OodCharts() {}

    static JFreeChart histogram(String method, String score, String inSplit, double[] in, String oodSplit,
                                double[] ood) {
        HistogramDataset data = new HistogramDataset();
        data.setType(HistogramType.RELATIVE_FREQUENCY);
        double lo = Math.min(min(in), min(ood));
        double hi = Math.max(max(in), max(ood));
        if (hi <= lo) {
            hi = lo + 1e-9;
        }
        data.addSeries(inSplit + " (in)", in, HISTOGRAM_BINS, lo, hi);
        data.addSeries(oodSplit + " (OOD)", ood, HISTOGRAM_BINS, lo, hi);
        JFreeChart chart = ChartFactory.createHistogram(method + ": " + score + " scores", score, "share of samples",
                data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setForegroundAlpha(0.6f);
        XYBarRenderer bars = (XYBarRenderer) plot.getRenderer();
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        return chart;
    }

    static JFreeChart roc(String score, String inSplit, String oodSplit, Map<String, double[][]> inAndOodByMethod) {
        XYSeriesCollection curves = new XYSeriesCollection();
        inAndOodByMethod.forEach((method, scores) -> {
            RocCurve roc = RocCurve.of(RankedScores.of(scores[1], scores[0]));
            XYSeries s = new XYSeries(method, false, true);
            int n = roc.falsePositiveRate().length;
            int step = Math.max(1, n / ROC_POINTS);
            for (int i = 0; i < n; i += step) {
                s.add(roc.falsePositiveRate()[i], roc.truePositiveRate()[i]);
            }
            s.add(roc.falsePositiveRate()[n - 1], roc.truePositiveRate()[n - 1]);
            curves.addSeries(s);
        });
        return ChartFactory.createXYLineChart("ROC (" + score + "): " + inSplit + " vs " + oodSplit + ", OOD positive",
                "false-positive rate (in-distribution)", "true-positive rate (OOD)", curves);
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
