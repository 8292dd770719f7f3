#!/usr/bin/perl
# The pilgrim's status page (posko_status with posko_db): the page without
# a code, a mistyped code, a code not loaded yet, each status as the team
# moves the complaint along, only public notes and nothing personal or
# about another complaint, JSON for programs; then the pilgrim's answer
# once it is solved, through the WAL, and ingest reopening the complaint
# on a "tidak", with every refusal named by its status and message.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use JSON::PP;
use PoskoTest;

plan skip_all => 'sqlite3 is not installed'
    unless grep { -x "$_/sqlite3" } split /:/, $ENV{PATH};

my $conf = <<'CONF';
    posko_wal %%WAL%%;
    posko_db %%DIR%%/posko.db;
    server {
        listen 127.0.0.1:%%PORT%%;
        location = /kirim { posko_intake; }
        location = /status { posko_status; }
        location = /status-tanpa-db {
            posko_db %%DIR%%/tidak-ada.db;
            posko_status;
        }
        location = /tindak-lanjut {
            auth_basic "Tim Pemantauan";
            auth_basic_user_file %%DIR%%/htpasswd;
            posko_followup;
        }
    }
CONF

my $t = PoskoTest->new($conf);
$t->htpasswd(budi => 'rahasia');
my $db = $t->dir . '/posko.db';
my $json = JSON::PP->new;

sub sql {
    my ($q) = @_;
    my $r = `sqlite3 -batch -noheader -separator '|' "$db" "$q"`;
    die "sqlite3 failed: $q" if $?;
    $r =~ s/\n\z//;
    return $r;
}
sub ingest {
    my ($rc, $out, $err) = $t->posko('ingest', '--wal', $t->wal, '--db', $db);
    is($rc, 0, 'ingest') or diag($err);
    return $out;
}
sub status { $t->get('/status?kode=' . PoskoTest::urlencode($_[0]), @_[1 .. $#_]) }
sub status_json {
    my $r = status($_[0], Accept => 'application/json');
    return ($r, eval { $json->decode($r->{body}) } // {});
}
sub follow {
    my ($kode, $aksi, @more) = @_;
    my $r = $t->post('/tindak-lanjut', PoskoTest::form(kode => $kode,
        aksi => $aksi, @more, token => $t->token($kode)),
        Accept => 'application/json',
        Authorization => PoskoTest::basic_auth('budi', 'rahasia'));
    is($r->{status}, 201, "follow-up $aksi") or diag($r->{body});
}

ingest();   # the database, empty

my $r = $t->post('/kirim', PoskoTest::form(jenis => 'aduan',
    kategori => 'akomodasi', lokasi => 'makkah', embarkasi => 'SUB',
    uraian => 'Kamar 512 bocor saat hujan', nama => 'Siti Aminah',
    telepon => '081234567890', email => 'siti@contoh.id'),
    Accept => 'application/json');
my ($kode) = $r->{body} =~ /"kode":"([^"]+)"/;
$r = $t->post('/kirim', PoskoTest::form(jenis => 'kritik',
    kategori => 'konsumsi', uraian => 'Nasi dingin setiap pagi'),
    Accept => 'application/json');
my ($other) = $r->{body} =~ /"kode":"([^"]+)"/;
ok($kode && $other, "two complaints: $kode and $other");

# -- no code, a mistyped code, not a code ----------------------------------

$r = $t->get('/status');
is($r->{status}, 200, 'no code: 200');
like($r->{body}, qr/Ketik kode pelacakan.*<input[^>]+name="kode"/s,
     '... a field to type it');
is($r->{headers}{'cache-control'}, 'no-store', '... never cached');

