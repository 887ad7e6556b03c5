package io.ensemblescope.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PromtoolTest {
    @Test
    void cleanTextPassesAndBrokenTextFails() throws Exception {
        Promtool.assertValid("# HELP up Whether the target is up.\n# TYPE up gauge\nup 1\n");
        AssertionError e = assertThrows(AssertionError.class,
                () -> Promtool.assertValid("# TYPE up gauge\nup{job=\"x\" 1\n"));
        assertTrue(e.getMessage().contains("promtool check metrics failed"), e.getMessage());
    }
}
