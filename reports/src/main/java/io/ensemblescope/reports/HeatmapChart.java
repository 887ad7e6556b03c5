package io.ensemblescope.reports;

import java.awt.Color;
import java.awt.Paint;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;

/** A k×k member heatmap (disagreement, cosine similarity) with a colour legend. */
final class HeatmapChart {
    private HeatmapChart() {}

    static JFreeChart of(String title, List<Double> rowMajor, int k, double lower, double upper) {
        double[] xs = new double[k * k];
        double[] ys = new double[k * k];
        double[] zs = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                xs[i * k + j] = j;
                ys[i * k + j] = i;
                zs[i * k + j] = rowMajor.get(i * k + j);
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("members", new double[][] {xs, ys, zs});
        NumberAxis x = memberAxis("member j", k);
        NumberAxis y = memberAxis("member i", k);
        y.setInverted(true);
        XYBlockRenderer renderer = new XYBlockRenderer();
        Scale scale = new Scale(lower, upper);
        renderer.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        PaintScaleLegend legend = new PaintScaleLegend(scale, new NumberAxis());
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        chart.addSubtitle(legend);
        return chart;
    }

    private static NumberAxis memberAxis(String label, int k) {
        NumberAxis axis = new NumberAxis(label);
        axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        axis.setRange(-0.5, k - 0.5);
        return axis;
    }

    /** White at the lower bound to dark blue at the upper bound. */
    private record Scale(double lower, double upper) implements PaintScale {
        @Override
        public double getLowerBound() {
            return lower;
        }

        @Override
        public double getUpperBound() {
            return upper;
        }

        @Override
        public Paint getPaint(double value) {
            double t = Double.isFinite(value) ? Math.max(0, Math.min(1, (value - lower) / (upper - lower))) : 1;
            return new Color((int) (255 * (1 - 0.9 * t)), (int) (255 * (1 - 0.7 * t)), (int) (255 - 100 * t));
        }
    }
}
