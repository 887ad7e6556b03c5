package io.ensemblescope.core.routines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.tracker.Tracker;
import io.ensemblescope.core.engine.Engines;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NesterovSgdTest {
    /**
     * One step on a fresh thread, as the trainer's job threads run it: PyTorch's grad mode is on there, and the closed
     * collector leaves it on. θ = (1, 2), loss Σθ², so ∇ = 2θ; lr 0.1, μ 0.9, λ 0.01: g = 2.01θ, v = g,
     * θ ← θ − 0.1·(g + 0.9v) = θ(1 − 0.1·1.9·2.01); the gradient is cleared for the next step.
     */
    @Test
    void updatesInPlaceOnAThreadWhereGradModeIsOn() throws Exception {
        Engines.pytorch(); // started here, so the worker is not the engine's thread (which has grad mode off)
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<float[]> result = new AtomicReference<>();
        AtomicReference<float[]> gradientAfter = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try (NDManager manager = Engines.pytorch().newBaseManager()) {
                NDArray w = manager.create(new float[] {1f, 2f});
                w.setRequiresGradient(true);
                try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
                    gc.backward(w.mul(w).sum());
                }
                new NesterovSgd(Tracker.fixed(0.1f), 0.9f, 0.01f).update("w", w, w.getGradient());
                result.set(w.toFloatArray());
                gradientAfter.set(w.getGradient().toFloatArray());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        worker.start();
        worker.join();
        assertNull(failure.get(), () -> String.valueOf(failure.get()));
        float f = 1f - 0.1f * 1.9f * 2.01f;
        assertArrayEquals(new float[] {f, 2 * f}, result.get(), 1e-5f);
        // Backward accumulates: a gradient left in place would be added to the next step's.
        assertArrayEquals(new float[] {0f, 0f}, gradientAfter.get(), "the used gradient is cleared");
    }
}
