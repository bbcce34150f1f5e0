-- MariaDB 11 additions to the full-type dataset (after fixture-types.sql):
-- VECTOR with a vector index, uca1400 collations, a system-versioned table
-- (its history rows are not dumped: only the current rows are).
SET NAMES utf8mb4;
USE fx;

CREATE TABLE vec (id INT PRIMARY KEY, v VECTOR(3) NOT NULL, VECTOR INDEX (v)) ENGINE=InnoDB;
INSERT INTO vec VALUES (1, VEC_FromText('[1,2,3]')), (2, VEC_FromText('[0.5,-1.25,3e-8]')),
                       (3, VEC_FromText('[0,0,0]'));

CREATE TABLE uca (id INT PRIMARY KEY,
  a VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_uca1400_ai_ci,
  b VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_uca1400_as_cs,
  KEY (a)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci;
INSERT INTO uca VALUES (1, 'Äpfel', 'Äpfel'), (2, 'apfel', 'apfel'), (3, 'ǅ', 'ß');

CREATE TABLE versioned (id INT PRIMARY KEY, v VARCHAR(10)) WITH SYSTEM VERSIONING;
INSERT INTO versioned VALUES (1, 'old'), (2, 'two');
UPDATE versioned SET v = 'new' WHERE id = 1;
