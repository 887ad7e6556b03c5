package io.ensemblescope.cli.reproduce;

import io.ensemblescope.reports.ReferenceTable;
import io.ensemblescope.reports.ReferenceTable.Column;
import io.ensemblescope.reports.ReferenceTable.Row;
import java.util.Arrays;
import java.util.List;

/**
 * The numbers "Is BatchEnsemble a Single Model?" (arXiv 2601.16936) publishes for CIFAR-10, for printing beside a
 * run's own (in this project's units: accuracy and ECE in %). Cells the paper does not report are null.
 */
public final class PaperNumbers {
    public static final String SOURCE = "The paper's numbers (arXiv 2601.16936)";
    /** The paper gives every number to three decimals as a fraction: one decimal in %. */
    static final List<Column> COLUMNS = List.of(new Column("Acc (%)", 1), new Column("NLL", 3),
            new Column("ECE (%)", 1), new Column("SVHN AUROC (%)", 1), new Column("JSD", 3));

    private PaperNumbers() {}

    public static ReferenceTable cifar10() {
        String c = "CIFAR-10-C severity 5";
        return new ReferenceTable(SOURCE, "ResNet-18, k = 4, 75 epochs of SGD on the full CIFAR-10 training set"
                + " (the paper scale); CIFAR-10-C rows are over its corruptions at severity 5, OOD is SVHN", COLUMNS,
                List.of(row("CIFAR-10", "Single", 94.1, 0.237, 3.4, null, null),
                        row(c, "Single", 55.8, 2.545, 32.3, null, null),
                        row(c, "MC Dropout", 57.8, 2.054, 25.1, null, null),
                        row(c, "Deep Ensemble", 57.5, 1.682, 20.6, null, null),
                        row(c, "BatchEnsemble", 54.7, 2.357, 30.8, null, null),
                        row("SVHN (OOD)", "MC Dropout", null, null, null, 88.4, null),
                        row("SVHN (OOD)", "Deep Ensemble", null, null, null, 92.4, null),
                        row("SVHN (OOD)", "BatchEnsemble", null, null, null, 88.8, null),
                        row("member predictions (JSD = MI)", "Deep Ensemble", null, null, null, null, 0.277),
                        row("member predictions (JSD = MI)", "BatchEnsemble", null, null, null, null, 0.010)));
    }

    private static Row row(String split, String method, Double... values) {
        return new Row(split, method, Arrays.asList(values));
    }
}
