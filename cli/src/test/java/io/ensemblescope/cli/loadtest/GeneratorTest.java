package io.ensemblescope.cli.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.api.v1.PredictRequest;
import io.ensemblescope.reports.load.LatencySummary;
import io.grpc.Status;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The generator against real gRPC servers whose behaviour each test scripts. */
class GeneratorTest {
    private static final RequestPool POOL = new RequestPool(new PredictRequest[] {
        PredictRequest.newBuilder().setModel(ModelRef.newBuilder().setName("scripted")).build()});

    private static Measurement oneWindow(double seconds) {
        return new Measurement(0, Math.round(seconds * 1e9), 1, 1, 0.1, TimeUnit.SECONDS.toNanos(5));
    }

    /** Nearest-rank percentile of sorted values: the smallest value with at least p % of all at or below it. */
    private static long exact(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** HdrHistogram at 3 significant digits reports a value's bucket top: never below, at most 0.1 % above. */
    private static void assertResolvedTo(long exactNanos, double reportedMicros, String what) {
        double reportedNanos = reportedMicros * 1e3;
        assertTrue(reportedNanos >= exactNanos && reportedNanos <= exactNanos * 1.001 + 1,
                what + ": reported " + reportedNanos + " ns, exact " + exactNanos + " ns");
    }

    @Test
    void percentilesEqualAnExactComputationOnTheRecordedRun() throws Exception {
        try (ScriptedInference server = new ScriptedInference(n -> new ScriptedInference.Answer())) {
            Sender sender = UnarySender.predict(List.of(server.channel), POOL, TimeUnit.SECONDS.toNanos(5));
            Measurement m = new Measurement(TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.MILLISECONDS.toNanos(300),
                    2, 2, 0.5, TimeUnit.SECONDS.toNanos(5));
            RunOutcome o = new Generator(m, true).run(new ClosedLoop(sender, 4), sender, w -> {});

            long[] raw = o.measured().raw();
            assertNotNull(raw);
            assertEquals(o.measured().latency().getTotalCount(), raw.length, "every measured latency was kept");
            assertTrue(raw.length > 100, "a run of " + raw.length + " requests");
            long[] sorted = raw.clone();
            Arrays.sort(sorted);
            LatencySummary s = Summaries.latency(o.measured().latency());
            assertResolvedTo(exact(sorted, 50), s.p50(), "p50");
            assertResolvedTo(exact(sorted, 90), s.p90(), "p90");
            assertResolvedTo(exact(sorted, 99), s.p99(), "p99");
            assertResolvedTo(exact(sorted, 99.9), s.p999(), "p99.9");
            assertResolvedTo(sorted[sorted.length - 1], s.max(), "max");
            assertEquals(Arrays.stream(raw).average().orElseThrow() / 1e3, s.mean(), s.mean() * 1e-3);

            // The server's timings come back as the split: queue 5, compute 7, other 20 - 5 - 7 µs.
            var split = Summaries.server(o.measured());
            assertEquals(5, split.queue(), 0.01);
            assertEquals(7, split.compute(), 0.01);
            assertEquals(8, split.otherServer(), 0.01);
        }
    }

    @Test
    void openLoopLatencyIncludesTheStallOfASlowServer() throws Exception {
        // At 200 requests/s, 60 come in the 0.3 s warm-up; requests 100..139 are then held until request 140
        // arrives: a stall of about 200 ms inside the 1 s window.
        try (ScriptedInference server = new ScriptedInference(n -> n >= 100 && n < 140
                ? new ScriptedInference.Hold() : n == 140 ? new ScriptedInference.ReleaseAll()
                : new ScriptedInference.Answer())) {
            Sender sender = UnarySender.predict(List.of(server.channel), POOL, TimeUnit.SECONDS.toNanos(10));
            OpenLoop loop = new OpenLoop(sender, 200, Arrivals.CONSTANT, 1, 10_000);
            Measurement m = new Measurement(TimeUnit.MILLISECONDS.toNanos(300), TimeUnit.SECONDS.toNanos(1), 1, 1,
                    0.1, TimeUnit.SECONDS.toNanos(5));
            RunOutcome o = new Generator(m, false).run(loop, sender, w -> {});

            assertTrue(server.answered(Status.Code.OK) > 140, "the stall ended: " + server.arrivals() + " arrived");
            double stallMicros = (server.releasedNanos - server.holdStartedNanos) / 1e3;
            assertTrue(stallMicros > 50_000, "a stall of " + stallMicros + " µs");
            LatencySummary s = Summaries.latency(o.measured().latency());
            // 40 of ~200 measured requests waited for part of the stall, the first few for almost all of it, so
            // the stall shows in the tail instead of vanishing into the one request a closed loop would have sent.
            assertTrue(s.max() >= 0.95 * stallMicros, "max " + s.max() + " µs covers the stall " + stallMicros);
            assertTrue(s.p99() >= 0.8 * stallMicros, "p99 " + s.p99() + " µs shows the stall " + stallMicros);
            assertEquals(0, o.measured().errorCount());
        }
    }

    @Test
    void errorsAreCountedByStatusCodeAndKeptOutOfTheLatencies() throws Exception {
        Status.Code[] cycle = {Status.Code.OK, Status.Code.INVALID_ARGUMENT, Status.Code.RESOURCE_EXHAUSTED};
        try (ScriptedInference server = new ScriptedInference(n -> cycle[(int) (n % 3)] == Status.Code.OK
                ? new ScriptedInference.Answer() : new ScriptedInference.Fail(cycle[(int) (n % 3)]))) {
            Sender sender = UnarySender.predict(List.of(server.channel), POOL, TimeUnit.SECONDS.toNanos(5));
            // One request at a time, so any stretch of requests holds the three outcomes in turn.
            RunOutcome o = new Generator(oneWindow(0.3), false).run(new ClosedLoop(sender, 1), sender, w -> {});

            long ok = o.measured().latency().getTotalCount();
            long invalid = o.measured().errors().getOrDefault("INVALID_ARGUMENT", 0L);
            long exhausted = o.measured().errors().getOrDefault("RESOURCE_EXHAUSTED", 0L);
            assertEquals(2, o.measured().errors().size(), o.measured().errors().toString());
            assertTrue(ok > 30, ok + " answered");
            assertTrue(Math.abs(ok - invalid) <= 1 && Math.abs(ok - exhausted) <= 1,
                    "one in three of each: ok " + ok + ", invalid " + invalid + ", exhausted " + exhausted);
            assertTrue(server.answered(Status.Code.INVALID_ARGUMENT) >= invalid);
        }
    }
}
