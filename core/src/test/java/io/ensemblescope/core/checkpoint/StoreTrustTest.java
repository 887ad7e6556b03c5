package io.ensemblescope.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.core.models.Method;
import io.ensemblescope.core.models.MnistMlp;
import io.ensemblescope.core.models.NetworkSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store as a client meets it through names and versions: nothing outside its root is reachable or detectable,
 * and a corrupt version spoils only itself.
 */
class StoreTrustTest {
    @TempDir
    Path tmp;
    private Path root;
    private Path outside;
    private CheckpointStore store;

    @BeforeEach
    void stores() throws IOException {
        root = Files.createDirectories(tmp.resolve("store"));
        outside = Files.createDirectories(tmp.resolve("elsewhere"));
        store = new CheckpointStore(root);
        commit(store, "good");
        commit(new CheckpointStore(outside), "secret");
    }

    /** A version with one small parameter file (contents do not matter to the store). */
    static Manifest commit(CheckpointStore s, String name) throws IOException {
        Path params = Files.write(s.root().getParent().resolve(name + ".params"), new byte[] {1, 2, 3});
        Manifest draft = new Manifest(Manifest.FORMAT_VERSION, name, "",
                new NetworkSpec(MnistMlp.NAME, Method.SINGLE, 1, 0.05f, 4, null), 10, List.of(),
                new long[] {1, 28, 28}, new float[] {0.1f}, new float[] {0.3f}, Map.of(), Map.of(), List.of(1L),
                List.of(), Map.of(), List.of(), "2026-01-01T00:00:00Z", "test");
        return s.commit(draft, List.of(params));
    }

    @Test
    void versionsAreVDigitsOrEmpty() throws IOException {
        for (String bad : List.of("/etc", "../secret/v1", "v1/../v1", "..", "v", "v1 ", "V1", "v-1",
                "x".repeat(3 << 20))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> store.manifest("good", bad));
            assertTrue(e.getMessage().startsWith("model.version: "), e.getMessage());
            assertTrue(e.getMessage().length() < 300, "message bounded: " + e.getMessage().length());
        }
        assertEquals("v1", store.manifest("good", "v1").version());
        assertEquals("v1", store.manifest("good", "").version());
    }

    @Test
    void aSymlinkOutOfTheStoreLooksExactlyLikeAMissingModel() throws IOException {
        Files.createSymbolicLink(root.resolve("leak"), outside.resolve("secret"));
        Files.createSymbolicLink(root.resolve("ghost"), outside.resolve("no-such-dir"));
        NoSuchElementException leak = assertThrows(NoSuchElementException.class, () -> store.manifest("leak", "v1"));
        NoSuchElementException ghost = assertThrows(NoSuchElementException.class, () -> store.manifest("ghost", "v1"));
        NoSuchElementException none = assertThrows(NoSuchElementException.class, () -> store.manifest("none", "v1"));
        assertEquals(leak.getMessage().replace("leak", "X"), ghost.getMessage().replace("ghost", "X"));
        assertEquals(leak.getMessage().replace("leak", "X"), none.getMessage().replace("none", "X"));
        assertThrows(NoSuchElementException.class, () -> store.manifest("leak", ""));
        assertFalse(store.entries("").stream().anyMatch(e -> e.name().equals("leak")), "not listed");
        assertFalse(leak.getMessage().contains(root.toString()), "no server path in the message");
    }

    @Test
    void aVersionSymlinkedOutOfTheStoreIsNotThere() throws IOException {
        Files.createSymbolicLink(root.resolve("good").resolve("v2"), outside.resolve("secret").resolve("v1"));
        assertThrows(NoSuchElementException.class, () -> store.manifest("good", "v2"));
        assertEquals("v1", store.latest("good"));
        assertEquals(List.of("v1"), store.list("good").stream().map(Manifest::version).toList());
    }

    @Test
    void aCorruptManifestSpoilsOnlyItsVersion() throws IOException {
        commit(store, "broken");
        Files.writeString(root.resolve("broken/v1/manifest.json"), "{ not json");
        List<StoreEntry> entries = store.entries("");
        assertEquals(List.of("broken", "good"), entries.stream().map(StoreEntry::name).toList());
        StoreEntry broken = entries.get(0);
        assertFalse(broken.readable());
        assertTrue(broken.problem().contains("corrupt"), broken.problem());
        assertEquals(List.of("good"), store.list("").stream().map(Manifest::name).toList());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.manifest("broken", "v1"));
        assertTrue(e.getMessage().startsWith("checkpoint broken/v1 is corrupt"), e.getMessage());
    }

    @Test
    void aManifestMustDescribeItsOwnDirectory() throws IOException {
        commit(store, "liar");
        Path m = root.resolve("liar/v1/manifest.json");
        String json = Files.readString(m);
        Files.writeString(m, json.replace("\"name\" : \"liar\"", "\"name\" : \"good\""));
        assertTrue(assertThrows(IllegalStateException.class, () -> store.manifest("liar", "v1")).getMessage()
                .contains("another version"));
        Files.writeString(m, json.replace("member-0.params", "../../../elsewhere/secret.params"));
        assertTrue(assertThrows(IllegalStateException.class, () -> store.manifest("liar", "v1")).getMessage()
                .contains("outside its directory"));
    }
}
