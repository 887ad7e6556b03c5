package io.ensemblescope.rpc.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokensTest {
    private static final String ADMIN = "a".repeat(32);
    private static final String PREDICT = "p".repeat(31) + "=";

    @TempDir
    Path dir;

    @Test
    void matchesWholeTokensOnlyAndGivesEachItsRoleAndName() {
        BearerTokens tokens = BearerTokens.parse("# comment\n\nadmin operator " + ADMIN + "\r\npredict  app  "
                + PREDICT + "\n");
        assertEquals(2, tokens.size());
        assertEquals(new Caller("operator", Role.ADMIN, "token"), tokens.match(ADMIN).orElseThrow());
        assertEquals(new Caller("app", Role.PREDICT, "token"), tokens.match(PREDICT).orElseThrow());
        assertFalse(tokens.match(ADMIN.substring(1)).isPresent(), "a prefix is not the token");
        assertFalse(tokens.match(ADMIN + "a").isPresent(), "nor is a longer one");
        assertFalse(tokens.match("").isPresent());
    }

    @Test
    void malformedFilesNameTheLineAndNeverQuoteAToken() {
        String secret = "s3cr3t-but-short";
        for (String text : new String[] {
                "admin operator", "root operator " + ADMIN, "admin op!erator " + ADMIN, "admin operator short",
                "admin operator " + ADMIN + "\npredict other " + ADMIN, "admin operator has space " + secret, ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BearerTokens.parse(text));
            assertFalse(e.getMessage().contains(ADMIN) || e.getMessage().contains(secret), e.getMessage());
            assertTrue(e.getMessage().startsWith("line ") || e.getMessage().startsWith("no tokens"), e.getMessage());
        }
    }

    @Test
    void aReloadedFileAppliesAndABrokenReplacementKeepsThePrevious() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "admin operator " + ADMIN + "\n");
        TokenFile tokens = TokenFile.load("--auth-tokens", file);
        assertFalse(tokens.reloadIfChanged(), "unchanged");
        Files.writeString(file, "predict app " + PREDICT + "\n");
        assertTrue(tokens.reloadIfChanged());
        assertFalse(tokens.tokens().match(ADMIN).isPresent(), "the removed token no longer works");
        assertEquals(Role.PREDICT, tokens.tokens().match(PREDICT).orElseThrow().role());
        Files.writeString(file, "predict app");
        assertFalse(tokens.reloadIfChanged(), "a broken file is refused");
        assertTrue(tokens.tokens().match(PREDICT).isPresent(), "and the previous tokens stay");
        Files.delete(file);
        assertFalse(tokens.reloadIfChanged(), "so is a missing one");
        assertTrue(tokens.tokens().match(PREDICT).isPresent());
    }

    @Test
    void aMissingFileAtStartIsAnErrorNamingTheFlag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenFile.load("--auth-tokens", dir.resolve("absent")));
        assertTrue(e.getMessage().startsWith("--auth-tokens "), e.getMessage());
        assertTrue(e.getMessage().contains("NoSuchFileException"), e.getMessage());
    }

    @Test
    void rolesAreOrderedAndParsedStrictly() {
        assertTrue(Role.ADMIN.allows(Role.PREDICT));
        assertFalse(Role.PREDICT.allows(Role.ADMIN));
        assertThrows(IllegalArgumentException.class, () -> Role.parse("ADMIN", "x"));
    }
}
