#!/bin/sh
# Builds the escope image with Jib on a machine that reaches no container registry and has no Docker daemon, from a
# tiny local base image tarball, and prints what the container would run: entrypoint, user, environment and the
# classpath file. Usage (from the repository root): docker/jib-offline-check.sh [cpu|gpu]
set -eu
variant=${1:-cpu}
profiles=jib; [ "$variant" = gpu ] && profiles=jib,jib-gpu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
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
config=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["Config"])' "$work/image/manifest.json")
python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["config"]; print(json.dumps({k: c.get(k) for k in ("Entrypoint","User","Env")}, indent=1))' \
  "$work/image/$config"
for layer in "$work"/image/*.tar.gz; do tar -xzf "$layer" -C "$work/rootfs" 2>/dev/null; done
echo "classpath:"; tr ':' '\n' < "$work/rootfs/app/jib-classpath-file"
ls -l "$work/rootfs/usr/local/bin/escope"
