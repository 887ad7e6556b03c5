package io.ensemblescope.reports;

import java.util.List;

/**
 * Published numbers printed beside a run's own, clearly marked as someone else's: where they come from, under which
 * setting (architecture, data, training budget — the scale they were measured at), and one row per method and split.
 *
 * @param source  e.g. "the paper (arXiv 2601.16936)"
 * @param setting the scale of the published numbers, e.g. "ResNet-18, k = 4, 75 epochs, full CIFAR-10"
 * @param columns column headers (units included, e.g. "Acc (%)") and the decimals the source gives
 * @param rows    the numbers; a null value is a cell the source does not report
 * @param provenance published by the source, or measured by an independent implementation (not this project)
 */
public record ReferenceTable(String source, String setting, List<Column> columns, List<Row> rows,
                             Provenance provenance) {
    /** Where the numbers come from, so the report never passes a measurement off as a publication. */
    public enum Provenance {
        PUBLISHED("the published numbers", "published"),
        MEASURED("reference measurements of an independent implementation", "reference");

        private final String phrase;
        private final String label;

        Provenance(String phrase, String label) {
            this.phrase = phrase;
            this.label = label;
        }

        /** e.g. "the published numbers", as in "These are the published numbers, not this run's". */
        public String phrase() {
            return phrase;
        }

        /** e.g. "published", as in the column header "Method (published)". */
        public String label() {
            return label;
        }
    }

    /** Published numbers. */
    public ReferenceTable(String source, String setting, List<Column> columns, List<Row> rows) {
        this(source, setting, columns, rows, Provenance.PUBLISHED);
    }

    public ReferenceTable {
        if (provenance == null) {
            throw new IllegalArgumentException("reference.provenance: required");
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("reference.source: required");
        }
        setting = setting == null ? "" : setting;
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("reference.columns: at least one");
        }
        rows = List.copyOf(rows);
        for (Row r : rows) {
            if (r.values().size() != columns.size()) {
                throw new IllegalArgumentException("reference.rows: " + r.method() + " on " + r.split() + " has "
                        + r.values().size() + " values for " + columns.size() + " columns");
            }
        }
    }

    /** A column: header and decimals printed (published numbers keep their precision, e.g. 0.010). */
    public record Column(String header, int decimals) {
        public Column {
            if (decimals < 0) {
                throw new IllegalArgumentException("reference.columns." + header + ": decimals must be >= 0");
            }
        }
    }

    /** One method on one split; values in column order, null where not reported. */
    public record Row(String split, String method, List<Double> values) {
        public Row {
            values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values)); // nulls allowed
        }
    }
}
