package io.ensemblescope.cli.progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether stderr is a terminal, which Java 17 cannot ask directly (System.console() looks at stdin and stdout). */
final class Terminal {
    private Terminal() {}

    static boolean stderrIsTerminal() {
        String term = System.getenv("TERM");
        if ("dumb".equals(term)) {
            return false;
        }
        try {
            // Linux names the device behind each descriptor; a terminal is a pseudo-terminal or a tty.
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
