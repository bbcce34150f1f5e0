#!/usr/bin/env bash
# issue 12, test 1: accounts round trip between two throwaway servers.
# Users with passwords (the hash moves, the user logs in on the target with
# the same password), a host pattern, a role granted and made the default,
# global, schema, table, column and routine grants, WITH GRANT OPTION,
# resource limits, locked and expired accounts: SHOW CREATE USER and SHOW
# GRANTS equal on both sides.  System accounts are neither dumped nor
# touched; --exclude-users is honoured; a rerun does nothing twice; an
# account the target has follows --if-exists; a grant the target cannot
# take (a grant on a table that is not there; on MariaDB 10.11 also a
# privilege of MariaDB 11.8 that 10.11 lacks) stops the load before any
# account is created, or with --skip-invalid-grants is named and left out.
# flavors: mysql-9.7
. "$(dirname "$0")/lib.sh"

if [ "$KIND" = mysql ]; then DEFAULT_ROLE="SET DEFAULT ROLE reader TO app@'%'"; else
    DEFAULT_ROLE="SET DEFAULT ROLE reader FOR app@'%'"; fi
ACCOUNTS=("app@%" "rep@10.0.%" "locked@%" "expired@%" "gone@%")

start_server src
sql src "CREATE DATABASE shop; CREATE DATABASE other;
  CREATE TABLE shop.orders (id INT PRIMARY KEY, amount INT, note VARCHAR(20));
  CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20), price INT);
  CREATE TABLE other.t (id INT PRIMARY KEY);
  INSERT INTO shop.orders VALUES (1, 10, 'a'), (2, 20, 'b'); INSERT INTO shop.items VALUES (1, 'x', 5);
  CREATE PROCEDURE shop.p() SELECT 1;
  CREATE FUNCTION shop.f(x INT) RETURNS INT DETERMINISTIC RETURN x + 1;
  CREATE ROLE reader; GRANT SELECT ON shop.* TO reader;
  CREATE USER app@'%' IDENTIFIED BY 'app-pw' WITH MAX_QUERIES_PER_HOUR 100 MAX_USER_CONNECTIONS 5;
  GRANT reader TO app@'%'; $DEFAULT_ROLE;
  GRANT PROCESS ON *.* TO app@'%';
  GRANT INSERT, UPDATE ON shop.* TO app@'%' WITH GRANT OPTION;
  GRANT DELETE ON shop.orders TO app@'%';
  GRANT EXECUTE ON PROCEDURE shop.p TO app@'%';
  CREATE USER rep@'10.0.%' IDENTIFIED BY 'rep-pw';
  GRANT SELECT (id, name), UPDATE (price) ON shop.items TO rep@'10.0.%';
  GRANT EXECUTE ON FUNCTION shop.f TO rep@'10.0.%';
  CREATE USER locked@'%' IDENTIFIED BY 'locked-pw' ACCOUNT LOCK;
  CREATE USER expired@'%' IDENTIFIED BY 'exp-pw' PASSWORD EXPIRE;
  CREATE USER skipped@'%';
  CREATE USER gone@'%'; GRANT SELECT ON other.t TO gone@'%'; GRANT SELECT ON shop.items TO gone@'%'"

# account_state NAME: SHOW CREATE USER and SHOW GRANTS of every test account
account_state() {
    local a
    for a in "${ACCOUNTS[@]}" reader; do
        case "$a" in
        *@*) a="'${a%@*}'@'${a#*@}'" ;;
        *) [ "$KIND" = mysql ] && a="'$a'@'%'" ;;
        esac
        echo "== $a"
        [ "$KIND" = mysql ] || [ "$a" != reader ] && sql "$1" "SHOW CREATE USER $a"
        sql "$1" "SHOW GRANTS FOR $a" | sort
    done
}
# system NAME: the server's own accounts and what they can do
system_state() {
    sql "$1" "SELECT User, Host FROM mysql.user WHERE User IN ('root', 'mariadb.sys', 'PUBLIC')
              OR User LIKE 'mysql.%' ORDER BY 1, 2"
    sql "$1" "SHOW GRANTS FOR root@localhost" | sort
}
# login NAME USER PASSWORD SQL: the account's answer over the target's socket
login() {
    mariadb --no-defaults -S "$(sock "$1")" -u "$2" -p"$3" -N -B -e "$4"
}

