package io.ensemblescope.cli.loadtest;

import java.util.SplittableRandom;

/** When an open loop sends: evenly spaced, or as a Poisson process (exponential gaps, the usual model of users). */
public enum Arrivals {
    POISSON,
    CONSTANT;

    /** Nanoseconds from one intended send to the next at {@code rate} requests/s. */
    long gapNanos(double rate, SplittableRandom random) {
        double mean = 1e9 / rate;
        return this == CONSTANT ? Math.round(mean) : Math.round(-Math.log(1 - random.nextDouble()) * mean);
    }
}
