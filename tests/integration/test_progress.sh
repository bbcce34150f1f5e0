#!/usr/bin/env bash
# What an operator watches (issue 13, tests 3 and 4):
#  - --progress json of a dump and of a load, parsed: every phase appears in
#    order, the chunk events add up to the manifest's rows, the last event is
#    the summary with the exit status (0, and 1 with the error for a refused
#    load); --progress json on stderr leaves nothing else there;
#  - --log-file is written, timestamped, under -q (which keeps stderr quiet);
#  - on a terminal (tmux): the progress line of a dump and of a load is one
#    line with the phase, a percentage and an ETA; csdump --archive - |
#    csload --archive - on one terminal draws one progress line (csload's),
#    never two interleaved.
# flavors: mysql-9.7
. "$(dirname "$0")/lib.sh"
require_faults
command -v tmux >/dev/null || fail "tmux is needed (scripts/install-deps.sh installs it)"

TMUX_SOCK=$WORK/tmux.sock
# (errexit holds inside a trap: a failing kill-server -- no tmux server yet --
# must not skip the servers' cleanup)
trap 'rc=$?; tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true; cs_cleanup "$rc"' EXIT

start_server src
start_server dst
sql src "CREATE DATABASE IF NOT EXISTS bank"
make_big src 150000
sql src "ALTER TABLE bank.big ADD KEY k_pad (pad);
         CREATE TABLE bank.child (id INT PRIMARY KEY, big_id INT, FOREIGN KEY (big_id) REFERENCES bank.big (id));
         INSERT INTO bank.child SELECT id, id FROM bank.big WHERE id <= 1000;
         CREATE VIEW bank.v AS SELECT COUNT(*) AS n FROM bank.child"

# events FILE CHECK: python over the JSON events of FILE (ev = the list, m = $MANIFEST)
events() {
    python3 - "$1" "${MANIFEST:-}" "$2" <<'EOF'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
m = json.load(open(sys.argv[2])) if sys.argv[2] else None
assert all(e["v"] == 1 and "tool" in e and "time" in e and "event" in e for e in ev), "common fields"
phases = [e["phase"] for e in ev if e["event"] == "phase_start"]
ends = [e["phase"] for e in ev if e["event"] == "phase_end"]
chunk_rows = sum(e["rows"] for e in ev if e["event"] == "chunk")
tables = {(e["schema"], e["table"]) for e in ev if e["event"] == "table"}
last = ev[-1]
exec(sys.argv[3])
EOF
}

note "dump: --progress json=FILE, --log-file under -q"
"$CSDUMP" --defaults-file="$WORK/src/client.cnf" -B bank -o "$WORK/d1" -t 2 --chunk-rows 20000 \
    -q --progress json="$WORK/d1.json" --log-file "$WORK/d1.log" 2>"$WORK/d1.err"
[ ! -s "$WORK/d1.err" ] || fail "csdump -q printed: $(cat "$WORK/d1.err")"
MANIFEST=$WORK/d1/manifest.json
events "$WORK/d1.json" '
rows = 0
def walk(o):
    global rows
    if isinstance(o, dict):
        if "chunks" in o and isinstance(o["chunks"], list):
            rows += sum(c["rows"] for c in o["chunks"])
        for v in o.values(): walk(v)
    elif isinstance(o, list):
        for v in o: walk(v)
walk(m)
assert phases == ["plan", "objects", "snapshot", "data", "manifest"], phases
assert ends == phases, ends
assert rows == 151000 and chunk_rows == rows, (chunk_rows, rows)
assert tables == {("bank", "big"), ("bank", "child")}, tables
assert last["event"] == "summary" and last["exit_status"] == 0 and last["error"] is None, last
assert last["rows"] == rows, last
' || fail "csdump's progress events"
grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z csdump: phase data$' "$WORK/d1.log" ||
    fail "the log file lacks the timestamped phase lines: $(head -5 "$WORK/d1.log")"
grep -q 'csdump: data: bank.big done: 150000 rows' "$WORK/d1.log" || fail "the log file lacks the per-table lines"
grep -q 'csdump: dump complete' "$WORK/d1.log" || fail "the log file lacks the summary"

note "load: --progress json=FD"
"$CSLOAD" --defaults-file="$WORK/dst/client.cnf" -t 2 "$WORK/d1" -q --progress json=3 \
    3>"$WORK/l1.json" 2>"$WORK/l1.err"
events "$WORK/l1.json" '
rows = 151000
assert phases == ["check", "tables", "data", "indexes", "verify", "foreign-keys", "objects", "replication"], phases
assert ends == phases, ends
assert chunk_rows == rows, chunk_rows
assert tables == {("bank", "big"), ("bank", "child")}, tables
assert last["event"] == "summary" and last["exit_status"] == 0 and last["rows"] == rows, last
' || fail "csload's progress events"

note "a refused load: the summary carries exit status 1 and the error"
if "$CSLOAD" --defaults-file="$WORK/dst/client.cnf" "$WORK/d1" --if-exists replace \
    --progress json="$WORK/l2.json" 2>"$WORK/l2.err"; then
    fail "--if-exists=replace over a finished run of the same dump was not refused"
