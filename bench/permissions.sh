#!/usr/bin/env bash
# Permission-aware listings at scale: the start page, a group page and the repository grid for a
# logged-in regular user and anonymously, on an instance with 10,000 repositories in 500 groups,
# 5,000 users and 200 user groups with grants; and one repository page on that instance vs a
# 100-repository one (the single-object check must not grow with the number of repositories).
# Builds the release binary, seeds two throw-away instances under /tmp/kallithea-bench (sqlite3,
# bench/seed_permissions.py), prints a markdown table (medians of WRK_RUNS wrk runs).
#
# usage: bench/permissions.sh
# env:   WRK_DUR=10s WRK_RUNS=3 BUILD_DIR=build/release SKIP_BUILD=0 KEEP=0
#        quick check: WRK_DUR=2s WRK_RUNS=1 bench/permissions.sh
set -euo pipefail
# shellcheck disable=SC2317,SC2154 # cleanup() runs from a trap; instance() sets big_* and small_*
{ # the whole script is parsed before it runs: editing the file during a run is safe
cd "$(dirname "$0")/.."
ROOT=$PWD
WRK_DUR=${WRK_DUR:-10s}
WRK_RUNS=${WRK_RUNS:-3}
BUILD_DIR=${BUILD_DIR:-build/release}
BIN=$ROOT/$BUILD_DIR/src/app/kallithea
OUT=/tmp/kallithea-bench/out
mkdir -p "$OUT/wrk"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
load1() { cut -d' ' -f1-3 /proc/loadavg; }

exec 9>/tmp/kallithea-bench/.permissions.lock
flock -n 9 || { echo "another permissions.sh run is in progress" >&2; exit 1; }

for t in wrk sqlite3 curl; do command -v $t >/dev/null || scripts/install-deps; done
/usr/bin/python3 -c 'import bcrypt' 2>/dev/null || { echo "needs python3-bcrypt" >&2; exit 1; }

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building $BUILD_DIR (Release)"
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    ninja -C "$BUILD_DIR" -j2 kallithea >/dev/null
fi

# ---- cleanup: only what this run started ---------------------------------------------------------
PIDS=()
work=$(mktemp -d /tmp/kallithea-bench/permissions.XXXXXX)
cleanup() {
    set +e
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
    done
    if [ "${KEEP:-0}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'log "FAILED (exit $?) at line $LINENO: $BASH_COMMAND"' ERR
trap 'exit 130' INT TERM

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
HASH=$(/usr/bin/python3 -c 'import bcrypt; print(bcrypt.hashpw(b"benchpass1", bcrypt.gensalt(10)).decode())')

# instance NAME SEED_ARGS... : creates, seeds and starts one; sets NAME_PORT NAME_PID NAME_GROUP
# NAME_REPO NAME_COOKIE NAME_COUNTS
instance() {
    local name=$1
    shift
    local dir=$work/$name port
    mkdir -p "$dir/repos"
    port=$(free_port)
    "$BIN" config-create "$dir/k.ini" "host=127.0.0.1" "port=$port" >/dev/null
    "$BIN" db-create -c "$dir/k.ini" --user admin --password adminpass1 --email a@example.com \
        --repos "$dir/repos" --force-yes >/dev/null
    local t0 t1
    t0=$(date +%s%N)
    /usr/bin/python3 bench/seed_permissions.py "$dir/kallithea.db" --bench-password-hash "$HASH" \
        "$@" >"$dir/seed.txt"
    t1=$(date +%s%N)
    log "$name: seeded in $(((t1 - t0) / 1000000)) ms: $(grep '^counts=' "$dir/seed.txt")"
    local group repo
    group=$(sed -n 's/^group=//p' "$dir/seed.txt")
    repo=$(sed -n 's/^repo=//p' "$dir/seed.txt")
    # The repository page opens the repository: an empty bare one is enough.
    git init -q --bare "$dir/repos/$repo"
    "$BIN" serve -c "$dir/k.ini" >"$dir/server.log" 2>&1 9>&- &
    local pid=$!
    PIDS+=("$pid")
    for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/_admin/login" && break; sleep 0.1; done
    local cookie token
    # The login form's CSRF token belongs to its pre-login cookie.
    token=$(curl -s -c "$dir/prelogin.jar" "http://127.0.0.1:$port/_admin/login" |
        sed -n 's/.*name="_session_csrf_secret_token" value="\([0-9a-f]*\)".*/\1/p' | head -1)
    cookie=$(curl -s -o /dev/null -D - -b "$dir/prelogin.jar" -d username=bench -d password=benchpass1 \
        -d "_session_csrf_secret_token=$token" "http://127.0.0.1:$port/_admin/login" | awk 'tolower($1)=="set-cookie:"{print $2}' | sed 's/;$//' | head -1)
    [ -n "$cookie" ] || { echo "login as bench failed on $name" >&2; exit 1; }
    printf -v "${name}_PORT" %s "$port"
    printf -v "${name}_PID" %s "$pid"
    printf -v "${name}_GROUP" %s "$group"
    printf -v "${name}_REPO" %s "$repo"
    printf -v "${name}_COOKIE" %s "$cookie"
    printf -v "${name}_COUNTS" %s "$(sed -n 's/^counts=//p' "$dir/seed.txt")"
}

# wrk latency (1.23ms, 950.00us, 1.20s) -> ms
to_ms() {
    awk -v v="$1" 'BEGIN{ n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.2f", n }'
}
median() { sort -g | awk '{a[NR]=$1} END{ if(NR==0){print "NA"; exit} if(NR%2){print a[(NR+1)/2]} else {print (a[NR/2]+a[NR/2+1])/2} }'; }
cpu_ms() { # pid -> user+system CPU ms so far
    awk -v hz="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); print int(($12 + $13) * 1000 / hz)}' "/proc/$1/stat"
}

# measure LABEL PID URL [COOKIE] -> "rps p50 p99 cpu_ms_per_req status rows" (medians)
measure() {
    local label=$1 pid=$2 url=$3 cookie=${4:-} hdr=() status rows i f c0 c1 n
    [ -n "$cookie" ] && hdr=(-H "Cookie: $cookie")
    status=$(curl -s -o "$work/page.html" -w '%{http_code}' "${hdr[@]}" "$url")
    rows=$(grep -c '<tr data-repo=\|<tr data-group=' "$work/page.html" || true)
    for _ in 1 2 3; do curl -s -o /dev/null "${hdr[@]}" "$url"; done
    local rps=() p50=() p99=() cpu=()
    for ((i = 0; i < WRK_RUNS; i++)); do
        f=$OUT/wrk/permissions-$label.$(date +%s%N)
        c0=$(cpu_ms "$pid")
        wrk --latency -t2 -c8 -d"$WRK_DUR" --timeout 30s "${hdr[@]}" "$url" >"$f" 2>&1 || true
        c1=$(cpu_ms "$pid")
        n=$(awk '/requests in/{print $1}' "$f")
        rps+=("$(awk '/^Requests\/sec/{printf "%.0f", $2}' "$f")")
        p50+=("$(to_ms "$(awk '$1=="50%"{print $2}' "$f")")")
        p99+=("$(to_ms "$(awk '$1=="99%"{print $2}' "$f")")")
        cpu+=("$(awk -v c=$((c1 - c0)) -v n="${n:-0}" 'BEGIN{ if (n>0) printf "%.2f", c/n; else print "NA" }')")
        if grep -q 'Non-2xx\|Socket errors' "$f"; then log "$label: $(grep 'Non-2xx\|Socket errors' "$f")"; fi
    done
    echo "$(printf '%s\n' "${rps[@]}" | median) $(printf '%s\n' "${p50[@]}" | median) $(printf '%s\n' "${p99[@]}" | median) $(printf '%s\n' "${cpu[@]}" | median) $status $rows"
}

LOAD_BEFORE=$(load1)
STARTED=$(date '+%Y-%m-%d %H:%M:%S %Z')
log "seeding the large instance"
instance big --repos 10000 --groups 500 --users 5000 --user-groups 200 --members 25 --top-repos 200
log "seeding the small instance"
instance small --repos 100 --groups 5 --users 50 --user-groups 5 --members 5 --top-repos 20

row() { # label pid url cookie what
    local r rps p50 p99 cpu status rows
    r=$(measure "$1" "$2" "$3" "$4")
    read -r rps p50 p99 cpu status rows <<<"$r"
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$5" "$status" "$rows" "$rps" "$p50" "$p99" "$cpu"
    echo "$r" >"$work/last"
}

BIG=http://127.0.0.1:$big_PORT
SMALL=http://127.0.0.1:$small_PORT
{
    echo "## Permission-aware listings ($STARTED, $(git rev-parse --short HEAD 2>/dev/null || echo ?), $BUILD_DIR)"
    echo
    echo "large: $big_COUNTS"
    echo "small: $small_COUNTS"
    echo "wrk -t2 -c8 -d$WRK_DUR, medians of $WRK_RUNS runs; rows = listed repositories + groups"
    echo
    echo "| page | status | rows | req/s | p50 ms | p99 ms | CPU ms/req |"
    echo "|---|---|---|---|---|---|---|"
    row home-user "$big_PID" "$BIG/" "$big_COOKIE" "\`/\` user bench"
    row home-anon "$big_PID" "$BIG/" "" "\`/\` anonymous"
    row group-user "$big_PID" "$BIG/$big_GROUP" "$big_COOKIE" "\`/$big_GROUP\` user bench"
    row group-anon "$big_PID" "$BIG/$big_GROUP" "" "\`/$big_GROUP\` anonymous"
    row grid-user "$big_PID" "$BIG/_admin/repos" "$big_COOKIE" "\`/_admin/repos\` user bench"
    row grid-anon "$big_PID" "$BIG/_admin/repos" "" "\`/_admin/repos\` anonymous (redirect)"
    # One repository page, large vs small instance, alternating.
    big_p50=() small_p50=() big_rps=() small_rps=()
    for ((k = 0; k < WRK_RUNS; k++)); do
        WRK_RUNS=1 row "summary-big" "$big_PID" "$BIG/$big_REPO/summary" "$big_COOKIE" \
            "\`/$big_REPO/summary\` user bench, 10k repositories"
        read -r rps p50 _ <"$work/last"
        big_rps+=("$rps") && big_p50+=("$p50")
        WRK_RUNS=1 row "summary-small" "$small_PID" "$SMALL/$small_REPO/summary" "$small_COOKIE" \
            "\`/$small_REPO/summary\` user bench, 100 repositories"
        read -r rps p50 _ <"$work/last"
        small_rps+=("$rps") && small_p50+=("$p50")
    done
    bp=$(printf '%s\n' "${big_p50[@]}" | median)
    sp=$(printf '%s\n' "${small_p50[@]}" | median)
    br=$(printf '%s\n' "${big_rps[@]}" | median)
    sr=$(printf '%s\n' "${small_rps[@]}" | median)
    echo
    echo "repository page, 10k vs 100 repositories: p50 $bp / $sp ms (ratio $(awk -v a="$bp" -v b="$sp" 'BEGIN{printf "%.2f", a/b}')), req/s $br / $sr (ratio $(awk -v a="$sr" -v b="$br" 'BEGIN{printf "%.2f", a/b}'))"
    echo
    echo "targets (large instance, user bench): \`/\` and \`/_admin/repos\` p50 <= 20 ms, p99 <= 60 ms; repository page ratio ~1"
    echo "load average before: $LOAD_BEFORE, after: $(load1) (2 shared cores)"
} | tee "$OUT/permissions-$(date +%Y%m%d-%H%M%S).md"
exit 0
}
