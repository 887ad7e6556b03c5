package io.ensemblescope.datasets.corrupt;

import java.nio.file.Path;

/** The shared frost textures as {@link FrostDirectory} finds them (Surefire sets escope.repo.root). */
final class SharedFrost {
    private SharedFrost() {
    }

    static Path dir() {
        return FrostDirectory.locate().orElseThrow(() -> new IllegalStateException(
                "frost textures not found: " + FrostDirectory.howToSupply()));
    }
}
