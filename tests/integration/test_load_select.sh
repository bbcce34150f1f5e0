#!/usr/bin/env bash
# issue 12, test 5 (load side): csload --databases/--tables/--exclude load
# a subset of a dump (a view reading a table left out and a trigger of such
# a table are left out with a line each; the summary says what was left
# out); an item matching nothing in the dump exits 2 naming it;
# --rename-schema OLD:NEW loads a schema under a new name, its views,
# routines, triggers and events rewritten to the new name and working
# (string literals untouched), into a target that has OLD already (its own
# journal key: nothing counts as loaded); --no-data loads schema and
# objects only; --data-only loads rows into existing tables without any
# DDL, and refuses a table whose columns differ, naming table, column and
# difference, before any row is written.
# flavors: mysql-9.7
. "$(dirname "$0")/lib.sh"

start_server src
start_server dst
start_server dst2
sql src "CREATE DATABASE shop; CREATE DATABASE crm;
  CREATE TABLE shop.orders (id INT PRIMARY KEY, amount INT, KEY by_amount (amount));
  CREATE TABLE shop.items (id INT PRIMARY KEY, order_id INT, qty INT);
  CREATE TABLE shop.audit (n INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(40));
  CREATE TABLE crm.people (id INT PRIMARY KEY, name VARCHAR(20));
  INSERT INTO shop.orders VALUES (1, 10), (2, 20), (3, 30);
  INSERT INTO shop.items VALUES (1, 1, 5), (2, 2, 6);
  INSERT INTO crm.people VALUES (1, 'ann');
  CREATE VIEW shop.v_orders AS SELECT id, amount FROM shop.orders WHERE amount > 10;
  CREATE VIEW shop.v_big AS SELECT id FROM shop.v_orders WHERE amount > 20;
  CREATE VIEW shop.v_items AS SELECT o.id, i.qty FROM shop.orders o JOIN shop.items i ON i.order_id = o.id;
  CREATE TRIGGER shop.trg_orders AFTER INSERT ON shop.orders FOR EACH ROW
    INSERT INTO shop.audit (what) VALUES (CONCAT('order ', NEW.id));
  CREATE TRIGGER shop.trg_items BEFORE INSERT ON shop.items FOR EACH ROW SET NEW.qty = NEW.qty + 0;
  CREATE FUNCTION shop.total() RETURNS INT READS SQL DATA RETURN (SELECT SUM(amount) FROM shop.orders);
  CREATE FUNCTION shop.label() RETURNS VARCHAR(40) DETERMINISTIC RETURN 'shop.orders';
  CREATE PROCEDURE shop.add_order(x INT) INSERT INTO \`shop\`.\`orders\` VALUES (x, x * 10);
  CREATE EVENT shop.ev ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM shop.audit;"
dump_of src "$WORK/d" -q --no-users

note "--databases: one schema"
expect_exit 0 "replication .* would also apply the source's changes to what this load left out" \
    load_into dst "$WORK/d" --databases crm
echo "$CS_OUT" | grep -q "left out by --databases/--tables/--exclude: 3 table(s), 3 view(s), 3 routine(s), 2 trigger(s), 1 event(s), 0 sequence(s), 1 schema(s)" \
    || fail "the summary does not say what was left out: $CS_OUT"
assert_eq "$(sql dst "SELECT name FROM crm.people")" "ann" "crm on the target"
assert_eq "$(sql dst "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop'")" 0 \
    "shop on the target"

note "--exclude a table: its view and trigger go with it, each said"
expect_exit 0 "view shop.v_items left out: it reads shop.items" \
    load_into dst "$WORK/d" --databases shop --exclude shop.items
echo "$CS_OUT" | grep -q "trigger shop.trg_items left out: its table shop.items is not loaded" ||
    fail "the trigger of the left-out table is not named: $CS_OUT"
assert_eq "$(sql dst "SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM information_schema.TABLES
                      WHERE TABLE_SCHEMA = 'shop'")" "audit,orders,v_big,v_orders" "shop's tables and views"
assert_eq "$(sql dst "SELECT COUNT(*) FROM shop.v_big")" 1 "a view over a view"
assert_eq "$(sql dst "SELECT shop.total()")" 60 "a function"
assert_eq "$(sql dst "SELECT GROUP_CONCAT(TRIGGER_NAME) FROM information_schema.TRIGGERS
                      WHERE TRIGGER_SCHEMA = 'shop'")" "trg_orders" "triggers"

note "--tables: patterns, and items matching nothing (exit 2, named)"
expect_exit 0 "" load_into dst2 "$WORK/d" --tables 'shop.o%,shop.v_orders'
assert_eq "$(sql dst2 "SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM information_schema.TABLES
                       WHERE TABLE_SCHEMA IN ('shop', 'crm')")" "orders,v_orders" "--tables shop.o%,shop.v_orders"
assert_eq "$(sql dst2 "SELECT COUNT(*) FROM shop.orders")" 3 "rows of the selected table"
expect_exit 2 "--tables=shop.nosuch: no table, view or sequence of the dump matches it" \
    load_into dst2 "$WORK/d" --tables shop.nosuch
expect_exit 2 "--databases=nosuch: the dump has no such schema" load_into dst2 "$WORK/d" --databases nosuch
expect_exit 2 "--exclude=shop.zz%: no schema, table, view or sequence of the dump matches it" \
    load_into dst2 "$WORK/d" --exclude 'shop.zz%'
expect_exit 2 "2 selection options match nothing in the dump" \
    load_into dst2 "$WORK/d" --tables shop.nosuch --exclude crm.nosuch
echo "$CS_OUT" | grep -q -- "--exclude=crm.nosuch" || fail "the second item is not named: $CS_OUT"

note "--rename-schema into a target that has the old schema already"
before=$(sql dst "SELECT COUNT(*) FROM shop.orders")
expect_exit 0 "schemas were renamed: replicating from the source needs the rewrite filter" \
    load_into dst "$WORK/d" --rename-schema shop:shop2 --databases shop
assert_eq "$(sql dst "SELECT COUNT(*), SUM(amount) FROM shop2.orders")" "3	60" "rows of shop2.orders"
assert_eq "$(sql dst "SELECT COUNT(*) FROM shop2.v_items")" 2 "shop2.v_items"
view=$(sql dst "SELECT VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = 'shop2' AND TABLE_NAME = 'v_items'")
echo "$view" | grep -q "shop2" || fail "shop2.v_items does not read shop2: $view"
echo "$view" | grep -q '`shop`\.' && fail "shop2.v_items still reads shop: $view"
sql dst "CALL shop2.add_order(4)"
assert_eq "$(sql dst "SELECT amount FROM shop2.orders WHERE id = 4")" 40 "the procedure wrote into shop2"
assert_eq "$(sql dst "SELECT COUNT(*) FROM shop.orders")" "$before" "shop.orders untouched by shop2's procedure"
assert_eq "$(sql dst "SELECT what FROM shop2.audit")" "order 4" "shop2's trigger fired"
assert_eq "$(sql dst "SELECT shop2.total()")" 100 "shop2.total() reads shop2"
assert_eq "$(sql dst "SELECT shop2.label()")" "shop.orders" "a string literal is not rewritten"
ev=$(sql dst "SELECT EVENT_DEFINITION FROM information_schema.EVENTS WHERE EVENT_SCHEMA = 'shop2'")
echo "$ev" | grep -q "shop2.audit\|\`shop2\`.audit\|\`shop2\`.\`audit\`" || fail "the event's body: $ev"
# the journal knows it under the new name
items=$(sql dst "SELECT COUNT(*) FROM __csload.journal WHERE item = 'table:shop2.orders'")
assert_eq "$items" 1 "the journal's item for shop2.orders"
expect_exit 2 "--rename-schema=nosuch:x: the dump has no schema nosuch" \
    load_into dst2 "$WORK/d" --rename-schema nosuch:x
expect_exit 2 "--rename-schema=crm:shop: the dump has a schema shop already" \
    load_into dst2 "$WORK/d" --rename-schema crm:shop

note "selection and rename of a stream (csdump --archive - | csload --archive -)"
start_server dst5
"$CSDUMP" --no-defaults -S "$(sock src)" -u root -q --no-users --archive - |
    "$CSLOAD" --no-defaults -S "$(sock dst5)" -u root -q --archive - --rename-schema shop:s3 \
        --exclude crm,shop.items
assert_eq "$(sql dst5 "SELECT GROUP_CONCAT(CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) ORDER BY TABLE_NAME)
                       FROM information_schema.TABLES WHERE TABLE_SCHEMA IN ('shop', 's3', 'crm')")" \
    "s3.audit,s3.orders,s3.v_big,s3.v_orders" "what the stream loaded"
assert_eq "$(sql dst5 "SELECT COUNT(*), SUM(amount) FROM s3.orders")" "3	60" "s3.orders from the stream"
assert_eq "$(sql dst5 "SELECT s3.total()")" 60 "s3.total() from the stream"
# an archive file is read in place: the same selection and rename
"$CSDUMP" --no-defaults -S "$(sock src)" -u root -q --no-users --archive "$WORK/d.tar"
expect_exit 0 "" load_archive_into dst5 "$WORK/d.tar" --rename-schema shop:s4 --tables 'shop.orders,shop.v_orders'
assert_eq "$(sql dst5 "SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM information_schema.TABLES
                       WHERE TABLE_SCHEMA = 's4'")" "orders,v_orders" "what the archive file loaded"
assert_eq "$(sql dst5 "SELECT COUNT(*), SUM(amount) FROM s4.v_orders")" "2	50" "s4.v_orders"

note "--no-data, then --data-only into the tables it made"
start_server dst3
expect_exit 0 "no rows \\(--no-data" load_into dst3 "$WORK/d" --no-data
assert_eq "$(sql dst3 "SELECT COUNT(*) FROM shop.orders")" 0 "rows after --no-data"
assert_eq "$(sql dst3 "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'shop'
                       AND TABLE_NAME = 'orders' AND INDEX_NAME = 'by_amount'")" 1 "the secondary index"
assert_eq "$(sql dst3 "SELECT shop.label()")" "shop.orders" "routines with --no-data"
# the triggers --no-data made would fire for every row: refused, named
expect_exit 2 "table shop.orders: the target has trigger trg_orders on it, which would fire" \
    load_into dst3 "$WORK/d" --data-only
assert_eq "$(sql dst3 "SELECT COUNT(*) FROM shop.orders")" 0 "rows written before the refusal"
sql dst3 "DROP TRIGGER shop.trg_orders; DROP TRIGGER shop.trg_items"
sql dst3 "SET GLOBAL log_output = 'TABLE'; TRUNCATE mysql.general_log; SET GLOBAL general_log = 1"
expect_exit 0 "--data-only: rows into the tables the target had" load_into dst3 "$WORK/d" --data-only
sql dst3 "SET GLOBAL general_log = 0"
same_data src dst3 shop crm
ddl=$(sql dst3 "SELECT COUNT(*) FROM mysql.general_log WHERE (argument LIKE 'ALTER%' OR argument LIKE 'CREATE%'
                OR argument LIKE 'DROP%') AND argument NOT LIKE '%__csload%'")
assert_eq "$ddl" 0 "DDL statements sent by --data-only"

note "--data-only refuses tables that do not fit"
start_server dst4
sql dst4 "CREATE DATABASE shop; CREATE DATABASE crm;
  CREATE TABLE shop.orders (id INT PRIMARY KEY, amount BIGINT);
  CREATE TABLE shop.items (id INT PRIMARY KEY, qty INT, order_id INT);
  CREATE TABLE shop.audit (n INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(40), extra INT);
  CREATE TABLE crm.people (id INT PRIMARY KEY, name VARCHAR(20), up INT AS (id + 1))"
expect_exit 2 "--data-only: 3 table\\(s\\) of the dump do not fit" load_into dst4 "$WORK/d" --data-only
echo "$CS_OUT" | grep -q "table shop.orders: column amount is bigint.* on the target, int.* in the dump" ||
    fail "the type difference is not named: $CS_OUT"
echo "$CS_OUT" | grep -q "table shop.items: column qty comes where the dump has order_id (another column order)" ||
    fail "the order difference is not named: $CS_OUT"
echo "$CS_OUT" | grep -q "table shop.audit: the target has column extra, which the dump does not" ||
    fail "the extra column is not named: $CS_OUT"
echo "$CS_OUT" | grep -q "table crm.people" && fail "a generated column of the target counted: $CS_OUT"
assert_eq "$(sql dst4 "SELECT COUNT(*) FROM crm.people")" 0 "rows written before the refusal"
expect_exit 2 "table nosuch.orders: the target has no such table" \
    load_into dst4 "$WORK/d" --data-only --tables shop.orders --rename-schema shop:nosuch
