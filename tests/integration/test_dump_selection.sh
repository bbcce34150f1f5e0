#!/usr/bin/env bash
# issue 12, test 4: nothing left out in silence.  Every selection option
# that matches nothing (--databases, --tables, --exclude, --regex, account
# patterns) and --tables without a schema fail with exit 2 naming the
# option; --tables/--exclude take db.*, db.t%; a dump user without the
# TRIGGER and EVENT privileges gets an error naming the objects and the
# GRANT that fixes it (exit 1), unless those classes are left out or
# --allow-missing is given (then the manifest lists what is missing); the
# summary counts every kind of object.
# flavors: mysql-9.7
. "$(dirname "$0")/lib.sh"

start_server src
sql src "CREATE DATABASE shop; CREATE DATABASE crm;
         CREATE TABLE shop.orders (id INT PRIMARY KEY, amount INT);
         CREATE TABLE shop.t1 (id INT PRIMARY KEY); CREATE TABLE shop.t2 (id INT PRIMARY KEY);
         CREATE TABLE crm.people (id INT PRIMARY KEY);
         INSERT INTO shop.orders VALUES (1, 10), (2, 20);
         CREATE VIEW shop.v AS SELECT id FROM shop.orders;
         CREATE TRIGGER shop.trg BEFORE INSERT ON shop.orders FOR EACH ROW SET NEW.amount = NEW.amount + 1;
         CREATE EVENT shop.ev ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM shop.t1;
         CREATE FUNCTION shop.f(x INT) RETURNS INT DETERMINISTIC RETURN x + 1;"

n=0
# expect_usage PATTERN csdump-options...: exit 2, the message, no manifest
expect_usage() {
    local pattern=$1
    shift
    n=$((n + 1))
    expect_exit 2 "$pattern" dump_of src "$WORK/bad$n" -q "$@"
    assert_file_absent "$WORK/bad$n/manifest.json"
}

note "selections that match nothing"
expect_usage "--tables=shop.nosuch: no table, view or sequence of the source matches it" --tables shop.nosuch
expect_usage "--tables=sbtest1: name the schema too" --tables sbtest1
expect_usage "--exclude=shop.sbtest\\*: no schema, table, view or sequence of the source matches it" \
    --exclude 'shop.sbtest*'
expect_usage "--exclude=nosuch: no schema" --exclude nosuch
expect_usage "--databases: schema 'nosuch' does not exist" --databases nosuch
expect_usage "--regex=\\^nomatch: no table, view or sequence of the selection matches it" --regex '^nomatch'
expect_usage "--include-users=nosuch@%: no account of the source matches it" --include-users 'nosuch@%'
expect_usage "--exclude-users=nosuch@%: no account of the source matches it" --users --exclude-users 'nosuch@%'
# several at once: each named, then counted
expect_usage "2 selection options match nothing" --tables shop.nosuch --exclude crm.nosuch
echo "$CS_OUT" | grep -q -- "--tables=shop.nosuch" || fail "the first of two not named: $CS_OUT"
echo "$CS_OUT" | grep -q -- "--exclude=crm.nosuch" || fail "the second of two not named: $CS_OUT"

note "wildcards in --tables and --exclude"
tables_of() { manifest_get "$1" "' '.join(sorted(t['schema'] + '.' + t['name'] for t in m['tables']))"; }
dump_of src "$WORK/w1" -q --tables 'shop.*'
assert_eq "$(tables_of "$WORK/w1")" "shop.orders shop.t1 shop.t2" "--tables shop.*"
dump_of src "$WORK/w2" -q --databases shop --exclude 'shop.t%'
assert_eq "$(tables_of "$WORK/w2")" "shop.orders" "--exclude shop.t%"
dump_of src "$WORK/w3" -q --exclude 'shop.*,crm' --no-users
assert_eq "$(tables_of "$WORK/w3")" "" "--exclude shop.*,crm"
views=$(manifest_get "$WORK/w3" "len([o for o in m['objects'] if o['kind'] == 'view'])")
assert_eq "$views" 0 "views left by --exclude shop.*"
dump_of src "$WORK/w4" -q --tables 'shop.o%,crm.people'
assert_eq "$(tables_of "$WORK/w4")" "crm.people shop.orders" "--tables shop.o%,crm.people"

note "a dump user without TRIGGER and EVENT"
if [ "$KIND" = mysql ]; then coords="REPLICATION CLIENT, BACKUP_ADMIN"; else coords="BINLOG MONITOR"; fi
sql src "CREATE USER lim@localhost; GRANT SELECT, RELOAD, LOCK TABLES, SHOW VIEW, PROCESS, $coords ON *.* TO lim@localhost"
lim() { "$CSDUMP" --no-defaults -S "$(sock src)" -u lim -q "$@"; }
expect_exit 1 "cannot see the triggers of table\\(s\\) shop.orders, shop.t1, shop.t2: GRANT TRIGGER ON \`shop\`.\\* TO \`lim\`@\`localhost\`" \
    lim -o "$WORK/lim1" -B shop
echo "$CS_OUT" | grep -q "cannot see the events of schema shop: GRANT EVENT ON \`shop\`.\\* TO \`lim\`@\`localhost\`, or leave them out with --no-events" ||
    fail "the missing EVENT privilege is not named: $CS_OUT"
echo "$CS_OUT" | grep -q "2 kinds of objects cannot be dumped" || fail "no summary: $CS_OUT"
assert_file_absent "$WORK/lim1/manifest.json"
# one class missing: its own message is the error
expect_exit 1 "^csdump: error: cannot see the events of schema shop" lim -o "$WORK/lim2" -B shop --no-triggers
# both classes left out: fine
lim -o "$WORK/lim3" -B shop --no-triggers --no-events
# --allow-missing: dumped, the gaps in the manifest
lim -o "$WORK/lim4" -B shop --allow-missing 2> "$WORK/lim4.log"
missing=$(manifest_get "$WORK/lim4" "' | '.join(m['not_dumped'])")
echo "$missing" | grep -q "triggers of shop.orders (no TRIGGER privilege)" || fail "not_dumped: $missing"
echo "$missing" | grep -q "events of shop (no EVENT privilege)" || fail "not_dumped: $missing"
assert_eq "$(manifest_get "$WORK/lim4" "len(m['tables'])")" 3 "tables dumped with --allow-missing"
# root sees them all
dump_of src "$WORK/all" -B shop 2> "$WORK/all.log"
grep -q "dumped: 3 table(s), 1 view(s), 1 routine(s), 1 trigger(s), 1 event(s), 0 sequence(s), 0 account(s) (not asked for: --users)" \
    "$WORK/all.log" || fail "summary per kind: $(cat "$WORK/all.log")"
echo ok
