#!/usr/bin/env bash
# Rehearses `docker build` and `docker run` of the repo's Dockerfile where no Docker engine exists.
#
#   sudo tools/dockerfile_rehearsal.sh [--workdir DIR] [--worktree] [--no-cache] [--plan]
#
# It reads the Dockerfile and executes its instructions itself, each stage in its own Debian 12
# root made by `debootstrap --variant=minbase bookworm` and entered with chroot. Docker's debian:12
# image is built the same way (debuerreotype runs a minbase debootstrap, then trims it), so a
# minbase root is the closest thing to it without the image; for FROM debian:12-slim the root is
# trimmed further with the dpkg path-excludes the slim image carries. Then it "runs the image":
# ENTRYPOINT + arguments in the runtime root, as the README's `docker run` line would, and checks
# with ldd that every shared library the binary needs is in the runtime root.
#
# What it is not: no layers, no overlay filesystem, no namespaces or cgroups (RUN shares the host's
# network, PIDs and hostname), no image is produced, and ENTRYPOINT/CMD are only approximated
# (exec form joined by hand, run with chroot). Needs root, chroot, debootstrap, git and the network
# to Debian's package archive (its address is read from this machine's apt sources) and to npm.
# One addition the Dockerfile does not make: this machine's extra CA certificates go into each root
# (see HOST_CAS below). Not part of the test suite: it takes many minutes.
#
# Options:
#   --workdir DIR  where roots, context and logs go (default /tmp/dockerfile-rehearsal); nothing
#                  outside it is written.
#   --worktree     build context = the working tree (tracked and untracked files that git does not
#                  ignore) instead of the committed tree (git archive HEAD, the default).
#   --no-cache     rebuild every stage. By default a stage whose instructions, context and inputs are
#                  unchanged since its last success is reused, so a failed stage can be re-run alone.
#   --plan         only read the Dockerfile and make the context; print the instructions and stop.
set -euo pipefail

WORK=/tmp/dockerfile-rehearsal
CONTEXT_MODE="head"
USE_CACHE=1
PLAN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --workdir) WORK="$2"; shift 2 ;;
    --worktree) CONTEXT_MODE=worktree; shift ;;
    --no-cache) USE_CACHE=""; shift ;;
    --plan) PLAN=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "dockerfile_rehearsal: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "dockerfile_rehearsal: error: $*" >&2; exit 1; }
log() { echo "==> $*"; }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mount)"
for tool in debootstrap chroot git tar mount sha256sum; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install debootstrap)"
done
REPO=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
DOCKERFILE="$REPO/Dockerfile"
[ -f "$DOCKERFILE" ] || die "$DOCKERFILE not found"
case "$WORK" in /?*) ;; *) die "--workdir must be an absolute path other than /" ;; esac
WORK=$(realpath -m "$WORK")
[ "$WORK" != / ] || die "--workdir must not be /"
mkdir -p "$WORK/stages"
T0=$(date +%s)

# ---------------------------------------------------------------------------------------------
# Mounts. Every mount is under $WORK and is undone on exit, whatever happens.
MOUNTS=()
unmount_all() {
  local i
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    umount "${MOUNTS[i]}" 2>/dev/null || umount -l "${MOUNTS[i]}" 2>/dev/null || true
  done
  MOUNTS=()
}
trap unmount_all EXIT
trap 'exit 130' INT TERM

