package io.ensemblescope.deploy.rehearsal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The only changes the rehearsal makes to what a pod spec says, applied uniformly to every argument and environment
 * value of a container: a volume's mountPath prefix becomes the pod's directory for that volume; a Service's DNS
 * name and port (any of {@code name}, {@code name.ns}, {@code name.ns.svc}, {@code name.ns.svc.cluster.local})
 * become the loopback address the rehearsal serves it on; and a value that is exactly one of the pod's own
 * containerPorts becomes the loopback port assigned to it (pods share one network namespace here).
 */
final class Rewrites {
    private final List<Map.Entry<String, String>> mounts = new ArrayList<>();
    private final Map<String, String> ports = new LinkedHashMap<>();
    private final Map<String, String> services = new LinkedHashMap<>();
    private final String namespace;

    Rewrites(String namespace) {
        this.namespace = namespace;
    }

    Rewrites mount(String mountPath, Path dir) {
        mounts.add(Map.entry(trimSlash(mountPath), dir.toString()));
        mounts.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
        return this;
    }

    Rewrites port(int containerPort, int hostPort) {
        ports.put(Integer.toString(containerPort), Integer.toString(hostPort));
        return this;
    }

    /** {@code service:port} → {@code loopback} ({@code 127.0.0.1:p}). */
    Rewrites service(String service, int port, String loopback) {
        services.put(service + ":" + port, loopback);
        return this;
    }

    /** A copy with the same mounts, ports and services (a pod's rewrites start from the cluster's services). */
    Rewrites copy() {
        Rewrites r = new Rewrites(namespace);
        r.mounts.addAll(mounts);
        r.ports.putAll(ports);
        r.services.putAll(services);
        return r;
    }

    String apply(String value) {
        if (ports.containsKey(value)) {
            return ports.get(value);
        }
        String out = value;
        for (var service : services.entrySet()) {
            String[] hostPort = service.getKey().split(":");
            Pattern p = Pattern.compile("(?<![\\w.-])" + Pattern.quote(hostPort[0]) + "(\\." + Pattern.quote(namespace)
                    + "(\\.svc(\\.cluster\\.local)?)?)?:" + hostPort[1] + "(?!\\d)");
            out = p.matcher(out).replaceAll(Matcher.quoteReplacement(service.getValue()));
        }
        if (mounts.isEmpty()) {
            return out;
        }
        // One pass, longest mountPath first: a directory that replaced one prefix is never rewritten again (a
        // repository under /tmp would otherwise have its own path rewritten by the pod's /tmp emptyDir).
        Map<String, String> byPath = new LinkedHashMap<>();
        mounts.forEach(m -> byPath.putIfAbsent(m.getKey(), m.getValue()));
        String alternatives = String.join("|", byPath.keySet().stream().map(Pattern::quote).toList());
        Pattern p = Pattern.compile("(?<![\\w./-])(" + alternatives + ")(?=/|$|[\\s:,;])");
        return p.matcher(out).replaceAll(m -> Matcher.quoteReplacement(byPath.get(m.group(1))));
    }

    List<String> apply(List<String> values) {
        return values == null ? List.of() : values.stream().map(this::apply).toList();
    }

    /** The directory mounted at exactly {@code mountPath}, if any. */
    java.util.Optional<String> mountedAt(String mountPath) {
        return mounts.stream().filter(m -> m.getKey().equals(mountPath)).map(Map.Entry::getValue).findFirst();
    }

    /** The host port of one of the pod's containerPorts. */
    int hostPort(int containerPort) {
        String mapped = ports.get(Integer.toString(containerPort));
        if (mapped == null) {
            throw new IllegalStateException("containerPort " + containerPort + " is not declared");
        }
        return Integer.parseInt(mapped);
    }

    private static String trimSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