note "dump: every account but the excluded and the system ones"
dump_of src "$WORK/d1" --exclude-users 'root@%,skipped@%' 2> "$WORK/dump.log" ||
    { cat "$WORK/dump.log" >&2; fail "the dump failed"; }
names=$(manifest_get "$WORK/d1" "' '.join(sorted(a['user'] + '@' + a['host'] for a in m['accounts']))")
if [ "$KIND" = mysql ]; then want="app@% expired@% gone@% locked@% reader@% rep@10.0.%"; else
    want="app@% expired@% gone@% locked@% reader@ rep@10.0.%"; fi
assert_eq "$names" "$want" "accounts in the manifest"
grep -q "dumped: .* 6 account(s)" "$WORK/dump.log" || fail "summary: $(cat "$WORK/dump.log")"
# the hash travels, never the password
! grep -rq "app-pw" "$WORK/d1" || fail "a password is in the dump"
"$CSLOAD" --check "$WORK/d1" || fail "--check of a dump with accounts"

note "load with --load-users"
start_server tgt
system_state tgt > "$WORK/system-before"
load_into tgt "$WORK/d1" --load-users 2> "$WORK/load.log" || { cat "$WORK/load.log" >&2; fail "the load failed"; }
grep -q "accounts: 6 created" "$WORK/load.log" || fail "accounts summary: $(cat "$WORK/load.log")"
account_state src > "$WORK/acc-src"
account_state tgt > "$WORK/acc-tgt"
diff "$WORK/acc-src" "$WORK/acc-tgt" >&2 || fail "the accounts differ between source and target"
system_state tgt > "$WORK/system-after"
diff "$WORK/system-before" "$WORK/system-after" >&2 || fail "the target's system accounts changed"
assert_eq "$(sql tgt "SELECT COUNT(*) FROM mysql.user WHERE User = 'skipped'")" 0 "--exclude-users skipped@%"
grep -q "MAX_QUERIES_PER_HOUR 100" "$WORK/acc-tgt" || fail "resource limit lost"
grep -q "MAX_USER_CONNECTIONS 5" "$WORK/acc-tgt" || fail "resource limit lost"
grep -q "ACCOUNT LOCK" "$WORK/acc-tgt" || fail "the lock is lost"
grep -A1 "== 'expired'" "$WORK/acc-tgt" | grep -q "PASSWORD EXPIRE" || fail "the expiry is lost"
grep -q "SELECT (\`id\`, \`name\`), UPDATE (\`price\`) ON \`shop\`.\`items\`" "$WORK/acc-tgt" ||
    grep -q "UPDATE (\`price\`)" "$WORK/acc-tgt" || fail "column grants lost"
grep -q "WITH GRANT OPTION" "$WORK/acc-tgt" || fail "WITH GRANT OPTION lost"

note "the same password logs in on the target, through the default role"
if [ "$KIND" = mysql ]; then role='`reader`@`%`'; else role=reader; fi
assert_eq "$(login tgt app app-pw "SELECT CURRENT_USER(), CURRENT_ROLE()")" "app@%	$role" "app logs in"
assert_eq "$(login tgt app app-pw "SELECT COUNT(*) FROM shop.orders")" 2 "app reads through its role"
assert_eq "$(login tgt app app-pw "CALL shop.p()")" 1 "app runs its procedure"
expect_exit 1 "Access denied" login tgt app wrong-pw "SELECT 1"
expect_exit 1 "[Ll]ocked" login tgt locked locked-pw "SELECT 1"
expect_exit 1 "(expired|SET PASSWORD|ALTER USER)" login tgt expired exp-pw "SELECT 1"

note "a rerun does nothing twice"
load_into tgt "$WORK/d1" --load-users 2> "$WORK/again.log" || { cat "$WORK/again.log" >&2; fail "the rerun failed"; }
account_state tgt > "$WORK/acc-again"
diff "$WORK/acc-src" "$WORK/acc-again" >&2 || fail "the accounts changed on the rerun"

note "an account the target has: --if-exists"
start_server tgt3
sql tgt3 "CREATE USER app@'%' IDENTIFIED BY 'other-pw'"
expect_exit 1 "account \`app\`@\`%\` already exists on the target" load_into tgt3 "$WORK/d1" --load-users
assert_eq "$(sql tgt3 "SELECT COUNT(*) FROM mysql.user WHERE User IN ('rep', 'gone', 'locked')")" 0 \
    "accounts created although the load was refused"
