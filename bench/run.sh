#!/usr/bin/env bash
# Side-by-side load benchmark: Rapport vs django-helpdesk 2.6.1 on this machine, in one run.
#   bench/run.sh 100000 1000000        (sizes in cases / tickets; each side is topped up to the size)
# Endpoints: queue (the queue with the five fixed tabs' counts), queue_views (the same with five shared
#        saved views, ten counts in all), case, api_create, bulk (one POST /api/v1/cases/bulk assigning
#        500 cases: its time, once per round), and presence (the case page's collision poll; set REDIS_URL
#        so the shared cache is Redis, as in production). A worker runs beside the server so the counts
#        are kept fresh as in production (cached, counted off the request); the run waits until they are shown.
# Knobs: ENDPOINTS="queue queue_views case api_create bulk" SKIP_PEER=1 (ours only) CONC=8 DUR=20s ROUNDS=1 WORKERS=2 (both sides)
#        RAPPORT_THREADS (ours; default 1: sync workers, as the peer's) BENCH_DIR=/tmp/rapport-bench PEER_DIR=/tmp/peer-dh
#        WARMUP=0s (e.g. 5s: load each endpoint that long first, unmeasured, so the first requests of each
#        thread, which compile templates and fill a cold database connection's cache, are not in the figures)
#        DB=sqlite|postgres (ours; PG uses $PG_URL, default postgres://postgres@127.0.0.1:5432/rapport_bench)
# Output: $BENCH_DIR/results/<size>/summary.tsv (ours), the peer's $PEER_DIR/results/<size>/summary.tsv,
#         and a comparison table from bench/compare.py.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
PEER_HARNESS="${PEER_HARNESS:-$ROOT/../shared/bench/peer-django-helpdesk}"
BENCH_DIR="${BENCH_DIR:-/tmp/rapport-bench}"
PEER_DIR="${PEER_DIR:-/tmp/peer-dh}"
CONC="${CONC:-8}" DUR="${DUR:-20s}" ROUNDS="${ROUNDS:-1}" WORKERS="${WORKERS:-2}" PORT="${PORT:-8800}"
DB="${DB:-sqlite}"
PY="$ROOT/.venv/bin/python"
RAPPORT="$ROOT/.venv/bin/rapport"
export PEER_DIR
mkdir -p "$BENCH_DIR/data"

export RAPPORT_DATA_DIR="${RAPPORT_DATA_DIR:-$BENCH_DIR/data}"
if [ "$DB" = postgres ]; then
  export DATABASE_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432/rapport_bench}"
  psql -h 127.0.0.1 -U postgres -tc "select 1 from pg_database where datname='rapport_bench'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -c "create database rapport_bench" >/dev/null
fi
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
[ "${SKIP_PEER:-0}" = 1 ] || [ -x "$PEER_DIR/venv/bin/python" ] || "$PEER_HARNESS/setup.sh"
"$RAPPORT" migrate >/dev/null

cpu_ms() {  # cpu_ms PID...: CPU milliseconds used so far by these processes and their descendants
  local all="$*" next="$*" p
  while [ -n "$next" ]; do next=$(for p in $next; do pgrep -P "$p" || true; done | tr '\n' ' '); all="$all $next"; done
  for p in $all; do cat "/proc/$p/stat" 2>/dev/null || true; done \
    | awk -v hz="$(getconf CLK_TCK)" '{ s += $14 + $15 } END { printf "%.0f", s * 1000 / hz }'
}

summ() {  # wrk output -> "rps p50 p99 non2xx errors"
  awk '/Requests\/sec/{r=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2} /Non-2xx/{n=$NF} /Socket errors/{e=$0} END{gsub(/ +/," ",e); print r"\t"p50"\t"p99"\t"(n?n:0)"\t"(e?e:"-")}' "$1"
}

