#!/usr/bin/env bash
# Git-hosting benchmark: clone and page throughput of our server vs git http-backend and cgit.
# Builds the release binary, generates the synthetic repository if missing, starts a throw-away
# instance of ours and the peers (nginx + fcgiwrap: cgit with cache off, git http-backend) on
# 127.0.0.1, measures them alternately in one run and prints a markdown table with ratios.
#
# usage: bench/git_hosting.sh [medium|large|real]     (default: medium)
#        real: the real-shape rows (1,050 annotated tags, 614 root entries, 30k commits): summary
#        and tree root rendered on every request (page cache off), no clones unless CLONES=1
# env:   WRK_DUR=10s WRK_RUNS=3 CLONE_RUNS=3 PACK_RUNS=7 SKIP_BUILD=0 KEEP=0
#        PAGE_CACHE_MB=64 (our page cache; 0 measures every page rendered from the repository)
#        quick debugging run: WRK_DUR=2s WRK_RUNS=1 CLONE_RUNS=1 bench/git_hosting.sh medium
set -euo pipefail
# shellcheck disable=SC2317 # cleanup() and friends run from traps
{ # the whole script is parsed before it runs: editing the file during a run is safe
cd "$(dirname "$0")/.."
ROOT=$PWD
SIZE=${1:-medium}
case $SIZE in medium | large | tiny | real) ;; *) echo "usage: $0 [medium|large|real]" >&2; exit 2 ;; esac
if [ "$SIZE" = real ]; then
    PAGE_CACHE_MB=${PAGE_CACHE_MB:-0}
    CLONES=${CLONES:-0}
fi

export BENCH_REPOS=${BENCH_REPOS:-/tmp/kallithea-bench/repos}
export BENCH_RUN=${BENCH_RUN:-/tmp/kallithea-bench/run}
export BENCH_OUT=${BENCH_OUT:-/tmp/kallithea-bench/out}
WRK_DUR=${WRK_DUR:-10s} # before common.sh, which has its own defaults for these
WRK_RUNS=${WRK_RUNS:-3}
CLONE_RUNS=${CLONE_RUNS:-3}
PEERS=$ROOT/../shared/bench/peers
. "$PEERS/common.sh" # log, median, proc_tree, tree_rss_kb, wait_port, cg_attach, srv_cpu_ms
REPO=${REPO_NAME:-bench-$SIZE} # REPO_NAME: another repository of that shape under BENCH_REPOS
REPO_DIR=$BENCH_REPOS/$REPO
TAG=kh$$ # prefix of our cgroup names, unique per run

exec 9>/tmp/kallithea-bench/.lock
flock -n 9 || { echo "another git_hosting.sh run is in progress" >&2; exit 1; }

# ---- tools -------------------------------------------------------------------------------------
need_install=0
for t in wrk nginx hyperfine curl sqlite3; do command -v $t >/dev/null || need_install=1; done
[ -x /usr/lib/cgit/cgit.cgi ] && [ -x /usr/sbin/fcgiwrap ] || need_install=1
if [ $need_install = 1 ]; then
    log "installing the peers (Debian packages)"
    "$PEERS/00_install.sh" >/dev/null
    command -v sqlite3 >/dev/null || apt-get install -y -qq sqlite3 >/dev/null
fi

