#!/usr/bin/env bash
# Builds the escope image with Jib on a machine that reaches no container registry and has no Docker daemon, from a
# tiny local base image tarball; prints what the container would run (entrypoint, user, environment, classpath file);
# then starts the trainer with the image's own entrypoint (java, flags, classpath file, main class), /app relocated to
# the extracted layers and the host's java standing in for the base image's, and waits until it listens.
# Usage (from the repository root): docker/jib-offline-check.sh [cpu|gpu]
set -euo pipefail
variant=${1:-cpu}
profiles=jib; [ "$variant" = gpu ] && profiles=jib,jib-gpu
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

# A one-layer base image in `docker save` layout: Jib accepts tar:// bases.
mkdir -p "$work/rootfs/tmp" "$work/img"
tar -C "$work/rootfs" -cf "$work/img/layer.tar" .
diff_id=$(sha256sum "$work/img/layer.tar" | cut -d' ' -f1)
printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
  "$diff_id" > "$work/img/config.json"
printf '[{"Config":"config.json","RepoTags":["base:offline"],"Layers":["layer.tar"]}]' > "$work/img/manifest.json"
tar -C "$work/img" -cf "$work/base.tar" manifest.json config.json layer.tar

mvn -B -q -pl cli -am -P"$profiles" package jib:buildTar -DskipTests -Djib.from.image="tar://$work/base.tar" \
  -Djib.to.image=escope:offline-check -Djib.outputPaths.tar="$work/image.tar"
mkdir "$work/image" && tar -C "$work/image" -xf "$work/image.tar"
for layer in "$work"/image/*.tar.gz; do tar -xzf "$layer" -C "$work/rootfs" 2>/dev/null; done

# Image config, and the entrypoint one argument per line with /app under the extracted root.
python3 - "$work" > "$work/entrypoint" <<'PY'
import json, sys
work = sys.argv[1]
root = work + "/rootfs"
manifest = json.load(open(work + "/image/manifest.json"))[0]
config = json.load(open(work + "/image/" + manifest["Config"]))["config"]
print(json.dumps({k: config.get(k) for k in ("Entrypoint", "User", "Env")}), file=sys.stderr)
cp = open(root + "/app/jib-classpath-file").read().strip()
print("classpath: " + cp, file=sys.stderr)
relocated = cp.replace("/app/", root + "/app/")
print("\n".join(relocated if a == "@/app/jib-classpath-file" else a for a in config["Entrypoint"]))
PY
ls -l "$work/rootfs/usr/local/bin/escope"
if [ "$variant" = gpu ]; then
  echo "gpu: built; not started here (needs the CUDA base image and a GPU)"
  exit 0
fi

mapfile -t entrypoint < "$work/entrypoint"
"${entrypoint[@]}" serve trainer --port 0 --metrics-port 0 --store "$work/store" > "$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  grep -q "listening on gRPC port" "$work/serve.log" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
tail -5 "$work/serve.log"
if grep -q "listening on gRPC port" "$work/serve.log"; then
  echo "OK: the image's entrypoint and classpath start the trainer"
else
  echo "FAILED: the trainer did not start"; exit 1
fi