load_into tgt3 "$WORK/d1" --load-users --if-exists skip -q 2> "$WORK/skip.log"
assert_eq "$(login tgt3 app other-pw "SELECT 1")" 1 "--if-exists=skip left app as it was"
assert_eq "$(sql tgt3 "SELECT COUNT(*) FROM mysql.user WHERE User IN ('rep', 'gone', 'locked')")" 3 \
    "the other accounts"

note "a grant the target cannot take"
dump_of src "$WORK/d2" -q -B shop --users --exclude-users 'root@%,skipped@%'
start_server tgt2
system_state tgt2 > "$WORK/system2-before"
expect_exit 1 "account \`gone\`@\`%\`: table other.t is neither in the dump nor on the target" \
    load_into tgt2 "$WORK/d2" --load-users
echo "$CS_OUT" | grep -q "1 grant(s) of the dump's accounts cannot be given on the target" ||
    fail "no summary: $CS_OUT"
echo "$CS_OUT" | grep -q -- "--skip-invalid-grants" || fail "the way out is not named: $CS_OUT"
assert_eq "$(sql tgt2 "SELECT COUNT(*) FROM mysql.user WHERE User IN ('app', 'gone', 'reader')")" 0 \
    "an account was created before the refusal"
assert_eq "$(sql tgt2 "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop'")" 0 \
    "a schema was created before the refusal"
load_into tgt2 "$WORK/d2" --load-users --skip-invalid-grants 2> "$WORK/skip2.log" ||
    { cat "$WORK/skip2.log" >&2; fail "the load with --skip-invalid-grants failed"; }
grep -q "account \`gone\`@\`%\`: table other.t is neither in the dump nor on the target: GRANT SELECT ON \`other\`.\`t\`.*left out (--skip-invalid-grants)" \
    "$WORK/skip2.log" || fail "the skipped grant is not named: $(cat "$WORK/skip2.log")"
grants=$(sql tgt2 "SHOW GRANTS FOR gone@'%'")
echo "$grants" | grep -q "ON \`shop\`.\`items\`" || fail "gone lost its valid grant: $grants"
echo "$grants" | grep -q "other" && fail "gone got the impossible grant: $grants"
system_state tgt2 > "$WORK/system2-after"
diff "$WORK/system2-before" "$WORK/system2-after" >&2 || fail "the target's system accounts changed"

if [ "$FLAVOR" = mariadb-10.11 ]; then
    note "a privilege the target's version does not have (MariaDB 11.8 -> 10.11)"
    start_server new --flavor mariadb-11.8
    sql new "CREATE USER rt@'%' IDENTIFIED BY 'rt-pw'; GRANT SELECT, SHOW CREATE ROUTINE ON *.* TO rt@'%'"
    # a fresh server: no schema of its own, the accounts alone
    dump_of new "$WORK/d3" -q --include-users 'rt@%'
    start_server tgt5
    expect_exit 1 "account \`rt\`@\`%\`: privilege SHOW CREATE ROUTINE does not exist on the target" \
        load_into tgt5 "$WORK/d3" --load-users
    assert_eq "$(sql tgt5 "SELECT COUNT(*) FROM mysql.user WHERE User = 'rt'")" 0 "rt created before the refusal"
    load_into tgt5 "$WORK/d3" --load-users --skip-invalid-grants -q 2> "$WORK/skip3.log"
    grep -q "privilege SHOW CREATE ROUTINE does not exist on the target.*left out" "$WORK/skip3.log" ||
        fail "the skipped privilege is not named: $(cat "$WORK/skip3.log")"
    assert_eq "$(sql tgt5 "SHOW GRANTS FOR rt@'%'" | grep -c "GRANT SELECT ON \*\.\* TO \`rt\`@\`%\`")" 1 \
        "rt keeps SELECT without SHOW CREATE ROUTINE"
    assert_eq "$(login tgt5 rt rt-pw "SELECT CURRENT_USER()")" "rt@%" "rt logs in on 10.11"
fi

note "without --load-users the accounts are only counted"
start_server tgt4
load_into tgt4 "$WORK/d1" 2> "$WORK/plain.log"
grep -q "the dump holds 6 account(s) with their grants: not loaded (--load-users loads them)" "$WORK/plain.log" ||
    fail "no note about the accounts: $(cat "$WORK/plain.log")"
assert_eq "$(sql tgt4 "SELECT COUNT(*) FROM mysql.user WHERE User = 'app'")" 0 "an account loaded without --load-users"
echo ok
