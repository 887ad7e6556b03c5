package io.ensemblescope.metrics.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MeanStdTest {
    @Test
    void sampleStandardDeviation() {
        MeanStd m = MeanStd.of(1, 2, 3, 4);
        assertEquals(2.5, m.mean(), 1e-15);
        assertEquals(Math.sqrt(5.0 / 3), m.std(), 1e-15);
        assertEquals("250.00 ± 129.10", m.format(2, 100));
    }

    @Test
    void oneSeedHasZeroSpreadAndNoneIsAnError() {
        assertEquals(0, MeanStd.of(0.7).std());
        assertThrows(IllegalArgumentException.class, MeanStd::of);
    }
}
