#!/usr/bin/env bash
# RTL benchmark: Verilator build time and simulated cycles per second of the `edge` design
# (12x14), and the MAC utilization the RTL reaches on compute-bound layers.
#
#   scripts/bench_rtl.sh [--build-dir DIR] [--out FILE.json] [--keep]
#
# Uses build/accelforge (or --build-dir). Builds the edge reference design into a fresh cache
# (cold Verilator build, timed), then simulates the layers of scripts/bench_rtl/layers.yaml:
# compute-bound 3x3 convolutions with weight-stationary mappings and one found by a local search
# with the cost model, and a ResNet-18 layer3 convolution with a searched and three random legal
# mappings; then the first layer again on edge with 4-word buses (scripts/bench_rtl/edge_noc4.yaml,
# the preset before it moved to 8-word buses), a second cold build. Every run is checked (outputs bit-exact, access
# counters equal to the model); the script fails if one is not. Simulation speed is CPU time.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$ROOT/build"
OUT=""
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) BUILD="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: $0 [--build-dir DIR] [--out FILE.json] [--keep]" >&2; exit 2 ;;
  esac
done
AF="$BUILD/accelforge"
[ -x "$AF" ] || { echo "bench_rtl: $AF not found (build first: cmake --build build)" >&2; exit 2; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/af-bench-rtl.XXXXXX")"
[ "$KEEP" = 1 ] || trap 'rm -rf "$WORK"' EXIT
DATA="$ROOT/scripts/bench_rtl"
DESIGN="$WORK/edge"
RESULTS="$WORK/results.jsonl"
: > "$RESULTS"

run() {  # layer mapping seed [design hw]
  local design="${4:-$DESIGN}" hw="${5:-edge}"
  "$AF" simulate --design "$design" --hw "$hw" --workload "$DATA/layers.yaml" --layer "$1" \
    --mapping "$2" --seed "$3" --cache-dir "$WORK/cache" --jobs 2 --json > "$WORK/r.json"
  python3 - "$WORK/r.json" "$1" "$2" >> "$RESULTS" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
pes = 12 * 14
print(json.dumps({
    "design": j["hw"], "layer": sys.argv[2], "mapping": sys.argv[3].split("/")[-1], "macs": j["macs"],
    "cycles_rtl": j["cycles_rtl"], "cycles_model": j["cycles_model"],
    "cycles_error": j["cycles_error"], "utilization_rtl": j["macs"] / (pes * j["cycles_rtl"]),
    "outputs_match": j["outputs_match"], "accesses_match": j["accesses_match"],
    "build_seconds": j["build"]["seconds"], "build_cached": j["build"]["cached"],
    "sim_cycles": j["sim"]["cycles"], "sim_seconds": j["sim"]["seconds"],
    "cycles_per_second": j["sim"]["cycles_per_second"]}))
PY
}

echo "bench_rtl: building the edge design (cold cache) ..." >&2
run conv3x3_a "$DATA/mapping_conv3x3_a.yaml" 1
run conv3x3_a "$DATA/mapping_conv3x3_a_s1.yaml" 1
run conv3x3_b "$DATA/mapping_conv3x3_b.yaml" 2
run resnet18_l3 "$DATA/mapping_resnet18_l3.yaml" 1
for s in 1 2 3; do run resnet18_l3 random "$s"; done
# The first compute-bound layer on edge with 4-word buses (scripts/bench_rtl/edge_noc4.yaml).
run conv3x3_a "$DATA/mapping_conv3x3_a.yaml" 1 "$WORK/edge_noc4" "$DATA/edge_noc4.yaml"

python3 - "$RESULTS" "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
build = next(r["build_seconds"] for r in rows if not r["build_cached"])
edge = [r for r in rows if r["design"] == "edge"]
cyc = sum(r["sim_cycles"] for r in rows)
sec = sum(r["sim_seconds"] for r in rows)
print(f"edge design (12x14): Verilator build {build:.1f} s wall (cold cache, -j 2, OPT_FAST -O2)")
print(f"{'design':10} {'layer':14} {'mapping':24} {'MACs':>10} {'cycles':>9} {'model':>9} "
      f"{'err%':>6} {'util%':>6} {'cycles/s':>9} {'ok':>3}")
for r in rows:
    ok = r["outputs_match"] and r["accesses_match"]
    print(f"{r['design']:10} {r['layer']:14} {r['mapping']:24} {r['macs']:>10} {r['cycles_rtl']:>9} "
          f"{r['cycles_model']:>9} {100*r['cycles_error']:>6.2f} {100*r['utilization_rtl']:>6.1f} "
          f"{r['cycles_per_second']:>9.0f} {'yes' if ok else 'NO':>3}")
cyc = sum(r["sim_cycles"] for r in edge)
sec = sum(r["sim_seconds"] for r in edge)
print(f"edge simulation speed: {cyc / sec:.0f} cycles per CPU-second over {cyc} cycles")
summary = {"design": "edge", "build_seconds": build, "cycles_per_second": cyc / sec,
           "runs": rows}
if sys.argv[2]:
    with open(sys.argv[2], "w") as f:
        json.dump(summary, f, indent=2)
if not all(r["outputs_match"] and r["accesses_match"] for r in rows):
    sys.exit(1)
PY
