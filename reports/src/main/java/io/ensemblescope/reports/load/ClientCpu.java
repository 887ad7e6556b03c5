package io.ensemblescope.reports.load;

/**
 * The load generator's own CPU over the measured windows, in cores: all of its threads together, its busiest thread
 * (near 1.0 means that thread is saturated and the offered load is limited by the generator, not the server), and the
 * whole process (which includes the server when it runs in-process).
 */
public record ClientCpu(double generatorCores, double busiestThread, double processCores) {
    /** Busiest-thread share above which the generator is reported as a possible bottleneck. */
    public static final double SATURATED = 0.9;

    public boolean saturated() {
        return busiestThread >= SATURATED;
    }
}
