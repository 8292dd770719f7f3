<?php
// bench/peers/intake.php - the posko intake as it is commonly written in
// PHP behind nginx and PHP-FPM, for bench/peers.sh: the same form and
// rules, one INSERT into SQLite per complaint, 201 JSON with a code.
//
// nginx passes two FastCGI parameters:
//   POSKO_PEER_DB    the database file, made by peers.sh from complaints.sql
//                    (journal_mode=WAL is stored in the file)
//   POSKO_PEER_SYNC  FULL (the commit is fsynced before the answer)
//                    or NORMAL (in WAL mode: fsync only at checkpoints)
//
// The rules are those of include/posko_form.c: required jenis, kategori
// and uraian; the lists of allowed values; lengths in characters; strict
// UTF-8 without NUL; values tidied (CR LF to LF, trimmed) before checking.
// A name given twice keeps its last value (PHP's $_POST; posko refuses it).
// The connection is persistent (one per PHP-FPM child), as a careful
// deployment would have it; each commit is a transaction of its own.

const FIELDS = [
    // name => [required, maximum characters, allowed values, class]
    'jenis' => [true, 20, ['kritik', 'saran', 'aduan', 'informasi'], null],
    'pelapor' => [false, 20, ['jemaah', 'petugas'], null],
    'kategori' => [true, 30, ['akomodasi', 'konsumsi', 'transportasi',
        'kesehatan', 'bimbingan_ibadah', 'petugas', 'dokumen', 'lainnya'], null],
    'lokasi' => [false, 20, ['makkah', 'madinah', 'jeddah', 'arafah',
        'muzdalifah', 'mina', 'embarkasi', 'lainnya'], null],
    'embarkasi' => [false, 3, ['BTJ', 'KNO', 'BTH', 'PDG', 'PLM', 'JKG', 'JKS',
        'KJT', 'SOC', 'SUB', 'BPN', 'BDJ', 'UPG', 'LOP'], null],
    'kloter' => [false, 12, null, '/^[A-Za-z0-9\/-]+$/'],
    'uraian' => [true, 4000, null, null],
    'nama' => [false, 100, null, null],
    'telepon' => [false, 20, null, '/^[0-9+ ()-]+$/'],
    'email' => [false, 254, null, '/^[^@\x00-\x20\x7f]+@[^@\x00-\x20\x7f]+$/'],
    'rating' => [false, 1, ['1', '2', '3', '4', '5'], null],
];

function answer(int $status, array $body): void
{
    http_response_code($status);
    header('Content-Type: application/json; charset=utf-8');
    echo json_encode($body), "\n";
}

if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    answer(405, ['error' => 'POST only']);
    return;
}

// the reason a tidied, non-empty value breaks its field's rule, or null
function check(string $v, int $max, ?array $values, ?string $class): ?string
{
    if (str_contains($v, "\0") || !preg_match('//u', $v)) {
        return 'is not valid UTF-8 text.';
    }
    if ($values !== null) {
        return in_array($v, $values, true) ? null : 'is not one of the allowed values.';
    }
    // bytes >= characters: count characters only when the bytes are many
    if (strlen($v) > $max && preg_match_all('/[^\x80-\xbf]/', $v) > $max) {
        return 'is too long.';
    }
    if ($class !== null && !preg_match($class, $v)) {
        return 'contains characters that are not allowed.';
    }
    return null;
}

$row = [];
$errors = [];
foreach (FIELDS as $name => [$required, $max, $values, $class]) {
    $v = $_POST[$name] ?? '';
    if (!is_string($v)) {                 // name[]=...: an array
        $errors[$name] = 'was given more than once.';
        continue;
    }
    $v = trim(str_replace(["\r\n", "\r"], "\n", $v), " \t\n");
    if ($v === '') {
        if ($required) {
            $errors[$name] = 'is required.';
        }
        $row[$name] = null;
        continue;
    }
    $why = check($v, $max, $values, $class);
    if ($why !== null) {
        $errors[$name] = $why;
    }
    $row[$name] = $v;
}
if ($errors) {
    answer(400, ['errors' => $errors]);
    return;
}

// 12 Crockford base32 symbols from 12 random bytes: XXXX-XXXX-XXXX
$kode = '';
foreach (str_split(random_bytes(12)) as $i => $byte) {
    $kode .= ($i === 4 || $i === 8 ? '-' : '') . '0123456789ABCDEFGHJKMNPQRSTVWXYZ'[ord($byte) % 32];
}
$now = microtime(true);
$row['kode'] = $kode;
$row['received_at'] = gmdate('Y-m-d\TH:i:s', (int) $now) . sprintf('.%03dZ', (int) ($now * 1000) % 1000);
$row['rating'] = $row['rating'] === null ? null : (int) $row['rating'];

try {
    $db = new PDO('sqlite:' . $_SERVER['POSKO_PEER_DB'], null, null, [
        PDO::ATTR_PERSISTENT => true,
        PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
        PDO::ATTR_TIMEOUT => 10,          // busy timeout: wait for the writer lock
    ]);
    $db->exec('PRAGMA synchronous = ' . ($_SERVER['POSKO_PEER_SYNC'] === 'NORMAL' ? 'NORMAL' : 'FULL'));
    $columns = implode(', ', array_keys($row));
    $marks = implode(', ', array_fill(0, count($row), '?'));
    $db->prepare("INSERT INTO complaints ($columns) VALUES ($marks)")
        ->execute(array_values($row));
} catch (PDOException $e) {
    error_log('intake.php: ' . $e->getMessage());
    answer(503, ['error' => 'not stored']);
    return;
}
answer(201, ['kode' => $kode, 'status' => 'diterima']);
