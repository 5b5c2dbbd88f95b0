#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine (as root) to run tektite's container executor and its tests:
# podman + runc, a containers.conf that works without systemd or a registry, a storage driver
# that works here, and the stand-in images (scripts/images/build.sh). Idempotent; no registry.
#
#   scripts/ci-containers.sh            # install, configure, build images
#   TEKTITE_SKIP_IMAGES=1 scripts/ci-containers.sh   # everything but the images
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
log() { echo "[ci-containers] $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "not root: skipping machine setup"
  exit 0
fi

# 1. Packages (Debian only). crun fails on this kind of machine (cgroups v1 hybrid): use runc.
need=()
for pair in podman:podman runc:runc /bin/busybox:busybox-static debootstrap:debootstrap catatonit:catatonit; do
  cmd="${pair%%:*}" pkg="${pair#*:}"
  if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "$cmd" ]; then need+=("$pkg"); fi
done
if [ "${#need[@]}" -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# 2. containers.conf: runc, cgroupfs (no systemd here), file events, and ulimits a container can
# get here. Podman's defaults (nofile 1048576...) exceed this machine's hard limits and runc then
# fails with "error setting rlimit"; conmon runs with nproc at most 32768.
min() { if [ "$1" = unlimited ] || { [ "$2" != unlimited ] && [ "$2" -lt "$1" ]; }; then echo "$2"; else echo "$1"; fi; }
nofile="$(min "$(ulimit -Hn)" 1048576)"
nproc="$(min "$(ulimit -Hu)" 32768)"
conf=/etc/containers/containers.conf
want="$(
  cat <<EOF
# Written by tektite scripts/ci-containers.sh
[containers]
default_ulimits = [
  "nofile=$nofile:$nofile",
  "nproc=$nproc:$nproc",
]
init_path = "$(command -v catatonit || echo /usr/bin/catatonit)"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
)"
mkdir -p /etc/containers
if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "$want" ]; then
  if [ -f "$conf" ] && ! grep -q 'tektite scripts/ci-containers.sh' "$conf"; then
    cp "$conf" "$conf.before-tektite"
  fi
  printf '%s\n' "$want" >"$conf"
  log "wrote $conf"
fi

# 3. Storage: keep overlay if a container runs on it, else switch to vfs.
storage_works() {
  podman info >/dev/null 2>&1 || return 1
  local d
  d="$(mktemp -d)"
  mkdir -p "$d/bin"
  cp /bin/busybox "$d/bin/busybox"
  tar -C "$d" -cf "$d.tar" .
  rm -rf "$d"
  podman import --quiet "$d.tar" localhost/tektite/storage-probe:latest >/dev/null 2>&1 &&
    podman run --rm --network none localhost/tektite/storage-probe:latest /bin/busybox true >/dev/null 2>&1
  local rc=$?
  podman rmi -f localhost/tektite/storage-probe:latest >/dev/null 2>&1 || true
  rm -f "$d.tar"
  return $rc
}
if ! storage_works; then
  log "podman does not run containers with driver $(podman info --format '{{.Store.GraphDriverName}}' 2>/dev/null || echo '?'): switching to vfs"
  cat >/etc/containers/storage.conf <<'EOF'
# Written by tektite scripts/ci-containers.sh: overlay did not work on this machine.
[storage]
driver = "vfs"
runroot = "/run/containers/storage"
graphroot = "/var/lib/containers/storage"
EOF
  podman system reset --force >/dev/null 2>&1 || true
  storage_works || { log "podman cannot run a container here"; podman info >&2 || true; exit 1; }
fi
log "podman works (storage $(podman info --format '{{.Store.GraphDriverName}}'), runtime $(podman info --format '{{.Host.OCIRuntime.Name}}')"

# 4. Stand-in images.
if [ "${TEKTITE_SKIP_IMAGES:-0}" != 1 ]; then
  "$here/images/build.sh"
fi
