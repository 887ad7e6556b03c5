package io.ensemblescope.cli.reproduce;

import io.ensemblescope.api.v1.TrainRequest;
import io.ensemblescope.core.checkpoint.Sha256;
import java.util.Locale;

/**
 * Names checkpoints after their exact spec, so a rerun with the same spec finds and reuses them: study, method, k,
 * seed and the first 10 hex digits of the request's sha256.
 */
final class CheckpointNames {
    private CheckpointNames() {}

    static String of(String study, StudyMethod method, long seed, TrainRequest specWithoutName) {
        String hash = Sha256.of(specWithoutName.toByteArray()).substring(0, 10);
        return String.format(Locale.ROOT, "%s-%s-k%d-s%d-%s", study,
                method.method().name().toLowerCase(Locale.ROOT).replace('_', '-'), method.members(), seed, hash);
    }
}
