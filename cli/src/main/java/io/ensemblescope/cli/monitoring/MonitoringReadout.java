package io.ensemblescope.cli.monitoring;

import io.ensemblescope.inference.monitoring.DriftThresholds;
import io.ensemblescope.inference.monitoring.ServedStatistic;
import io.ensemblescope.rpc.PrometheusText;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * One model's monitoring gauges as a scrape of the inference service's /metrics shows them: drift per statistic and
 * the rolling calibration of the labeled window.
 *
 * @param psi population stability index per statistic (NaN until the window is full)
 * @param ks Kolmogorov–Smirnov statistic per statistic
 */
public record MonitoringReadout(double driftWindow, Map<ServedStatistic, Double> psi, Map<ServedStatistic, Double> ks,
                                double labeledWindow, double accuracy, double nll, double brier, double ece) {

    public static MonitoringReadout read(PrometheusText scrape, String model) {
        Map<ServedStatistic, Double> psi = new EnumMap<>(ServedStatistic.class);
        Map<ServedStatistic, Double> ks = new EnumMap<>(ServedStatistic.class);
        for (ServedStatistic s : ServedStatistic.values()) {
            psi.put(s, gauge(scrape, "inference_drift_psi", model, s));
            ks.put(s, gauge(scrape, "inference_drift_ks", model, s));
        }
        return new MonitoringReadout(gauge(scrape, "inference_drift_window_samples", model, null), psi, ks,
                gauge(scrape, "inference_outcomes_window_samples", model, null),
                gauge(scrape, "inference_outcomes_accuracy", model, null),
                gauge(scrape, "inference_outcomes_nll", model, null),
                gauge(scrape, "inference_outcomes_brier", model, null),
                gauge(scrape, "inference_outcomes_ece", model, null));
    }

    private static double gauge(PrometheusText scrape, String name, String model, ServedStatistic s) {
        return (s == null ? scrape.value(name, "model", model)
                : scrape.value(name, "model", model, "statistic", s.label())).orElse(Double.NaN);
    }

    /** Whether either drift statistic of {@code s} is above its documented threshold. */
    public boolean drifted(ServedStatistic s) {
        return psi.get(s) > DriftThresholds.PSI || ks.get(s) > DriftThresholds.KS;
    }

    /** The gauges as a small table, each statistic marked stable or DRIFT. */
    public String table() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "  %-20s %8s %8s   (window %d samples; drift: PSI > %.2f or KS > %.2f)%n", "statistic", "PSI", "KS",
                (long) driftWindow, DriftThresholds.PSI, DriftThresholds.KS));
        for (ServedStatistic s : ServedStatistic.values()) {
            out.append(String.format(Locale.ROOT, "  %-20s %8.4f %8.4f   %s%n", s.label(), psi.get(s), ks.get(s),
                    drifted(s) ? "DRIFT" : "stable"));
        }
        out.append(String.format(Locale.ROOT,
                "  rolling calibration over %d labeled samples: accuracy %.4f  NLL %.4f  Brier %.4f  ECE %.4f",
                (long) labeledWindow, accuracy, nll, brier, ece));
        return out.toString();
    }
}
