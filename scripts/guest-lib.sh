# Helpers shared by the guest build scripts (sourced, not run). They read
# $cache (prebuilt copies) and $out (where outputs go) from the caller.

step() { printf '\n== %s: %s\n' "$(basename "$0")" "$*" >&2; }
note() { printf '   %s\n' "$*" >&2; }

# True when every output exists and is newer than every input.
up_to_date() { # outputs... -- inputs...
  local outs=() ins=() seen=0 f o
  for f in "$@"; do
    if [ "$f" = "--" ]; then seen=1; continue; fi
    if [ $seen = 0 ]; then outs+=("$f"); else ins+=("$f"); fi
  done
  for o in "${outs[@]}"; do
    [ -e "$o" ] || return 1
    for f in "${ins[@]}"; do
      [ -e "$f" ] || continue
      [ "$o" -nt "$f" ] || return 1
    done
  done
}

# Copies a cached artefact unless the copy is already current.
copy_cached() { # name [destination name]
  local src="$cache/$1" dst="$out/${2:-$1}"
  if [ -e "$dst" ] && ! [ "$src" -nt "$dst" ] && cmp -s "$src" "$dst"; then
    note "${2:-$1}: up to date"
  else
    install -m 0644 "$src" "$dst.tmp" && mv "$dst.tmp" "$dst"
    note "${2:-$1}: copied from $cache"
  fi
}

need_packages() { # debian packages...
  local missing=() p sudo=""
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  step "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}
