package io.ensemblescope.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code ./escope …} command written in README.md and docs/*.md, parsed out of the Markdown and given to the
 * real command line, so that a documented option that does not exist (or a renamed one) fails the build; the ones
 * that do no work run as processes. docs/CLI.md lists every command the CLI has.
 */
class DocumentedCommandsTest {
    /** In a code block or a code span: from ./escope to the end of the line, the closing backtick or a comment. */
    private static final Pattern COMMAND = Pattern.compile("\\./escope((?: +[^`#\\s]+)*)");

    static Path repo() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("escope"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** A documented command line: where it is written and its arguments as a shell would split them. */
    record Documented(String where, List<String> args) {
        @Override
        public String toString() {
            return where + ": ./escope " + String.join(" ", args);
        }
    }

    static List<Documented> documented() throws IOException {
        List<Path> files = new ArrayList<>(List.of(repo().resolve("README.md")));
        try (Stream<Path> docs = Files.list(repo().resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        Set<Documented> out = new LinkedHashSet<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = COMMAND.matcher(shellLine(lines, i));
                while (m.find()) {
                    String where = repo().relativize(file) + ":" + (i + 1);
                    expand(List.of(m.group(1).strip().split(" +")), where, out);
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * Line {@code i} as a shell reads it: continued by a trailing backslash, without a trailing {@code &} and without
     * a comment (" # ...", which may mention other commands).
     */
    private static String shellLine(List<String> lines, int i) {
        StringBuilder line = new StringBuilder(lines.get(i));
        for (int next = i + 1; line.toString().endsWith("\\") && next < lines.size(); next++) {
            line.setLength(line.length() - 1);
            line.append(' ').append(lines.get(next).strip());
        }
        String text = line.toString();
        int comment = text.indexOf(" # ");
        text = comment >= 0 ? text.substring(0, comment) : text;
        return text.strip().endsWith(" &") ? text.strip().substring(0, text.strip().length() - 2) : text;
    }

    /** {@code --scale smoke|cpu|paper} documents three command lines; {@code ~} is the shell's home. */
    private static void expand(List<String> words, String where, Set<Documented> out) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.isEmpty()) {
                continue;
            }
            if (w.contains("|") && !w.startsWith("|")) {
                for (String alternative : w.split("\\|")) {
                    List<String> one = new ArrayList<>(words);
                    one.set(i, alternative);
                    expand(one, where, out);
                }
                return;
            }
            args.add(w.startsWith("~/") ? System.getProperty("user.home") + w.substring(1) : w);
        }
        out.add(new Documented(where, List.copyOf(args)));
    }

    @Test
    void theDocsDocumentCommands() throws IOException {
        List<Documented> all = documented();
        assertTrue(all.size() >= 20, "commands found: " + all);
        assertTrue(all.stream().anyMatch(d -> d.where().startsWith("README.md:") && d.args().equals(
                List.of("reproduce"))), "the README's main command: " + all);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documented")
    void aDocumentedCommandParses(Documented d) {
        assertDoesNotThrow(() -> Escope.commandLine().parseArgs(d.args().toArray(String[]::new)), d::toString);
    }

    @Test
    void documentedCommandsThatDoNoWorkRunAsWritten() throws Exception {
        List<Documented> quick = documented().stream().filter(d -> d.args().equals(List.of("version"))
                || d.args().contains("--help")).toList();
        assertTrue(!quick.isEmpty(), "./escope version is documented");
        for (Documented d : quick) {
            EscopeProcess.Result r = EscopeProcess.run(d.args());
            assertEquals(0, r.exit(), () -> d + " → " + r);
        }
    }

    @Test
    void cliMdListsEveryCommand() throws IOException {
        String cli = Files.readString(repo().resolve("docs/CLI.md"));
        for (String name : Escope.commandLine().getSubcommands().keySet()) {
            assertTrue(cli.contains("| `escope " + name), "docs/CLI.md lists escope " + name);
        }
    }
}
