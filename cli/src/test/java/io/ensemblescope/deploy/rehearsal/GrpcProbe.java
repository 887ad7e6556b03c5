package io.ensemblescope.deploy.rehearsal;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kubernetes.client.openapi.models.V1Probe;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A Kubernetes gRPC probe as the kubelet runs it: {@code grpc.health.v1.Health/Check} for the probe's service (empty:
 * the server as a whole) on the pod's port, after {@code initialDelaySeconds}, each check bounded by
 * {@code timeoutSeconds}, failing after {@code failureThreshold} periods; checks needing one success run every half
 * second within that budget (the kubelet's next check would come up to a period later, which only adds waiting).
 */
final class GrpcProbe {
    /**
     * Stretches a startup probe's failure threshold on a machine far busier than a node (default 1: as declared).
     * A run with another value says so in its output; CI runs with 1.
     */
    static final int SLOWDOWN = Integer.getInteger("rehearsal.slowdown", 1);
    /** How often a probe needing one success checks within its period. */
    private static final long POLL_MILLIS = 500;

    private GrpcProbe() {}

    /**
     * Blocks until the probe succeeds {@code successThreshold} times in a row. A startup probe fails (here: throws)
     * after {@code failureThreshold} failures; other probes are bounded by {@code maxChecks}.
     */
    static int await(V1Probe probe, int hostPort, boolean startup, int maxChecks, BooleanSupplier running)
            throws InterruptedException {
        if (probe == null) {
            return 0;
        }
        if (probe.getGrpc() == null) {
            throw new IllegalStateException("only gRPC probes are rehearsed: " + probe);
        }
        long period = seconds(probe.getPeriodSeconds(), 10);
        long timeout = seconds(probe.getTimeoutSeconds(), 1);
        int failureThreshold = (int) seconds(probe.getFailureThreshold(), 3) * (startup ? SLOWDOWN : 1);
        int successThreshold = (int) seconds(probe.getSuccessThreshold(), 1);
        String service = probe.getGrpc().getService() == null ? "" : probe.getGrpc().getService();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds(probe.getInitialDelaySeconds(), 0)));
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", hostPort).usePlaintext().build();
        try {
            // The kubelet is a warm native process: load this JVM's client classes before the first timed check.
            serving(channel, service, 30);
            int failures = 0;
            int successes = 0;
            // The declared budget (checks × period) bounds the wait; with one success needed, checks come every
            // POLL_MILLIS instead of every period, so a ready pod is seen when it is ready, not up to a period later.
            long pause = successThreshold == 1 ? Math.min(POLL_MILLIS, TimeUnit.SECONDS.toMillis(period))
                    : TimeUnit.SECONDS.toMillis(period);
            long checksPerPeriod = TimeUnit.SECONDS.toMillis(period) / pause;
            long checks = (startup ? failureThreshold : maxChecks) * checksPerPeriod;
            for (int check = 1; check <= checks; check++) {
                if (!running.getAsBoolean()) {
                    throw new IllegalStateException("the container exited before its probe succeeded");
                }
                if (serving(channel, service, timeout)) {
                    if (++successes >= successThreshold) {
                        return check;
                    }
                } else {
                    successes = 0;
                    failures++;
                }
                Thread.sleep(pause);
            }
            throw new IllegalStateException("probe on port " + hostPort + " failed " + failures + " times");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static boolean serving(ManagedChannel channel, String service, long timeoutSeconds) {
        try {
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus()
                    == ServingStatus.SERVING;
        } catch (StatusRuntimeException e) {
            return false;
        }
    }

    private static long seconds(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
