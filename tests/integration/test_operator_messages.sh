#!/usr/bin/env bash
# Messages that say what to do next, and where csdump was connected
# (issue 13):
#  - a load that fails after chunks were committed, or is stopped by a
#    signal, says "run the same command again to resume", and that command
#    completes the load;
#  - --if-exists=replace over a finished run of the same dump is refused with
#    the exact --reset-progress command, which then reloads the tables; an
#    interrupted run started with --if-exists=replace resumes with the same
#    command;
#  - the manifest records the endpoint connected to (TCP host and port, or
#    the socket with the server's host name and TCP port), and csload's
#    replication statements name that host and port.
# flavors: mysql-9.7
. "$(dirname "$0")/lib.sh"
require_faults

start_server src
start_server dst
P=$(port src)
sql src "CREATE DATABASE IF NOT EXISTS bank"
make_big src 60000
"$CSDUMP" --defaults-file="$WORK/src/client.cnf" -h 127.0.0.1 -P "$P" -B bank -o "$WORK/d" \
    --chunk-rows 10000 -q
LOAD=("$CSLOAD" --defaults-file="$WORK/dst/client.cnf" -t 1)

note "the endpoint in the manifest: TCP"
assert_eq "$(manifest_get "$WORK/d" 'm["source"]["host"], m["source"]["port"], "socket" in m["source"]')" \
    "127.0.0.1 $P False" "the recorded TCP endpoint"
note "the endpoint in the manifest: a socket"
"$CSDUMP" --defaults-file="$WORK/src/client.cnf" -B bank -o "$WORK/ds" -q
HN=$(sql src "SELECT @@hostname")
assert_eq "$(manifest_get "$WORK/ds" 'm["source"]["socket"], m["source"]["host"], m["source"]["port"]')" \
    "$(sock src) $HN $P" "the recorded socket endpoint"

note "a load failing after some chunks: the same command resumes"
if CS_FAULT_POINTS='load.committed:fail@3' "${LOAD[@]}" "$WORK/d" 2>"$WORK/e1"; then
    fail "the load with a fault did not fail"
fi
grep -q 'fault injected.*run the same command again to resume' "$WORK/e1" ||
    fail "no resume hint: $(cat "$WORK/e1")"
"${LOAD[@]}" "$WORK/d" 2>"$WORK/e2" || fail "the rerun failed: $(cat "$WORK/e2")"
grep -q 'resuming:' "$WORK/e2" || fail "the rerun did not resume: $(cat "$WORK/e2")"
grep -q 'loaded by an earlier run: skipped' "$WORK/e2" || fail "nothing skipped: $(cat "$WORK/e2")"
assert_eq "$(sql dst 'SELECT COUNT(*) FROM bank.big')" 60000 "rows after the resumed load"

note "MASTER_PORT / SOURCE_PORT: the recorded endpoint"
grep -Eq "(MASTER|SOURCE)_HOST='127.0.0.1', (MASTER|SOURCE)_PORT=$P," "$WORK/e2" ||
    fail "the replication statement does not name 127.0.0.1:$P: $(grep -E 'CHANGE' "$WORK/e2")"

note "--if-exists=replace over the finished run: refused with the exact command"
sql dst "DELETE FROM bank.big WHERE id <= 10"
if "${LOAD[@]}" --if-exists replace "$WORK/d" 2>"$WORK/e3"; then
    fail "--if-exists=replace over a finished run was not refused"
fi
cmd=$(sed -n 's/.*To drop and load everything again, run: \(.*\)  (without.*/\1/p' "$WORK/e3")
assert_eq "$cmd" "$CSLOAD --defaults-file=$WORK/dst/client.cnf --reset-progress -t 1 --if-exists replace $WORK/d" \
    "the command in the refusal"
eval "$cmd" 2>"$WORK/e4" || fail "the --reset-progress command failed: $(cat "$WORK/e4")"
assert_eq "$(sql dst 'SELECT COUNT(*) FROM bank.big')" 60000 "rows after the replace"

note "a signal: interrupted, the same command resumes"
sql dst "DROP DATABASE bank; DROP DATABASE __csload"
CS_FAULT_POINTS='load.committed:pause@2' "${LOAD[@]}" --if-exists replace "$WORK/d" 2>"$WORK/e5" &
pid=$!
bg_track "$pid"
fault_wait load.committed >/dev/null || fail "csload did not reach load.committed"
kill -TERM "$pid"
fault_release load.committed
if wait "$pid"; then fail "the interrupted load exited 0"; fi
grep -q 'interrupted.*run the same command again to resume' "$WORK/e5" ||
    fail "no resume hint after a signal: $(cat "$WORK/e5")"
"${LOAD[@]}" --if-exists replace "$WORK/d" 2>"$WORK/e6" ||
    fail "the same command (--if-exists=replace) did not resume: $(cat "$WORK/e6")"
grep -q 'resuming:' "$WORK/e6" || fail "not resumed: $(cat "$WORK/e6")"
assert_eq "$(sql dst 'SELECT COUNT(*) FROM bank.big')" 60000 "rows after the resumed replace"
echo ok
