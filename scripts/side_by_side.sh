#!/usr/bin/env bash
# Side by side with the peers, one size at a time in one session: igraph
# (../shared/bench/bench.py) then this crate (examples/perf.rs), on the same
# generator files. Compare ratios of medians and the `check` values.
#
# Set-up, once, outside the repository:
#   python3 -m venv ~/.venvs/peers
#   ~/.venvs/peers/bin/pip install numpy==2.4.6 igraph==1.0.0 networkx==3.6.1 rustworkx==0.18.1 scipy
# xl is not shipped: PEERBENCH_DATA=/tmp/xl python3 ../shared/bench/gen.py xl
#
# Usage: scripts/side_by_side.sh [small medium large ...]   (default: small medium large)
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PEERS_PYTHON:-$HOME/.venvs/peers/bin/python}
data=${PEERBENCH_DATA:-$(cd ../shared/bench/data && pwd)}
cargo build --release --example perf
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(small medium large)
for size in "${sizes[@]}"; do
  budget=40
  [ "$size" = large ] && budget=20
  [ "$size" = xl ] && budget=15
  echo "== $size igraph"
  PEERBENCH_DATA=$data "$py" ../shared/bench/bench.py --size "$size" --lib igraph \
    --ops maxflow,crit,mc,dom,ap,btw --budget "$budget" 2>&1 | grep RESULT
  echo "== $size critical-minerals"
  target/release/examples/perf "$data/$size" --ops dom,ap,maxflow,crit,crit_country,btw,mc,reroute,cascade --budget "$budget"
done
