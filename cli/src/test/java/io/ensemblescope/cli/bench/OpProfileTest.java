package io.ensemblescope.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Self time from nested spans, in both trace layouts: the legacy profiler's (DJL's libtorch: no category, shapes in
 * "shape") and Kineto's ("cpu_op", shapes in args). A real DJL trace is read by CliOutputTest through the command.
 */
class OpProfileTest {
    @TempDir
    Path tmp;

    @Test
    void selfTimeIsDurationLessDirectChildrenPerThread() throws IOException {
        // Thread 1: conv [0, 100) holding mkldnn [10, 40) (which holds empty [12, 14)) and add [50, 60), then add
        // [200, 210); thread 2: mul [0, 30). A Python frame (another category) is ignored.
        Path trace = write("""
                {"traceEvents": [
                 {"name": "aten::conv2d", "ph": "X", "cat": "cpu_op", "ts": 0, "dur": 100, "pid": 0, "tid": 1,
                  "args": {"Input Dims": [[4, 3, 8, 8], [2, 3, 3, 3]]}},
                 {"name": "aten::mkldnn_convolution", "ph": "X", "cat": "cpu_op", "ts": 10, "dur": 30, "pid": 0,
                  "tid": 1},
                 {"name": "aten::empty", "ph": "X", "cat": "cpu_op", "ts": 12, "dur": 2, "pid": 0, "tid": 1},
                 {"name": "aten::add", "ph": "X", "cat": "cpu_op", "ts": 50, "dur": 10, "pid": 0, "tid": 1},
                 {"name": "aten::mul", "ph": "X", "cat": "cpu_op", "ts": 0, "dur": 30, "pid": 0, "tid": 2},
                 {"name": "train.py(10): step", "ph": "X", "cat": "python_function", "ts": 0, "dur": 500,
                  "pid": 0, "tid": 1},
                 {"name": "aten::add", "ph": "X", "cat": "cpu_op", "ts": 200, "dur": 10, "pid": 0, "tid": 1}
                ]}""");
        OpProfile p = OpProfile.read(trace);
        Map<String, OpProfile.Op> ops = p.ops().stream().collect(Collectors.toMap(OpProfile.Op::name, o -> o));
        assertEquals(0.060, ops.get("aten::conv2d").selfMs(), 1e-9);
        assertEquals(0.028, ops.get("aten::mkldnn_convolution").selfMs(), 1e-9);
        assertEquals(0.002, ops.get("aten::empty").selfMs(), 1e-9);
        assertEquals(2, ops.get("aten::add").calls());
        assertEquals("[[4,3,8,8],[2,3,3,3]]", ops.get("aten::conv2d").shapes());
        assertEquals("aten::conv2d", p.ops().get(0).name());
        assertEquals(0.140, p.selfMs(), 1e-9); // self times add up to the top-level ops' time
        assertEquals(0.210, p.spanMs(), 1e-9);
        // Top-level ops cover 100 + 10 + 30 µs of the 210 µs span (threads together).
        assertEquals(0.070, p.betweenOpsMs(), 1e-9);
        assertTrue(p.table("t", 2, 1).contains("| aten::conv2d | 1.0 | 0.06 | 42.9 | [[4,3,8,8],[2,3,3,3]] |"));
    }

    @Test
    void readsTheLegacyLayoutDjlWrites() throws IOException {
        Path trace = write("""
                [
                {"name": "aten::mul", "ph": "X", "ts": 5.5, "dur": 4.0, "tid": 1, "pid": "CPU Functions",
                 "shape": [[4, 1, 16], [4, 1, 16]], "cpu mem": "0 b", "args": {}},
                {"name": "aten::empty", "ph": "X", "ts": 6.0, "dur": 1.0, "tid": 1, "pid": "CPU Functions",
                 "shape": [[], [], []], "cpu mem": "0 b", "args": {}}
                ]""");
        OpProfile p = OpProfile.read(trace);
        assertEquals("aten::mul", p.ops().get(0).name());
        assertEquals(0.003, p.ops().get(0).selfMs(), 1e-9);
        assertEquals("[[4,1,16],[4,1,16]]", p.ops().get(0).shapes());
    }

    @Test
    void aTraceWithoutOpsIsAnError() throws IOException {
        Path trace = write("{\"traceEvents\": [{\"name\": \"x\", \"ph\": \"i\", \"ts\": 1}]}");
        assertThrows(IOException.class, () -> OpProfile.read(trace));
    }

    private Path write(String json) throws IOException {
        return Files.writeString(tmp.resolve("trace.json"), json);
    }
}
