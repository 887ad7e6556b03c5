package io.ensemblescope.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @Test
    void aWriteReplacesTheFileWholeAndLeavesNoTempFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("sub").resolve("state.json");
        AtomicFiles.write(target, new byte[] {1, 2, 3});
        AtomicFiles.write(target, new byte[] {4});
        assertArrayEquals(new byte[] {4}, Files.readAllBytes(target));
        assertEquals(List.of("state.json"), names(target.getParent()));
    }

    @Test
    void removeTempsDeletesOnlyWhatAKilledWriteLeft(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve(".state.json.5e1f.tmp"), new byte[] {1});
        Files.write(dir.resolve("state.json"), new byte[] {2});
        Files.write(dir.resolve("notes.tmp"), new byte[] {3}); // not one of ours: no leading dot
        Files.createDirectories(dir.resolve(".cache.tmp"));
        assertEquals(1, AtomicFiles.removeTemps(dir));
        assertEquals(List.of(".cache.tmp", "notes.tmp", "state.json"), names(dir));
        assertEquals(0, AtomicFiles.removeTemps(dir.resolve("absent")));
    }

    @Test
    void deleteTreeRemovesADirectoryWithEverythingInIt(@TempDir Path dir) throws Exception {
        Path tree = Files.createDirectories(dir.resolve("a").resolve("b"));
        Files.write(tree.resolve("f"), new byte[] {1});
        AtomicFiles.deleteTree(dir.resolve("a"));
        assertFalse(Files.exists(dir.resolve("a")));
        AtomicFiles.deleteTree(dir.resolve("a")); // absent: nothing to do
        assertTrue(Files.isDirectory(dir));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
