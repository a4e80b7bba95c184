#!/bin/sh
# Builds one guest test program: build-local.sh NAME OUTDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
name=$1; out=$2
cc=${CROSS_COMPILE:-powerpc-linux-gnu-}gcc
mkdir -p "$out"
$cc -mcpu=e500mc -m32 -O1 -ffreestanding -fno-builtin -nostdlib -nostartfiles -static -fno-pic \
    -msoft-float -Wa,-mregnames -Wall -Wextra -I"$here/runtime" -T "$here/runtime/link.ld" -Wl,--build-id=none \
    -Wl,--no-warn-rwx-segments -Wa,--noexecstack -o "$out/$name.elf" "$here/runtime/start.S" "$here/runtime/rt.c" \
    "$here/programs/$name.c"
