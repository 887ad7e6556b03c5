package io.ensemblescope.reports;

import io.ensemblescope.api.v1.SplitKind;
import io.ensemblescope.api.v1.SplitReport;
import io.ensemblescope.metrics.math.MeanStd;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CIFAR-10-C summary the paper reports: shifted splits named {@code cifar10c-<corruption>-<severity>} grouped by
 * severity, and each metric averaged over a group's corruptions within every seed before mean ± std over seeds.
 */
final class CorruptionMeans {
    static final String PREFIX = "cifar10c-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(.+)-([1-5])");

    private CorruptionMeans() {}

    /** Severity → the SHIFTED CIFAR-10-C splits at that severity, for severities with at least two corruptions. */
    static Map<Integer, List<String>> groups(Map<String, SplitKind> splits) {
        Map<Integer, List<String>> out = new TreeMap<>();
        splits.forEach((name, kind) -> {
            Matcher m = NAME.matcher(name);
            if (kind == SplitKind.SHIFTED && m.matches()) {
                out.computeIfAbsent(Integer.parseInt(m.group(2)), s -> new ArrayList<>()).add(name);
            }
        });
        out.values().removeIf(names -> names.size() < 2);
        return out;
    }

    /** The corruption part of a split name, e.g. {@code fog} of {@code cifar10c-fog-5}. */
    static String corruption(String split) {
        Matcher m = NAME.matcher(split);
        return m.matches() ? m.group(1) : split;
    }

    /**
     * Mean ± std over seeds of the per-seed mean over {@code splits}; a seed missing any of the splits is left out,
     * so every seed's mean covers the same corruptions.
     */
    static Optional<MeanStd> mean(List<SeedRun> runs, List<String> splits, ToDoubleFunction<SplitReport> metric) {
        List<Double> perSeed = new ArrayList<>();
        for (SeedRun run : runs) {
            double sum = 0;
            int found = 0;
            for (SplitReport s : run.evaluation().getSplitsList()) {
                if (splits.contains(s.getSplit().getName())) {
                    sum += metric.applyAsDouble(s);
                    found++;
                }
            }
            if (found == splits.size()) {
                perSeed.add(sum / found);
            }
        }
        return perSeed.isEmpty() ? Optional.empty()
                : Optional.of(MeanStd.of(perSeed.stream().mapToDouble(Double::doubleValue).toArray()));
    }
}
