# Measurement helpers of bench/git_hosting.sh (sourced after the servers are up; not a script).
# shellcheck shell=bash
# Uses: OUR_PORT CGIT_PORT GITHTTP_PORT OUR_PID TAG REPO REPO_DIR HEAD_ID WRK_DUR WRK_RUNS
#       CLONE_RUNS BENCH_RUN BENCH_OUT and common.sh's median/proc_tree/tree_rss_kb/srv_cpu_ms.

# wrk latency (1.23ms, 950.00us, 1.20s) -> ms
to_ms() {
    awk -v v="$1" 'BEGIN{ n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /m$/) n*=60000; else if (v ~ /s$/) n*=1000; printf "%.1f", n }'
}

# median of the arguments, printed with DIGITS decimals: med DIGITS values...
med() {
    local d=$1 m
    shift
    m=$(printf '%s\n' "$@" | awk '/^[0-9.]+$/' | median)
    [ "$m" = NA ] && { echo NA; return 0; }
    printf "%.${d}f" "$m"
}

# wrk output file -> "rps p50_ms p99_ms requests errors"
parse_wrk() {
    local f=$1 rps p50 p99 n bad
    rps=$(awk '/^Requests\/sec/{printf "%.0f", $2}' "$f")
    p50=$(awk '$1=="50%"{print $2}' "$f")
    p99=$(awk '$1=="99%"{print $2}' "$f")
    n=$(awk '/requests in/{print $1}' "$f")
    bad=$(awk '/Non-2xx/{printf "non2xx=%s ", $NF} /Socket errors/{printf "sockerr "} /timeout [1-9]/{printf "timeouts "}' "$f")
    echo "${rps:-0} $(to_ms "${p50:-0}") $(to_ms "${p99:-0}") ${n:-0} ${bad:-none}" | sed 's/ *$//'
}

http_code() { curl -s -o /dev/null --max-time 120 -w '%{http_code}' "$1" || echo 000; }

# One wrk run against url; echoes "rps p50 p99 cpu_ms_per_req errors".
# cpu_names: the cgroup/pid-file names of the serving processes.
wrk_once() {
    local label=$1 url=$2
    shift 2
    local f c0 c1 rps p50 p99 n bad
    f=$BENCH_OUT/wrk/$label.$(date +%s%N)
    mkdir -p "$BENCH_OUT/wrk"
    c0=$(srv_cpu_ms "$@")
    wrk --latency -t2 -c8 -d"$WRK_DUR" --timeout 30s "$url" >"$f" 2>&1 || true
    sleep 0.3 # let in-flight CGIs finish and be reaped
    c1=$(srv_cpu_ms "$@")
    read -r rps p50 p99 n bad < <(parse_wrk "$f")
    echo "$rps $p50 $p99 $(awk -v c=$((c1 - c0)) -v n="$n" 'BEGIN{ if (n>0) printf "%.2f", c/n; else print "NA" }') $bad"
}

