package io.ensemblescope.cli.loadtest;

import io.ensemblescope.reports.load.ClientCpu;
import java.util.List;

/**
 * One run as measured: the windows it ran (warm-up excluded), whether the last ones were stable, their merge (plus
 * the requests still in flight when the last window closed, counted in latency and errors but not throughput),
 * requests due but never sent, and the generator's CPU over the windows.
 */
record RunOutcome(List<Interval> windows, boolean stable, Interval measured, double seconds, long completed,
                  long notSent, ClientCpu cpu) {
    double throughput() {
        return seconds > 0 ? completed / seconds : 0;
    }

    /** Requests the generator sent per second over the measured windows. */
    double sendRate() {
        return seconds > 0 ? measured.sent() / seconds : 0;
    }
}
