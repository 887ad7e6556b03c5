package io.ensemblescope.datasets.corrupt;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The reference frost textures as {@link FrostDirectory} finds them (Surefire sets escope.repo.root). They are not
 * redistributed with the repository, so a test that needs them is skipped, saying why, where they are absent (a
 * fresh clone); every other frost test uses {@code io.ensemblescope.testing.SyntheticFrost}.
 */
final class SharedFrost {
    private SharedFrost() {
    }

    static Path dir() {
        var dir = FrostDirectory.locate();
        Assumptions.assumeTrue(dir.isPresent(), "the reference frost textures are not here (shared/data/"
                + "cifar10c-frost beside the repository): " + FrostDirectory.howToSupply());
        return dir.get();
    }
}
