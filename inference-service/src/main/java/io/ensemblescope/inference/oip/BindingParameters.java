package io.ensemblescope.inference.oip;

import java.util.Set;

/**
 * Parameter names a protocol binding consumes itself (the REST binary-data extension's, for instance), allowed on
 * top of the ones inference understands.
 *
 * @param request request-level parameter names
 * @param input input-tensor parameter names
 * @param output requested-output parameter names
 */
public record BindingParameters(Set<String> request, Set<String> input, Set<String> output) {
    /** A binding that consumes no parameters (gRPC). */
    public static final BindingParameters NONE = new BindingParameters(Set.of(), Set.of(), Set.of());
}