do_mount() {  # do_mount TARGET mount-args...: mounts only below $WORK
  local target=$1; shift
  case "$target" in "$WORK"/*) ;; *) die "refusing to mount outside $WORK: $target" ;; esac
  mkdir -p "$target"
  mount "$@" "$target"
  MOUNTS+=("$target")
}

# What a container gets: /proc, a small /dev of its own (not the host's), /dev/pts, /dev/shm, a
# read-only /sys, and the host's resolv.conf so apt and npm can resolve names.
mount_container_fs() {
  local root=$1 node
  do_mount "$root/proc" -t proc proc
  do_mount "$root/sys" -t sysfs -o ro sysfs
  do_mount "$root/dev" -t tmpfs -o mode=755,size=65536k tmpfs
  for node in "null 1 3" "zero 1 5" "full 1 7" "random 1 8" "urandom 1 9" "tty 5 0"; do
    set -- $node
    mknod -m 666 "$root/dev/$1" c "$2" "$3"
  done
  do_mount "$root/dev/pts" -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts
  ln -s pts/ptmx "$root/dev/ptmx"
  do_mount "$root/dev/shm" -t tmpfs -o mode=1777,size=65536k shm
  ln -s /proc/self/fd "$root/dev/fd"
  ln -s /proc/self/fd/0 "$root/dev/stdin"
  ln -s /proc/self/fd/1 "$root/dev/stdout"
  ln -s /proc/self/fd/2 "$root/dev/stderr"
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
}

# Removes a directory under $WORK, after making sure nothing is still mounted inside it.
remove_tree() {
  local dir=$1
  case "$dir" in "$WORK"/?*) ;; *) die "refusing to remove $dir" ;; esac
  if awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { found = 1 } END { exit !found }' /proc/mounts; then
    die "$dir still has mounts; not removing it"
  fi
  rm -rf --one-file-system "$dir"
}

# ---------------------------------------------------------------------------------------------
# Base images. The archive's address comes from this machine's apt sources (deb822 or one-line).
apt_uri_for_suite() {  # prints the first URI that serves SUITE
  local suite=$1 f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v s="$suite" '
      /^deb / { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /=/ && $i !~ /\]$/) break;
                if ($(i + 1) == s) { print $i; exit } }
      /^URIs:/ { u = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s && u != "") { print u; exit } }
      /^$/ { u = "" }' "$f"
  done | head -n 1
}
MIRROR=$(apt_uri_for_suite bookworm)
SECURITY=$(apt_uri_for_suite bookworm-security)
[ -n "$MIRROR" ] || die "no apt source for bookworm on this machine to take the archive's address from"

# debian:12 stand-in: minbase debootstrap, the image's apt sources (bookworm, -updates, -security),
# upgraded to today's packages as the published image is, apt lists removed as the image has them.
make_base() {
  local tarball="$WORK/base-bookworm-minbase.tar" root="$WORK/base-root"
  [ -f "$tarball" ] && return 0
  log "debootstrap --variant=minbase bookworm (the stand-in for debian:12)"
  remove_tree "$root"
  debootstrap --variant=minbase bookworm "$root" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 \
    || die "debootstrap failed; see $WORK/debootstrap.log"
  {
    printf 'Types: deb\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\n' "$MIRROR"
    printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    if [ -n "$SECURITY" ]; then
      printf '\nTypes: deb\nURIs: %s\nSuites: bookworm-security\nComponents: main\n' "$SECURITY"
      printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    fi
  } > "$root/etc/apt/sources.list.d/debian.sources"
  : > "$root/etc/apt/sources.list"
  mount_container_fs "$root"
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    /bin/sh -c 'apt-get update -qq && apt-get upgrade -y -qq && apt-get clean' \
    < /dev/null >> "$WORK/debootstrap.log" 2>&1 || die "upgrading the base failed; see $WORK/debootstrap.log"
  unmount_all
  rm -rf "${root:?}/var/lib/apt/lists/"* "${root:?}/dev/"*
  tar -C "$root" --numeric-owner -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
  remove_tree "$root"
}

# debian:12-slim: the same base with the slim image's dpkg path-excludes (docs, man pages, locales).
slimify() {
  local root=$1
  cat > "$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
  find "$root/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete 2>/dev/null || true
  rm -rf "$root/usr/share/groff/"* "$root/usr/share/info/"* "$root/usr/share/linda/"* \
    "$root/usr/share/lintian/overrides/"* "$root/usr/share/locale/"* "$root/usr/share/man/"*
}

# Certificate authorities this machine trusts beyond Debian's bundle (a TLS-intercepting proxy's,
# for example): certificates in /usr/local/share/ca-certificates and plain files, not symlinks into
# the bundle, in /etc/ssl/certs. Each stage root gets them in /usr/local/share/ca-certificates, so
# that when a RUN installs ca-certificates they join the root's bundle and npm can reach its
# registry from here. A docker build on such a network needs the same; the Dockerfile does not.
HOST_CAS=()
while IFS= read -r -d '' f; do HOST_CAS+=("$f"); done < <(
  find /usr/local/share/ca-certificates -type f -name '*.crt' -print0 2>/dev/null
  find /etc/ssl/certs -maxdepth 1 -type f -name '*.pem' -print0 2>/dev/null)
add_host_cas() {
  local root=$1 n=0 f
  [ ${#HOST_CAS[@]} -gt 0 ] || return 0
  mkdir -p "$root/usr/local/share/ca-certificates"
  for f in "${HOST_CAS[@]}"; do
    n=$((n + 1)); cp "$f" "$root/usr/local/share/ca-certificates/rehearsal-host-$n.crt"
  done
  log "added this machine's ${#HOST_CAS[@]} extra CA certificate(s) to the root (not from the Dockerfile)"
}

# ---------------------------------------------------------------------------------------------
# .dockerignore, matched the way Docker does: paths relative to the context root, `*` and `?`
# stop at `/`, `**` crosses directories, a pattern that matches a parent directory excludes
# everything below it, `!` re-includes, the last matching line wins.
IGNORE_RES=()
IGNORE_NEG=()
if [ -f "$REPO/.dockerignore" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%$'\r'}"
    line="${line#"${line%%[![:space:]]*}"}"; line="${line%"${line##*[![:space:]]}"}"
    case "$line" in ''|'#'*) continue ;; esac
    neg=0
    if [ "${line:0:1}" = '!' ]; then neg=1; line="${line:1}"; fi
    line="${line#/}"; line="${line%/}"
    re=""; i=0
    while [ $i -lt ${#line} ]; do
      c="${line:i:1}"
      if [ "${line:i:3}" = '**/' ]; then re+='(.*/)?'; i=$((i + 3)); continue; fi
      if [ "${line:i:2}" = '**' ]; then re+='.*'; i=$((i + 2)); continue; fi
      case "$c" in
        '*') re+='[^/]*' ;;
        '?') re+='[^/]' ;;
        '.'|'+'|'('|')'|'|'|'^'|'$'|'{'|'}') re+="\\$c" ;;
        *) re+="$c" ;;
      esac
      i=$((i + 1))
    done
    IGNORE_RES+=("^$re\$")
    IGNORE_NEG+=("$neg")
  done < "$REPO/.dockerignore"