my $typo = PoskoTest::mistyped($kode);
$r = status($typo);
is($r->{status}, 400, 'a code with a wrong check character: 400');
like($r->{body}, qr/tampaknya salah ketik/, '... called mistyped');
($r, my $j) = status_json($typo);
is($r->{status}, 400, '... 400 as JSON too');
like($j->{error} // '', qr/salah ketik/, '... with the message');
like($j->{error_en} // '', qr/mistyped/, '... in English too');
$r = status('halo');
is($r->{status}, 400, 'not a code at all: 400');
like($r->{body}, qr/bukan kode pelacakan posko/, '... saying so');
$r = status('x' x 200);
is($r->{status}, 400, 'a very long "code": 400');

# -- received, not loaded yet ---------------------------------------------

($r, $j) = status_json($kode);
is($r->{status}, 200, 'a code not loaded yet: 200');
is($j->{status}, 'menunggu_diproses', '... received, waiting to be processed');
$r = status(lc($kode) =~ s/-//gr);
like($r->{body}, qr/Diterima, menunggu diproses/, '... typed loosely, the same page');
like($r->{body}, qr/\Q$kode\E/, '... naming the canonical code');

# -- loaded, and moved along by the team --------------------------------------

ingest();
($r, $j) = status_json($kode);
is($j->{status}, 'diterima', 'after ingest: received');
ok($j->{diterima}, '... with the time it was received');
$r = status($kode);
for my $secret ('Siti', '081234567890', 'siti@contoh', 'bocor', $other) {
    unlike($r->{body}, qr/\Q$secret\E/, "the page does not show \"$secret\"");
}

follow($kode, 'mulai_verifikasi');
follow($kode, 'faktual', catatan => 'Catatan internal: atap kamar 512 rusak');
follow($kode, 'tindakan', catatan => 'Teknisi dikirim');
follow($kode, 'selesai', catatan => 'Atap sudah diperbaiki <script>alert(1)</script> & dicek');
ingest();

($r, $j) = status_json($kode);
is($j->{status}, 'selesai', 'solved');
is(join(',', map { $_->{aksi} } @{$j->{riwayat} // []}),
   'mulai_verifikasi,faktual,tindakan,selesai', '... its history in order');
my ($done) = grep { $_->{aksi} eq 'selesai' } @{$j->{riwayat} // []};
like($done->{catatan} // '', qr/Atap sudah diperbaiki/, "... with the solution's note");
ok(!grep({ defined $_->{catatan} } grep { $_->{aksi} ne 'selesai' } @{$j->{riwayat}}),
   '... and no internal note');
ok($j->{penilaian_diminta}, '... and it asks for the answer');
$r = status($kode);
like($r->{body}, qr/Diselesaikan/, 'the page shows it solved');
like($r->{body}, qr/&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; dicek/,
     '... the note escaped');
unlike($r->{body}, qr/<script>/, '... no script from a note');
unlike($r->{body}, qr/Catatan internal/, '... not the internal note');
like($r->{body}, qr/<form method="post".*name="puas".*name="rating".*name="komentar"/s,
     '... and the form: solved indeed? a rating, a comment');

# -- the pilgrim's answer: refusals --------------------------------------------

my $before = $t->wal_bytes;
sub answer {
    my (%f) = @_;
    return $t->post('/status', PoskoTest::form(%f), Accept => 'application/json');
}
my @bad = (
    ['no answer', [kode => $kode, rating => 3], 'puas', qr/wajib diisi/],
    ['no rating', [kode => $kode, puas => 'ya'], 'rating', qr/wajib diisi/],
    ['a rating of 7', [kode => $kode, puas => 'ya', rating => 7], 'rating',
     qr/pilihan yang tidak dikenal/],
    ['"mungkin"', [kode => $kode, puas => 'mungkin', rating => 3], 'puas',
     qr/pilihan yang tidak dikenal/],
    ['a mistyped code', [kode => $typo, puas => 'ya', rating => 3], 'kode',
     qr/bukan kode pelacakan yang sah/],
    ['a comment too long', [kode => $kode, puas => 'ya', rating => 3,
     komentar => 'a' x 1001], 'komentar', qr/terlalu panjang/],
);
for my $b (@bad) {
    my ($what, $fields, $field, $message) = @$b;
    $r = answer(@$fields);
    is($r->{status}, 400, "$what: 400");
    my $e = eval { $json->decode($r->{body}) } // {};
    like($e->{errors}{$field} // '', $message, "... the message on $field")
        or diag($r->{body});
}
$r = $t->request('PUT', '/status', '');
is($r->{status}, 405, 'PUT: 405');
like($r->{headers}{allow} // '', qr/GET, HEAD, POST/, '... allowing GET, HEAD and POST');
$r = $t->request('POST', '/status', 'x', 'Content-Type' => 'text/plain');
is($r->{status}, 415, 'a POST that is not a form: 415');
is($t->wal_bytes, $before, 'nothing refused was written');

# -- not solved after all: reopened -----------------------------------------------

$r = $t->post('/status', PoskoTest::form(kode => lc $kode, puas => 'tidak',
    rating => 2, komentar => '<b>Masih bocor</b> di sudut kamar'));
is($r->{status}, 200, 'the pilgrim says it is not solved: 200 from a browser');
like($r->{body}, qr/Terima kasih.*\Q$kode\E/s, '... thanked, with the code');
$r = answer(kode => $other, puas => 'ya', rating => 5);
is($r->{status}, 201, 'an answer for a complaint that is not solved is taken (201)...');
ingest();

is(sql("SELECT status || '|' || ifnull(solved_at, '-') || '|' || puas || '|'
        || rating_penanganan FROM complaints WHERE kode = '$kode'"),
   'ditindaklanjuti|-|0|2', 'reopened: in follow-up again, no longer solved, rated 2');
is(sql("SELECT aksi || ' by ' || petugas || ': ' || catatan || ' ('
        || status_before || ' -> ' || status_after || ')' FROM events
        WHERE kode = '$kode' ORDER BY id DESC LIMIT 1"),
   'dibuka_kembali by jemaah: <b>Masih bocor</b> di sudut kamar (selesai -> ditindaklanjuti)',
   '... an event by the pilgrim, with the comment');
like(sql("SELECT reason FROM quarantine WHERE kode = '$other'"),
     qr/aduan belum selesai/, '... and at ingest quarantined: not solved');
($r, $j) = status_json($kode);
is($j->{status}, 'ditindaklanjuti', 'the page says it is being acted on again');
ok(!$j->{penilaian_diminta}, '... and asks nothing now');
$r = status($kode);
like($r->{body}, qr/&lt;b&gt;Masih bocor&lt;\/b&gt;/, "... the pilgrim's comment escaped");

# solved again, then confirmed; a second answer for the same solution is refused
follow($kode, 'selesai', catatan => 'Atap diganti');
ingest();
($r, $j) = status_json($kode);
ok($j->{penilaian_diminta}, 'solved again: the question comes back');
$r = answer(kode => $kode, puas => 'ya', rating => 5, komentar => 'Terima kasih');
is($r->{status}, 201, 'confirmed, as JSON: 201');
is(eval { $json->decode($r->{body}) }->{kode}, $kode, '... naming the code');
$r = answer(kode => $kode, puas => 'tidak', rating => 1);
ingest();
is(sql("SELECT status || '|' || puas || '|' || rating_penanganan FROM complaints
        WHERE kode = '$kode'"), 'selesai|1|5', 'confirmed: solved, rated 5');
like(sql("SELECT group_concat(reason) FROM quarantine WHERE kode = '$kode'"),
     qr/sudah menilai/, 'a second answer for the same solution: quarantined');

# -- the other complaint, HEAD, a database that cannot be read ------------------

($r, $j) = status_json($other);
is($j->{status}, 'diterima', 'the other complaint has its own status');
unlike($r->{body}, qr/\Q$kode\E|bocor|Atap/, '... and nothing of the first');
$r = $t->request('HEAD', '/status?kode=' . $kode, undef);
is($r->{status}, 200, 'HEAD: 200');
is($r->{body} // '', '', '... without a body');
$r = $t->get('/status-tanpa-db?kode=' . $kode);
is($r->{status}, 503, 'a database that cannot be read: 503');
like($r->{body}, qr/belum dapat dilihat/, '... saying to try again later');
like($t->error_log, qr/posko_db ".*tidak-ada\.db" cannot be read/,
     '... and the error log names the file');

done_testing();
