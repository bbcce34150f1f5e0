#!/usr/bin/env bash
# issue 12, test 3: a view and a routine whose definer does not exist on the
# target are refused before any data is loaded (each named); with
# --definers strip they load as the loading user (SQL SECURITY kept) and
# work; with --definers replace=USER@HOST as that account (which must
# exist); kept as they are when the target has the account; and a loading
# user without the privilege to create objects for others is refused too.
# flavors: mysql-9.7
. "$(dirname "$0")/lib.sh"

start_server src
sql src "CREATE DATABASE dv; CREATE TABLE dv.t (id INT PRIMARY KEY, v INT);
         INSERT INTO dv.t VALUES (1, 10), (2, 20);
         CREATE USER ghost@'%'; GRANT ALL ON dv.* TO ghost@'%';
         CREATE DEFINER = ghost@'%' SQL SECURITY DEFINER VIEW dv.v AS SELECT id, v FROM dv.t;
         CREATE DEFINER = ghost@'%' PROCEDURE dv.p(OUT n INT) SQL SECURITY DEFINER
           SELECT COUNT(*) INTO n FROM dv.t;"
dump_of src "$WORK/d" -B dv -q

# works NAME: the view and the procedure answer
works() {
    assert_eq "$(sql "$1" "SELECT SUM(v) FROM dv.v")" 30 "$1: the view"
    assert_eq "$(sql "$1" "CALL dv.p(@n); SELECT @n" | tail -1)" 2 "$1: the procedure"
}
# definers NAME: "view-definer view-security routine-definer routine-security"
definers() {
    echo "$(sql "$1" "SELECT DEFINER, SECURITY_TYPE FROM information_schema.VIEWS WHERE TABLE_SCHEMA = 'dv'")" \
        "$(sql "$1" "SELECT DEFINER, SECURITY_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'dv'")" |
        tr '\t' ' '
}

note "refused before any data"
start_server t1
expect_exit 1 "view dv.v: its definer ghost@% does not exist on the target" load_into t1 "$WORK/d"
echo "$CS_OUT" | grep -q "procedure dv.p: its definer ghost@% does not exist on the target" ||
    fail "the procedure is not named: $CS_OUT"
echo "$CS_OUT" | grep -q "2 object(s) cannot be created with their definer.*--definers=strip" ||
    fail "no summary naming the way out: $CS_OUT"
assert_eq "$(sql t1 "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'dv'")" 0 \
    "a schema was created before the refusal"

note "--definers strip: the loading user, SQL SECURITY kept"
load_into t1 "$WORK/d" --definers strip -q
works t1
assert_eq "$(definers t1)" "root@localhost DEFINER root@localhost DEFINER" "definers after strip"
same_data src t1 dv

note "--definers replace=USER@HOST"
start_server t2
sql t2 "CREATE USER owner@'%'; GRANT ALL ON dv.* TO owner@'%'"
expect_exit 1 "--definers=replace=nobody@%: that account does not exist on the target" \
    load_into t2 "$WORK/d" --definers 'replace=nobody@%'
assert_eq "$(sql t2 "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'dv'")" 0 \
    "a schema was created before the refusal"
load_into t2 "$WORK/d" --definers 'replace=owner@%' -q
works t2
assert_eq "$(definers t2)" "owner@% DEFINER owner@% DEFINER" "definers after replace"

note "kept when the target has the definer"
start_server t3
sql t3 "CREATE USER ghost@'%'; GRANT ALL ON dv.* TO ghost@'%'"
load_into t3 "$WORK/d" -q
works t3
assert_eq "$(definers t3)" "ghost@% DEFINER ghost@% DEFINER" "definers kept"

note "a loading user who may not create objects for another definer"
start_server t4
sql t4 "CREATE USER ghost@'%'; CREATE USER loader@localhost;
        GRANT ALL ON dv.* TO loader@localhost; GRANT ALL ON __csload.* TO loader@localhost;
        GRANT SELECT ON mysql.user TO loader@localhost"
expect_exit 1 "view dv.v: its definer ghost@% is not the loading user, who lacks the privilege" \
    "$CSLOAD" --no-defaults -S "$(sock t4)" -u loader --keep-binlog "$WORK/d"
assert_eq "$(sql t4 "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'dv'")" 0 \
    "a schema was created before the refusal"
echo ok
