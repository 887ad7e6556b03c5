#!/usr/bin/env bash
# Runs the serving benchmark (escope bench inference) on this machine's GPU from the bundle gpu-pack.sh builds:
# its own Java runtime and jars, DJL pointed at the libtorch of the PyTorch installed for python3. No JDK, Maven or
# network needed. Prints the device and synchronised timings, or exactly what failed. Sized to finish in < 8 min.
#   gpu-check.sh [--device gpu|cpu] [escope bench inference options, replacing the defaults below]
# --device cpu is the dry path: the same steps against the same libtorch, on the CPU (checks the bundle anywhere).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
device=gpu
if [ "${1:-}" = "--device" ]; then device="${2:?--device needs cpu or gpu}"; shift 2; fi
fail() { echo "gpu-check: FAILED: $*" >&2; exit 1; }
step() { echo "gpu-check: $*" >&2; }

java="$here/jre/bin/java"
[ -x "$java" ] || fail "no Java runtime at $java (build the bundle with bench/gpu-pack.sh)"
ls "$here"/lib/cli-*.jar >/dev/null 2>&1 || fail "no escope jar in $here/lib"
command -v python3 >/dev/null || fail "python3 is not on PATH (PyTorch for Python provides libtorch)"
probe="$(python3 - <<'PY' 2>&1
import os, sys
try:
    import torch
except Exception as e:
    print("ERR import torch failed: %r" % (e,)); sys.exit(0)
lib = os.path.join(os.path.dirname(torch.__file__), "lib")
cuda = torch.version.cuda or ""
avail = torch.cuda.is_available()
name = torch.cuda.get_device_name(0) if avail else ""
print("OK|%s|%s|%s|%s|%s" % (torch.__version__, lib, cuda, avail, name))
PY
)"
case "$probe" in OK*) ;; *) fail "python3 cannot import torch: $probe";; esac
IFS='|' read -r _ torch_version torch_lib cuda_version cuda_ok gpu_name <<< "$probe"
step "PyTorch $torch_version (CUDA ${cuda_version:-none}), libtorch in $torch_lib; GPU: ${gpu_name:-none} (available: $cuda_ok)"
[ -f "$torch_lib/libtorch.so" ] || fail "$torch_lib/libtorch.so is missing"
if [ "$device" = gpu ]; then
  [ "$cuda_ok" = True ] || fail "torch.cuda.is_available() is False: no usable CUDA device or driver for PyTorch $torch_version (CUDA ${cuda_version:-none}); nothing was run"
  flavor="cu$(echo "$cuda_version" | tr -d .)"
else
  flavor=cpu
fi
base_version="${torch_version%%+*}"

export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$here/djl-cache}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export PYTORCH_LIBRARY_PATH="$torch_lib"
export LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
cp_="$(ls "$here"/lib/*.jar | tr '\n' ':')"
# Both architectures, B = 1, 8, 32, two rounds: about 4 minutes on 2 CPU cores, far less on a GPU.
[ $# -gt 0 ] || set -- --arch mnist-mlp,resnet20 --rounds 2 --cell-ms 250
run() {
  timeout 450 "$java" -Xmx4g -Dai.djl.offline=true -Djava.awt.headless=true -cp "$cp_" io.ensemblescope.cli.Escope \
    bench inference --device "$device" "$@"
}
# DJL needs a JNI library (libdjl_torch.so) built for the libtorch it loads. Attempt 1: the machine's PyTorch
# version and flavor (works when a matching JNI library is in $DJL_CACHE_DIR, e.g. one built on this machine);
# attempt 2: the JNI library the bundle carries (DJL 0.36, PyTorch 2.7.1, cpu and cu128) against this libtorch,
# which works only while the libtorch ABI it uses is unchanged.
log="$(mktemp)"
for attempt in "$base_version:$flavor" "2.7.1:$([ "$device" = gpu ] && echo cu128 || echo cpu)"; do
  export PYTORCH_VERSION="${attempt%%:*}" PYTORCH_FLAVOR="${attempt##*:}"
  step "attempt: PYTORCH_VERSION=$PYTORCH_VERSION PYTORCH_FLAVOR=$PYTORCH_FLAVOR PYTORCH_LIBRARY_PATH=$PYTORCH_LIBRARY_PATH"
  if run "$@" 2>"$log"; then
    step "done (device $device, JNI for PyTorch $PYTORCH_VERSION/$PYTORCH_FLAVOR on libtorch $torch_version)"
    rm -f "$log"; exit 0
  fi
  rc=$?
  [ $rc = 124 ] && { tail -5 "$log" >&2; fail "the benchmark ran past 450 s"; }
  step "attempt failed (exit $rc); the engine said:"
  grep -E "Exception|Error|error|undefined symbol|UnsatisfiedLink|offline|FAILED|escope:" "$log" | head -8 >&2
done
rm -f "$log"
fail "DJL could not run on libtorch $torch_version ($flavor) with the JNI libraries available: build libdjl_torch.so for PyTorch $base_version/$flavor (DJL 0.36 sources) into $DJL_CACHE_DIR, or install PyTorch 2.7.1 ($flavor) for python3"
