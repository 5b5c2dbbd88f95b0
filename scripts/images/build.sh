#!/usr/bin/env bash
# Builds tektite's stand-in container images offline, from Debian packages only (no registry).
#
#   scripts/images/build.sh [--engine podman|docker] [--force]
#
# Images (all under localhost/tektite/, labelled io.tektite.images=<version of this folder>):
#   debian:bookworm      debootstrap minbase + bash coreutils procps python3 perl nodejs git ssh;
#                        CMD ["/bin/bash"]              (stands for ubuntu)
#   bash:5               ENTRYPOINT ["docker-entrypoint.sh"], CMD ["bash"]   (Docker Hub bash)
#   python:3             CMD ["python3"]   node:18 ENTRYPOINT docker-entrypoint.sh CMD ["node"]
#   perl:5               CMD ["perl"]
#   busybox:latest       busybox-static only, no ENTRYPOINT, CMD ["sh"]
#   alpine:latest        debian + /bin/sh and /bin/ash = busybox ash, CMD ["/bin/sh"]
#   alpine-git:latest    alpine + sshd ready to start, ENTRYPOINT ["git"], CMD ["--help"]
#   alpine-git-nonroot:latest  alpine-git + user nonroot (1000), USER nonroot
#   nop:latest           busybox + ENTRYPOINT ["/ko-app/nop"] that exits 0
#
# The debootstrap root filesystem is cached under $TEKTITE_IMAGE_CACHE (default
# /var/cache/tektite-images), so re-runs take seconds. An image whose label matches the current
# version is not rebuilt.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
engine="podman"
force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --engine) engine="$2"; shift 2 ;;
    --force) force=1; shift ;;
    *) echo "usage: $0 [--engine podman|docker] [--force]" >&2; exit 2 ;;
  esac
done

cache="${TEKTITE_IMAGE_CACHE:-/var/cache/tektite-images}"
mkdir -p "$cache"
# The version covers every file of this folder: change a script, and images are rebuilt.
version="$(cd "$here" && cat $(ls | sort) | sha256sum | cut -c1-16)"
label="io.tektite.images"
packages="bash,coreutils,procps,python3,perl,nodejs,git,openssh-client,openssh-server,ca-certificates,busybox-static"

log() { echo "[images] $*" >&2; }

current() {
  # Prints the version label of an image, or nothing when it is missing.
  "$engine" image inspect --format "{{ index .Config.Labels \"$label\" }}" "$1" 2>/dev/null || true
}

up_to_date() {
  [ "$force" -eq 0 ] && [ "$(current "$1")" = "$version" ]
}

debian_mirror() {
  # The Debian mirror apt uses on this machine (deb822 or one-line sources), else deb.debian.org.
  local m
  m="$(grep -hoE '^URIs: *[^ ]+/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 | sed 's/^URIs: *//')"
  if [ -z "$m" ]; then
    m="$(grep -hE '^deb +' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      sed -E 's/^deb +(\[[^]]*\] +)?//' | awk '$1 ~ /\/debian\/?$/ {print $1; exit}')"
  fi
  echo "${m:-http://deb.debian.org/debian}"
}

rootfs_tarball() {
  # Debootstraps bookworm once; the tarball name changes with the package list.
  local key tar dir
  key="$(echo "$packages" | sha256sum | cut -c1-12)"
  tar="$cache/debian-bookworm-$key.tar"
  if [ -s "$tar" ]; then echo "$tar"; return; fi
  command -v debootstrap >/dev/null || { log "debootstrap is missing (apt-get install debootstrap)"; exit 1; }
  dir="$(mktemp -d "$cache/rootfs.XXXXXX")"
  log "debootstrap bookworm from $(debian_mirror) (a few minutes, once)"
  debootstrap --variant=minbase --include="$packages" bookworm "$dir" "$(debian_mirror)" >&2
  chroot "$dir" /bin/sh -c 'apt-get clean; rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/*.log /etc/ssh/ssh_host_*' >&2
  # Containers see world-writable /tmp and a root home; sshd needs its privilege separation dir.
  mkdir -p "$dir/run/sshd" "$dir/workspace"
  chmod 1777 "$dir/tmp"
  tar --numeric-owner -C "$dir" -cf "$tar.partial" .
  mv "$tar.partial" "$tar"
  rm -rf "$dir"
  echo "$tar"
}

