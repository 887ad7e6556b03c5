package io.ensemblescope.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.GetJobRequest;
import io.ensemblescope.api.v1.Job;
import io.ensemblescope.api.v1.TrainerServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** Statuses leave bounded; failures log one line each, rate-limited, a stack trace only for server faults. */
class CallOutcomesTest {
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final AtomicLong clock = new AtomicLong();
    private Server server;
    private ManagedChannel channel;
    private TrainerServiceGrpc.TrainerServiceBlockingStub stub;

    private record Line(Level level, String text, Throwable thrown) {}

    /** An slf4j logger that keeps what it is asked to log. */
    private final class Recording extends LegacyAbstractLogger {
        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                                                   Throwable thrown) {
            lines.add(new Line(level, MessageFormatter.basicArrayFormat(pattern, args), thrown));
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }

    @BeforeEach
    void start() throws Exception {
        var service = new TrainerServiceGrpc.TrainerServiceImplBase() {
            @Override
            public void getJob(GetJobRequest request, StreamObserver<Job> responses) {
                if (request.getJobId().equals("bug")) {
                    responses.onError(Status.INTERNAL.withDescription("a server fault")
                            .withCause(new IllegalStateException("the cause")).asRuntimeException());
                } else {
                    responses.onError(Status.INVALID_ARGUMENT.withDescription("job_id: bad, got "
                            + request.getJobId()).asRuntimeException());
                }
            }
        };
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(ServerInterceptors.intercept(
                service, new CallOutcomes(new Recording(), clock::get))).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        stub = TrainerServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private Status call(String jobId) {
        return assertThrows(StatusRuntimeException.class,
                () -> stub.getJob(GetJobRequest.newBuilder().setJobId(jobId).build())).getStatus();
    }

    @Test
    void descriptionsAreBounded() {
        Status s = call("x".repeat(100_000));
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertTrue(s.getDescription().length() < CallOutcomes.MAX_DESCRIPTION + 100, "" + s.getDescription().length());
        assertTrue(s.getDescription().startsWith("job_id: bad"));
    }

    @Test
    void clientMistakesLogOneLineEachAtMostTwentyPerWindow() {
        for (int i = 0; i < 100; i++) {
            call("bad\nline " + i);
        }
        assertEquals(CallOutcomes.LINES_PER_WINDOW, lines.size());
        for (Line l : lines) {
            assertEquals(Level.INFO, l.level());
            assertNull(l.thrown(), "no stack trace for a client mistake");
            assertTrue(!l.text().contains("\n") && l.text().contains("GetJob refused: INVALID_ARGUMENT"), l.text());
        }
        clock.addAndGet(TimeUnit.SECONDS.toNanos(CallOutcomes.WINDOW_SECONDS));
        call("bad");
        assertEquals(CallOutcomes.LINES_PER_WINDOW + 1, lines.size());
        assertTrue(lines.get(lines.size() - 1).text().endsWith("(80 similar lines left out)"),
                lines.get(lines.size() - 1).text());
    }

    @Test
    void serverFaultsLogTheirCause() {
        call("bug");
        assertEquals(1, lines.size());
        assertEquals(Level.WARN, lines.get(0).level());
        assertNotNull(lines.get(0).thrown());
        assertEquals("the cause", lines.get(0).thrown().getMessage());
    }
}
