#!/usr/bin/env bash
# Soak benchmark: pages, clones, pushes and logins mixed against one release server for a while,
# with the server's RSS and open files sampled every 10 s; a verdict (flat after warm-up, no 5xx).
#
# usage: bench/soak.sh                      (10 minutes)
# env:   SOAK_SECONDS=600 SAMPLE_SECONDS=10 WARMUP_SECONDS=(a fifth of the run, at least 20)
#        PAGE_LOOPS=2 SKIP_BUILD=0 KEEP=0 BUILD_DIR=build/release
#        quick validation: SOAK_SECONDS=60 bench/soak.sh
# Everything runs on 127.0.0.1; every loop is bounded in time (the deadline) and in count; only the
# processes this script started are stopped on exit.
set -euo pipefail
# shellcheck disable=SC2317 # cleanup() runs from a trap
{ # the whole script is parsed before it runs: editing the file during a run is safe
cd "$(dirname "$0")/.."
ROOT=$PWD
SOAK_SECONDS=${SOAK_SECONDS:-600}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-$((SOAK_SECONDS / 5 > 20 ? SOAK_SECONDS / 5 : 20))}
PAGE_LOOPS=${PAGE_LOOPS:-2}
BUILD_DIR=${BUILD_DIR:-build/release}
BENCH_REPOS=${BENCH_REPOS:-/tmp/kallithea-bench/repos}
BENCH_OUT=${BENCH_OUT:-/tmp/kallithea-bench/out}
MAX_PAGE_ROUNDS=200000 # per page loop; each round requests a dozen pages
MAX_CLONES=5000
MAX_PUSHES=5000
MAX_LOGINS=20000

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
mkdir -p /tmp/kallithea-bench "$BENCH_OUT"
work=$(mktemp -d /tmp/kallithea-bench/soak.XXXXXX)
PIDS=() # everything started in the background, killed (with its children) on exit
SERVER_PID=
cleanup() {
    set +e
    local p
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
    if [ -n "$SERVER_PID" ]; then
        kill -TERM "$SERVER_PID" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null
    fi
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    if [ "${KEEP:-0}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- build, repository, instance -----------------------------------------------------------------
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building the release binary"
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    ninja -C "$BUILD_DIR" -j2 kallithea >/dev/null
fi
bin=$ROOT/$BUILD_DIR/src/app/kallithea
[ -e "$BENCH_REPOS/bench-tiny/HEAD" ] || python3 bench/gen_repo.py tiny --out "$BENCH_REPOS" >/dev/null
mkdir -p "$work/repos" "$work/scratch" "$work/counts"
git clone -q --bare --no-local "$BENCH_REPOS/bench-tiny" "$work/repos/soak-browse"
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
"$bin" config-create "$work/k.ini" "port=$PORT" "host=127.0.0.1" >/dev/null
"$bin" db-create -c "$work/k.ini" --user admin --password soakpass1 --email a@example.com \
    --repos "$work/repos" >/dev/null
"$bin" repo-scan -c "$work/k.ini" >/dev/null
# archive downloads on (repo-scan leaves them off; the page loop fetches a zip)
command -v sqlite3 >/dev/null &&
    sqlite3 "$work/kallithea.db" "UPDATE repositories SET downloads = 1 WHERE repo_name = 'soak-browse'"
"$bin" repo-create -c "$work/k.ini" --name soak-push --no-private >/dev/null
"$bin" user-create -c "$work/k.ini" --username walker --password walkerpass1 \
    --email w@example.com >/dev/null
"$bin" serve -c "$work/k.ini" --host 127.0.0.1 --port "$PORT" >"$work/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do curl -s -o /dev/null "$BASE/_admin/login" && break; sleep 0.1; done
ss -ltnp | grep "pid=$SERVER_PID," | awk '$4 !~ /^127\.0\.0\.1:/ {print "NON-LOOPBACK LISTENER:", $0; bad=1} END{exit bad}'

# Page addresses: fixed pages plus pages of changesets spread over the history (so that caches
# fill and evict as on a real site), and a few that answer 404.
mapfile -t IDS < <(git -C "$work/repos/soak-browse" rev-list --all | awk 'NR % 7 == 1')
FILE=$(git -C "$work/repos/soak-browse" ls-tree -r --name-only HEAD | grep -m1 '\.c$')
DIR=${FILE%/*}
page_urls() { # round number -> the URLs of one round
    local r=$1 id=${IDS[$(($1 % ${#IDS[@]}))]} R=$BASE/soak-browse
    printf '%s\n' "$BASE/" "$R" "$R/changelog" "$R/changelog?page=$((r % 12 + 1))" "$R/files/tip/" \
        "$R/files/tip/$DIR" "$R/files/tip/$FILE" "$R/annotate/tip/$FILE" "$R/raw/tip/$FILE" \
        "$R/changeset/$id" "$R/files/$id/" "$R/feed/atom" "$R/refs-data" "$R/history/tip/$FILE" \
        "$R/archive/$id.zip" "$R/no/such/page" "$BASE/no-such-repo" "$BASE/soak-push"
}

# ---- client loops: each appends one result line per operation to its counts file -------------
DEADLINE=$(($(date +%s) + SOAK_SECONDS))
alive() { [ "$(date +%s)" -lt "$DEADLINE" ]; }

page_loop() { # n
    local r=0 out=$work/counts/pages.$1
    while alive && [ $r -lt $MAX_PAGE_ROUNDS ]; do
        # one connection per round (keep-alive within it); the status of each page, one a line
        # shellcheck disable=SC2046 # one argument per URL
        curl -s --max-time 60 $(page_urls $((r * PAGE_LOOPS + $1)) | sed 's/^/-o \/dev\/null /') \
            -w '%{http_code}\n' >>"$out" 2>/dev/null || echo "000" >>"$out"
        r=$((r + 1))
    done
}

clone_loop() {
    local n=0 out=$work/counts/clones d
    while alive && [ $n -lt $MAX_CLONES ]; do
        for src in soak-browse soak-push; do
            d=$work/scratch/clone
            rm -rf "$d"
            if timeout 120 git clone -q --bare "$BASE/$src" "$d" 2>"$work/scratch/clone.err"; then
                echo "ok $src" >>"$out"
            else
                echo "FAIL $src $(head -c 200 "$work/scratch/clone.err" | tr '\n' ' ')" >>"$out"
            fi
        done
        n=$((n + 1))
    done
}

push_loop() {
    local n=0 out=$work/counts/pushes w=$work/scratch/push-work
    local url=http://admin:soakpass1@127.0.0.1:$PORT/soak-push
    git init -q "$w"
    git -C "$w" config user.name "Soak Bot"
    git -C "$w" config user.email soak@example.com
    while alive && [ $n -lt $MAX_PUSHES ]; do
        n=$((n + 1))
        printf 'line %d\n' "$n" >>"$w/log.txt"
        seq "$n" $((n + 200)) >"$w/data-$((n % 20)).txt"
        git -C "$w" add -A
        git -C "$w" commit -q -m "soak change $n"
        local ok=1
        timeout 120 git -C "$w" push -q "$url" HEAD:refs/heads/master 2>"$work/scratch/push.err" || ok=0
        if [ $((n % 5)) = 0 ] && [ $ok = 1 ]; then # a branch and a tag created, then deleted
            timeout 120 git -C "$w" push -q "$url" HEAD:refs/heads/topic-$n HEAD:refs/tags/t$n \
                2>>"$work/scratch/push.err" || ok=0
            timeout 120 git -C "$w" push -q "$url" :refs/heads/topic-$n :refs/tags/t$n \
                2>>"$work/scratch/push.err" || ok=0
        fi
        if [ $ok = 1 ]; then echo "ok" >>"$out"; else
            echo "FAIL $(head -c 200 "$work/scratch/push.err" | tr '\n' ' ')" >>"$out"
        fi
    done
}

login_loop() {
    local n=0 out=$work/counts/logins jar=$work/scratch/jar token code
    while alive && [ $n -lt $MAX_LOGINS ]; do
        n=$((n + 1))
        rm -f "$jar"
        # the form's CSRF token when it has one (anonymous forms may carry one)
        token=$(curl -s --max-time 30 -c "$jar" -b "$jar" "$BASE/_admin/login" |
            sed -n 's/.*name="_session_csrf_secret_token" value="\([^"]*\)".*/\1/p' | head -1)
        code=$(curl -s --max-time 30 -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
            --data-urlencode "username=walker" --data-urlencode "password=walkerpass1" \
            ${token:+--data-urlencode "_session_csrf_secret_token=$token"} "$BASE/_admin/login")
        local home
        home=$(curl -s --max-time 30 -o /dev/null -w '%{http_code}' -b "$jar" "$BASE/_admin/my_account")
        echo "$code $home" >>"$out"
        sleep 0.2
    done
}

# ---- sampler -------------------------------------------------------------------------------------
count_lines() { cat "$@" 2>/dev/null | wc -l; }
count_5xx_clients() { cat "$work"/counts/pages.* "$work/counts/logins" 2>/dev/null | grep -cE '(^| )5[0-9][0-9]' || true; }
count_5xx_server() { grep -cE '" 5[0-9][0-9] ' "$work/server.log" || true; }
count_fail() { cat "$@" 2>/dev/null | grep -c '^FAIL' || true; }
fds() { find "/proc/$SERVER_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
status_kb() { awk -v k="$1:" '$1==k{print $2}' "/proc/$SERVER_PID/status"; }
SAMPLES=$work/samples.tsv
sample() { # label
    printf '%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n' "$1" "$(status_kb VmRSS)" \
        "$(status_kb VmHWM)" "$(fds)" "$(status_kb Threads)" \
        "$(count_lines "$work"/counts/pages.*)" "$(count_lines "$work/counts/clones")" \
        "$(count_lines "$work/counts/pushes")" "$(count_lines "$work/counts/logins")" \
        "$(count_5xx_server)" "$(count_5xx_clients)" >>"$SAMPLES"
}
server_cpu_ms() { awk '{print ($14 + $15 + $16 + $17) * 10}' "/proc/$SERVER_PID/stat"; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date '+%Y-%m-%d %H:%M:%S %Z')
CPU0=$(server_cpu_ms)
: >"$SAMPLES"
sample 0
log "soak: ${SOAK_SECONDS}s against $BASE (pid $SERVER_PID), $PAGE_LOOPS page loops, clones, pushes, logins"
for i in $(seq 1 "$PAGE_LOOPS"); do page_loop "$i" & PIDS+=($!); done
clone_loop & PIDS+=($!)
push_loop & PIDS+=($!)
login_loop & PIDS+=($!)
T0=$(date +%s)
while alive; do
    sleep "$SAMPLE_SECONDS"
    kill -0 "$SERVER_PID" 2>/dev/null || { log "the server died"; break; }
    sample $(($(date +%s) - T0))
done
for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
PIDS=()
CPU1=$(server_cpu_ms)
sleep 3 # idle: connections closed, children reaped
SERVER_ALIVE=1
kill -0 "$SERVER_PID" 2>/dev/null || SERVER_ALIVE=0
[ $SERVER_ALIVE = 1 ] && sample "idle"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- report --------------------------------------------------------------------------------------
report() {
    echo "## Soak: ${SOAK_SECONDS}s ($STARTED)"
    echo
    echo "- release server on 127.0.0.1, $PAGE_LOOPS page loops (curl, ${#IDS[@]} changesets' pages, 404s)," \
        "1 clone loop (2 repositories), 1 push loop (a commit per push; every 5th also creates and" \
        "deletes a branch and a tag), 1 login loop (form login + a page)"
    echo "- load average (1/5/15 min): before $LOAD_BEFORE, after $LOAD_AFTER (2 shared cores)"
    echo "- server CPU during the run: $(((CPU1 - CPU0) / 1000)) s; warm-up: first ${WARMUP_SECONDS}s"
    echo
    echo "| t (s) | RSS MB | peak RSS MB | open fds | threads | pages | clones | pushes | logins | 5xx (server log) | 5xx (clients) |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    awk -F'\t' '{printf "| %s | %.1f | %.1f | %d | %d | %d | %d | %d | %d | %d | %d |\n", $1, $2/1024, $3/1024, $4, $5, $6, $7, $8, $9, $10, $11}' "$SAMPLES"
    echo
    local clone_fail push_fail login_bad
    clone_fail=$(count_fail "$work/counts/clones")
    push_fail=$(count_fail "$work/counts/pushes")
    login_bad=$(awk '$1 != 302 && $1 != 303 || $2 != 200' "$work/counts/logins" 2>/dev/null | wc -l)
    local s5 c5 page_other
    s5=$(count_5xx_server)
    c5=$(count_5xx_clients)
    page_other=$(cat "$work"/counts/pages.* 2>/dev/null | sort | uniq -c | awk '{printf "%s %s× ", $2, $1}')
    echo "- failed clones: $clone_fail; failed pushes: $push_fail; logins not answered 302 + 200: $login_bad;" \
        "page answers by status: $page_other"
    [ "$clone_fail" = 0 ] || grep -m3 '^FAIL' "$work/counts/clones" | sed 's/^/  - /'
    [ "$push_fail" = 0 ] || grep -m3 '^FAIL' "$work/counts/pushes" | sed 's/^/  - /'
    # Flat after warm-up: RSS at the end within max(10 MB, 10 %) of the first sample after the
    # warm-up, and open files when idle no more than after the warm-up (+4).
    awk -F'\t' -v w="$WARMUP_SECONDS" -v s5="$s5" -v c5="$c5" -v cf="$clone_fail" -v pf="$push_fail" \
        -v lb="$login_bad" -v alive="$SERVER_ALIVE" '
        $1 ~ /^[0-9]+$/ && $1 >= w && !have { have=1; r0=$2; f0=$4 }
        $1 ~ /^[0-9]+$/ { rl=$2; fl=$4 }
        $1 == "idle" { fi=$4 }
        END {
            if (!have) { print "- verdict: run too short for the warm-up (no sample after it)"; exit }
            growth = (rl - r0) / 1024; lim = (r0 / 1024 * 0.1 > 10 ? r0 / 1024 * 0.1 : 10)
            flat = growth <= lim; fdflat = (fi == "" ? fl : fi) <= f0 + 4
            ok = flat && fdflat && s5 == 0 && c5 == 0 && cf == 0 && pf == 0 && lb == 0 && alive
            printf "- verdict: %s — RSS %s after warm-up (%.1f -> %.1f MB, %+.1f MB, limit %.0f MB);" \
                " open fds %s (%d after warm-up, %d at the end, %s idle); 5xx: %d in the server log," \
                " %d seen by clients; failed clones %d, pushes %d, logins %d%s\n",
                ok ? "PASS" : "FAIL", flat ? "flat" : "GROWING", r0 / 1024, rl / 1024, growth, lim,
                fdflat ? "flat" : "GROWING", f0, fl, (fi == "" ? "n/a" : fi), s5, c5, cf, pf, lb,
                alive ? "" : "; THE SERVER DIED"
        }' "$SAMPLES"
}
out_file=$BENCH_OUT/soak-$(date +%Y%m%d-%H%M%S).md
report | tee "$out_file"
log "table saved to $out_file"
exit 0
}
