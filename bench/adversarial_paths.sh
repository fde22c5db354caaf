#!/usr/bin/env bash
# Adversarial-path benchmark (issue 9, item 1): request time for 1, 4, 16 and 60 KB paths built to
# make route matching quadratic (/x + /files/x..., /x + /raw/x..., long segments under the
# 512-segment cap), anonymous and logged in, next to a normal page, on the release build. The
# figures should be flat across sizes.
# usage: bench/adversarial_paths.sh [RUNS_PER_CELL]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
ninja -C build/release kallithea >/dev/null
bin=$PWD/build/release/src/app/kallithea
work=$(mktemp -d /tmp/kallithea-bench.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; [ -n "$pid" ] && wait $pid 2>/dev/null; rm -rf "$work"' EXIT
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" config-create "$work/k.ini" "host=127.0.0.1" "port=$port" >/dev/null
"$bin" db-create -c "$work/k.ini" --user admin --password benchpass1 --email a@example.com \
  --repos "$work/repos" --force-yes >/dev/null
"$bin" repo-create -c "$work/k.ini" --name pub --type git >/dev/null
"$bin" repo-create -c "$work/k.ini" --name team/secret --type git --private >/dev/null
# One commit in pub, so that its pages have content.
git -c init.defaultBranch=master init -q "$work/seed"
echo "hello" >"$work/seed/README"
git -C "$work/seed" add README
git -C "$work/seed" -c user.name=B -c user.email=b@example.com commit -qm seed
"$bin" serve -c "$work/k.ini" >"$work/server.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/_admin/login"; do sleep 0.05; done
git -C "$work/seed" push -q "http://admin:benchpass1@127.0.0.1:$port/pub" master
base="http://127.0.0.1:$port"

# Logged-in session cookie.
curl -s -c "$work/jar" -o /dev/null -d username=admin -d password=benchpass1 "$base/_admin/login"

# path SHAPE BYTES: an adversarial path of about BYTES bytes.
path() {
  /usr/bin/python3 - "$1" "$2" <<'EOF'
import sys
shape, size = sys.argv[1], int(sys.argv[2])
piece = {"files": "/files/x", "raw": "/raw/x",
         "longseg": "/raw/" + "y" * 250}[shape]
head = "/x"
print(head + piece * max(1, (size - len(head)) // len(piece)))
EOF
}

# time_ms URL [curl args]: median of $runs request times in ms, and the status.
time_ms() {
  local url=$1; shift
  for _ in $(seq "$runs"); do
    curl -s -o /dev/null -w '%{time_total} %{http_code}\n' "$@" "$url"
  done | sort -n | awk '{a[NR]=$1; s=$2} END {printf "%.1f ms (%s)", a[int((NR+1)/2)]*1000, s}'
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| path | anonymous | logged in |"
echo "|---|---|---|"
for url in "/pub/summary" "/pub/files/tip/" "/team/secret/summary" "/no/such/repo"; do
  echo "| normal: $url | $(time_ms "$base$url") | $(time_ms "$base$url" -b "$work/jar") |"
done
for shape in files raw longseg; do
  for kb in 1 4 16 60; do
    p=$(path "$shape" $((kb * 1024)))
    segs=$(tr -cd '/' <<<"$p" | wc -c)
    echo "| $shape ${kb} KB ($segs segments) | $(time_ms "$base$p") | $(time_ms "$base$p" -b "$work/jar") |"
  done
done

# Eight 60 KB adversarial requests in a loop while a normal page is timed.
p=$(path longseg $((60 * 1024)))
for _ in 1 2 3 4 5 6 7 8; do
  ( for _ in $(seq 50); do curl -s -o /dev/null "$base$p"; done ) &
done
normal=$(time_ms "$base/pub/summary")
wait $(jobs -p | grep -v "^$pid\$") 2>/dev/null || true
echo
echo "normal page while 8 clients send 60 KB long-segment paths: $normal"
echo "server RSS after: $(($(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024)) MB"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
