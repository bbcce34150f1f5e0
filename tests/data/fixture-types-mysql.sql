-- The full-type dataset for MySQL 8.0/9.x: every column type, NULLs, all 256
-- byte values, 4-byte utf8mb4, generated and invisible columns, a generated
-- invisible primary key, functional and multi-valued indexes, SRID columns,
-- CHECK constraints, utf8mb4_0900 collations, zero dates stored under a
-- relaxed sql_mode, JSON with DECIMAL / big numbers / temporal and opaque
-- scalars, varchar / composite / no / sparse keys, odd identifiers, and every
-- kind of object.  The same schemas and objects as fixture-types.sql, so the
-- tests that use one use the other.  Row generators are recursive CTEs
-- (sql_file sets cte_max_recursion_depth).
SET NAMES utf8mb4;
SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION';
SET time_zone = '+00:00';
CREATE DATABASE fx;
USE fx;

CREATE TABLE types (
  id INT PRIMARY KEY,
  ti TINYINT, si SMALLINT UNSIGNED, mi MEDIUMINT, bi BIGINT, ub BIGINT UNSIGNED,
  de DECIMAL(30,10), f FLOAT, d DOUBLE, bt BIT(13), y YEAR,
  dt DATE, dtm DATETIME(6), ts TIMESTAMP(3) NULL DEFAULT NULL, tm TIME(4),
  ch CHAR(10), vc VARCHAR(255) CHARACTER SET utf8mb4, lat VARCHAR(300) CHARACTER SET latin1,
  txt TEXT, bin BINARY(4), vb VARBINARY(300), bl LONGBLOB,
  en ENUM('a','b','c'), st SET('x','y','z'), js JSON,
  g GEOMETRY, pt POINT,
  gen INT AS (id * 2) VIRTUAL, gens VARCHAR(20) AS (CONCAT('g', id)) STORED,
  inv INT INVISIBLE DEFAULT 7
) ENGINE=InnoDB;

