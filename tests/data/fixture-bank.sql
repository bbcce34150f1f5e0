-- A bank: money moves between acct_a and acct_b in transactions (the total
-- stays 2,000,000) and each transfer is logged in ledger.  CALL writer()
-- runs transfers until ctl.stop is set.  Plus filler so dumps take a moment.
-- MariaDB and MySQL alike (row generators are recursive CTEs).
CREATE DATABASE bank;
USE bank;
CREATE TABLE acct_a (id INT PRIMARY KEY, bal BIGINT NOT NULL);
CREATE TABLE acct_b (id INT PRIMARY KEY, bal BIGINT NOT NULL);
CREATE TABLE ledger (id BIGINT AUTO_INCREMENT PRIMARY KEY, a INT, b INT, amt INT);
CREATE TABLE ctl (stop INT NOT NULL);
CREATE TABLE filler (id INT PRIMARY KEY, pad VARCHAR(200));
INSERT INTO ctl VALUES (0);
INSERT INTO acct_a WITH RECURSIVE s(seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM s WHERE seq < 1000)
  SELECT seq, 1000 FROM s;
INSERT INTO acct_b SELECT id, 1000 FROM acct_a;
INSERT INTO filler WITH RECURSIVE s(seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM s WHERE seq < 200000)
  SELECT seq, REPEAT(CHAR(65 + seq % 26), 150) FROM s;
DELIMITER //
CREATE PROCEDURE writer()
BEGIN
  DECLARE a INT;
  DECLARE b INT;
  DECLARE amt INT;
  WHILE (SELECT stop FROM ctl) = 0 DO
    SET a = FLOOR(1 + RAND() * 1000), b = FLOOR(1 + RAND() * 1000), amt = FLOOR(1 + RAND() * 100);
    START TRANSACTION;
    UPDATE acct_a SET bal = bal - amt WHERE id = a;
    UPDATE acct_b SET bal = bal + amt WHERE id = b;
    INSERT INTO ledger (a, b, amt) VALUES (a, b, amt);
    COMMIT;
  END WHILE;
END//
DELIMITER ;
