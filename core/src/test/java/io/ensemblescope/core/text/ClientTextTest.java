package io.ensemblescope.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClientTextTest {
    @Test
    void shortValuesAreQuotedWhole() {
        assertEquals("'mnist'", ClientText.quote("mnist"));
        assertEquals("null", ClientText.quote(null));
    }

    @Test
    void longValuesAreCutAtTheLimitWithTheirLength() {
        String q = ClientText.quote("a".repeat(3 * 1024 * 1024));
        assertEquals("'" + "a".repeat(ClientText.MAX_CHARS) + "…' (3145728 characters)", q);
    }

    @Test
    void controlCharactersAndSurrogatesAreEscaped() {
        String q = ClientText.quote("a\nb\u0000\uD83D");
        assertEquals("'a\\u000ab\\u0000\\ud83d'", q);
        assertTrue(q.chars().allMatch(c -> c >= 0x20 && c < 0x7f), q);
    }
}
