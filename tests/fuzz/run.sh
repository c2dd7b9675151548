#!/usr/bin/env bash
# libFuzzer harnesses for the LibTorch-free readers: CSV, IDX (+gzip), .npy pairs,
# image folders, the session reader (QtCore), the .senn file's JSON metadata (the part of the
# model reader before the weights; the weights need LibTorch: tests/test_bad_input.cpp and
# tests/test_models_file.cpp cover damaged ones, tests/fuzz/cli_sweep.py crafted metadata with
# valid checksums), the zip and pickle checks every TorchScript archive passes before LibTorch
# reads it, and the text helpers that make user data safe in messages. A harness with a
# tests/fuzz/NAME.dict gets it as its libFuzzer dictionary.
# Built with clang's -fsanitize=fuzzer,address,undefined straight from the sources (no CMake
# preset needed), seeded from tests/fuzz/corpus/NAME, each run for SECONDS (default 60) with
# limits of 2 GB of memory and 10 s per input. Exit status 1 when any harness finds a crash,
# leak, sanitizer report, timeout or out-of-memory; the input that caused it is left in
# build/fuzz/artifacts/ (add it to tests/fuzz/corpus/NAME and a regression test).
#
#   tests/fuzz/run.sh [SECONDS] [NAME...]      e.g. tests/fuzz/run.sh 600 csv idx
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-60}"
shift || true
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(csv idx npy image text session meta archive)

CXX="${CXX_FUZZ:-clang++}"
command -v "$CXX" >/dev/null || { echo "run.sh: $CXX not found (apt-get install clang)" >&2; exit 2; }
out="$root/build/fuzz"
mkdir -p "$out/obj" "$out/artifacts" "$out/corpus"
flags=(-std=c++17 -O1 -g -fno-omit-frame-pointer -I"$root" -fsanitize=address,undefined
       -fno-sanitize-recover=undefined)
opencv_cflags=$(pkg-config --cflags opencv4)
opencv_libs="-lopencv_imgcodecs -lopencv_imgproc -lopencv_core"

# The loaders' sources, compiled once with coverage for the fuzzer.
sources=(core/common/files.cpp core/common/limits.cpp core/data/dataset.cpp core/data/loader.cpp
         core/data/csv_loader.cpp core/data/idx_loader.cpp core/data/npy_loader.cpp
         core/data/image_loader.cpp)
objects=()
for s in "${sources[@]}"; do
    o="$out/obj/$(echo "$s" | tr '/' '_').o"
    if [ ! -f "$o" ] || [ "$root/$s" -nt "$o" ] || [ -n "$(find "$root/core" -name '*.h' -newer "$o" -print -quit)" ]; then
        echo "compiling $s"
        # shellcheck disable=SC2086
        "$CXX" "${flags[@]}" -fsanitize=fuzzer-no-link $opencv_cflags -c "$root/$s" -o "$o"
    fi
    objects+=("$o")
done

status=0
for name in "${names[@]}"; do
    bin="$out/fuzz_$name"
    echo "building fuzz_$name"
    extra=()
    if [ "$name" = session ]; then # the session reader: QtCore only
        # shellcheck disable=SC2207
        # (the method and measure ids it accepts come from core/explain/methods.cpp,
        # core/metrics/measures.cpp and core/metrics/similarity.cpp, LibTorch-free; the stored
        # sanity and scorecard results are read by ui/session_results.cpp)
        extra=("$root/ui/session.cpp" "$root/ui/session_results.cpp" "$root/core/explain/methods.cpp"
               "$root/core/metrics/measures.cpp" "$root/core/metrics/similarity.cpp" -fPIC
               $(pkg-config --cflags --libs Qt6Core))
    elif [ "$name" = meta ]; then # the .senn metadata parser: LibTorch-free
        extra=("$root/core/io/meta_json.cpp" "$root/core/models/kinds.cpp")
    elif [ "$name" = archive ]; then # the zip and pickle checks on bytes: LibTorch-free
        extra=("$root/core/io/archive_scan.cpp")
    fi
    dict=()
    [ -f "$here/$name.dict" ] && dict=(-dict="$here/$name.dict")
    # shellcheck disable=SC2086
    "$CXX" "${flags[@]}" -fsanitize=fuzzer $opencv_cflags "$here/fuzz_$name.cpp" "${extra[@]}" \
        "${objects[@]}" $opencv_libs -lz -o "$bin"
    corpus="$out/corpus/$name"
    mkdir -p "$corpus"
    [ -d "$here/corpus/$name" ] && cp -n "$here/corpus/$name"/* "$corpus/" 2>/dev/null || true
    echo "fuzz_$name: ${seconds}s"
    if ! "$bin" "$corpus" "${dict[@]}" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=2048 \
            -timeout=10 -max_len=65536 -print_final_stats=1 \
            -artifact_prefix="$out/artifacts/$name-" 2>"$out/fuzz_$name.log"; then
        echo "fuzz_$name: FAILED (see $out/fuzz_$name.log and $out/artifacts/)" >&2
        tail -40 "$out/fuzz_$name.log" >&2
        status=1
    else
        grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$out/fuzz_$name.log" |
            sed "s/^/fuzz_$name: /"
    fi
done
exit $status