# bench_page NAME OURS_PATH CGIT_PATH -> one markdown table row
bench_page() {
    local name=$1 ours_url="http://127.0.0.1:$OUR_PORT$2" cgit_url="http://127.0.0.1:$CGIT_PORT$3"
    local code cgit_code i
    code=$(http_code "$ours_url")
    cgit_code=$(http_code "$cgit_url")
    log "page $name: ours $code ($2), cgit $cgit_code ($3)"
    for i in 1 2 3; do
        [ "$code" = 200 ] && http_code "$ours_url" >/dev/null
        http_code "$cgit_url" >/dev/null
    done
    local o_r=() o_50=() o_99=() o_cpu=() c_r=() c_50=() c_99=() c_cpu=() errs=""
    local rps p50 p99 cpu bad
    for i in $(seq 1 "$WRK_RUNS"); do
        if [ "$code" = 200 ]; then
            read -r rps p50 p99 cpu bad < <(wrk_once "ours.${name%% *}" "$ours_url" "$TAG-ours")
            o_r+=("$rps"); o_50+=("$p50"); o_99+=("$p99"); o_cpu+=("$cpu")
            [ "$bad" = none ] || errs="$errs ours:$bad"
        fi
        read -r rps p50 p99 cpu bad < <(wrk_once "cgit.${name%% *}" "$cgit_url" "$TAG-nginx" "$TAG-fcgiwrap-cgit")
        c_r+=("$rps"); c_50+=("$p50"); c_99+=("$p99"); c_cpu+=("$cpu")
        [ "$bad" = none ] || errs="$errs cgit:$bad"
    done
    local cr c50 c99 ccpu
    cr=$(med 0 "${c_r[@]}")
    c50=$(med 1 "${c_50[@]}")
    c99=$(med 1 "${c_99[@]}")
    ccpu=$(med 2 "${c_cpu[@]}")
    [ "$cgit_code" = 200 ] || errs="$errs cgit answered HTTP $cgit_code"
    local cgit_cols="$cr | $c50 / $c99"
    if [ "$code" != 200 ]; then
        local why="HTTP $code"
        [ "$code" = 501 ] && why="page not implemented: 501"
        echo "| $name | n/a ($why) | n/a | $cgit_cols | n/a | n/a | n/a / $ccpu | n/a |${errs:+ (errors:$errs)}"
        return 0
    fi
    local or o50 o99 ocpu ratio ok
    or=$(med 0 "${o_r[@]}")
    o50=$(med 1 "${o_50[@]}")
    o99=$(med 1 "${o_99[@]}")
    ocpu=$(med 2 "${o_cpu[@]}")
    ratio=$(awk -v a="$or" -v b="$cr" 'BEGIN{ if (b>0) printf "%.1f×%s", a/b, (a/b>=5 ? "" : " (below)"); else print "n/a" }')
    ok=$(awk -v p="$o99" 'BEGIN{ print (p<=50 ? "yes" : "no") }')
    # CPU per request ours / cgit: the median and each run's pair (ours and cgit ran back to back)
    local pairs=() cpu_ratio
    for i in "${!o_cpu[@]}"; do
        pairs+=("$(awk -v a="${o_cpu[$i]}" -v b="${c_cpu[$i]}" 'BEGIN{ if (b>0) printf "%.3f", a/b; else print "NA" }')")
    done
    cpu_ratio=$(awk -v a="$ocpu" -v b="$ccpu" 'BEGIN{ if (b>0) printf "%.3f×", a/b; else print "n/a" }')
    echo "| $name | $or | $o50 / $o99 | $cgit_cols | $ratio | $ok | $ocpu / $ccpu | $cpu_ratio ($(IFS=,; echo "${pairs[*]}")) |${errs:+ (errors:$errs)}"
}