# ---- cleanup: only what this run started ---------------------------------------------------------
: >"$PIDFILE"
work=$(mktemp -d /tmp/kallithea-bench/instance.XXXXXX)
cleanup() {
    set +e
    "$PEERS/noise_monitor.sh" stop
    local name pid p
    while read -r name pid; do
        [ -n "$pid" ] || continue
        local tree
        tree=$(proc_tree "$pid")
        [ -n "$tree" ] || continue
        kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        for p in $tree; do kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null; done
    done <"$PIDFILE"
    : >"$PIDFILE"
    for d in "$CG_ROOT/$TAG"-*/; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
    rmdir "$CG_ROOT" 2>/dev/null
    rm -rf "$BENCH_RUN/scratch"
    if [ "${KEEP:-0}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'log "FAILED (exit $?) at line $LINENO: $BASH_COMMAND"' ERR
trap 'exit 130' INT TERM

start_bg() { # name cmd... : start in the background, record "name pid"
    local name=$1
    shift
    "$@" >"$BENCH_RUN/$name.out" 2>&1 9>&- &
    echo "$name $!" >>"$PIDFILE"
}
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
load1() { cut -d' ' -f1-3 /proc/loadavg; }

LOAD_BEFORE=$(load1)
STARTED=$(date '+%Y-%m-%d %H:%M:%S %Z')
"$PEERS/noise_monitor.sh" start 9>&-

# ---- build, repository ---------------------------------------------------------------------------
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building the release binary"
    cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    ninja -C build/release -j2 kallithea >/dev/null
fi
bin=${KALLITHEA_BIN:-$ROOT/build/release/src/app/kallithea} # KALLITHEA_BIN: measure another binary
[ -e "$REPO_DIR/HEAD" ] || { log "generating $REPO_DIR"; python3 bench/gen_repo.py "$SIZE" --out "$BENCH_REPOS"; }

BLOB=$(git -C "$REPO_DIR" ls-tree -r -l HEAD | awk -F'\t' '{split($1,a," "); d=a[4]-102400; if(d<0)d=-d;
    if ($2 ~ /\.(c|h|py|rs)$/ && (best=="" || d<bd)) {bd=d; best=$2}} END{print best}')
BLOB_BYTES=$(git -C "$REPO_DIR" cat-file -s "HEAD:$BLOB")
BIGDIFF=$(git -C "$REPO_DIR" log --grep='^Big refactor' -1 --format=%H HEAD)
BIGDIFF_STAT=$(git -C "$REPO_DIR" show --shortstat --format= "$BIGDIFF" | sed 's/^ *//')
NCOMMITS=$(git -C "$REPO_DIR" rev-list --count --all)
NFILES=$(git -C "$REPO_DIR" ls-tree -r HEAD | wc -l)
PACK_MB=$(du -cm "$REPO_DIR"/objects/pack/*.pack | tail -1 | cut -f1)
HEAD_ID=$(git -C "$REPO_DIR" rev-parse HEAD)
NTAGS=$(git -C "$REPO_DIR" for-each-ref refs/tags | wc -l)
NANNOTATED=$(git -C "$REPO_DIR" for-each-ref --format='%(objecttype)' refs/tags | grep -c '^tag$' || true)
NBRANCHES=$(git -C "$REPO_DIR" for-each-ref refs/heads | wc -l)
NROOT=$(git -C "$REPO_DIR" ls-tree HEAD | wc -l)

# ---- our instance ------------------------------------------------------------------------------
OUR_PORT=$(free_port)
"$bin" config-create "$work/k.ini" "port=$OUR_PORT" "host=127.0.0.1" \
    "page_cache.size_mb=${PAGE_CACHE_MB:-64}" >/dev/null
"$bin" db-create -c "$work/k.ini" --user admin --password benchpass1 --email a@example.com \
    --repos "$BENCH_REPOS" >/dev/null
if grep -q repo-scan <<<"$("$bin" --help 2>&1 || true)"; then
    "$bin" repo-scan -c "$work/k.ini" >/dev/null || log "WARN repo-scan failed"
fi
if [ "$(sqlite3 "$work/kallithea.db" "SELECT count(*) FROM repositories WHERE repo_name='$REPO'")" = 0 ]; then
    log "registering $REPO with sqlite3 (no repo-scan)"
    sqlite3 "$work/kallithea.db" <<EOT
INSERT INTO repositories (repo_name, repo_state, repo_type, user_id, private, statistics, downloads,
  description, created_on, updated_on, landing_revision, group_id)
  VALUES ('$REPO', 'repo_state_created', 'git', (SELECT user_id FROM users WHERE username='admin'),
  0, 0, 1, 'benchmark repository', '2024-01-01 00:00:00.000000', '2024-01-01 00:00:00.000000',
  'rev:tip', NULL);
INSERT INTO repo_to_perm (user_id, permission_id, repository_id)
  SELECT (SELECT user_id FROM users WHERE username='default'), permission_id,
  (SELECT repo_id FROM repositories WHERE repo_name='$REPO')
  FROM permissions WHERE permission_name='repository.read';
EOT
fi
start_bg "$TAG-ours" "$bin" serve -c "$work/k.ini" --host 127.0.0.1 --port "$OUR_PORT"
OUR_PID=$(pid_of "$TAG-ours")

# ---- peers: nginx (2 workers) + fcgiwrap for cgit (cache off) and for git http-backend --------
CGIT_PORT=$(free_port)
GITHTTP_PORT=$(free_port)
R=$BENCH_RUN
mkdir -p "$R/nginx-tmp"
cat >"$R/cgitrc" <<EOT
virtual-root=/
css=/cgit-css/cgit.css
logo=/cgit-css/cgit.png
cache-size=0
enable-http-clone=0
enable-index-links=1
root-title=bench
repo.url=$REPO
repo.path=$REPO_DIR
EOT
cat >"$R/nginx.conf" <<EOT
user root root;
worker_processes 2;
pid $R/nginx.pid;
error_log $R/nginx-error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path $R/nginx-tmp/body;
  fastcgi_temp_path $R/nginx-tmp/fastcgi;
  proxy_temp_path $R/nginx-tmp/proxy;
  uwsgi_temp_path $R/nginx-tmp/uwsgi;
  scgi_temp_path $R/nginx-tmp/scgi;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$CGIT_PORT;
    location /cgit-css/ { alias /usr/share/cgit/; }
    location / {
      include /etc/nginx/fastcgi_params;
      fastcgi_pass unix:$R/fcgi-cgit.sock;
      fastcgi_param SCRIPT_FILENAME /usr/lib/cgit/cgit.cgi;
      fastcgi_param PATH_INFO \$uri;
      fastcgi_param QUERY_STRING \$args;
      fastcgi_param CGIT_CONFIG $R/cgitrc;
      fastcgi_param HOME $R;
    }
  }
  server {
    listen 127.0.0.1:$GITHTTP_PORT;
    client_max_body_size 0;
    location / {
      include /etc/nginx/fastcgi_params;
      fastcgi_pass unix:$R/fcgi-git.sock;
      fastcgi_buffering off;
      fastcgi_read_timeout 600s;
      fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
      fastcgi_param GIT_PROJECT_ROOT $BENCH_REPOS;
      fastcgi_param GIT_HTTP_EXPORT_ALL 1;
      fastcgi_param PATH_INFO \$uri;
      fastcgi_param QUERY_STRING \$args;
      fastcgi_param GIT_PROTOCOL \$http_git_protocol;
      fastcgi_param HOME $R;
    }
  }
}
EOT
for s in cgit git; do
    rm -f "$R/fcgi-$s.sock"
    start_bg "$TAG-fcgiwrap-$s" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$R" \
        /usr/sbin/fcgiwrap -f -c 16 -s "unix:$R/fcgi-$s.sock"
done
for s in cgit git; do
    for _ in $(seq 50); do [ -S "$R/fcgi-$s.sock" ] && break; sleep 0.1; done
    [ -S "$R/fcgi-$s.sock" ] || { echo "fcgiwrap-$s did not start" >&2; exit 1; }
done
nginx -t -q -c "$R/nginx.conf" -p "$R/"
start_bg "$TAG-nginx" nginx -c "$R/nginx.conf" -p "$R/" -g 'daemon off;'
for p in "$OUR_PORT" "$CGIT_PORT" "$GITHTTP_PORT"; do wait_port "$p"; done
ss -ltnp | awk -v pids="$(awk '{print $2}' "$PIDFILE" | paste -sd'|')" \
    '$0 ~ "pid=(" pids ")," && $4 !~ /^127\.0\.0\.1:/ {bad=1; print "NON-LOOPBACK LISTENER:", $0} END{exit bad}'
while read -r n p; do cg_attach "$n" "$p"; done <"$PIDFILE"
log "ours :$OUR_PORT (pid $OUR_PID), cgit :$CGIT_PORT, git http-backend :$GITHTTP_PORT"

. "$ROOT/bench/git_hosting_lib.sh"

# ---- pages ---------------------------------------------------------------------------------------
PAGES=(
    "summary|/$REPO|/$REPO/"
    "tree root|/$REPO/files/tip/|/$REPO/tree/"
)
[ "$SIZE" = real ] || PAGES=(
    "summary|/$REPO|/$REPO/"
    "changelog|/$REPO/changelog|/$REPO/log/"
    "tree root|/$REPO/files/tip/|/$REPO/tree/"
    "blob ($((BLOB_BYTES / 1024)) KB)|/$REPO/files/tip/$BLOB|/$REPO/tree/$BLOB"
    "big-diff changeset|/$REPO/changeset/$BIGDIFF|/$REPO/commit/?id=$BIGDIFF"
)
PAGE_ROWS=()
for spec in "${PAGES[@]}"; do
    IFS='|' read -r name ours_path cgit_path <<<"$spec"
    PAGE_ROWS+=("$(bench_page "$name" "$ours_path" "$cgit_path")")
done
OUR_HWM_PAGES=$(awk '/^VmHWM:/{print $2}' "/proc/$OUR_PID/status")
OUR_RSS_PAGES=$(awk '/^VmRSS:/{print $2}' "/proc/$OUR_PID/status")

# ---- clones --------------------------------------------------------------------------------------
CLONE_ROW="| $REPO | not measured (CLONES=0) | | | | | | |"
PACK_ROW="| $REPO | not measured (CLONES=0) | | |"
if [ "${CLONES:-1}" = 1 ]; then
    CLONE_ROW=$(bench_clones)
    PACK_ROW=$(bench_pack_delivery)
fi
OUR_HWM_END=$(awk '/^VmHWM:/{print $2}' "/proc/$OUR_PID/status")

# ---- report --------------------------------------------------------------------------------------
LOAD_AFTER=$(load1)
report() {
    echo "## Git hosting benchmark: $REPO ($STARTED)"
    echo
    echo "- repository: $NCOMMITS commits, $NFILES files at HEAD, pack $PACK_MB MB, HEAD $HEAD_ID;" \
        "$NTAGS tags ($NANNOTATED annotated), $NBRANCHES branches, $NROOT root entries"
    echo "- our page cache: page_cache.size_mb = ${PAGE_CACHE_MB:-64}" \
        "$([ "${PAGE_CACHE_MB:-64}" = 0 ] && echo '(every page rendered)'); cgit cache-size=0"
    echo "- big-diff changeset $BIGDIFF: $BIGDIFF_STAT; blob $BLOB ($BLOB_BYTES bytes)"
    echo "- load average (1/5/15 min): before $LOAD_BEFORE, after $LOAD_AFTER (2 shared cores;" \
        "noise log $BENCH_OUT/noise.log)"
    echo "- wrk -t2 -c8 -d$WRK_DUR, $WRK_RUNS run(s) per page, ours and cgit alternating; medians." \
        "CPU ms/req = server CPU (incl. CGI children) / requests"
    echo
    echo "| page | ours req/s | ours p50 / p99 ms | cgit req/s | cgit p50 / p99 ms | ratio (target ≥ 5×) | ours p99 ≤ 50 ms | CPU ms/req ours / cgit | CPU ours / cgit (runs) |"
    echo "|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${PAGE_ROWS[@]}"
    echo
    echo "| clone (git clone --bare, median of $CLONE_RUNS) | ours HTTP | git clone --no-local | git http-backend + nginx | ours / local (target ≤ 1.1) | ours / http-backend (target ≤ 1.0) | pack MB ours / local / http-backend | peak server RSS MB ours / http-backend |"
    echo "|---|---|---|---|---|---|---|---|"
    echo "$CLONE_ROW"
    echo
    echo "| pack delivery (the server's part of a clone, median of ${PACK_RUNS:-7}) | ours HTTP | git http-backend + nginx | ours / http-backend |"
    echo "|---|---|---|---|"
    echo "$PACK_ROW"
    echo
    echo "| our server's memory | value | target |"
    echo "|---|---|---|"
    echo "| peak RSS (VmHWM) after the page load | $((OUR_HWM_PAGES / 1024)) MB | ≤ 150 MB |"
    echo "| RSS right after the page load | $((OUR_RSS_PAGES / 1024)) MB | |"
    echo "| peak RSS (VmHWM) after the clones (server process only) | $((OUR_HWM_END / 1024)) MB | |"
}
mkdir -p "$BENCH_OUT"
out_file=$BENCH_OUT/git_hosting-$SIZE-$(date +%Y%m%d-%H%M%S).md
report | tee "$out_file"
log "table saved to $out_file"
exit 0
}
