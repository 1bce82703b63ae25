#!/bin/sh
# The sitegen binary as the benchmark workflows hand it from the build job (Debian 12) to the GPU
# runners, and the check a runner makes before it runs it.
#
#   sitegen_bundle.sh make BINARY DIR   copy BINARY to DIR/sitegen with the libraries few machines
#                                       have (cmark-gfm) in DIR/lib, found through RUNPATH
#                                       $ORIGIN/lib; DIR/RUNTIME.txt lists what it still needs
#   sitegen_bundle.sh check DIR/sitegen exit 0 when every library is found and the binary runs;
#                                       else exit 1 naming each missing library or symbol version
#
# make needs ldd and patchelf (Debian packages libc-bin and patchelf); check needs ldd only.
set -eu

say() { echo "sitegen_bundle: $*" >&2; }

# The Debian/Ubuntu package that provides a library the binary links to.
package_of() {
  case "$1" in
    libcurl.so.4) echo "libcurl4 (Ubuntu 24.04: libcurl4t64)" ;;
    libstdc++.so.6) echo "libstdc++6 (GCC 11 or later)" ;;
    libgcc_s.so.1) echo "libgcc-s1" ;;
    libcmark-gfm*) echo "libcmark-gfm0.29.0.gfm.6 (shipped in the bundle's lib/: was it moved away?)" ;;
    *) echo "the package that provides $1" ;;
  esac
}

make_bundle() {
  binary=$1 dir=$2
  [ -x "$binary" ] || { say "$binary: not an executable"; exit 2; }
  command -v patchelf >/dev/null 2>&1 || { say "patchelf not found: apt-get install patchelf"; exit 2; }
  rm -rf "$dir"
  mkdir -p "$dir/lib"
  cp "$binary" "$dir/sitegen"
  ldd "$binary" | awk '$2 == "=>" && $1 ~ /^libcmark-gfm/ { print $3 }' | while read -r lib; do
    cp -L "$lib" "$dir/lib/"
  done
  [ -n "$(ls "$dir/lib")" ] || { say "$binary links no cmark-gfm library: is it sitegen?"; exit 2; }
  patchelf --set-rpath '$ORIGIN/lib' "$dir/sitegen"
  glibc=$(objdump -T "$binary" "$dir"/lib/* 2>/dev/null | sed -n 's/.*GLIBC_\([0-9][0-9.]*\).*/\1/p' | sort -t. -k1,1n -k2,2n -u | tail -n 1)
  {
    echo "sitegen for Linux $(uname -m), built on Debian 12. Needs at run time, from the system:"
    echo "  glibc ${glibc:-?} or later"
    objdump -p "$dir/sitegen" | awk '$1 == "NEEDED" { print $2 }' \
      | grep -v -e '^libcmark-gfm' -e '^libc\.so' -e '^libm\.so' | while read -r lib; do
      echo "  $lib: $(package_of "$lib")"
    done
    echo "Shipped in lib/ (found through RUNPATH \$ORIGIN/lib):"
    for lib in "$dir"/lib/*; do echo "  $(basename "$lib")"; done
  } > "$dir/RUNTIME.txt"
  say "made $dir: $(ls "$dir/lib" | wc -l) libraries in lib/"
}

check_bundle() {
  binary=$1
  [ -f "$binary" ] || { say "$binary: no such file (was the sitegen artifact downloaded?)"; exit 1; }
  [ -x "$binary" ] || chmod +x "$binary"
  missing=$(ldd "$binary" 2>&1 | awk '/not found/ { print $1 }' | sort -u)
  problems=0
  for lib in $missing; do
    say "sitegen needs $lib, which this runner lacks: install $(package_of "$lib")"
    problems=1
  done
  if [ "$problems" = 0 ] && ! version=$("$binary" --version 2>&1); then
    # e.g. "version `GLIBC_2.34' not found": the runner's C library is older than the build's.
    say "sitegen does not run here: $version"
    needed=$(printf '%s\n' "$version" | sed -n "s/.*version \`\\(GLIBC_[0-9.]*\\)' not found.*/\\1/p" | head -n 1)
    [ -z "$needed" ] || say "this runner's glibc is older than $needed: use Debian 12, Ubuntu 22.04 or later"
    problems=1
  fi
  [ "$problems" = 0 ] || exit 1
  say "ok: $version"
}

case "${1:-}" in
  make) [ $# = 3 ] || { say "usage: $0 make BINARY DIR"; exit 2; }; make_bundle "$2" "$3" ;;
  check) [ $# = 2 ] || { say "usage: $0 check DIR/sitegen"; exit 2; }; check_bundle "$2" ;;
  *) say "usage: $0 make BINARY DIR | check DIR/sitegen"; exit 2 ;;
esac
