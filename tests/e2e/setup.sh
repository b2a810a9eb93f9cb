#!/bin/sh
# Prepare this machine (Debian 12, as root) for tests/e2e/run.sh: engines,
# their configuration, the static helper binary and the local base images.
# Idempotent: every step checks first and says "ok" when nothing is to do.
# Exit status 2 on any failure (run.sh reads 2 as "setup problem").
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$here/common.sh"

die() {
	say "setup: FAIL $*" >&2
	exit 2
}

[ "$(id -u)" -eq 0 ] || die "must run as root (builds use chroot isolation and /var/lib/containers)"
mkdir -p "$E2E_CACHE/bin" "$E2E_CACHE/debs" || die "cannot create $E2E_CACHE"

# --- packages -------------------------------------------------------------
# gcc + libc6-dev build the static helper; no recommends: fuse-overlayfs,
# slirp4netns and uidmap are for rootless or overlay use, which we avoid.
PKGS="buildah podman runc debootstrap gcc libc6-dev"
missing=
for p in $PKGS; do
	dpkg-query -W -f '${Status}\n' "$p" 2> /dev/null | grep -q ' installed$' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	say "setup: apt-get install$missing"
	apt-get update -q > "$E2E_CACHE/apt.log" 2>&1 || die "apt-get update (see $E2E_CACHE/apt.log)"
	# shellcheck disable=SC2086 # a word list
	apt-get install -y -q --no-install-recommends $missing >> "$E2E_CACHE/apt.log" 2>&1 ||
		die "apt-get install$missing (see $E2E_CACHE/apt.log)"
else
	say "setup: ok packages ($PKGS)"
fi

# --- engine configuration -------------------------------------------------
# toml_set FILE SECTION KEY VALUE: make KEY = VALUE hold in [SECTION] of FILE
# and leave every other line alone (a wrong value of KEY, even a multi-line
# array, is replaced; a missing key is put at the end of its section; a
# missing section is appended). Says whether FILE changed.
# toml_default: the same, but an existing KEY is kept whatever its value.
toml_set() {
	keep=no
	toml_edit "$@"
}
toml_default() {
	keep=yes
	toml_edit "$@"
}
toml_edit() {
	f=$1
	if [ ! -e "$f" ]; then
		mkdir -p "$(dirname "$f")"
		printf '# Written by drydock tests/e2e/setup.sh.\n' > "$f"
	fi
	awk -v sec="[$2]" -v key="$3" -v val="$4" -v keep="$keep" '
	function squash(s) { gsub(/[ \t]/, "", s); return s }
	function emit() { print key " = " val; done = 1 }
	{
		t = $0; sub(/^[ \t]+/, "", t); sub(/[ \t]+$/, "", t)
		if (skip) { if (t ~ /\]/) skip = 0; next }
		if (t ~ /^\[/) {
			if (insec && !done) emit()
			insec = (t == sec); if (insec) seen = 1
			print; next
		}
		if (insec && !done && t ~ ("^" key "[ \t]*=")) {
			rhs = t; sub(/^[^=]*=[ \t]*/, "", rhs)
			if (keep == "yes" || squash(rhs) == squash(val)) { print; done = 1; next }
			if (rhs ~ /^\[/ && rhs !~ /\]/) skip = 1
			emit(); next
		}
		print
	}
	END {
		if (insec && !done) emit()
		else if (!seen) { print ""; print sec; emit() }
	}' "$f" > "$f.e2e-new" || die "cannot rewrite $f"
	if cmp -s "$f" "$f.e2e-new"; then
		rm -f "$f.e2e-new"
		say "setup: ok $f: [$2] $3"
	else
		mv "$f.e2e-new" "$f"
		say "setup: set $f: [$2] $3 = $4"
	fi
}

# vfs: no overlay mounts inside this (possibly containerised) machine.
# Debian ships no storage.conf default (containers-storage is only
# suggested), and without one the two roots are unset: give the usual ones.
toml_set /etc/containers/storage.conf storage driver '"vfs"'
toml_default /etc/containers/storage.conf storage runroot '"/run/containers/storage"'
toml_default /etc/containers/storage.conf storage graphroot '"/var/lib/containers/storage"'
# runc is what Debian ships and what is known to work here; the ulimits
# replace podman's default nofile of 1048576, which runc cannot set here.
toml_set /etc/containers/containers.conf engine runtime '"runc"'
toml_set /etc/containers/containers.conf containers default_ulimits \
	'["nofile=1024:1024", "nproc=1024:1024"]'

