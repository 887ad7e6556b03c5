package io.ensemblescope.deploy.rehearsal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The escope image as this machine can run it: the image's launcher ({@code /usr/local/bin/escope}, read from
 * cli/src/main/jib) with its {@code @/app/jib-classpath-file} replaced by the classpath Jib would lay out
 * (cli/target/classes plus cli/target/lib), and the environment the jib profile gives the container (cli/pom.xml).
 */
final class Image {
    static final String COMMAND = "escope";
    private static final String LAUNCHER = "src/main/jib/usr/local/bin/" + COMMAND;
    private static final String JIB_CLASSPATH = "@/app/jib-classpath-file";
    /** What Debian-based images (Temurin) put on PATH. */
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final List<String> launcher;
    private final Map<String, String> environment;

    private Image(List<String> launcher, Map<String, String> environment) {
        this.launcher = launcher;
        this.environment = environment;
    }

    /**
     * Reads the image definition of the cli module at {@code cliDir}, whose classes and launcher classpath must have
     * been built; when the pods could not reach the checkout, its files are laid out in {@code workspace/image} (jars
     * hard-linked where the file system allows), as an image holds its own.
     */
    static Image of(Path cliDir, Path workspace) throws Exception {
        Path classes = cliDir.resolve("target/classes");
        Path lib = cliDir.resolve("target/lib");
        if (!Files.isDirectory(lib) || !Files.isDirectory(classes)) {
            throw new IllegalStateException(lib + " is missing: the rehearsal runs after the launcher classpath is"
                    + " copied (mvn verify)");
        }
        if (!Workspace.othersCanReach(cliDir)) {
            Path image = workspace.resolve("image");
            classes = copyTree(classes, image.resolve("classes"));
            lib = copyTree(lib, image.resolve("lib"));
        }
        List<String> line = execLine(cliDir.resolve(LAUNCHER));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String token : line.subList(1, line.size())) {
            command.add(token.equals(JIB_CLASSPATH) ? classes + ":" + lib + "/*" : token);
        }
        if (!line.contains(JIB_CLASSPATH)) {
            throw new IllegalStateException(LAUNCHER + " no longer reads " + JIB_CLASSPATH + ": " + line);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.putAll(jibEnvironment(cliDir.resolve("pom.xml")));
        return new Image(List.copyOf(command), env);
    }

    /** A copy of {@code from} at {@code to}, files hard-linked when possible; readable by every uid. */
    private static Path copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    try {
                        Files.createLink(target, p);
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(p, target);
                    }
                }
            }
        }
        return to;
    }

    /** The launcher's java command line with JVM options inserted after {@code java}, then {@code args}. */
    List<String> command(List<String> jvmOptions, List<String> args) {
        List<String> out = new ArrayList<>();
        out.add(launcher.get(0));
        out.addAll(jvmOptions);
        out.addAll(launcher.subList(1, launcher.size()));
        out.addAll(args);
        return out;
    }

    Map<String, String> environment() {
        return environment;
    }

    /** The tokens of the launcher's {@code exec java … "$@"} line, without {@code exec} and {@code "$@"}. */
    private static List<String> execLine(Path script) throws IOException {
        for (String line : Files.readAllLines(script)) {
            String l = line.strip();
            if (l.startsWith("exec ")) {
                List<String> tokens = new ArrayList<>(List.of(l.substring(5).trim().split("\\s+")));
                tokens.remove("\"$@\"");
                return tokens;
            }
        }
        throw new IllegalStateException(script + " has no exec line");
    }

    /** The {@code <container><environment>} of the jib profile in the cli pom. */
    private static Map<String, String> jibEnvironment(Path pom) throws Exception {
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        NodeList profiles = doc.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (!"jib".equals(text(profile, "id"))) {
                continue;
            }
            NodeList envs = profile.getElementsByTagName("environment");
            Map<String, String> env = new LinkedHashMap<>();
            NodeList vars = envs.item(0).getChildNodes();
            for (int j = 0; j < vars.getLength(); j++) {
                if (vars.item(j).getNodeType() == Node.ELEMENT_NODE) {
                    env.put(vars.item(j).getNodeName(), vars.item(j).getTextContent().trim());
                }
            }
            return env;
        }
        throw new IllegalStateException(pom + " has no jib profile");
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }
}
