package io.ensemblescope.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.metrics.math.MeanStd;
import io.ensemblescope.metrics.math.OodScore;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The report's Cost section — parameters, weight bytes, FLOPs, served memory, latency and peak throughput per method
 * — and the quality each method buys for it (in-distribution NLL and ECE, OOD AUROC of the max-softmax score), so
 * the report answers "which method fits my budget" beside "is BatchEnsemble a single model?".
 */
final class CostSection {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** One method's quality: NLL, ECE and OOD AUROC (fractions), each absent when the study lacks the split. */
    record Quality(Optional<MeanStd> nll, Optional<MeanStd> ece, Optional<MeanStd> auroc) {}

    /** What the quality columns are measured on, e.g. "mnist" and "mnist vs fashion-mnist". */
    record Basis(String inSplit, List<String> oodPair) {}

    private CostSection() {}

    static JsonNode json(CostTable cost) {
        return JSON.valueToTree(cost);
    }

    static Basis basis(StudyAggregates agg) {
        String in = agg.splits().entrySet().stream().filter(e -> e.getValue() == SplitKind.IN_DISTRIBUTION)
                .map(Map.Entry::getKey).findFirst().orElse(null);
        List<String> pair = agg.oodPairs().stream().findFirst().orElse(null);
        return new Basis(in, pair);
    }

    static Quality quality(StudyAggregates agg, Basis basis, String method) {
        Optional<MeanStd> none = Optional.empty();
        return new Quality(basis.inSplit() == null ? none : agg.split(method, basis.inSplit(), SplitColumn.NLL.value),
                basis.inSplit() == null ? none : agg.split(method, basis.inSplit(), SplitColumn.ECE.value),
                basis.oodPair() == null ? none : agg.ood(method, basis.oodPair(), OodScore.MSP.id(),
                        OodColumn.AUROC.value));
    }

    static void markdown(StringBuilder md, StudyResults study, StudyAggregates agg) {
        CostTable cost = study.cost();
        md.append("## Cost\n\n");
        cost.notes().forEach(n -> md.append("- ").append(n).append('\n'));
        md.append("\n| Method | Parameters: shared + k × per member | Weights (MiB) | FLOPs / sample |"
                + " Served memory (MiB) | p50 / p99 at B = 1 (ms) | p50 / p99 at B = 32 (ms) | Peak samples/s |\n"
                + "|---|---|---:|---:|---:|---:|---:|---|\n");
        cost.methods().forEach((method, c) -> md.append("| ").append(method).append(" | ")
                .append(parameters(c)).append(" | ").append(mib((double) c.weightBytes())).append(" | ")
                .append(flops(c.flopsPerSample())).append(" | ").append(mib(c.servedBytes())).append(" | ")
                .append(latency(c.batch1())).append(" | ").append(latency(c.batch32())).append(" | ")
                .append(String.format(Locale.ROOT, "%,.0f (%s)", c.peakSamplesPerSecond(), c.peakAt()))
                .append(" |\n"));
        Basis basis = basis(agg);
        md.append("\nQuality for the price (mean over seeds; NLL and ECE on ")
                .append(basis.inSplit() == null ? "—" : basis.inSplit()).append(", OOD AUROC of the max-softmax"
                        + " score on ").append(basis.oodPair() == null ? "—" : String.join(" vs ", basis.oodPair()))
                .append("; memory is the served memory where measured, else the weight bytes):\n\n"
                        + "| Method | NLL | ECE (%) | OOD AUROC (%) | p50 at B = 1 (ms) | Memory (MiB) |\n"
                        + "|---|---:|---:|---:|---:|---:|\n");
        cost.methods().forEach((method, c) -> {
            Quality q = study.methods().containsKey(method) ? quality(agg, basis, method)
                    : new Quality(Optional.empty(), Optional.empty(), Optional.empty());
            md.append("| ").append(method).append(" | ").append(mean(q.nll(), 4, 1)).append(" | ")
                    .append(mean(q.ece(), 2, 100)).append(" | ").append(mean(q.auroc(), 2, 100)).append(" | ")
                    .append(ms(c.batch1().p50())).append(" | ").append(mib(c.memoryBytes())).append(" |\n");
        });
        md.append("\nPlots: `plots/cost-quality-vs-latency.png`, `plots/cost-quality-vs-memory.png`. FLOPs count"
                + " 2 per multiply-accumulate of linear and convolution layers, their bias adds and BatchEnsemble's"
                + " fast-weight scalings, for all members together (T passes for MC Dropout).\n\n");
    }

    private static String parameters(MethodCost c) {
        return String.format(Locale.ROOT, "%,d + %d × %,d = %,d", c.sharedParameters(), c.members(),
                c.perMemberParameters(), c.parameters());
    }

    private static String flops(double f) {
        return f >= 1e9 ? String.format(Locale.ROOT, "%.2f G", f / 1e9)
                : String.format(Locale.ROOT, "%.3f M", f / 1e6);
    }

    private static String latency(MethodCost.Latency l) {
        return l.requests() == 0 ? "—" : ms(l.p50()) + " / " + ms(l.p99());
    }

    private static String ms(double micros) {
        return Double.isFinite(micros) ? String.format(Locale.ROOT, "%.2f", micros / 1000) : "—";
    }

    private static String mib(Double bytes) {
        return bytes == null ? "—" : String.format(Locale.ROOT, "%.2f", bytes / (1024.0 * 1024.0));
    }

    private static String mean(Optional<MeanStd> v, int decimals, double scale) {
        return v.map(m -> String.format(Locale.ROOT, "%." + decimals + "f", m.mean() * scale)).orElse("—");
    }
}