drv=$(podman info --format '{{.Store.GraphDriverName}}' 2> /dev/null) ||
	die "podman info fails (try: podman info)"
[ "$drv" = vfs ] || die "podman uses storage driver '$drv', not vfs: images made with another driver are in /var/lib/containers/storage; remove them (podman system reset) or run elsewhere"
say "setup: ok engines: buildah $(buildah --version | awk '{print $3}'), podman $(podman --version | awk '{print $3}'), runc $(runc --version | awk 'NR == 1 {print $3}'), driver vfs"

# --- static helpers -------------------------------------------------------
# e2e-uid prints the ids it runs with; static so that FROM scratch runs it.
# e2e-probe (build.sh) prints ids, CapEff and which folders it can write.
helper() {  # helper NAME SOURCE GCC-FLAGS...
	out=$E2E_CACHE/bin/$1
	src=$here/tools/$2
	shift 2
	# Up to date unless the source is newer (find -newer: test -nt is not POSIX).
	if [ -x "$out" ] && [ -z "$(find "$src" -newer "$out")" ]; then
		say "setup: ok $out"
		return
	fi
	gcc -O2 "$@" -o "$out.tmp" "$src" || die "gcc $* $src"
	mv "$out.tmp" "$out"
	say "setup: built $out"
}
helper e2e-uid e2e-uid.c -static
helper e2e-uid-dyn e2e-uid.c
helper e2e-probe e2e-probe.c -static