busybox_tarball() {
  local tar="$cache/busybox-$version.tar" dir
  if [ -s "$tar" ]; then echo "$tar"; return; fi
  [ -x /bin/busybox ] || { log "busybox-static is missing (apt-get install busybox-static)"; exit 1; }
  dir="$(mktemp -d "$cache/busybox.XXXXXX")"
  mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,home,var,proc,sys,dev,ko-app}
  cp /bin/busybox "$dir/bin/busybox"
  chroot "$dir" /bin/busybox --install -s
  chmod 1777 "$dir/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$dir/etc/passwd"
  printf 'root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n' >"$dir/etc/group"
  cp "$here/nop.sh" "$dir/ko-app/nop"
  tar --numeric-owner -C "$dir" -cf "$tar.partial" .
  mv "$tar.partial" "$tar"
  rm -rf "$dir"
  echo "$tar"
}

import_image() {
  # import_image <tarball> <tag> <--change...>
  local tar="$1" tag="$2"
  shift 2
  if up_to_date "$tag"; then log "$tag is up to date"; return; fi
  log "importing $tag"
  local changes=()
  for c in "$@" "LABEL $label=$version"; do changes+=(--change "$c"); done
  if [ "$engine" = docker ]; then
    docker import "${changes[@]}" "$tar" "$tag" >/dev/null
  else
    podman import --quiet "${changes[@]}" "$tar" "$tag" >/dev/null
  fi
}

build_image() {
  # build_image <tag> <Containerfile text>; the context is this folder.
  local tag="$1" file
  if up_to_date "$tag"; then log "$tag is up to date"; return; fi
  log "building $tag"
  file="$(mktemp)"
  printf '%s\nLABEL %s=%s\n' "$2" "$label" "$version" >"$file"
  if [ "$engine" = docker ]; then
    docker build -q --network none -t "$tag" -f "$file" "$here" >/dev/null
  else
    podman build -q --pull=never --network none -t "$tag" -f "$file" "$here" >/dev/null
  fi
  rm -f "$file"
}

P=localhost/tektite
if ! up_to_date "$P/busybox:latest" || ! up_to_date "$P/nop:latest"; then
  bb="$(busybox_tarball)"
  import_image "$bb" "$P/busybox:latest" 'CMD ["sh"]'
  import_image "$bb" "$P/nop:latest" 'ENTRYPOINT ["/ko-app/nop"]'
fi

if ! up_to_date "$P/debian:bookworm"; then
  import_image "$(rootfs_tarball)" "$P/debian:bookworm" \
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'CMD ["/bin/bash"]'
fi

build_image "$P/bash:5" "FROM $P/debian:bookworm
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT [\"docker-entrypoint.sh\"]
CMD [\"bash\"]"
build_image "$P/python:3" "FROM $P/debian:bookworm
CMD [\"python3\"]"
build_image "$P/node:18" "FROM $P/debian:bookworm
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT [\"docker-entrypoint.sh\"]
CMD [\"node\"]"
build_image "$P/perl:5" "FROM $P/debian:bookworm
CMD [\"perl\"]"
build_image "$P/alpine:latest" "FROM $P/debian:bookworm
RUN ln -sf /bin/busybox /bin/sh && ln -sf /bin/busybox /bin/ash
CMD [\"/bin/sh\"]"
build_image "$P/alpine-git:latest" "FROM $P/alpine:latest
RUN mkdir -p /run/sshd /root && chmod 0755 /run/sshd && sed -i 's/^root:\\*:/root:!:/' /etc/shadow
ENTRYPOINT [\"git\"]
CMD [\"--help\"]"
build_image "$P/alpine-git-nonroot:latest" "FROM $P/alpine-git:latest
RUN useradd --uid 1000 --create-home --home-dir /home/nonroot --shell /bin/sh nonroot
USER nonroot
WORKDIR /home/nonroot"

log "images ready (version $version)"