fi

dockerignored() {  # dockerignored PATH: true when .dockerignore keeps PATH out of the context
  local path=${1%/} prefix excluded=1 k
  for k in "${!IGNORE_RES[@]}"; do
    prefix=$path
    while :; do
      if [[ $prefix =~ ${IGNORE_RES[k]} ]]; then
        if [ "${IGNORE_NEG[k]}" = 1 ]; then excluded=1; else excluded=0; fi
        break
      fi
      [[ $prefix == */* ]] || break
      prefix=${prefix%/*}
    done
  done
  return $excluded
}

# ---------------------------------------------------------------------------------------------
# The build context: the committed tree (or the working tree's non-ignored files) less what
# .dockerignore excludes. Also checks that .dockerignore keeps out everything git ignores
# (build directories, _site/), which `docker build` would otherwise send from a working copy.
make_context() {
  local ctx="$WORK/context" list="$WORK/context.files" p sent=0 dropped=0 leaks=()
  remove_tree "$ctx"
  mkdir -p "$ctx"
  if [ "$CONTEXT_MODE" = head ]; then
    git -C "$REPO" ls-tree -r -z --name-only HEAD | tr '\0' '\n' > "$list.all"
  else
    git -C "$REPO" ls-files -z --cached --others --exclude-standard \
      | tr '\0' '\n' | while IFS= read -r p; do if [ -e "$REPO/$p" ]; then echo "$p"; fi; done > "$list.all"
  fi
  : > "$list"
  while IFS= read -r p; do
    if dockerignored "$p"; then dropped=$((dropped + 1)); else echo "$p" >> "$list"; sent=$((sent + 1)); fi
  done < "$list.all"
  if [ "$CONTEXT_MODE" = head ]; then
    CONTEXT_DESC="HEAD $(git -C "$REPO" rev-parse --short HEAD)"
    git -C "$REPO" archive --format=tar HEAD | tar -C "$ctx" -xf -
    while IFS= read -r p; do
      if dockerignored "$p"; then rm -f "$ctx/$p"; fi
    done < "$list.all"
  else
    tar -C "$REPO" --no-recursion -cf - -T "$list" | tar -C "$ctx" -xf -
  fi
  CONTEXT_ID=$(tar -C "$ctx" --sort=name --mtime=@0 --owner=0 --group=0 -cf - . | sha256sum | cut -c1-64)
  log "context (${CONTEXT_DESC:-working tree}): $sent files, $dropped excluded by .dockerignore"
  while IFS= read -r p; do
    dockerignored "$p" || leaks+=("$p")
  done < <(git -C "$REPO" ls-files --others --ignored --exclude-standard --directory)
  if [ ${#leaks[@]} -gt 0 ]; then
    die ".dockerignore lets in what git ignores (docker build would send it): ${leaks[*]}"
  fi
  log "context check: everything git ignores in the working copy is also in .dockerignore"
}

# ---------------------------------------------------------------------------------------------
# The Dockerfile, as a list of instructions: comments and blank lines dropped, `\` continuations
# joined (comment lines inside a continuation are dropped too, as Docker does).
INSTR=()
INSTR_LINE=()
parse_dockerfile() {
  local n=0 line acc="" start=0
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1)); line="${line%$'\r'}"
    if [[ $line =~ ^[[:space:]]*# ]]; then continue; fi
    if [ -z "$acc" ]; then
      [[ $line =~ ^[[:space:]]*$ ]] && continue
      start=$n
    fi
    if [[ $line =~ ^(.*)\\[[:space:]]*$ ]]; then acc+="${BASH_REMATCH[1]} "; continue; fi
    acc+="$line"
    acc="${acc#"${acc%%[![:space:]]*}"}"
    INSTR+=("$acc"); INSTR_LINE+=("$start"); acc=""
  done < "$DOCKERFILE"
  [ -z "$acc" ] || die "Dockerfile: line $start: continuation runs past the end of the file"
}

# Exec form ["a", "b"] to one word per line; shell form becomes /bin/sh -c "...", as in Docker.
exec_form_words() {
  local s=$1
  if [[ $s =~ ^\[(.*)\]$ ]]; then
    s=${BASH_REMATCH[1]}
    while [[ $s =~ ^[[:space:]]*\"(([^\"\\]|\\.)*)\"[[:space:]]*,?(.*)$ ]]; do
      word=${BASH_REMATCH[1]}; s=${BASH_REMATCH[3]}
      word=${word//\\\"/\"}; printf '%s\n' "${word//\\\\/\\}"
    done
    [[ $s =~ ^[[:space:]]*$ ]] || die "Dockerfile: cannot read exec form $1"
  else
    printf '%s\n' /bin/sh -c "$s"
  fi
}

# ---------------------------------------------------------------------------------------------
# Stage state.
STAGE=""; ROOT=""; WORKDIR=/; ENVS=(); STAGE_KEY=""; STAGE_SKIP=""; STEP=0
ENTRYPOINT=(); CMD=()
declare -A STAGE_ROOT=()
DEFAULT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# A stage's cache key: its instructions, the context when it copies from it, and the keys of the
# stages it copies from. A stage with the key of its last success is reused, not rebuilt.
stage_key() {  # stage_key FIRST_INDEX
  local i=$1 text="" ins
  for ((; i < ${#INSTR[@]}; i++)); do
    ins=${INSTR[i]}
    if [ "$i" -gt "$1" ] && [[ ${ins^^} == FROM\ * ]]; then break; fi
    text+="$ins"$'\n'
    if [[ $ins =~ ^[Cc][Oo][Pp][Yy][[:space:]]+--from=([^[:space:]]+) ]]; then
      text+="from:$(cat "$WORK/stages/${BASH_REMATCH[1]}.done" 2>/dev/null)"$'\n'
    elif [[ ${ins^^} == COPY\ * ]]; then
      text+="context:$CONTEXT_ID"$'\n'
    fi
  done
  printf '%s' "$text" | sha256sum | cut -c1-64
}

finish_stage() {
  [ -n "$STAGE" ] || return 0
  if [ -z "$STAGE_SKIP" ]; then echo "$STAGE_KEY" > "$WORK/stages/$STAGE.done"; fi
  log "[$STAGE] done"
}

do_from() {  # FROM image [AS name]
  local image name
  read -r image name <<< "$1"
  if [[ $name =~ ^[Aa][Ss][[:space:]]+([A-Za-z0-9._-]+)$ ]]; then name=${BASH_REMATCH[1]}
  elif [ -z "$name" ]; then name="stage$((${#STAGE_ROOT[@]}))"
  else die "Dockerfile: line $2: cannot read FROM $1"; fi
  finish_stage
  STAGE=$name; ROOT="$WORK/stages/$name"; WORKDIR=/; ENVS=("PATH=$DEFAULT_PATH"); STEP=0
  ENTRYPOINT=(); CMD=()
  STAGE_ROOT[$name]=$ROOT
  STAGE_KEY="$image|$(stage_key "$3")"
  STAGE_SKIP=""
  if [ -n "$USE_CACHE" ] && [ -d "$ROOT" ] && [ "$(cat "$WORK/stages/$name.done" 2>/dev/null)" = "$STAGE_KEY" ]; then
    STAGE_SKIP=1
    log "[$name] FROM $image: unchanged since its last success, reused (like Docker's cache)"
    return 0
  fi
  rm -f "$WORK/stages/$name.done"
  remove_tree "$ROOT"
  mkdir -p "$ROOT"
  case "$image" in
    debian:12|debian:bookworm) tar -C "$ROOT" --numeric-owner -xf "$WORK/base-bookworm-minbase.tar" ;;
    debian:12-slim|debian:bookworm-slim) tar -C "$ROOT" --numeric-owner -xf "$WORK/base-bookworm-minbase.tar"
      slimify "$ROOT" ;;
    *) die "Dockerfile: line $2: no stand-in for image $image (only debian:12 and debian:12-slim)" ;;
  esac
  log "[$name] FROM $image: fresh minbase root at $ROOT"
  add_host_cas "$ROOT"
}

in_root() {  # in_root PATH: PATH inside the stage's root, relative ones against WORKDIR
  local p=$1
  case "$p" in /*) ;; *) p="${WORKDIR%/}/$p" ;; esac
  printf '%s%s' "$ROOT" "$p"
}

copy_into() {  # copy_into SRC DST_ARG: Docker's COPY rules for one source
  local src=$1 dst_arg=$2 dst
  dst=$(in_root "$dst_arg")
  if [ -d "$src" ]; then
    mkdir -p "$dst"
    cp -a "$src/." "$dst/"
  elif [ -e "$src" ]; then
    if [[ $dst_arg == */ ]] || [ -d "$dst" ]; then dst="${dst%/}/$(basename "$src")"; fi
    mkdir -p "$(dirname "$dst")"
    cp -a "$src" "$dst"
  else
    die "COPY: $src does not exist"
  fi
}

