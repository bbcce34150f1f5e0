-- The full-type dataset: every column type, NULLs, all 256 byte values,
-- 4-byte utf8mb4, generated and invisible columns, varchar / composite /
-- no / sparse keys, odd identifiers, and every kind of object.  MariaDB.
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
  uu UUID, i4 INET4, i6 INET6, g GEOMETRY, pt POINT,
  gen INT AS (id * 2) VIRTUAL, gens VARCHAR(20) AS (CONCAT('g', id)) STORED,
  inv INT INVISIBLE DEFAULT 7
) ENGINE=InnoDB;

INSERT INTO types (id, ti, si, mi, bi, ub, de, f, d, bt, y, dt, dtm, ts, tm, ch, vc, lat, txt,
                   bin, vb, bl, en, st, js, uu, i4, i6, g, pt, inv) VALUES
 (1, -128, 65535, -8388608, -9223372036854775808, 18446744073709551615,
  '-12345678901234567890.0123456789', 0.1, 0.30000000000000004, b'1010101010101', 1901,
  '0000-00-00', '0000-00-00 00:00:00.000000', '1970-01-01 00:00:01.000', '-838:59:59.0000',
  'a', '😀 emoji and ünïcödé 𝄞', _latin1 0xE9E8, 'tab\tnew\nline\\back\rcr', 0x00010203,
  0x000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F606162636465666768696A6B6C6D6E6F707172737475767778797A7B7C7D7E7F808182838485868788898A8B8C8D8E8F909192939495969798999A9B9C9D9E9FA0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBFC0C1C2C3C4C5C6C7C8C9CACBCCCDCECFD0D1D2D3D4D5D6D7D8D9DADBDCDDDEDFE0E1E2E3E4E5E6E7E8E9EAEBECEDEEEFF0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF,
  REPEAT(0x00FF5C0A09, 1000), 'b', 'x,z', '{"k": [1, 2.5, "ü", null]}',
  '123e4567-e89b-12d3-a456-426614174000', '192.168.0.1', '2001:db8::ff00:42:8329',
  ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))'), POINT(1.5, -2.25), 9),
 (2, 127, 0, 8388607, 9223372036854775807, 0, '99999999999999999999.9999999999',
  3.4028234663852886e38, 1.7976931348623157e308, b'0000000000000', 2155,
  '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999', '838:59:59.0000',
  '', '', _latin1 0x00FF5C, '', 0x00000000, '', '', 'a', '', '[]',
  '00000000-0000-0000-0000-000000000000', '0.0.0.0', '::', NULL, NULL, 7),
 (3, 0, 1, 0, -1, 1, '0.0000000001', 1.17549435e-38, 4.9406564584124654e-324, b'1111111111111',
  2000, '2000-02-29', '2000-02-29 12:34:56.000001', NULL, '00:00:00.0001', 'z', 'N', 'N',
  '\\N', 0x5C4E0000, 0x5C4E, 0x5C4E, 'c', 'x,y,z', '"\\u0000"', NULL, NULL, '::1', NULL, NULL, 7),
 (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (5, 1, 2, 3, 4, 5, '-0.5', -1.4e-45, -0.0, b'1', 1999, '1999-12-31', '1999-12-31 23:59:59',
  '2001-02-03 04:05:06.789', '-00:00:01', 'ch', 'κόσμε', 'plain', 'text', 'abcd', 'vb', 'bl',
  NULL, 'y', '{"a": {"b": "c"}}', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '255.255.255.255',
  'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', ST_GeomFromText('LINESTRING(0 0,1 1,2 2)'),
  POINT(0, 0), 7);

-- one row per byte value, in binary and latin1 text
CREATE TABLE bytes (id INT PRIMARY KEY, b VARBINARY(1), l CHAR(1) CHARACTER SET latin1, u VARCHAR(4) CHARACTER SET utf8mb4);
INSERT INTO bytes SELECT seq, UNHEX(LPAD(HEX(seq), 2, '0')), CONVERT(UNHEX(LPAD(HEX(seq), 2, '0')) USING latin1), IF(seq % 2, '😀', NULL) FROM seq_0_to_255;

-- varchar primary key, case-insensitive collation: chunks by probing
CREATE TABLE vpk (k VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci PRIMARY KEY, v INT);
INSERT INTO vpk SELECT CONCAT(IF(seq % 3 = 0, 'Ä', IF(seq % 3 = 1, 'b', 'C')), LPAD(seq, 6, '0'), IF(seq % 7 = 0, ' space', '')), seq FROM seq_1_to_3000;

-- composite key
CREATE TABLE comp (a INT, b VARCHAR(10), c DATE, v VARCHAR(20), PRIMARY KEY (a, b, c));
INSERT INTO comp SELECT seq % 17, CONCAT('b', seq % 101), DATE('2020-01-01') + INTERVAL (seq % 400) DAY, CONCAT('v', seq) FROM seq_1_to_5000;

-- no key at all, with duplicate rows
CREATE TABLE nopk (a INT, b VARCHAR(20));
INSERT INTO nopk SELECT seq % 50, IF(seq % 10 = 0, NULL, 'dup') FROM seq_1_to_3000;

-- sparse integer key: a few dense clusters far apart, negative too
CREATE TABLE sparse (id BIGINT PRIMARY KEY, v INT);
INSERT INTO sparse SELECT seq, seq FROM seq_1_to_3000;
INSERT INTO sparse SELECT 1000000000000 + seq, seq FROM seq_1_to_3000;
INSERT INTO sparse SELECT 9000000000000000000 + seq, seq FROM seq_1_to_3000;
INSERT INTO sparse SELECT -9000000000000000000 - CAST(seq AS SIGNED), seq FROM seq_1_to_1000;

-- a unique NOT NULL key but no primary key
CREATE TABLE uk (u INT NOT NULL, v INT, UNIQUE KEY (u));
INSERT INTO uk SELECT seq * 3, seq FROM seq_1_to_2000;

CREATE TABLE mis (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=MyISAM;
INSERT INTO mis VALUES (1, 'a'), (2, 'b');
CREATE TABLE emp (id INT PRIMARY KEY) ENGINE=InnoDB;

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
INSERT INTO `odd db.名前`.`we``ird tab.le` SELECT seq, 'sel', 'значение', -seq FROM seq_1_to_1200;
CREATE TABLE `odd db.名前`.`%2F..%2F` (id INT PRIMARY KEY);
INSERT INTO `odd db.名前`.`%2F..%2F` VALUES (1);
