package io.ensemblescope.reports;

import io.ensemblescope.reports.AblationTable.Column;
import java.util.List;
import java.util.Optional;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Diversity against quality for an ablation: OOD mutual information and weight cosine (two stacked panels) against
 * in-distribution NLL, a point per row, the single model and the Deep Ensemble labelled as the reference points. A
 * single model is one member, identical to itself: its weight cosine is 1 by definition.
 */
final class AblationChart {
    private AblationChart() {}

    static JFreeChart of(AblationTable table, Ablation ablation, List<String> rows) {
        NumberAxis nll = new NumberAxis("NLL on " + table.splits().in() + " (lower is better)");
        nll.setAutoRangeIncludesZero(false); // the rows differ in the second decimal
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(nll);
        XYPlot mi = panel("MI on " + table.splits().ood() + " (nats)", table, ablation, rows, Column.MI_OOD);
        plot.add(mi, 1);
        plot.add(panel("weight cosine (1 = identical)", table, ablation, rows, Column.WEIGHT_COSINE), 1);
        plot.setFixedLegendItems(mi.getLegendItems()); // one entry per row, not one per panel
        return new JFreeChart("What makes BatchEnsemble diverse? Diversity vs NLL", JFreeChart.DEFAULT_TITLE_FONT,
                plot, true);
    }

    private static XYPlot panel(String label, AblationTable table, Ablation ablation, List<String> rows,
                                Column diversity) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYPlot plot = new XYPlot(data, null, axis(label), new XYLineAndShapeRenderer(false, true));
        for (String row : rows) {
            XYSeries s = new XYSeries(row);
            Optional<Double> nll = table.mean(row, Column.NLL);
            Optional<Double> y = table.mean(row, diversity)
                    .or(() -> row.equals(ablation.single()) && diversity == Column.WEIGHT_COSINE
                            ? Optional.of(1.0) : Optional.empty());
            if (nll.isPresent() && y.isPresent()) {
                s.add(nll.get(), y.get());
                if (row.equals(ablation.single()) || row.equals(ablation.deepEnsemble())) {
                    XYTextAnnotation note = new XYTextAnnotation(row.equals(ablation.single()) ? "single model"
                            : "Deep Ensemble", nll.get(), y.get());
                    note.setTextAnchor(TextAnchor.BOTTOM_LEFT);
                    plot.addAnnotation(note);
                }
            }
            data.addSeries(s);
        }
        XYLineAndShapeRenderer points = (XYLineAndShapeRenderer) plot.getRenderer();
        // The same colour and marker for a row in both panels.
        DefaultDrawingSupplier style = new DefaultDrawingSupplier();
        for (int i = 0; i < data.getSeriesCount(); i++) {
            points.setSeriesPaint(i, style.getNextPaint());
            points.setSeriesShape(i, style.getNextShape());
        }
        return plot;
    }

    private static NumberAxis axis(String label) {
        NumberAxis y = new NumberAxis(label);
        y.setAutoRangeIncludesZero(false);
        return y;
    }
}
