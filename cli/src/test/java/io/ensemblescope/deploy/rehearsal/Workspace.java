package io.ensemblescope.deploy.rehearsal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * Where a rehearsal keeps its pods and volumes: cli/target/rehearsal/&lt;variant&gt;, unless the pods, which run as
 * another uid when the rehearsal is root, could not reach the checkout (a clone inside {@code mktemp -d}, mode 700).
 * Then a fresh world-searchable directory under java.io.tmpdir, which also holds the image's files (as a real image
 * holds its own), and which {@link ClusterRehearsalIT#assertNothingWrittenOutsideVolumes} leaves out.
 */
final class Workspace {
    private Workspace() {}

    /** An empty directory for the rehearsal of {@code variant}. */
    static Path fresh(Path cliDir, String variant) throws IOException {
        Path inTarget = cliDir.resolve("target").resolve("rehearsal").resolve(variant);
        if (othersCanReach(cliDir)) {
            if (Files.exists(inTarget)) {
                delete(inTarget);
            }
            return inTarget;
        }
        Path root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")),
                "escope-rehearsal-" + variant + "-");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        return root;
    }

    /** Whether every directory from the file system's root down to {@code dir} lets others search it. */
    static boolean othersCanReach(Path dir) throws IOException {
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code path} lies in a workspace placed under java.io.tmpdir (not in the checkout). */
    static boolean isTemporaryWorkspace(Path path) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        Path p = path.toAbsolutePath().normalize();
        return p.startsWith(tmp) && p.getNameCount() > tmp.getNameCount()
                && p.getName(tmp.getNameCount()).toString().startsWith("escope-rehearsal-");
    }

    static void delete(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
