package io.ensemblescope.core.routines;

import io.ensemblescope.core.models.NetworkSpec;
import java.util.List;
import java.util.Map;

/**
 * A whole training job: what to build, how to train it, on what, with which seeds.
 *
 * @param modelName checkpoint name
 * @param network method, k, architecture and options
 * @param config training hyperparameters
 * @param dataset description of the training data, recorded in the manifest
 * @param validationFraction share of the training data held out (the last rows) for validation
 * @param seeds one seed per run; a Deep Ensemble's members get distinct seeds
 */
public record JobSpec(String modelName, NetworkSpec network, TrainConfig config, Map<String, Object> dataset,
                      double validationFraction, List<Long> seeds) {
    public JobSpec {
        if (!(validationFraction > 0 && validationFraction <= 0.5)) {
            throw new IllegalArgumentException("validation_fraction must be in (0, 0.5], got " + validationFraction);
        }
        if (seeds.size() != network.replicas()) {
            throw new IllegalArgumentException("seeds: " + network.replicas() + " needed, got " + seeds.size());
        }
        seeds = List.copyOf(seeds);
    }

    /** Seeds for a job from the request's: one seed fans out to base, base+1, … per Deep-Ensemble member. */
    public static List<Long> expandSeeds(List<Long> given, int runs) {
        if (given.size() == runs) {
            return List.copyOf(given);
        }
        if (given.size() > 1) {
            throw new IllegalArgumentException("seeds: give one seed or one per member (" + runs + "), got "
                    + given.size());
        }
        long base = given.isEmpty() ? 1L : given.get(0);
        return java.util.stream.LongStream.range(0, runs).mapToObj(i -> base + i).toList();
    }

    public int runs() {
        return network.replicas();
    }
}
