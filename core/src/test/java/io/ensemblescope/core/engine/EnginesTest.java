package io.ensemblescope.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class EnginesTest {

    @Test
    void pytorchLoadsOfflineAndRunsForwardAndBackward() {
        Engine engine = Engines.pytorch();
        assertEquals("PyTorch", engine.getEngineName());
        assertEquals("true", System.getProperty(Engines.OFFLINE_PROPERTY));
        try (NDManager manager = engine.newBaseManager()) {
            NDArray w = manager.create(new float[] {1f, 2f, 3f});
            w.setRequiresGradient(true);
            NDArray x = manager.create(new float[] {4f, 5f, 6f});
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray y = w.mul(x).sum(); // forward: 4 + 10 + 18
                assertEquals(32f, y.getFloat(), 1e-6);
                collector.backward(y);
            }
            // d(sum(w*x))/dw = x
            assertArrayEquals(new float[] {4f, 5f, 6f}, w.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void deviceFlagResolves() {
        assertEquals(Device.cpu(), Engines.device("cpu"));
        Device auto = Engines.device("auto");
        assertEquals(Engines.pytorch().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu(), auto);
        assertThrows(IllegalArgumentException.class, () -> Engines.device("tpu"));
        assertThrows(IllegalArgumentException.class, () -> Engines.device("gpu:99"));
    }
}