INSERT INTO types (id, ti, si, mi, bi, ub, de, f, d, bt, y, dt, dtm, ts, tm, ch, vc, lat, txt,
                   bin, vb, bl, en, st, js, g, pt, inv) VALUES
 (1, -128, 65535, -8388608, -9223372036854775808, 18446744073709551615,
  '-12345678901234567890.0123456789', 0.1, 0.30000000000000004, b'1010101010101', 1901,
  '0000-00-00', '0000-00-00 00:00:00.000000', '1970-01-01 00:00:01.000', '-838:59:59.0000',
  'a', '😀 emoji and ünïcödé 𝄞', _latin1 0xE9E8, 'tab\tnew\nline\\back\rcr', 0x00010203,
  0x000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F606162636465666768696A6B6C6D6E6F707172737475767778797A7B7C7D7E7F808182838485868788898A8B8C8D8E8F909192939495969798999A9B9C9D9E9FA0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBFC0C1C2C3C4C5C6C7C8C9CACBCCCDCECFD0D1D2D3D4D5D6D7D8D9DADBDCDDDEDFE0E1E2E3E4E5E6E7E8E9EAEBECEDEEEFF0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF,
  REPEAT(0x00FF5C0A09, 1000), 'b', 'x,z', '{"k": [1, 2.5, "ü", null]}',
  ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))'), POINT(1.5, -2.25), 9),
 (2, 127, 0, 8388607, 9223372036854775807, 0, '99999999999999999999.9999999999',
  3.4028234663852886e38, 1.7976931348623157e308, b'0000000000000', 2155,
  '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999', '838:59:59.0000',
  '', '', _latin1 0x00FF5C, '', 0x00000000, '', '', 'a', '', '[]', NULL, NULL, 7),
 (3, 0, 1, 0, -1, 1, '0.0000000001', 1.17549435e-38, 4.9406564584124654e-324, b'1111111111111',
  2000, '2000-02-29', '2000-02-29 12:34:56.000001', NULL, '00:00:00.0001', 'z', 'N', 'N',
  '\\N', 0x5C4E0000, 0x5C4E, 0x5C4E, 'c', 'x,y,z', '"\\u0000"', NULL, NULL, 7),
 (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (5, 1, 2, 3, 4, 5, '-0.5', -1.4e-45, -0.0, b'1', 1999, '2020-00-15', '1999-12-31 23:59:59',
  '2001-02-03 04:05:06.789', '-00:00:01', 'ch', 'κόσμε', 'plain', 'text', 'abcd', 'vb', 'bl',
  NULL, 'y', '{"a": {"b": "c"}}', ST_GeomFromText('LINESTRING(0 0,1 1,2 2)'), POINT(0, 0), 7);

-- JSON whose scalars are not JSON text types: DECIMAL (scale kept, more
-- digits than a double), DATE/DATETIME/TIME, opaque (binary), and doubles
CREATE TABLE js (id INT PRIMARY KEY, j JSON);
INSERT INTO js VALUES
 (1, JSON_OBJECT('dec', CAST('1.50' AS DECIMAL(5,2)),
                 'big', CAST('12345678901234567890.123456789' AS DECIMAL(40,9)),
                 'dbl', 1.5e0, 'int', 18446744073709551615, 'neg', -9223372036854775808)),
 (2, JSON_ARRAY(CAST('2020-02-29' AS DATE), CAST('2020-02-29 12:34:56.123456' AS DATETIME(6)),
                CAST('-12:34:56.5' AS TIME(1)), CAST(0x00FF AS BINARY(2)))),
 (3, CAST(CAST('0.10' AS DECIMAL(4,2)) AS JSON)),
 (4, CAST(CAST('2001-01-01 00:00:00' AS DATETIME) AS JSON)),
 (5, '{"plain": ["text", 1, 2.5, true, null, {"x": []}]}'),
 (6, NULL);
-- scalars as columns, sums and literals give them: each DECIMAL keeps its
-- own precision (its storage size), each binary its field type
CREATE TABLE jsrc (id INT PRIMARY KEY, a DECIMAL(5,2), b DECIMAL(30,2), c DECIMAL(12,2),
  z DECIMAL(4,4), e DECIMAL(65,0), f DECIMAL(65,30), bl BLOB, mb MEDIUMBLOB, lb LONGBLOB,
  bn BINARY(3), vb VARBINARY(10), bt BIT(5), bt64 BIT(64), ts TIMESTAMP(3) NULL, dt DATETIME(6),
  d DATE, t TIME(2), u BIGINT UNSIGNED, y YEAR);
INSERT INTO jsrc VALUES
 (1, 1.50, 1.50, 1.50, 0.5, 5, 1.5, 0x00ff, 0x0203, 0x04, 0x05, 0x06, b'10101',
  18446744073709551615, '2020-01-01 01:02:03.456', '2020-01-01 01:02:03.456789', '2020-02-29',
  '-838:59:59', 0, 2001),
 (2, -123.45, -123456789012.34, 0.10, -0.9999,
  12345678901234567890123456789012345678901234567890123456789012345,
  -0.000000000000000000000000000001, '', '', '', '', '', b'0', 0, '1970-01-01 00:00:01',
  '0000-00-00 00:00:00', '0000-00-00', '00:00:00', 18446744073709551615, 1901);
INSERT INTO js SELECT 10 + id, JSON_ARRAY(a, b, c, z, e, f, a + b, a * c, a / 3, -c,
  JSON_OBJECT('bl', bl, 'mb', mb, 'lb', lb, 'bn', bn, 'vb', vb, 'bt', bt, 'bt64', bt64,
              'ts', ts, 'dt', dt, 'd', d, 't', t, 'u', u, 'y', y)) FROM jsrc;
INSERT INTO js SELECT 20, JSON_ARRAY(SUM(a), SUM(b), AVG(c), SUM(f), MAX(u)) FROM jsrc;
INSERT INTO js VALUES
 (21, JSON_ARRAY(0.10, .10, 0., 5., -0.5, 1.50 + 1000000000000000000000.00 - 1000000000000000000000.00,
                 12345678901234567.50, 1/3, UNCOMPRESS(COMPRESS(0x06)), REPEAT(0x06, 100))),
 (22, JSON_OBJECT('', CAST(1 AS UNSIGNED), 'a"b', CAST(1.5 AS DECIMAL(3,1)),
                  CONCAT('x\\y', CHAR(10 USING utf8mb4), 'z'), CAST('2020-01-01' AS DATE),
                  _utf8mb4 0xF09F9880, CAST(2 AS UNSIGNED), ' ', JSON_ARRAY(JSON_ARRAY(CAST(4 AS UNSIGNED))))),
 (23, CAST(CAST(5 AS UNSIGNED) AS JSON));

-- one row per byte value, in binary and latin1 text
CREATE TABLE bytes (id INT PRIMARY KEY, b VARBINARY(1), l CHAR(1) CHARACTER SET latin1, u VARCHAR(4) CHARACTER SET utf8mb4);
INSERT INTO bytes WITH RECURSIVE s(seq) AS (SELECT 0 UNION ALL SELECT seq + 1 FROM s WHERE seq < 255)
  SELECT seq, UNHEX(LPAD(HEX(seq), 2, '0')), CONVERT(UNHEX(LPAD(HEX(seq), 2, '0')) USING latin1), IF(seq % 2, '😀', NULL) FROM s;

-- varchar primary key, case-insensitive 0900 collation: chunks by probing
CREATE TABLE vpk (k VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci PRIMARY KEY, v INT);
INSERT INTO vpk WITH RECURSIVE s(seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM s WHERE seq < 3000)
  SELECT CONCAT(IF(seq % 3 = 0, 'Ä', IF(seq % 3 = 1, 'b', 'C')), LPAD(seq, 6, '0'), IF(seq % 7 = 0, ' space', '')), seq FROM s;

-- composite key
CREATE TABLE comp (a INT, b VARCHAR(10), c DATE, v VARCHAR(20), PRIMARY KEY (a, b, c));
INSERT INTO comp WITH RECURSIVE s(seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM s WHERE seq < 5000)
  SELECT seq % 17, CONCAT('b', seq % 101), DATE('2020-01-01') + INTERVAL (seq % 400) DAY, CONCAT('v', seq) FROM s;

-- no key at all, with duplicate rows
CREATE TABLE nopk (a INT, b VARCHAR(20));
INSERT INTO nopk WITH RECURSIVE s(seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM s WHERE seq < 3000)
  SELECT seq % 50, IF(seq % 10 = 0, NULL, 'dup') FROM s;

-- sparse integer key: a few dense clusters far apart, negative too
CREATE TABLE sparse (id BIGINT PRIMARY KEY, v INT);
INSERT INTO sparse WITH RECURSIVE s(seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM s WHERE seq < 3000)
  SELECT seq, seq FROM s UNION ALL SELECT 1000000000000 + seq, seq FROM s
  UNION ALL SELECT 9000000000000000000 + seq, seq FROM s
  UNION ALL SELECT -9000000000000000000 - seq, seq FROM s WHERE seq <= 1000;

-- a unique NOT NULL key but no primary key
CREATE TABLE uk (u INT NOT NULL, v INT, UNIQUE KEY (u));
INSERT INTO uk WITH RECURSIVE s(seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM s WHERE seq < 2000)
  SELECT seq * 3, seq FROM s;

CREATE TABLE mis (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=MyISAM;
INSERT INTO mis VALUES (1, 'a'), (2, 'b');
CREATE TABLE emp (id INT PRIMARY KEY) ENGINE=InnoDB;

-- MySQL-only definitions: functional and multi-valued indexes, CHECK,
-- SRID, 0900 collations, an invisible column in an index
CREATE TABLE fidx (id INT PRIMARY KEY, name VARCHAR(40), doc JSON,
  KEY k_lower ((LOWER(name))), KEY k_tags ((CAST(doc->'$.tags' AS UNSIGNED ARRAY))),
  KEY k_mixed (id, (LENGTH(name))),
  CONSTRAINT chk_name CHECK (name <> ''));
INSERT INTO fidx VALUES (1, 'Alpha', '{"tags": [1, 2]}'), (2, 'beta', '{"tags": [3]}'), (3, 'Gamma', '{"tags": []}');

CREATE TABLE geo (id INT PRIMARY KEY, p POINT NOT NULL SRID 4326, g GEOMETRY SRID 0, SPATIAL KEY (p));
INSERT INTO geo VALUES (1, ST_GeomFromText('POINT(45 9)', 4326), ST_GeomFromText('POINT(1 2)')),
                       (2, ST_GeomFromText('POINT(-33.5 151.25)', 4326), NULL);

CREATE TABLE coll (id INT PRIMARY KEY,
  a VARCHAR(20) COLLATE utf8mb4_0900_ai_ci, b VARCHAR(20) COLLATE utf8mb4_0900_as_cs,
  c VARCHAR(20) COLLATE utf8mb4_ja_0900_as_cs, hid INT INVISIBLE, KEY (a, hid))
  DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
INSERT INTO coll (id, a, b, c, hid) VALUES (1, 'Äpfel', 'Äpfel', 'カタカナ', 1), (2, 'apfel', 'ß', 'ひらがな', 2);

-- a generated invisible primary key (my_row_id)
SET SESSION sql_generate_invisible_primary_key = ON;
CREATE TABLE gipk (a INT, b VARCHAR(10));
SET SESSION sql_generate_invisible_primary_key = OFF;
INSERT INTO gipk VALUES (1, 'one'), (2, 'two'), (2, 'two');

CREATE VIEW v_types AS SELECT id, vc FROM types WHERE id < 3;
CREATE VIEW v_on_view AS SELECT id FROM v_types;
CREATE FUNCTION f_double(x INT) RETURNS INT DETERMINISTIC RETURN x * 2;
DELIMITER //
CREATE PROCEDURE p_count(OUT n INT) BEGIN SELECT COUNT(*) INTO n FROM types; SELECT n; END//
DELIMITER ;
CREATE TRIGGER trg_bi BEFORE INSERT ON comp FOR EACH ROW SET NEW.v = UPPER(NEW.v);
CREATE EVENT ev_daily ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM nopk WHERE a < 0;

-- odd identifiers
CREATE DATABASE `odd db.名前`;
CREATE TABLE `odd db.名前`.`we``ird tab.le` (`sp ace` INT PRIMARY KEY, `select` VARCHAR(10), `ключ` TEXT, `a-b` INT);
INSERT INTO `odd db.名前`.`we``ird tab.le` WITH RECURSIVE s(seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM s WHERE seq < 1200)
  SELECT seq, 'sel', 'значение', -seq FROM s;
CREATE TABLE `odd db.名前`.`%2F..%2F` (id INT PRIMARY KEY);
INSERT INTO `odd db.名前`.`%2F..%2F` VALUES (1);
