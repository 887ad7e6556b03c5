package io.ensemblescope.core.routines;

import io.ensemblescope.core.random.SeededRandom;

/**
 * The run's random stream and where it restarts. Initial weights draw from the seed itself; then the stream restarts
 * at every epoch (data order), before every batch (augmentation, dropout masks) and before validation (MC-Dropout
 * masks) from a seed derived from that position alone. A resumed run therefore needs only its position — epoch and
 * batch, which the snapshot holds — to draw exactly what the unbroken run draws from there on.
 */
final class RunRandomness {
    private static final long EPOCH = 1;
    private static final long BATCH = 2;
    private static final long VALIDATION = 3;

    private final long seed;
    private final SeededRandom stream;

    RunRandomness(long seed) {
        this.seed = seed;
        this.stream = new SeededRandom(seed);
    }

    /** The stream the network's layers draw from (initial weights, dropout). */
    SeededRandom stream() {
        return stream;
    }

    /** The order of the {@code n} training rows in {@code epoch}. */
    int[] epochOrder(int epoch, int n) {
        stream.reseed(derive(EPOCH, epoch, 0));
        return stream.permutation(n);
    }

    /** Before batch {@code batch} (0-based) of {@code epoch}. */
    void beforeBatch(int epoch, int batch) {
        stream.reseed(derive(BATCH, epoch, batch));
    }

    /** Before the validation at the end of {@code epoch}. */
    void beforeValidation(int epoch) {
        stream.reseed(derive(VALIDATION, epoch, 0));
    }

    /**
     * A seed for one position, hashed so that positions get unrelated streams: seeds that differ by the
     * generator's own increment would give shifted copies of one stream.
     */
    private long derive(long purpose, long epoch, long batch) {
        long h = mix(seed ^ mix(purpose));
        h = mix(h ^ mix(epoch + 0x632BE59BD9B4E019L));
        return mix(h ^ mix(batch + 0x8CB92BA72F3D8DD7L));
    }

    /** Stafford's variant 13 of the MurmurHash3 64-bit finalizer (the mixer of SplitMix64). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
