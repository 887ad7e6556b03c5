package io.ensemblescope.rpc.security;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reloads certificates, keys and tokens every so often on one daemon thread for the whole process: rotated Secrets
 * apply without a restart (kubelet refreshes a mounted Secret within about a minute).
 */
public final class Reloads {
    private static final ScheduledExecutorService THREAD = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "credential-reload");
        t.setDaemon(true);
        return t;
    });

    private Reloads() {}

    /** A scheduled reload; closing it stops the reloading. */
    public interface Handle extends AutoCloseable {
        Handle NONE = () -> {};

        @Override
        void close();
    }

    /**
     * Calls {@link Reloadable#reloadIfChanged()} on each of {@code sources} every {@code period} until the returned
     * handle is closed. A zero or negative period schedules nothing.
     */
    public static Handle every(Duration period, List<? extends Reloadable> sources) {
        if (period.isZero() || period.isNegative() || sources.isEmpty()) {
            return Handle.NONE;
        }
        List<Reloadable> copy = List.copyOf(sources);
        ScheduledFuture<?> task = THREAD.scheduleWithFixedDelay(() -> {
            for (Reloadable r : copy) {
                try {
                    r.reloadIfChanged();
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(Reloads.class).warn("credential reload failed", e);
                }
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return () -> task.cancel(false);
    }
}
