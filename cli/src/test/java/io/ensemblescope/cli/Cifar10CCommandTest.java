package io.ensemblescope.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.datasets.catalog.DatasetCatalog;
import io.ensemblescope.datasets.DatasetRequest;
import io.ensemblescope.datasets.ImageDataset;
import io.ensemblescope.datasets.catalog.StandardDatasets;
import io.ensemblescope.datasets.Subset;
import io.ensemblescope.datasets.corrupt.Cifar10CGenerator;
import io.ensemblescope.datasets.corrupt.Cifar10CRelease;
import io.ensemblescope.datasets.corrupt.Montage;
import io.ensemblescope.datasets.npy.Npy;
import io.ensemblescope.datasets.npy.NpyHeader;
import io.ensemblescope.testing.SyntheticFrost;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** escope cifar10c montage / generate through the real command line, on the first CIFAR-10 test images. */
class Cifar10CCommandTest {
    private static final int LIMIT = 20;

    private record Run(int exit, String err) {}

    private static Run escope(String... args) {
        StringWriter err = new StringWriter();
        var cl = Escope.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, err.toString());
    }

    private static ImageDataset clean() {
        return DatasetCatalog.shared().load(new DatasetRequest("cifar10", Subset.TEST, 0, LIMIT, "", null, 0));
    }

    @Test
    void montageWritesADecodablePngWithEveryCorruption(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("sub/montage.png");
        Run run = escope("cifar10c", "montage", "--index", "3", "--severity", "2", "--out", png.toString(),
                "--frost-dir", SyntheticFrost.write(dir.resolve("frost")).toString());
        assertEquals(0, run.exit(), run.err());
        BufferedImage img = ImageIO.read(png.toFile());
        int cell = 32 * Montage.SCALE + 4;
        assertEquals(Montage.COLUMNS * cell + 4, img.getWidth());
        // clean + 19 corruptions (frost included: textures were given) = 4 rows of 5 tiles
        assertEquals(4 * (cell + 16) + 4, img.getHeight());
        ImageDataset image = clean().slice(3, 1);
        int y = 4 + 2 * Montage.SCALE;
        int x = 4 + 5 * Montage.SCALE;
        int rgb = img.getRGB(x, y) & 0xFFFFFF;
        assertEquals((image.pixel(0, 0, 2, 5) << 16) | (image.pixel(0, 1, 2, 5) << 8) | image.pixel(0, 2, 2, 5), rgb,
                "the first tile is the clean image");
    }

    @Test
    void generateWritesOneSeverityOrTheReleasedLayout(@TempDir Path dir) throws Exception {
        Path one = dir.resolve("sev5");
        Run run = escope("cifar10c", "generate", "--out", one.toString(), "--limit", "20", "--corruptions",
                "fog,contrast", "--threads", "1", "--seed", "4");
        assertEquals(0, run.exit(), run.err());
        for (String name : new String[] {"fog", "contrast"}) {
            Path file = one.resolve(name + ".npy");
            NpyHeader h = Npy.header(file);
            assertArrayEquals(new long[] {LIMIT, 32, 32, 3}, h.shape());
            assertEquals("|u1", h.descr());
            assertEquals(h.dataOffset() + LIMIT * 3072L, Files.size(file));
        }
        long[] labels = Npy.readLongs(one.resolve("labels.npy"));
        ImageDataset clean = clean();
        assertArrayEquals(java.util.Arrays.stream(clean.labels()).asLongStream().toArray(), labels);
        assertTrue(Files.notExists(one.resolve("snow.npy")));

        Path all = dir.resolve("all");
        run = escope("cifar10c", "generate", "--out", all.toString(), "--limit", "20", "--corruptions", "contrast",
                "--all-severities", "--seed", "4");
        assertEquals(0, run.exit(), run.err());
        assertArrayEquals(new long[] {5 * LIMIT, 32, 32, 3}, Npy.header(all.resolve("contrast.npy")).shape());
        ImageDataset sev3 = Cifar10CRelease.read(all, "contrast", 3, StandardDatasets.CIFAR10_CLASSES,
                StandardDatasets.CIFAR10_NORM);
        Cifar10CGenerator direct = new Cifar10CGenerator(null, 1); // contrast needs no textures
        assertArrayEquals(direct.corrupt(clean, "contrast", 3, 4).pixels(), sev3.pixels());
        assertArrayEquals(clean.labels(), sev3.labels());
    }

    @Test
    void frostIsSkippedWhenTheGivenDirectoryLacksItsTextures(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("no-frost"));
        Run run = escope("cifar10c", "generate", "--out", dir.resolve("out").toString(), "--limit", "3",
                "--corruptions", "frost,fog", "--frost-dir", empty.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(Files.notExists(dir.resolve("out/frost.npy")));
        assertArrayEquals(new long[] {3, 32, 32, 3}, Npy.header(dir.resolve("out/fog.npy")).shape());
    }

    @Test
    void badInputGivesOneLineErrors(@TempDir Path dir) {
        Run severity = escope("cifar10c", "generate", "--out", dir.toString(), "--limit", "2", "--severity", "7",
                "--corruptions", "fog");
        assertEquals(2, severity.exit(), "a usage error");
        assertEquals("escope: --severity must be in 1..5, got 7", severity.err().strip());
        Run unknown = escope("cifar10c", "generate", "--out", dir.toString(), "--limit", "2", "--corruptions",
                "rain");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().strip().startsWith("escope: --corruptions: unknown name 'rain'"), unknown.err());
        assertEquals(1, unknown.err().strip().lines().count());
        Run index = escope("cifar10c", "montage", "--index", "10000", "--out", dir.resolve("m.png").toString());
        assertEquals(2, index.exit());
        assertEquals("escope: --index must be in 0..9999, got 10000", index.err().strip());
        Run both = escope("cifar10c", "generate", "--out", dir.toString(), "--severity", "3", "--all-severities");
        assertEquals(2, both.exit(), "picocli rejects mutually exclusive options as a usage error");
    }
}
