package io.ensemblescope.metrics.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FastLogTest {
    @Test
    void withinAFewUlpOrThreeEMinus16OfTheJdkLog() {
        Random rnd = new Random(12);
        for (int i = 0; i < 300_000; i++) {
            double x = switch (i % 3) {
                case 0 -> rnd.nextFloat();
                case 1 -> rnd.nextDouble();
                default -> Math.exp(-rnd.nextDouble() * 28);
            };
            if (x < 1e-12) {
                continue;
            }
            double expected = Math.log(x);
            double got = FastLog.ln(x);
            assertTrue(Math.abs(got - expected) <= 4 * Math.ulp(expected) + 3e-16, x + ": " + got + " vs " + expected);
        }
        assertEquals(0.0, FastLog.ln(1.0));
        assertEquals(Math.log(2), FastLog.ln(2.0), 0);
    }

    @Test
    void clampedLogOfZeroAndNan() {
        assertEquals(Math.log(1e-12), Probabilities.logClamped(0), 0);
        assertTrue(Double.isNaN(Probabilities.logClamped(Double.NaN)));
        assertEquals(Math.log(1e-12), Probabilities.logClamped(1e-20), 0);
    }
}