do_copy() {  # COPY [--from=stage] src... dst (no globs, no --chown: the Dockerfile uses neither)
  local args from="" base src dst
  read -r -a args <<< "$1"
  if [[ ${args[0]} == --from=* ]]; then from=${args[0]#--from=}; args=("${args[@]:1}"); fi
  [[ ${args[0]} == --* ]] && die "Dockerfile: line $2: COPY option ${args[0]} not supported"
  [[ $1 == *'$'* || $1 == *'*'* || $1 == *'?'* ]] && die "Dockerfile: line $2: variables and globs in COPY not supported"
  [ ${#args[@]} -ge 2 ] || die "Dockerfile: line $2: COPY needs a source and a destination"
  dst=${args[-1]}
  if [ -n "$from" ]; then
    base=${STAGE_ROOT[$from]:-}
    [ -n "$base" ] || die "Dockerfile: line $2: COPY --from=$from names no earlier stage"
  else
    base="$WORK/context"
  fi
  for src in "${args[@]:0:${#args[@]}-1}"; do
    if [ -n "$from" ]; then src="$base/${src#/}"; else src="$base/$src"; fi
    copy_into "$(realpath -m "$src")" "$dst"
  done
}

do_run() {  # RUN shell-form, in the stage root, with the stage's ENV and WORKDIR
  local cmd=$1 rc=0
  [[ $cmd == \[* ]] && die "Dockerfile: line $2: RUN in exec form not supported"
  mkdir -p "$(in_root "$WORKDIR")"
  mount_container_fs "$ROOT"
  chroot "$ROOT" /usr/bin/env -i HOME=/root HOSTNAME=rehearsal "${ENVS[@]}" \
    /bin/sh -c 'cd "$0" && exec /bin/sh -c "$1"' "$WORKDIR" "$cmd" < /dev/null || rc=$?
  unmount_all
  rm -f "$ROOT/dev/"* 2>/dev/null || true
  [ $rc = 0 ] || die "[$STAGE] RUN at Dockerfile line $2 exited $rc"
}

do_env() {  # ENV k=v [k=v...] or ENV k v
  local kv
  [[ $1 == *'$'* || $1 == *'"'* || $1 == *"'"* ]] && die "Dockerfile: line $2: quoting and variables in ENV not supported"
  if [[ $1 =~ ^([A-Za-z_][A-Za-z0-9_]*)[[:space:]]+(.*)$ ]] && [[ $1 != *=* ]]; then
    set_env "${BASH_REMATCH[1]}=${BASH_REMATCH[2]}"
  else
    for kv in $1; do
      [[ $kv == ?*=* ]] || die "Dockerfile: line $2: cannot read ENV $1"
      set_env "$kv"
    done
  fi
}
set_env() {
  local k=${1%%=*} i
  for i in "${!ENVS[@]}"; do
    if [[ ${ENVS[i]} == "$k="* ]]; then ENVS[i]=$1; return; fi
  done
  ENVS+=("$1")
}

# ---------------------------------------------------------------------------------------------
# docker build
parse_dockerfile
make_context
if [ -n "$PLAN" ]; then
  for idx in "${!INSTR[@]}"; do printf 'line %s: %s\n' "${INSTR_LINE[idx]}" "${INSTR[idx]}"; done
  exit 0
fi
make_base
for idx in "${!INSTR[@]}"; do
  ins=${INSTR[idx]}; line=${INSTR_LINE[idx]}
  keyword=${ins%%[[:space:]]*}; keyword=${keyword^^}
  rest=${ins#*[[:space:]]}; rest="${rest#"${rest%%[![:space:]]*}"}"
  [ "$keyword" = FROM ] || [ -n "$STAGE" ] || die "Dockerfile: line $line: $keyword before any FROM"
  if [ "$keyword" != FROM ]; then STEP=$((STEP + 1)); fi
  if [ -n "$STAGE_SKIP" ] && [ "$keyword" != FROM ]; then
    # A reused stage still replays what only changes the stage's state, not its files.
    case "$keyword" in
      ENV) do_env "$rest" "$line" ;; WORKDIR) WORKDIR=$rest ;;
      ENTRYPOINT) mapfile -t ENTRYPOINT < <(exec_form_words "$rest") ;;
      CMD) mapfile -t CMD < <(exec_form_words "$rest") ;;
      COPY|RUN) ;;
      *) die "Dockerfile: line $line: unsupported instruction $keyword (this rehearsal knows FROM, ENV, WORKDIR, COPY, RUN, ENTRYPOINT, CMD)" ;;
    esac
    continue
  fi
  [ "$keyword" = FROM ] || log "[$STAGE $STEP] $keyword $rest"
  s=$(date +%s)
  case "$keyword" in
    FROM) do_from "$rest" "$line" "$idx" ;;
    ENV) do_env "$rest" "$line" ;;
    WORKDIR)
      [[ $rest == *'$'* ]] && die "Dockerfile: line $line: variables in WORKDIR not supported"
      case "$rest" in /*) WORKDIR=$rest ;; *) WORKDIR="${WORKDIR%/}/$rest" ;; esac
      mkdir -p "$(in_root "$WORKDIR")" ;;
    COPY) do_copy "$rest" "$line" ;;
    RUN) do_run "$rest" "$line" ;;
    ENTRYPOINT) mapfile -t ENTRYPOINT < <(exec_form_words "$rest") ;;
    CMD) mapfile -t CMD < <(exec_form_words "$rest") ;;
    *) die "Dockerfile: line $line: unsupported instruction $keyword (this rehearsal knows FROM, ENV, WORKDIR, COPY, RUN, ENTRYPOINT, CMD)" ;;
  esac
  e=$(($(date +%s) - s)); [ $e -lt 5 ] || log "[$STAGE $STEP] $keyword took ${e}s"
done
finish_stage
[ ${#ENTRYPOINT[@]} -gt 0 ] || die "the last stage has no ENTRYPOINT; nothing to run"
log "docker build rehearsed in $(($(date +%s) - T0))s; image = stage $STAGE, ENTRYPOINT ${ENTRYPOINT[*]}, CMD ${CMD[*]:-(none)}"

# ---------------------------------------------------------------------------------------------
# docker run, approximated: the README's line mounts the repo at /data; here a copy of the build
# context is placed there instead (nothing on the host is shared with the root).
IMAGE_WORKDIR=$WORKDIR
run_image() {  # run_image ARGS...: ENTRYPOINT + ARGS (or + CMD when ARGS is empty) in the root
  local args=("$@") rc=0
  [ ${#args[@]} -gt 0 ] || args=("${CMD[@]}")
  log "docker run sitegen ${args[*]}"
  mount_container_fs "$ROOT"
  chroot "$ROOT" /usr/bin/env -i HOME=/root HOSTNAME=rehearsal "${ENVS[@]}" \
    /bin/sh -c 'cd "$0" && exec "$@"' "$IMAGE_WORKDIR" "${ENTRYPOINT[@]}" "${args[@]}" \
    < /dev/null || rc=$?
  unmount_all
  rm -f "$ROOT/dev/"* 2>/dev/null || true
  return $rc
}
remove_tree "$ROOT/data"
mkdir -p "$ROOT/data"
cp -a "$WORK/context/." "$ROOT/data/"

log "ldd /usr/local/bin/sitegen in the runtime root"
mount_container_fs "$ROOT"
ldd_out=$(chroot "$ROOT" /usr/bin/ldd /usr/local/bin/sitegen 2>&1) || { unmount_all; die "ldd failed: $ldd_out"; }
unmount_all
echo "$ldd_out"
if grep -q 'not found' <<< "$ldd_out"; then die "the runtime image lacks shared libraries: $(grep 'not found' <<< "$ldd_out")"; fi

run_image --version || die "sitegen --version failed in the runtime root"
run_image > "$WORK/run-default.log" 2>&1 || die "ENTRYPOINT + CMD (${CMD[*]}) failed; see $WORK/run-default.log"
log "ENTRYPOINT + CMD ran ($(wc -l < "$WORK/run-default.log") lines of output)"
run_image build --results /data/results --out /data/_site || die "sitegen build failed in the runtime root"
[ -f "$ROOT/data/_site/index.html" ] || die "sitegen build wrote no _site/index.html"
log "site written: $(find "$ROOT/data/_site" -type f | wc -l) files, $(du -sh "$ROOT/data/_site" | cut -f1)"
log "runtime root: $(du -sh --exclude="$ROOT/data" "$ROOT" | cut -f1) (a stand-in for the image's size, not its size)"
log "all steps passed in $(($(date +%s) - T0))s"