# --- debootstrap rootfs tarballs -----------------------------------------
# The Debian mirror apt uses here (the only network there is).
mirror=${E2E_MIRROR:-$(awk '
	/^URIs:/ && $2 !~ /security/ { print $2; exit }
	/^deb[ \t]/ && $2 !~ /security/ { print $2; exit }' \
	/etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2> /dev/null || true)}
mirror=${mirror:-http://deb.debian.org/debian}

rootfs() {  # rootfs NAME [PACKAGES]: cached tarball of a minbase bookworm
	tarball=$E2E_CACHE/bookworm-$1.tar
	if [ -s "$tarball" ]; then
		say "setup: ok $tarball"
		return
	fi
	dir=$E2E_CACHE/rootfs-$1
	rm -rf "$dir"
	say "setup: debootstrap bookworm $1${2:+ (+$2)} from $mirror"
	# --cache-dir keeps the .debs, so the second rootfs downloads only gcc.
	debootstrap --variant=minbase ${2:+--include=$2} --cache-dir="$E2E_CACHE/debs" \
		bookworm "$dir" "$mirror" > "$E2E_CACHE/debootstrap-$1.log" 2>&1 ||
		die "debootstrap $1 (see $E2E_CACHE/debootstrap-$1.log)"
	# Trim like the slim images do: vfs copies every byte per layer.
	rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* \
		"$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* \
		"$dir"/usr/share/locale/* "$dir"/var/log/*.log "$dir"/var/cache/debconf/*-old
	# The host's name and resolver are not the image's business.
	rm -f "$dir/etc/hostname" "$dir/etc/resolv.conf"
	tar -C "$dir" --numeric-owner -cf "$tarball.tmp" . || die "tar $dir"
	mv "$tarball.tmp" "$tarball"
	rm -rf "$dir"
	say "setup: saved $tarball ($(du -m "$tarball" | cut -f1) MB)"
}

have() {  # have IMAGE: is IMAGE in local storage?
	if podman image exists "$1"; then
		say "setup: ok image $1"
		return 0
	fi
	return 1
}

PATHENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

if ! have "$IMG_DEBIAN"; then
	rootfs slim
	podman import -q --change "ENV $PATHENV" --change 'CMD ["bash"]' \
		"$E2E_CACHE/bookworm-slim.tar" "$IMG_DEBIAN" > /dev/null || die "import $IMG_DEBIAN"
	say "setup: imported $IMG_DEBIAN"
fi

if ! have "$IMG_GCC"; then
	rootfs gcc gcc,libc6-dev
	podman import -q --change "ENV $PATHENV" --change 'CMD ["bash"]' \
		"$E2E_CACHE/bookworm-gcc.tar" "$IMG_GCC" > /dev/null || die "import $IMG_GCC"
	say "setup: imported $IMG_GCC"
fi

if ! have "$IMG_GO"; then
	dir=$(mktemp -d)
	cp "$(dirname "$0")/tools/go" "$dir/go"
	printf 'FROM %s\nCOPY go /usr/local/go/bin/go\nENV PATH=/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n' \
		"$IMG_GCC" > "$dir/Containerfile"
	buildah bud -q --pull=never --isolation=chroot --layers=false -t "$IMG_GO" -f "$dir/Containerfile" "$dir" \
		> /dev/null 2>&1 || { rm -rf "$dir"; die "build $IMG_GO"; }
	rm -rf "$dir"
	say "setup: built $IMG_GO (gcc behind a go stand-in)"
fi

# --- distroless stand-ins -------------------------------------------------
# Same users, groups, /tmp and config as gcr.io/distroless/*:nonroot, made
# from files (no registry): static = just those, base = plus glibc.
distroless() {  # distroless IMAGE WITH-GLIBC(yes|no)
	stage=$E2E_CACHE/distroless-stage
	rm -rf "$stage"
	mkdir -p "$stage/etc" "$stage/tmp" "$stage/root" "$stage/home/nonroot"
	cat > "$stage/etc/passwd" <<-'EOF'
	root:x:0:0:root:/root:/sbin/nologin
	nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
	nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
	EOF
	cat > "$stage/etc/group" <<-'EOF'
	root:x:0:
	nobody:x:65534:
	tty:x:5:
	staff:x:50:
	nonroot:x:65532:
	EOF
	printf 'PRETTY_NAME="Distroless stand-in (drydock e2e)"\nID=debian\n' > "$stage/etc/os-release"
	chmod 1777 "$stage/tmp"
	chmod 700 "$stage/root" "$stage/home/nonroot"
	chown 65532:65532 "$stage/home/nonroot"
	if [ "$2" = yes ]; then
		# glibc (the libc6 package's files) out of the bookworm rootfs.
		rootfs slim
		src=$E2E_CACHE/distroless-src
		rm -rf "$src"
		mkdir -p "$src"
		tar -C "$src" -xf "$E2E_CACHE/bookworm-slim.tar" || die "untar bookworm-slim"
		list=$(find "$src/var/lib/dpkg/info" -name "libc6.list" -o -name "libc6:*.list" | head -n 1)
		[ -n "$list" ] || die "no libc6 file list in the bookworm rootfs"
		(
			cd "$src"
			# Merged /usr: the top-level links first, and every path
			# under one of them copied from its /usr/ place.
			for d in bin sbin lib lib64; do
				if [ -L "$d" ]; then cp -a "$d" "$stage/" || exit 1; fi
			done
			grep -v -e '^/usr/share/' -e '^/\.$' "$list" | while read -r p; do
				top=${p#/}
				top=${top%%/*}
				if [ -L "$top" ] && [ "$top" != "${p#/}" ]; then p=/usr$p; fi
				# Files and symlinks only; cp --parents makes the folders.
				if [ -f ".$p" ] || { [ -L ".$p" ] && [ ! -d ".$p" ]; }; then
					cp -a --parents ".$p" "$stage/" || exit 1
				fi
			done
		) || die "copy glibc"
		rm -rf "$src"
	fi
	tar -C "$stage" --numeric-owner -c . | podman import -q \
		--change "USER 65532" --change "WORKDIR /home/nonroot" \
		--change "ENV $PATHENV" --change "ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt" \
		- "$1" > /dev/null || die "import $1"
	rm -rf "$stage"
	say "setup: imported $1"
}
have "$IMG_STATIC" || distroless "$IMG_STATIC" no
have "$IMG_BASE" || distroless "$IMG_BASE" yes

# --- smoke test -----------------------------------------------------------
# The glibc stand-in must really run a dynamic binary, as its user, from
# local storage only: proves runc, the ulimits and --pull=never together.
out=$(podman run --rm --pull=never --network=none --read-only --cap-drop=ALL \
	--security-opt no-new-privileges \
	-v "$E2E_CACHE/bin/e2e-uid-dyn:/e2e-uid:ro" "$IMG_BASE" /e2e-uid 2>&1) ||
	die "podman run $IMG_BASE: $out"
case $out in
uid=65532\ *) say "setup: ok run $IMG_BASE: $out" ;;
*) die "podman run $IMG_BASE printed: $out" ;;
esac
say "setup: done"
