#!/usr/bin/env bash
# Foundation benchmark (issue: foundation): start-up time, idle RSS, login-page throughput.
# Builds the release binary, creates a throw-away instance under /tmp, prints the figures.
# usage: bench/foundation.sh [DURATION_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
command -v wrk >/dev/null || scripts/install-deps
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
ninja -C build/release kallithea >/dev/null
bin=$PWD/build/release/src/app/kallithea
work=$(mktemp -d /tmp/kallithea-bench.XXXXXX)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" config-create "$work/k.ini" "port=$port" >/dev/null
"$bin" db-create -c "$work/k.ini" --user admin --password benchpass1 --email a@example.com \
  --repos "$work/repos" >/dev/null

# Start to first served request: launch, then poll until a page answers.
t0=$(date +%s%N)
"$bin" serve -c "$work/k.ini" >"$work/server.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/_admin/login"; do sleep 0.002; done
t1=$(date +%s%N)
startup_ms=$(( (t1 - t0) / 1000000 ))
sleep 1
idle_rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)

echo "== login page: wrk -t2 -c16 -d${duration}s =="
wrk -t2 -c16 -d"${duration}s" --latency "http://127.0.0.1:$port/_admin/login" | tee "$work/wrk.txt"
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
p99=$(awk '$1=="99%" {print $2}' "$work/wrk.txt")
loaded_rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)

echo
echo "| figure | value | target |"
echo "|---|---|---|"
echo "| start to first served request | ${startup_ms} ms | <= 200 ms |"
echo "| idle RSS after start | $((idle_rss_kb / 1024)) MB (${idle_rss_kb} kB) | <= 20 MB |"
echo "| login page requests/s (wrk -t2 -c16) | ${rps} | >= 5000 |"
echo "| login page p99 | ${p99} | |"
echo "| RSS after the load | $((loaded_rss_kb / 1024)) MB | |"
