package io.ensemblescope.core.data.corrupt;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared frost textures: {@code <repo>/../shared/data/cifar10c-frost} (Surefire sets escope.repo.root),
 * else the nearest ancestor holding {@code shared/data/cifar10c-frost} (git worktrees sit one level deeper).
 */
final class SharedFrost {
    private static final Path RELATIVE = Path.of("shared", "data", "cifar10c-frost");

    private SharedFrost() {
    }

    static Path dir() {
        Path root = Path.of(System.getProperty("escope.repo.root", ".")).toAbsolutePath().normalize();
        for (Path p = root.getParent(); p != null; p = p.getParent()) {
            Path candidate = p.resolve(RELATIVE);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("frost textures not found at ../shared/data/cifar10c-frost above " + root);
    }
}
