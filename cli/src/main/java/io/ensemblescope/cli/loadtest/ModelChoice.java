package io.ensemblescope.cli.loadtest;

import io.ensemblescope.api.v1.Method;
import io.ensemblescope.api.v1.ModelRef;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The models a load test takes when none are named: one of each method from the latest study. The newest checkpoint
 * names the study; names written by {@code escope reproduce} ({@code <study>-<method>-k<k>-s<seed>-<hash>}) then
 * pick the same study and seed for every method, else the newest checkpoint of each method is taken. Deep Ensemble
 * and BatchEnsemble come with the same k (the newer ensemble's).
 */
final class ModelChoice {
    private static final Pattern STUDY_NAME = Pattern.compile(
            "(?<study>.+)-(?<method>single|mc-dropout|deep-ensemble|batch-ensemble)-k(?<k>\\d+)-s(?<seed>\\d+)"
                    + "-[0-9a-f]{10}");
    private static final List<Method> ORDER = List.of(Method.SINGLE, Method.MC_DROPOUT, Method.DEEP_ENSEMBLE,
            Method.BATCH_ENSEMBLE);

    /** A checkpoint version the target offers; {@code createdAt} ISO-8601, or empty when unknown. */
    record Candidate(ModelRef ref, Method method, int members, String createdAt) {}

    private ModelChoice() {}

    /** At most one model per method, in the study's row order; empty when there are no candidates. */
    static List<ModelRef> latestStudy(List<Candidate> candidates) {
        List<Candidate> byAge = new ArrayList<>(candidates);
        // Stable sort: with equal (or unknown) times the target's own order decides.
        byAge.sort(Comparator.comparing(c -> created(c.createdAt())));
        if (byAge.isEmpty()) {
            return List.of();
        }
        Matcher newest = STUDY_NAME.matcher(byAge.get(byAge.size() - 1).ref().getName());
        Predicate<Candidate> sameStudy = newest.matches() ? c -> {
            Matcher m = STUDY_NAME.matcher(c.ref().getName());
            return m.matches() && m.group("study").equals(newest.group("study"))
                    && m.group("seed").equals(newest.group("seed"));
        } : c -> true;
        List<Candidate> study = byAge.stream().filter(sameStudy).toList();
        Optional<Integer> k = newestOf(study, c -> c.method() == Method.DEEP_ENSEMBLE
                || c.method() == Method.BATCH_ENSEMBLE).map(Candidate::members);
        List<ModelRef> out = new ArrayList<>();
        for (Method method : ORDER) {
            boolean ensemble = method == Method.DEEP_ENSEMBLE || method == Method.BATCH_ENSEMBLE;
            newestOf(study, c -> c.method() == method && (!ensemble || k.get() == c.members()))
                    .ifPresent(c -> out.add(c.ref()));
        }
        return out;
    }

    private static Optional<Candidate> newestOf(List<Candidate> byAge, Predicate<Candidate> keep) {
        Candidate found = null;
        for (Candidate c : byAge) {
            if (keep.test(c)) {
                found = c;
            }
        }
        return Optional.ofNullable(found);
    }

    private static Instant created(String iso) {
        try {
            return iso == null || iso.isEmpty() ? Instant.EPOCH : Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
