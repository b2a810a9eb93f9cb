#!/bin/sh
# Make the .deb from a staged install (make deb runs this after
# `make install DESTDIR=ROOT PREFIX=/usr`):
#   sh pkg/deb.sh ROOT OUTDIR
# Depends lists the libraries the binary links (dpkg-shlibdeps, or the
# packages that own them) and libgit2, which drydock loads with dlopen only
# for fix --commit/--patch, so no linker sees it. Prints the .deb's path.
set -eu

root=$1
outdir=$2
bin=$root/usr/bin/drydock
[ -x "$bin" ] || { echo "deb: $bin not found: run make install DESTDIR=$root PREFIX=/usr first" >&2; exit 2; }

# upstream part of an installed package's version: 2.36-9+deb12u4 -> 2.36
upstream() {
	dpkg-query -W -f='${Version}' "$1" | sed 's/^[0-9]*://; s/-[^-]*$//'
}

# the package that owns a file (symbolic links followed), without :arch
owner() {
	dpkg -S "$(readlink -f "$1")" 2>/dev/null | sed -n '1s/:.*//p'
}

linked_depends() {
	if command -v dpkg-shlibdeps > /dev/null 2>&1; then
		t=$(mktemp -d)
		mkdir "$t/debian"
		echo "Source: drydock" > "$t/debian/control"
		abs=$(cd "$(dirname "$bin")" && pwd)/drydock
		(cd "$t" && dpkg-shlibdeps -O -e"$abs" 2> /dev/null) | sed -n 's/^shlibs:Depends=//p'
		rm -rf "$t"
		return
	fi
	ldd "$bin" | awk '/=> \//{ print $3 }' | while read -r lib; do
		p=$(owner "$lib")
		[ -n "$p" ] && echo "$p (>= $(upstream "$p"))"
	done | sort -u | paste -sd, - | sed 's/,/, /g'
}

# the package of the libgit2 whose headers drydock was built with: the -dev
# package's libgit2.so points at the versioned library drydock dlopens
git_depends() {
	libdir=$(pkg-config --variable=libdir libgit2)
	p=$(owner "$libdir/libgit2.so")
	[ -n "$p" ] || { echo "deb: no package owns $libdir/libgit2.so" >&2; exit 3; }
	echo "$p"
}

# as dh_strip does: no symbols a debugger would want in the package itself
if command -v strip > /dev/null 2>&1; then
	strip --strip-unneeded --remove-section=.comment --remove-section=.note "$bin"
fi

version=$("$bin" --version | sed 's/^drydock //')
arch=$(dpkg --print-architecture)
depends="$(linked_depends), $(git_depends)"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)

# Debian keeps manual pages compressed
find "$root/usr/share/man" -name '*.[0-9]' -exec gzip -9nf {} +

mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: drydock
Version: $version
Architecture: $arch
Maintainer: drydock developers <drydock@example.org>
Installed-Size: $size
Depends: $depends
Section: devel
Priority: optional
Homepage: https://github.com/drydock-dev/drydock
Description: find and fix the security weaknesses of Dockerfiles
 drydock lints Dockerfiles for the weaknesses that make images unsafe (a root
 user, secrets in layers, fat or unpinned base images, unverified downloads)
 and fixes them with minimal edits: drydock lint, drydock fix (also as a git
 commit), drydock explain. Reports as text, JSON, SARIF (GitHub code
 scanning), Checkstyle, GitLab code quality and GitHub Actions annotations.
CONTROL

mkdir -p "$outdir"
deb=$outdir/drydock_${version}_$arch.deb
dpkg-deb --build --root-owner-group "$root" "$deb" > /dev/null
echo "$deb"
