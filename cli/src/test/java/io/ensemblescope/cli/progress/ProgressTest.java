package io.ensemblescope.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensemblescope.api.v1.ModelRef;
import io.ensemblescope.cli.ErrorHandling;
import io.ensemblescope.api.v1.TrainEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Progress in the form its reader can use: plain lines in a pipe, a forward-only bar, errors on their own line. */
class ProgressTest {
    private static final Pattern PERCENT = Pattern.compile(" (\\d{1,3})% ");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static List<Integer> percents(String text) {
        List<Integer> p = new ArrayList<>();
        Matcher m = PERCENT.matcher(text);
        while (m.find()) {
            p.add(Integer.parseInt(m.group(1)));
        }
        return p;
    }

    @Test
    void inAPipeAThousandUpdatesAreAFewPlainLines() {
        ProgressBar bar = new ProgressBar(out, "train m", ProgressBar.Mode.LINES);
        for (int i = 0; i <= 1000; i++) {
            bar.update(i / 1000.0, "step " + i + "\r\u001b[K");
        }
        bar.done("val acc 0.9");
        String text = text();
        assertTrue(text.chars().noneMatch(c -> c < 0x20 && c != '\n'), "no control characters: " + text);
        List<String> lines = text.lines().toList();
        assertTrue(lines.size() <= 12, "a line per tenth, and the last: " + lines);
        assertTrue(lines.stream().allMatch(l -> l.startsWith("train m ")), text);
        assertEquals(List.of(0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 100), percents(text));
        assertTrue(lines.get(lines.size() - 1).endsWith("100% val acc 0.9"), text);
    }

    @Test
    void theBarNeverMovesBackwards() {
        ProgressBar bar = new ProgressBar(out, "x", ProgressBar.Mode.LINES);
        bar.update(0.55, "a");
        bar.update(0.2, "b"); // a late event from a slower member
        bar.done("c");
        assertEquals(List.of(55, 100), percents(text()), text());
    }

    @Test
    void aDeepEnsembleBarShowsTheMeanOfItsParallelMembersAndOnlyGrows() {
        ProgressBar bar = new ProgressBar(out, "train de", ProgressBar.Mode.LINES);
        List<TrainEvent> events = new ArrayList<>();
        // Four members, 100 steps each, reporting interleaved as parallel processes do; member 3 starts last.
        for (int step = 10; step <= 100; step += 10) {
            for (int member = 0; member < 4; member++) {
                int s = member == 3 ? Math.max(0, step - 40) : step;
                events.add(TrainEvent.newBuilder().setKind(TrainEvent.Kind.STEP).setMember(member).setEpoch(1)
                        .setStep(s).setTotalSteps(100).build());
            }
        }
        for (int s = 70; s <= 100; s += 10) {
            events.add(TrainEvent.newBuilder().setKind(TrainEvent.Kind.STEP).setMember(3).setEpoch(1).setStep(s)
                    .setTotalSteps(100).build());
        }
        events.add(TrainEvent.newBuilder().setKind(TrainEvent.Kind.COMPLETED)
                .setCheckpoint(ModelRef.newBuilder().setName("de").setVersion("v1")).build());
        TrainingProgress.follow(events.iterator(), bar, 4);
        List<Integer> p = percents(text());
        for (int i = 1; i < p.size(); i++) {
            assertTrue(p.get(i) >= p.get(i - 1), "forward only: " + p);
        }
        assertTrue(p.size() >= 8, "one line per tenth: " + text());
        assertTrue(Pattern.compile("members \\d+/\\d+/\\d+/\\d+% · member \\d epoch 1").matcher(text()).find(),
                "each member's own progress in the line: " + text());
        assertTrue(text().strip().endsWith("100% val acc 0.0000 → de/v1"), text());
    }

    @Command(name = "fails")
    static final class Fails implements Callable<Integer> {
        @Override
        public Integer call() {
            new ProgressBar(System.err, "fetch mnist", ProgressBar.Mode.BAR).update(0.5, "download");
            throw new IllegalStateException("the registry is unreachable");
        }
    }

    @Test
    void anErrorStartsOnItsOwnLineAfterABar() {
        PrintStream stderr = System.err;
        try {
            System.setErr(out);
            CommandLine cl = ErrorHandling.install(new CommandLine(new Fails()));
            cl.setErr(new PrintWriter(out, true));
            assertEquals(ErrorHandling.FAILURE, cl.execute());
        } finally {
            System.setErr(stderr);
        }
        String text = text();
        assertTrue(text.startsWith("\rfetch mnist"), text);
        assertTrue(text.endsWith("\u001b[K\nescope: the registry is unreachable\n"), text);
    }
}
