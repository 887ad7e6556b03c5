package io.ensemblescope.inference.monitoring;

import io.ensemblescope.core.checkpoint.Manifest;
import io.ensemblescope.inference.serving.PredictCall;
import io.ensemblescope.inference.serving.Prediction;
import io.ensemblescope.inference.serving.ServingObserver;
import io.ensemblescope.metrics.math.SampleStatistics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live uncertainty monitoring of every serving model: per-sample statistics of the member probabilities already in
 * hand (histograms and a drift window against the version's reference profile), and outcome feedback — predictions
 * that carried a request id are held until {@link #report} labels them, feeding a rolling calibration window. Series
 * exist only for loaded models and go when a model stops serving.
 */
public final class UncertaintyMonitor implements ServingObserver {
    /** Request ids longer than this are neither held nor accepted. */
    public static final int MAX_ID_CHARS = 128;
    /** Outcomes per report at most. */
    public static final int MAX_OUTCOMES = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(UncertaintyMonitor.class);

    private final MonitoringOptions options;
    private final PrometheusMeterRegistry registry;
    private final ServedHistograms histograms;
    private final Map<String, ModelMonitor> monitors = new ConcurrentHashMap<>();
    private final Object lifecycle = new Object();
    /** Guards every model's held predictions, so a report is validated and applied as one step. */
    private final Object pendingLock = new Object();
    private final AtomicLong sequence = new AtomicLong();
    private final Counter unknown;

    public UncertaintyMonitor(MonitoringOptions options, PrometheusMeterRegistry registry) {
        this.options = options;
        this.registry = registry;
        this.histograms = new ServedHistograms();
        registry.getPrometheusRegistry().register(histograms);
        this.unknown = Counter.builder("inference.outcomes.unknown")
                .description("Reported outcomes whose request id was not held").register(registry);
    }

    @Override
    public void loaded(Manifest manifest, Path dir) {
        ReferenceProfile reference = null;
        try {
            reference = ReferenceProfiles.read(dir, manifest).orElse(null);
        } catch (IOException | IllegalStateException e) {
            LOG.warn("{}/{}: reference profile not used, drift not reported: {}", manifest.name(),
                    manifest.version(), e.getMessage());
        }
        synchronized (lifecycle) {
            ModelMonitor old = monitors.remove(manifest.name());
            if (old != null) {
                old.close();
            }
            monitors.put(manifest.name(), new ModelMonitor(manifest, reference, options, registry, histograms,
                    pendingLock));
        }
    }

    @Override
    public void retired(String name, String version) {
        synchronized (lifecycle) {
            ModelMonitor m = monitors.get(name);
            if (m != null && m.version().equals(version)) {
                monitors.remove(name);
                m.close();
            }
        }
    }

    @Override
    public void served(PredictCall call, Prediction p) {
        ModelMonitor m = monitors.get(p.name());
        if (m == null || !m.version().equals(p.version())) {
            return; // answered by a version that has since stopped serving
        }
        float[] probs = p.memberProbabilities();
        SampleStatistics s;
        try {
            s = SampleStatistics.of(probs, p.members(), p.batch(), p.classes());
        } catch (IllegalArgumentException e) {
            m.skipped();
            return;
        }
        m.observe(s);
        String id = p.requestId();
        if (id != null && !id.isEmpty() && id.length() <= MAX_ID_CHARS) {
            PendingPredictions.Held held = new PendingPredictions.Held(probs, p.members(), p.batch(), p.classes(),
                    sequence.incrementAndGet());
            synchronized (pendingLock) {
                m.pending().hold(id, held);
            }
        }
    }

    /**
     * Labels held predictions. Either every outcome is valid and every known one is applied, or nothing is.
     *
     * @throws IllegalArgumentException naming the outcome and field at fault
     */
    public OutcomeTally report(List<Outcome> outcomes) {
        if (outcomes.size() > MAX_OUTCOMES) {
            throw new IllegalArgumentException("outcomes: " + outcomes.size() + " in one call, at most "
                    + MAX_OUTCOMES);
        }
        for (int i = 0; i < outcomes.size(); i++) {
            checkSyntax(outcomes.get(i), "outcomes[" + i + "]");
        }
        record Claim(ModelMonitor monitor, String id, PendingPredictions.Held held, int[] labels) {}
        List<Claim> claims = new ArrayList<>();
        int notHeld = 0;
        synchronized (pendingLock) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < outcomes.size(); i++) {
                Outcome o = outcomes.get(i);
                ModelMonitor holder = seen.add(o.requestId()) ? holderOf(o.requestId()) : null;
                if (holder == null) {
                    notHeld++;
                    continue;
                }
                PendingPredictions.Held h = holder.pending().get(o.requestId());
                checkLabels(o, h, "outcomes[" + i + "]");
                claims.add(new Claim(holder, o.requestId(), h, o.labels()));
            }
            claims.forEach(c -> c.monitor().pending().take(c.id()));
        }
        long samples = 0;
        for (Claim c : claims) {
            PendingPredictions.Held h = c.held();
            c.monitor().label(SampleStatistics.of(h.probabilities(), h.members(), h.batch(), h.classes(),
                    c.labels()), c.labels());
            samples += c.labels().length;
        }
        unknown.increment(notHeld);
        return new OutcomeTally(claims.size(), notHeld, samples);
    }

    /** The model holding {@code id}; when several do, the one that held it last. */
    private ModelMonitor holderOf(String id) {
        ModelMonitor best = null;
        long bestSequence = -1;
        for (ModelMonitor m : monitors.values()) {
            PendingPredictions.Held h = m.pending().get(id);
            if (h != null && h.sequence() > bestSequence) {
                best = m;
                bestSequence = h.sequence();
            }
        }
        return best;
    }

    private static void checkSyntax(Outcome o, String where) {
        String id = o.requestId();
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException(where + ".request_id: required");
        }
        if (id.length() > MAX_ID_CHARS) {
            throw new IllegalArgumentException(where + ".request_id: " + id.length() + " characters, at most "
                    + MAX_ID_CHARS + " ('" + id.substring(0, 32) + "…')");
        }
        int[] labels = o.labels();
        if (labels == null || labels.length == 0) {
            throw new IllegalArgumentException(where + ".labels: required, one per sample of the request");
        }
        for (int j = 0; j < labels.length; j++) {
            if (labels[j] < 0) {
                throw new IllegalArgumentException(where + ".labels[" + j + "]: " + labels[j] + " is negative");
            }
        }
    }

    private static void checkLabels(Outcome o, PendingPredictions.Held h, String where) {
        int[] labels = o.labels();
        if (labels.length != h.batch()) {
            throw new IllegalArgumentException(where + ".labels: " + labels.length + " labels for request '"
                    + o.requestId() + "' of " + h.batch() + " samples");
        }
        for (int j = 0; j < labels.length; j++) {
            if (labels[j] >= h.classes()) {
                throw new IllegalArgumentException(where + ".labels[" + j + "]: " + labels[j] + " outside [0, "
                        + h.classes() + ")");
            }
        }
    }
}
