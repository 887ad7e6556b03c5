package io.ensemblescope.inference.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import java.util.concurrent.TimeUnit;

/** The current call's gRPC deadline as a {@link System#nanoTime()} instant the serving core understands. */
public final class Deadlines {
    private Deadlines() {}

    public static long nanoDeadline(long nowNanos) {
        Deadline d = Context.current().getDeadline();
        return d == null ? Long.MAX_VALUE : nowNanos + d.timeRemaining(TimeUnit.NANOSECONDS);
    }
}
