#!/usr/bin/env bash
# issue 12, test 2: MariaDB sequences are dumped with their definition and
# their state at the snapshot, created before the tables (a column default
# calls NEXTVAL on one) and SETVAL'd, so that NEXTVAL on the target returns
# the value after the source's at the snapshot.  A rerun does not set them
# back; --if-exists names one the target already has.
# flavors: mariadb-11.8
. "$(dirname "$0")/lib.sh"

start_server src
sql src "CREATE DATABASE sq;
         CREATE SEQUENCE sq.ids START WITH 100 INCREMENT BY 5 NOCACHE;
         CREATE SEQUENCE sq.cached CACHE 50;
         CREATE TABLE sq.orders (id BIGINT PRIMARY KEY DEFAULT NEXTVAL(sq.ids), v INT);
         INSERT INTO sq.orders (v) VALUES (1), (2), (3);
         DO NEXTVAL(sq.cached); DO NEXTVAL(sq.cached);"
assert_eq "$(sql src "SELECT GROUP_CONCAT(id ORDER BY id) FROM sq.orders")" "100,105,110" "source ids"
cached_next=$(sql src "SELECT next_not_cached_value FROM sq.cached")
dump_of src "$WORK/d" -B sq 2> "$WORK/dump.log"
grep -q "dumped: 1 table(s), 0 view(s), 0 routine(s), 0 trigger(s), 0 event(s), 2 sequence(s)" \
    "$WORK/dump.log" || fail "summary: $(cat "$WORK/dump.log")"
! grep -q "not dumped" "$WORK/dump.log" || fail "something was skipped: $(cat "$WORK/dump.log")"
assert_eq "$(manifest_get "$WORK/d" "[o['next_value'] for o in m['objects'] if o['name'] == 'ids'][0]")" 115 \
    "recorded next value"
# the source goes on after the snapshot: not part of the dump
sql src "INSERT INTO sq.orders (v) VALUES (4)"

start_server tgt
load_into tgt "$WORK/d" 2> "$WORK/load.log" || { cat "$WORK/load.log" >&2; fail "the load failed"; }
assert_eq "$(sql tgt "SELECT GROUP_CONCAT(id ORDER BY id) FROM sq.orders")" "100,105,110" "target ids"
# a rerun finds the sequences done and does not set them again
load_into tgt "$WORK/d" 2> "$WORK/again.log" || { cat "$WORK/again.log" >&2; fail "the rerun failed"; }
grep -q "resuming" "$WORK/again.log" || fail "the rerun did not resume"
sql tgt "SHOW CREATE TABLE sq.orders" | grep -q 'nextval(`sq`.`ids`)' || fail "the default lost its sequence"
assert_eq "$(sql tgt "SELECT TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'sq' AND TABLE_NAME = 'ids'")" \
    SEQUENCE "sq.ids on the target"
# NEXTVAL goes on where the source was at the snapshot: through the default...
sql tgt "INSERT INTO sq.orders (v) VALUES (4)"
assert_eq "$(sql tgt "SELECT MAX(id) FROM sq.orders")" 115 "the next id on the target"
# ...and a cached sequence from its next value not handed out (as the source
# itself would after a restart): never one it gave already
assert_eq "$(sql tgt "SELECT NEXTVAL(sq.cached)")" "$cached_next" "NEXTVAL of the cached sequence"
sql tgt "SHOW CREATE SEQUENCE sq.ids" | grep -q "increment by 5 nocache" || fail "definition of sq.ids"

assert_eq "$(sql tgt "SELECT NEXTVAL(sq.ids)")" 120 "NEXTVAL after the default took 115"

note "--if-exists names a sequence the target has"
start_server tgt2
sql tgt2 "CREATE DATABASE sq; CREATE SEQUENCE sq.ids"
expect_exit 1 "sequence sq.ids already exists on the target" load_into tgt2 "$WORK/d"
assert_eq "$(sql tgt2 "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'sq'")" 1 \
    "tables created although the load was refused"
echo ok