# Clones (bare) from ours, from disk with --no-local, and from git http-backend, alternating;
# -> one markdown table row. Peak RSS of each server's process tree sampled at 5 Hz.
bench_clones() {
    local S=$BENCH_RUN/scratch
    rm -rf "$S"
    mkdir -p "$S"
    local ours_url="http://127.0.0.1:$OUR_PORT/$REPO" httpb_url="http://127.0.0.1:$GITHTTP_PORT/$REPO"
    local ours_ok=1
    timeout 60 git ls-remote "$ours_url" HEAD >/dev/null 2>&1 || ours_ok=0
    [ $ours_ok = 1 ] || log "our server does not serve git clone yet ($ours_url)"
    local peak_ours=$S/peak.ours peak_httpb=$S/peak.httpb
    echo 0 >"$peak_ours"
    echo 0 >"$peak_httpb"
    local httpb_roots
    httpb_roots="$(pid_of "$TAG-nginx") $(pid_of "$TAG-fcgiwrap-git")"
    (
        po=0 ph=0
        for _ in $(seq 1 30000); do # at most ~100 min
            r=$(tree_rss_kb "$OUR_PID"); [ "$r" -gt "$po" ] && { po=$r; echo "$po" >"$peak_ours"; }
            # shellcheck disable=SC2086 # two pids
            r=$(tree_rss_kb $httpb_roots); [ "$r" -gt "$ph" ] && { ph=$r; echo "$ph" >"$peak_httpb"; }
            sleep 0.2
        done
    ) &
    local sampler=$!
    local t_o=() t_l=() t_h=() i sysname url t0 t1 bad_head=""
    for i in $(seq 1 "$CLONE_RUNS"); do
        for sysname in ours local httpb; do
            case $sysname in
                ours) [ $ours_ok = 1 ] || continue; url=$ours_url ;;
                local) url=$REPO_DIR ;;
                httpb) url=$httpb_url ;;
            esac
            rm -rf "$S/c-$sysname"
            t0=$(date +%s%N)
            local extra=()
            [ $sysname = local ] && extra=(--no-local)
            if ! timeout 900 git clone -q --bare "${extra[@]}" "$url" "$S/c-$sysname" 2>"$S/err-$sysname"; then
                log "clone from $sysname failed: $(head -c 300 "$S/err-$sysname")"
                [ $sysname = ours ] && ours_ok=0
                continue
            fi
            t1=$(date +%s%N)
            local secs
            secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{ printf "%.2f", (b-a)/1e9 }')
            [ "$(git -C "$S/c-$sysname" rev-parse HEAD)" = "$HEAD_ID" ] || bad_head="$bad_head $sysname"
            case $sysname in ours) t_o+=("$secs") ;; local) t_l+=("$secs") ;; httpb) t_h+=("$secs") ;; esac
            log "clone $i $sysname: $secs s"
        done
    done
    kill "$sampler" 2>/dev/null
    wait "$sampler" 2>/dev/null || true
    local mo ml mh pack_o="n/a" pack_l pack_h
    ml=$(med 2 "${t_l[@]}")
    mh=$(med 2 "${t_h[@]}")
    pack_mb() { [ -d "$1/objects/pack" ] && du -cm "$1"/objects/pack/*.pack | tail -1 | cut -f1 || echo n/a; }
    pack_l=$(pack_mb "$S/c-local")
    pack_h=$(pack_mb "$S/c-httpb")
    local peak_h=$(($(cat "$peak_httpb") / 1024))
    if [ $ours_ok = 1 ] && [ ${#t_o[@]} -gt 0 ]; then
        mo=$(med 2 "${t_o[@]}")
        pack_o=$(pack_mb "$S/c-ours")
        local r1 r2
        r1=$(awk -v a="$mo" -v b="$ml" 'BEGIN{ printf "%.2f%s", a/b, (a/b<=1.1 ? "" : " (above)") }')
        r2=$(awk -v a="$mo" -v b="$mh" 'BEGIN{ printf "%.2f%s", a/b, (a/b<=1.0 ? "" : " (above)") }')
        echo "| $REPO | $mo s | $ml s | $mh s | $r1 | $r2 | $pack_o / $pack_l / $pack_h | $(($(cat "$peak_ours") / 1024)) / $peak_h |${bad_head:+ WRONG HEAD from:$bad_head}"
    else
        echo "| $REPO | n/a (git clone over our HTTP not served yet) | $ml s | $mh s | n/a | n/a | n/a / $pack_l / $pack_h | n/a / $peak_h |${bad_head:+ WRONG HEAD from:$bad_head}"
    fi
    rm -rf "$S"
}

# The server's part of a clone: the whole pack requested as `git clone` does and read to the end
# without indexing it (the client's index-pack is most of a clone's time on this machine, and its
# noise hides the servers' difference). PACK_RUNS rounds, alternating. Prints the table row.
bench_pack_delivery() {
    local ours_url="http://127.0.0.1:$OUR_PORT/$REPO" httpb_url="http://127.0.0.1:$GITHTTP_PORT/$REPO"
    local t_o=() f_o=() t_h=() f_h=() out i
    for i in $(seq 1 "${PACK_RUNS:-7}"); do
        if out=$(python3 "$ROOT/bench/pack_delivery.py" "$ours_url" 2>/dev/null); then
            read -r t f _ <<<"$out"; t_o+=("$t"); f_o+=("$f")
        fi
        if out=$(python3 "$ROOT/bench/pack_delivery.py" "$httpb_url" 2>/dev/null); then
            read -r t f _ <<<"$out"; t_h+=("$t"); f_h+=("$f")
        fi
    done
    local mo mh
    mo=$(med 2 "${t_o[@]}")
    mh=$(med 2 "${t_h[@]}")
    echo "| $REPO | $mo s (first byte $(med 3 "${f_o[@]}") s) | $mh s (first byte $(med 3 "${f_h[@]}") s) | $(awk -v a="$mo" -v b="$mh" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "n/a" }') |"
}