fi
events "$WORK/l2.json" '
assert last["event"] == "summary" and last["exit_status"] == 1, last
assert "--reset-progress" in last["error"], last
' || fail "the failed load's summary"

note "--progress json on stderr: nothing but JSON there"
"$CSDUMP" --defaults-file="$WORK/src/client.cnf" -B bank -o "$WORK/d2" --progress json 2>"$WORK/d2.json"
events "$WORK/d2.json" '
assert phases[-1] == "manifest" and last["exit_status"] == 0
assert any(e["event"] == "log" and e["message"].startswith("dump complete") for e in ev)
' || fail "--progress json on stderr"

# ---- on a terminal ----

# pane: what the terminal shows now
pane() { tmux -S "$TMUX_SOCK" capture-pane -p -t "cs$TMUX_RUN"; }
# in_pane ERE: the terminal shows a line matching ERE
in_pane() { pane | grep -Eq "$1"; }
# run_tty RCFILE COMMAND: COMMAND in a 200-column terminal; its status into RCFILE
# (a new session each time, the earlier ones left running: killing the last
# session makes the tmux server exit, racing the next new-session)
TMUX_RUN=0
run_tty() {
    TMUX_RUN=$((TMUX_RUN + 1))
    tmux -S "$TMUX_SOCK" new-session -d -s "cs$TMUX_RUN" -x 200 -y 40 \
        "cd '$WORK' && export CS_FAULT_DIR='$CS_FAULT_DIR'; set -o pipefail; $2; echo \$? >'$1'; exec sleep 600"
}
rc_of() { wait_for test -s "$1" || fail "$1: the command did not finish"; cat "$1"; }
# one_line WHO PHASE: exactly one progress line of WHO, with PHASE, a percent and an ETA
one_line() {
    local n
    n=$(pane | grep -Ec "^$1: $2 +[0-9]+% \|.*\| ETA [0-9]+[smh]") || true
    [ "$n" = 1 ] || fail "$1's progress line on the terminal: $(pane | cat -A)"
    ! pane | grep -Eq ".+(csdump|csload): " || fail "interleaved lines: $(pane | cat -A)"
}

note "terminal: the dump's progress line"
CS_WAIT_TRIES=300
fault_reset
run_tty "$WORK/t1.rc" "CS_FAULT_POINTS='dump.rows=bank.big:pause@15' '$CSDUMP' --defaults-file='$WORK/src/client.cnf' -B bank -o d3 -t 1 --chunk-rows 20000"
fault_wait dump.rows >/dev/null || fail "csdump did not reach dump.rows"
wait_for in_pane '^csdump: data .*ETA' || fail "no ETA on csdump's line: $(pane)"
one_line csdump data
fault_release dump.rows
assert_eq "$(rc_of "$WORK/t1.rc")" 0 "csdump on a terminal"

note "terminal: the load's progress line"
fault_reset
sql dst "DROP DATABASE bank; DROP DATABASE __csload"
run_tty "$WORK/t2.rc" "CS_FAULT_POINTS='load.committed:pause@4' '$CSLOAD' --defaults-file='$WORK/dst/client.cnf' -t 1 d3"
fault_wait load.committed >/dev/null || fail "csload did not reach load.committed"
wait_for in_pane '^csload: data .*ETA' || fail "no ETA on csload's line: $(pane)"
one_line csload data
fault_release load.committed
assert_eq "$(rc_of "$WORK/t2.rc")" 0 "csload on a terminal"

note "terminal: csdump --archive - | csload --archive -"
fault_reset
sql dst "DROP DATABASE bank; DROP DATABASE __csload"
run_tty "$WORK/t3.rc" "'$CSDUMP' --defaults-file='$WORK/src/client.cnf' -B bank --archive - -t 1 --chunk-rows 20000 | CS_FAULT_POINTS='load.committed:pause@4' '$CSLOAD' --defaults-file='$WORK/dst/client.cnf' -t 1 --archive -"
fault_wait load.committed >/dev/null || fail "csload did not reach load.committed"
wait_for in_pane '^csload: data +[0-9]+% [|] .* rows' || fail "no progress line of csload with a percentage: $(pane)"
! pane | grep -Eq '^csdump: [a-z-]+ .*[|] ' || fail "csdump drew a progress line too: $(pane | cat -A)"
[ "$(pane | grep -Ec '^csload: [a-z-]+ .*[|] ')" = 1 ] || fail "not one progress line: $(pane | cat -A)"
! pane | grep -Eq ".+(csdump|csload): " || fail "interleaved lines: $(pane | cat -A)"
pane | grep -q '^csdump: phase data$' || fail "csdump did not log its phases: $(pane)"
fault_release load.committed
assert_eq "$(rc_of "$WORK/t3.rc")" 0 "the pipeline on a terminal"
pane | grep -q '^csload: load complete' || fail "the pipeline's load did not finish: $(pane)"
echo ok
