package io.ensemblescope.rpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every call's final status passes through on its way out. Its description is bounded (a status whose message
 * echoed a whole 8 KB input outgrew the client's metadata limit and arrived as RESOURCE_EXHAUSTED). A client mistake
 * is logged as one line, never a stack trace, and at most {@link #LINES_PER_WINDOW} lines per
 * {@link #WINDOW_SECONDS} s, so a flood of bad requests cannot fill the log; a server fault (INTERNAL, UNKNOWN,
 * DATA_LOSS) is logged with its cause, rate-limited separately.
 */
public final class CallOutcomes implements ServerInterceptor {
    /** Longest status description sent. */
    public static final int MAX_DESCRIPTION = 1024;
    static final int LINES_PER_WINDOW = 20;
    static final int WINDOW_SECONDS = 10;
    private static final Set<Status.Code> QUIET = EnumSet.of(Status.Code.OK, Status.Code.CANCELLED,
            Status.Code.DEADLINE_EXCEEDED);
    private static final Set<Status.Code> SERVER_FAULTS = EnumSet.of(Status.Code.INTERNAL, Status.Code.UNKNOWN,
            Status.Code.DATA_LOSS);

    private final Logger log;
    private final RateLimit clientMistakes;
    private final RateLimit serverFaults;

    public CallOutcomes() {
        this(LoggerFactory.getLogger(CallOutcomes.class), System::nanoTime);
    }

    CallOutcomes(Logger log, LongSupplier clock) {
        this.log = log;
        this.clientMistakes = new RateLimit(LINES_PER_WINDOW, WINDOW_SECONDS, TimeUnit.SECONDS, clock);
        this.serverFaults = new RateLimit(LINES_PER_WINDOW, WINDOW_SECONDS, TimeUnit.SECONDS, clock);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                        ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        return next.startCall(new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                Status bounded = bounded(status);
                record(method, bounded);
                super.close(bounded, trailers);
            }
        }, headers);
    }

    /** The status with its description cut to {@link #MAX_DESCRIPTION} characters. */
    static Status bounded(Status status) {
        String d = status.getDescription();
        if (d == null || d.length() <= MAX_DESCRIPTION) {
            return status;
        }
        return status.withDescription(d.substring(0, MAX_DESCRIPTION) + "… (description cut at "
                + MAX_DESCRIPTION + " of " + d.length() + " characters)");
    }

    private void record(String method, Status status) {
        if (QUIET.contains(status.getCode())) {
            return;
        }
        boolean fault = SERVER_FAULTS.contains(status.getCode());
        long skipped = (fault ? serverFaults : clientMistakes).acquire();
        if (skipped < 0) {
            return;
        }
        String more = skipped == 0 ? "" : " (" + skipped + " similar lines left out)";
        String description = status.getDescription() == null ? ""
                : status.getDescription().replaceAll("[\\r\\n]+", " ");
        if (fault) {
            log.warn("{} failed: {} {}{}", method, status.getCode(), description, more, status.getCause());
        } else {
            log.info("{} refused: {} {}{}", method, status.getCode(), description, more);
        }
    }
}
