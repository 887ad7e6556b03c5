package io.ensemblescope.reports;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Quality against cost: NLL, ECE and OOD AUROC (three stacked panels) against one cost, a point per method, so a
 * reader can see which method buys the most quality for a latency or memory budget.
 */
final class CostCharts {
    private CostCharts() {}

    /**
     * @param cost the x value of each method, e.g. its p50 latency in ms
     */
    static JFreeChart qualityVs(String title, String costLabel, Map<String, MethodCost> methods,
                                ToDoubleFunction<MethodCost> cost, Function<String, CostSection.Quality> quality) {
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis(costLabel));
        XYPlot nll = panel("NLL", methods, cost, m -> quality.apply(m).nll(), 1);
        plot.add(nll, 1);
        plot.add(panel("ECE (%)", methods, cost, m -> quality.apply(m).ece(), 100), 1);
        plot.add(panel("OOD AUROC (%)", methods, cost, m -> quality.apply(m).auroc(), 100), 1);
        plot.setFixedLegendItems(nll.getLegendItems()); // one entry per method, not one per panel
        return new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    private static XYPlot panel(String metric, Map<String, MethodCost> methods, ToDoubleFunction<MethodCost> cost,
                                Function<String, Optional<io.ensemblescope.metrics.math.MeanStd>> value,
                                double scale) {
        XYSeriesCollection data = new XYSeriesCollection();
        methods.forEach((method, c) -> {
            XYSeries s = new XYSeries(method);
            double x = cost.applyAsDouble(c);
            value.apply(method).filter(v -> Double.isFinite(x)).ifPresent(v -> s.add(x, v.mean() * scale));
            data.addSeries(s);
        });
        NumberAxis y = new NumberAxis(metric);
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer points = new XYLineAndShapeRenderer(false, true);
        // The same colour and marker for a method in every panel.
        DefaultDrawingSupplier style = new DefaultDrawingSupplier();
        for (int i = 0; i < data.getSeriesCount(); i++) {
            points.setSeriesPaint(i, style.getNextPaint());
            points.setSeriesShape(i, style.getNextShape());
        }
        return new XYPlot(data, null, y, points);
    }
}
