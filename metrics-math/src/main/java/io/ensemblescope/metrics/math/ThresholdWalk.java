package io.ensemblescope.metrics.math;

/**
 * Steps through the distinct score values from the highest down; after each step, {@link #truePositives()} and
 * {@link #falsePositives()} count the samples scoring at least the current threshold (tied samples enter together).
 */
final class ThresholdWalk {
    private final double[] pos;
    private final double[] neg;
    private int ip;
    private int in;

    ThresholdWalk(double[] sortedPositives, double[] sortedNegatives) {
        this.pos = sortedPositives;
        this.neg = sortedNegatives;
        this.ip = pos.length - 1;
        this.in = neg.length - 1;
    }

    boolean hasNext() {
        return ip >= 0 || in >= 0;
    }

    /** Lowers the threshold to the next distinct score and returns it. */
    double next() {
        double v;
        if (ip < 0) {
            v = neg[in];
        } else if (in < 0) {
            v = pos[ip];
        } else {
            v = Math.max(pos[ip], neg[in]);
        }
        while (ip >= 0 && pos[ip] == v) {
            ip--;
        }
        while (in >= 0 && neg[in] == v) {
            in--;
        }
        return v;
    }

    long truePositives() {
        return pos.length - 1 - ip;
    }

    long falsePositives() {
        return neg.length - 1 - in;
    }
}
