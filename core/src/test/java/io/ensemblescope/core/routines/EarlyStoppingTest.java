package io.ensemblescope.core.routines;

import io.ensemblescope.core.checkpoint.EpochRecord;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
    private static final byte[] E1 = {1};
    private static final byte[] E2 = {2};
    private static final byte[] E3 = {3};

    @Test
    void stopsAfterPatienceEpochsWithoutImprovementAndKeepsTheBestEpoch() {
        EarlyStopping s = new EarlyStopping(2);
        s.observe(1, 0.80, E1);
        s.observe(2, 0.90, E2);
        s.observe(3, 0.85, E3);
        assertFalse(s.exhausted(), "one epoch without improvement of two allowed");
        s.observe(4, 0.90, new byte[] {4});
        assertTrue(s.exhausted(), "a tie is no improvement");
        assertEquals(2, s.keptEpoch(4));
        assertArrayEquals(E2, s.keptParams(E3));
    }

    @Test
    void withoutPatienceItNeverStopsAndKeepsTheLastEpoch() {
        EarlyStopping s = new EarlyStopping(0);
        s.observe(1, 0.9, E1);
        s.observe(2, 0.1, E2);
        s.observe(3, 0.1, E3);
        assertFalse(s.exhausted());
        assertEquals(3, s.keptEpoch(3));
        assertArrayEquals(E3, s.keptParams(E3));
    }

    @Test
    void aRunWithoutAnyEpochIsAnErrorNotAnIndexOutOfBounds() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RunTrainer.outcome(List.of(), new EarlyStopping(0), false, 0));
        assertTrue(e.getMessage().contains("no epoch"), e.getMessage());
        IllegalStateException withPatience = assertThrows(IllegalStateException.class,
                () -> RunTrainer.outcome(List.of(), new EarlyStopping(3), false, 0));
        assertTrue(withPatience.getMessage().contains("epochs = 0"), withPatience.getMessage());
    }

    @Test
    void theOutcomeReportsTheKeptEpochsAccuracy() {
        EarlyStopping s = new EarlyStopping(1);
        List<EpochRecord> history = List.of(new EpochRecord(1, 0.5, 0.7, 1, 100), new EpochRecord(2, 0.4, 0.6, 1, 300));
        s.observe(1, 0.7, E1);
        s.observe(2, 0.6, E2);
        RunResult r = RunTrainer.outcome(history, s, true, 5);
        assertEquals(1, r.bestEpoch());
        assertEquals(0.7, r.validationAccuracy());
        assertEquals(200, r.imagesPerSecond());
        assertTrue(r.stoppedEarly());
    }
}
