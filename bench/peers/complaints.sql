-- bench/peers/complaints.sql - the PHP peer's table: the columns of posko's
-- complaints table (batch/db.c, all migrations), kode unique, but none of
-- the nine other indexes posko's database has (fewer B-trees to update per
-- INSERT: in the peer's favour); wal_segment and wal_offset may be NULL:
-- this peer has no WAL. bench/peers.sh checks the column names against a
-- database made by posko ingest.
PRAGMA journal_mode = WAL;
CREATE TABLE complaints (
  id          INTEGER PRIMARY KEY,
  kode        TEXT NOT NULL UNIQUE,
  jenis       TEXT NOT NULL,
  pelapor     TEXT,
  kategori    TEXT NOT NULL,
  lokasi      TEXT,
  embarkasi   TEXT,
  kloter      TEXT,
  uraian      TEXT NOT NULL,
  nama        TEXT,
  telepon     TEXT,
  email       TEXT,
  rating      INTEGER,
  received_at TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'diterima',
  wal_segment TEXT,
  wal_offset  INTEGER,
  unit        TEXT,
  duplikat_dari TEXT,
  verified_at TEXT,
  solved_at   TEXT,
  closed_at   TEXT,
  updated_at  TEXT,
  due_verify  TEXT,
  due_solve   TEXT,
  faktual     INTEGER,
  puas        INTEGER,
  rating_penanganan INTEGER,
  komentar_jemaah TEXT,
  dinilai_at  TEXT
);
