#!/bin/sh
# Stands in for Apple's C compiler in the macOS clippy check of scripts/windows/stage.sh, which
# has no Apple SDK: the build scripts of ring (C and assembly against the SDK's libc headers and
# TargetConditionals.h), mac-notification-sys (Objective-C against Cocoa), objc2-exception-helper
# (Objective-C) and alloca (C, criterion's) compile C for the target. A check never links, so
# each object they ask for is written empty and every Rust crate is still type-checked and
# linted. Their C is what this check cannot cover. Used as CC_x86_64_apple_darwin; never in a build.
out=""
while [ $# -gt 0 ]; do
    case "$1" in
    # cc-rs asks which compiler family this is: Apple's is clang (gnu-style flags).
    -E) echo clang; exit 0 ;;
    # ...and whether it takes cl.exe's flags: it does not.
    -\?) exit 1 ;;
    -o) [ $# -gt 1 ] && out="$2" && shift ;;
    esac
    shift
done
[ -z "$out" ] || : >"$out"
