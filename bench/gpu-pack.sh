#!/usr/bin/env bash
# Builds the GPU check bundle here (needs this repository's JDK 17 with jmods, and Maven with a filled ~/.m2):
# a jlink'd Java runtime, the escope jar and its libraries, and gpu-check.sh, as target/escope-gpu-bundle.tar.gz.
# Copy that file to a Linux GPU machine that has CUDA and PyTorch for Python (no JDK, Maven or network needed) and run
#   tar xzf escope-gpu-bundle.tar.gz && escope-gpu-bundle/gpu-check.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/target/escope-gpu-bundle"
skip_build="${SKIP_BUILD:-0}"
if [ "$skip_build" != 1 ]; then
  (cd "$here" && mvn -B -q -ntp -o -pl cli -am package -DskipTests) || {
    echo "gpu-pack: the build failed (mvn -pl cli -am package -DskipTests)" >&2; exit 1; }
fi
jar="$here/cli/target/cli-0.1.0-SNAPSHOT.jar"
[ -f "$jar" ] && [ -d "$here/cli/target/lib" ] || { echo "gpu-pack: $jar or cli/target/lib is missing" >&2; exit 1; }
javahome="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
[ -d "$javahome/jmods" ] || { echo "gpu-pack: $javahome has no jmods; jlink needs a full JDK 17" >&2; exit 1; }
rm -rf "$out" && mkdir -p "$out/lib"
# The modules the services and the benchmark use (jdk.httpserver: the OIP REST binding; jdk.unsupported: Netty,
# protobuf; java.desktop: JFreeChart in the reports; jdk.jfr: profiling on the GPU machine).
"$javahome/bin/jlink" --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.scripting,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.management,jdk.unsupported,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --output "$out/jre"
cp "$jar" "$out/lib/"
# The CPU natives stay out: on the GPU machine DJL loads that machine's own libtorch (PYTORCH_LIBRARY_PATH).
find "$here/cli/target/lib" -name '*.jar' ! -name 'pytorch-native-cpu-*' -exec cp {} "$out/lib/" \;
cp "$here/bench/gpu-check.sh" "$out/"
git -C "$here" rev-parse HEAD > "$out/COMMIT" 2>/dev/null || true
tar -C "$here/target" -czf "$here/target/escope-gpu-bundle.tar.gz" escope-gpu-bundle
echo "gpu-pack: $(du -sh "$here/target/escope-gpu-bundle.tar.gz" | cut -f1) target/escope-gpu-bundle.tar.gz (commit $(cat "$out/COMMIT" 2>/dev/null || echo unknown))"
