# Shared by setup.sh and run.sh (sourced, POSIX sh).
# shellcheck shell=sh disable=SC2034 # the names are used by the scripts

# Where the slow-to-make inputs are kept between runs: debootstrap tarballs,
# downloaded .debs, the static helper binary.
E2E_CACHE=${E2E_CACHE:-/var/cache/drydock-e2e}

# The local base images, named as the Dockerfiles under test name them.
IMG_DEBIAN=docker.io/library/debian:bookworm-slim
IMG_GCC=localhost/e2e-gcc:bookworm
# the gcc image with tools/go as `go`: what a golang image looks like to drydock
IMG_GO=docker.io/library/golang:1.27-bookworm
IMG_STATIC=gcr.io/distroless/static-debian13:nonroot
IMG_BASE=gcr.io/distroless/base-debian13:nonroot

# Builds run as root in a chroot: no user namespaces, no overlay mounts.
BUILDAH_ISOLATION=chroot
export BUILDAH_ISOLATION
# apt and debconf must never ask.
DEBIAN_FRONTEND=noninteractive
export DEBIAN_FRONTEND

say() {  # say WORDS: one line of progress on stdout
	printf '%s\n' "$*"
}
