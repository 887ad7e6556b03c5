package io.ensemblescope.datasets.corrupt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the frost textures (frost1.png … frost5.jpg) are: system property {@code escope.frost.dir}, else environment
 * variable {@code ESCOPE_FROST_DIR}, else {@code shared/data/cifar10c-frost} beside the repository root
 * ({@code escope.repo.root}, else the working directory) or beside one of its ancestors (git worktrees sit deeper).
 * The textures come from the reference repository and are not redistributed with this one.
 */
public final class FrostDirectory {
    public static final String PROPERTY = "escope.frost.dir";
    public static final String ENV = "ESCOPE_FROST_DIR";
    private static final Path SHARED = Path.of("shared", "data", "cifar10c-frost");

    private FrostDirectory() {
    }

    /** How a user supplies the textures, for error messages. */
    public static String howToSupply() {
        return "put frost1.png, frost2.png, frost3.png, frost4.jpg and frost5.jpg (from the CIFAR-10-C reference"
                + " repository) into a directory and pass -D" + PROPERTY + "=<dir>, set " + ENV + "=<dir>, or use"
                + " --frost-dir where a command offers it";
    }

    /** The configured or shared directory, or empty when none is set and no shared one exists. */
    public static Optional<Path> locate() {
        return locate(System::getProperty, System::getenv);
    }

    /** As {@link #locate()}, with system properties and environment variables read through the given lookups. */
    public static Optional<Path> locate(Function<String, String> properties, Function<String, String> environment) {
        String explicit = firstNonBlank(properties.apply(PROPERTY), environment.apply(ENV));
        if (explicit != null) {
            return Optional.of(Path.of(explicit));
        }
        String rootProperty = firstNonBlank(properties.apply("escope.repo.root"), properties.apply("user.dir"));
        Path root = Path.of(rootProperty == null ? "." : rootProperty).toAbsolutePath().normalize();
        for (Path p = root.getParent(); p != null; p = p.getParent()) {
            Path candidate = p.resolve(SHARED);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : null;
    }
}
