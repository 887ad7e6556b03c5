package io.ensemblescope.deploy.rehearsal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** RBAC verbs of API requests ("METHOD path"), as the API server's authorizer names them. */
final class ApiCalls {
    private static final Pattern PATH = Pattern.compile(
            "^/(?:api/v1|apis/([a-z0-9.]+)/v[0-9a-z]+)/namespaces/([^/]+)/([a-z]+)(?:/([^/?]+))?(?:/([a-z]+))?(?:\\?(.*))?$");

    private ApiCalls() {}

    /** "group/resource[/subresource]" → verbs, checking every call stays in {@code namespace}. */
    static Map<String, Set<String>> verbs(List<String> calls, String namespace) {
        Map<String, Set<String>> verbs = new TreeMap<>();
        for (String call : calls) {
            String[] parts = call.split(" ", 2);
            Matcher m = PATH.matcher(parts[1]);
            if (!m.matches()) {
                throw new AssertionError("not a namespaced API call: " + call);
            }
            if (!namespace.equals(m.group(2))) {
                throw new AssertionError("call outside namespace " + namespace + ": " + call);
            }
            String group = m.group(1) == null ? "" : m.group(1);
            String resource = group + "/" + m.group(3) + (m.group(5) == null ? "" : "/" + m.group(5));
            boolean named = m.group(4) != null;
            boolean watch = m.group(6) != null && m.group(6).contains("watch=true");
            String verb = switch (parts[0]) {
                case "GET" -> watch ? "watch" : named ? "get" : "list";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> named ? "delete" : "deletecollection";
                default -> throw new AssertionError("method " + call);
            };
            verbs.computeIfAbsent(resource, k -> new TreeSet<>()).add(verb);
        }
        return verbs;
    }
}