for SIZE in "$@"; do
  OUTD="$BENCH_DIR/results/$SIZE"; mkdir -p "$OUTD"
  have=$("$PY" "$HERE/rapport_side.py" count)
  if [ "$have" -lt "$SIZE" ]; then
    echo "seeding Rapport: $have -> $SIZE cases"
    /usr/bin/time -f "seed wall %e s, peak RSS %M KB" "$RAPPORT" seed --cases $((SIZE - have)) --seed "$SIZE"
  fi
  if [ "${SKIP_PEER:-0}" != 1 ]; then
    echo "seeding django-helpdesk to $SIZE tickets"
    (cd "$PEER_DIR/project" && DH_DATA_DIR="$PEER_DIR/data" ../venv/bin/python seed.py --total "$SIZE" --batch 10000)
  fi

  # One key for the session made here and the server that checks it.
  export SECRET_KEY="bench-$(head -c 48 /dev/urandom | base64 | tr -dc a-zA-Z0-9)"
  "$PY" "$HERE/rapport_side.py" prepare "$OUTD"
  # shellcheck disable=SC1091
  source "$OUTD/env.sh"
  export RAPPORT_REFS_FILE="$OUTD/refs.txt"
  RAPPORT_ENV=production ALLOWED_HOSTS=127.0.0.1 RAPPORT_SSL_REDIRECT=false RAPPORT_THREADS="${RAPPORT_THREADS:-1}" \
    "$RAPPORT" serve --bind "127.0.0.1:$PORT" --workers "$WORKERS" > "$OUTD/serve.log" 2>&1 &
  SERVER=$!
  # The queue's counts are made by the job consumer (cases.counts); periodic jobs stay off the bench.
  RAPPORT_ENV=production ALLOWED_HOSTS=127.0.0.1 "$RAPPORT" worker --no-scheduler > "$OUTD/worker.log" 2>&1 &
  WORKER=$!
  trap 'kill $SERVER $WORKER 2>/dev/null || true' EXIT
  for _ in $(seq 1 60); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/login/" && break; sleep 0.5; done
  BASE="http://127.0.0.1:$PORT"
  COOKIE="Cookie: sessionid=$RAPPORT_SESSION"
  probe() {  # probe LABEL CURL-ARGS: one request first; a page that is not 200 would make the figures meaningless
    local label=$1 out; shift
    out=$(curl -s -o /dev/null -w "%{http_code} %{size_download}B %{time_total}s" "$@")
    echo "probe $label: $out"; [ "${out%% *}" = 200 ] || { echo "probe failed: $*" >&2; exit 1; }
  }
  # Wait until the worker has counted every tab and view once (the page says "Counts updated").
  for _ in $(seq 1 120); do
    curl -s -H "$COOKIE" "$BASE/?queue=all" | grep -q "Counts updated" && break; sleep 1
  done
  echo -e "label\tendpoint\tround\tcases\trps\tp50\tp99\tnon2xx\terrors" > "$OUTD/summary.tsv"
  WARMUP="${WARMUP:-0s}"
  for r in $(seq 1 "$ROUNDS"); do
    for ep in ${ENDPOINTS:-queue queue_views case api_create bulk}; do
      f="$OUTD/$ep.$r.txt"
      if [ "$WARMUP" != 0s ] && [ "$r" = 1 ]; then
        case $ep in
          queue) wrk -t2 -c"$CONC" -d"$WARMUP" -H "$COOKIE" "$BASE/?queue=all" > /dev/null ;;
          case)  wrk -t2 -c"$CONC" -d"$WARMUP" -H "$COOKIE" -s "$HERE/lua/case_page.lua" "$BASE" > /dev/null ;;
          presence) wrk -t2 -c"$CONC" -d"$WARMUP" -H "$COOKIE" -s "$HERE/lua/presence_poll.lua" "$BASE" > /dev/null ;;
        esac
      fi
      web0=$(cpu_ms "$SERVER"); work0=$(cpu_ms "$WORKER")
      case $ep in
        queue) probe queue -H "$COOKIE" "$BASE/?queue=all"
               wrk -t2 -c"$CONC" -d"$DUR" --timeout 120s --latency -H "$COOKIE" "$BASE/?queue=all" > "$f" ;;
        queue_views)
               VIEW=$(curl -s -H "$COOKIE" "$BASE/?queue=all" | grep -o 'href="/?view=[0-9]*"' | head -1 | grep -o '[0-9]*')
               probe queue_views -H "$COOKIE" "$BASE/?view=$VIEW"
               wrk -t2 -c"$CONC" -d"$DUR" --timeout 120s --latency -H "$COOKIE" "$BASE/?view=$VIEW" > "$f" ;;
        bulk)  "$PY" "$HERE/rapport_side.py" bulk_body "$OUTD/bulk.json"
               out=$(curl -s -o "$OUTD/bulk.$r.out" -w "%{http_code} %{time_total}" -H "Authorization: Bearer $RAPPORT_TOKEN" \
                 -H "Content-Type: application/json" --data-binary "@$OUTD/bulk.json" "$BASE/api/v1/cases/bulk")
               changed=$(grep -o '"changed": *[0-9]*' "$OUTD/bulk.$r.out" | grep -o '[0-9]*$')
               echo "bulk assign of 500 cases: HTTP ${out% *}, ${out#* } s, ${changed:-0} changed"
               # one request, so the table's "requests a second" is 1/time and p50 = p99 = its time
               echo -e "rapport-$SIZE\t$ep\t$r\t$RAPPORT_CASES\t$(awk -v t="${out#* }" 'BEGIN{printf "%.3f", 1/t}')\t${out#* }s\t${out#* }s\t$([ "${out% *}" = 200 ] && echo 0 || echo 1)\t-" \
                 | tee -a "$OUTD/summary.tsv"
               continue ;;
        case)  probe case -H "$COOKIE" "$BASE/cases/$(head -1 "$RAPPORT_REFS_FILE")/"
               wrk -t2 -c"$CONC" -d"$DUR" --timeout 120s --latency -H "$COOKIE" -s "$HERE/lua/case_page.lua" "$BASE" > "$f" ;;
        presence)
               probe presence -H "$COOKIE" "$BASE/cases/$(head -1 "$RAPPORT_REFS_FILE")/presence/?seen=0"
               wrk -t2 -c"$CONC" -d"$DUR" --timeout 120s --latency -H "$COOKIE" -s "$HERE/lua/presence_poll.lua" "$BASE" > "$f" ;;
        api_create)
               probe api_get -H "Authorization: Bearer $RAPPORT_TOKEN" "$BASE/api/v1/cases?limit=1"
               wrk -t2 -c"$CONC" -d"$DUR" --timeout 120s --latency -s "$HERE/lua/create_case.lua" "$BASE" > "$f"
               "$PY" "$HERE/rapport_side.py" cleanup ;;
      esac
      echo -e "rapport-$SIZE\t$ep\t$r\t$RAPPORT_CASES\t$(summ "$f")" | tee -a "$OUTD/summary.tsv"
      # CPU a request, web processes and worker apart: steadier than requests a second on a shared machine.
      n=$(awk '/requests in/{print $1}' "$f")
      echo "cpu $ep: web $(( ($(cpu_ms "$SERVER") - web0) * 1000 / (n ? n : 1) )) us/request," \
        "worker $(( ($(cpu_ms "$WORKER") - work0) * 1000 / (n ? n : 1) )) us/request ($n requests)" | tee -a "$OUTD/cpu.txt"
    done
  done
  kill "$SERVER" "$WORKER"; wait "$SERVER" "$WORKER" 2>/dev/null || true; trap - EXIT

  [ "${SKIP_PEER:-0}" = 1 ] && continue
  CONC="$CONC" DUR="$DUR" ROUNDS="$ROUNDS" WORKERS="$WORKERS" \
    "$PEER_HARNESS/load.sh" "$SIZE" datatables detail dashboard api_create
  "$PY" "$HERE/compare.py" "$OUTD/summary.tsv" "$PEER_DIR/results/$SIZE/summary.tsv" | tee "$OUTD/compare.md"
done
