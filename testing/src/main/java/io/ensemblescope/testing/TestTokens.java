package io.ensemblescope.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Bearer tokens for a test, random per call, written as an operator or the Helm chart's Secret writes them: the
 * services' token file ({@code ROLE NAME TOKEN} per line: admin {@code operator}, predict {@code app}, predict
 * {@code metrics}) and one file per token for the clients.
 */
public record TestTokens(Path file, Path admin, Path predict, Path metrics, String adminToken, String predictToken) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Writes {@code tokens}, {@code admin.token}, {@code predict.token} and {@code metrics.token} to {@code dir}. */
    public static TestTokens write(Path dir) {
        String admin = token();
        String predict = token();
        String metrics = token();
        try {
            Path file = Files.writeString(dir.resolve("tokens"), "admin operator " + admin + "\npredict app "
                    + predict + "\npredict metrics " + metrics + "\n");
            return new TestTokens(file, Files.writeString(dir.resolve("admin.token"), admin + "\n"),
                    Files.writeString(dir.resolve("predict.token"), predict),
                    Files.writeString(dir.resolve("metrics.token"), metrics), admin, predict);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
