#!/usr/bin/perl
# Officers' follow-ups (posko_followup) through nginx's own auth_basic, the
# dashboard's token against forged forms, the WAL and ingest: the seed story (a pilgrim from embarkation SOC complains
# about the room in Madinah; the team starts verification, finds it
# factual, acts and solves it), each refusal with its status and message
# and nothing written, the officer taken from authentication and never
# from the form, lifecycle violations quarantined with their reasons, and
# follow-ups read before their complaint applied once it is loaded.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use File::Copy qw(copy);
use File::Path qw(make_path);
use JSON::PP;
use PoskoTest;

plan skip_all => 'sqlite3 is not installed'
    unless grep { -x "$_/sqlite3" } split /:/, $ENV{PATH};

my $conf = <<'CONF';
    posko_wal %%WAL%%;
    server {
        listen 127.0.0.1:%%PORT%%;
        location = /kirim { posko_intake; }
        location = /tindak-lanjut {
            auth_basic "Tim Pemantauan";
            auth_basic_user_file %%DIR%%/htpasswd;
            posko_followup;
        }
        # as behind auth_request, which hands the officer on in a header
        location = /tindak-lanjut-sso {
            posko_officer $http_x_petugas;
            posko_followup;
        }
        # forgotten authentication: nobody is signed in
        location = /tanpa-login { posko_followup; }
        # a secret nobody made
        location = /tanpa-rahasia {
            auth_basic "Tim Pemantauan";
            auth_basic_user_file %%DIR%%/htpasswd;
            posko_secret %%DIR%%/tidak-ada.secret;
            posko_followup;
        }
    }
CONF

my $t = PoskoTest->new($conf);
$t->htpasswd(budi => 'rahasia', sari => 'kunci-sari');

my $db = $t->dir . '/posko.db';
my $json = JSON::PP->new;

sub sql {
    my ($q, $file) = @_;
    $file //= $db;
    my $r = `sqlite3 -batch -noheader -separator '|' "$file" "$q"`;
    die "sqlite3 failed: $q" if $?;
    chomp $r;
    return $r;
}

sub basic { PoskoTest::basic_auth(@_) }

# A follow-up as a program sends it, with the dashboard's token for its
# code unless the test names one (token => undef leaves it out).
sub follow {
    my ($who, %f) = @_;
    my %h = (Accept => 'application/json');
    $h{Authorization} = basic(@$who) if $who;
    $f{token} = $t->token($f{kode}) if !exists $f{token} && defined $f{kode};
    delete $f{token} unless defined $f{token};
    return $t->post('/tindak-lanjut', PoskoTest::form(%f), %h);
}

# -- the pilgrim's complaint ---------------------------------------------

my $r = $t->post('/kirim', PoskoTest::form(jenis => 'aduan',
    pelapor => 'jemaah', kategori => 'akomodasi', lokasi => 'madinah',
    embarkasi => 'SOC', kloter => 'SOC-07',
    uraian => 'Kamar hotel sektor 4 tidak ada air panas sejak tiga hari'),
    Accept => 'application/json');
is($r->{status}, 201, 'the complaint is taken');
my ($kode) = $r->{body} =~ /"kode":"([^"]+)"/;
ok($kode, "its code: $kode");

# -- refusals: status, message, and nothing written ----------------------

my $before = $t->wal_bytes;
my $budi = ['budi', 'rahasia'];

$r = follow(undef, kode => $kode, aksi => 'mulai_verifikasi');
is($r->{status}, 401, 'no credentials: 401 from nginx');
like($r->{headers}{'www-authenticate'} // '', qr/Basic realm="Tim Pemantauan"/,
     '... asking for them');
$r = follow(['budi', 'salah'], kode => $kode, aksi => 'mulai_verifikasi');
is($r->{status}, 401, 'a wrong password: 401');

$r = $t->post('/tanpa-login', PoskoTest::form(kode => $kode,
    aksi => 'mulai_verifikasi'), Accept => 'application/json');
is($r->{status}, 403, 'a follow-up location without authentication: 403');
like($r->{body}, qr/petugas yang sudah masuk/, '... saying an officer must sign in');

my @bad = (
    ['no action', [kode => $kode], 'aksi', qr/Tindakan petugas wajib diisi/],
    ['an unknown action', [kode => $kode, aksi => 'hapus'], 'aksi',
     qr/pilihan yang tidak dikenal/],
    ['no code', [aksi => 'mulai_verifikasi'], 'kode',
     qr/Kode pelacakan wajib diisi/],
    ['a mistyped code', [kode => PoskoTest::mistyped($kode), aksi => 'mulai_verifikasi'],
     'kode', qr/bukan kode pelacakan yang sah/],
    ['factual without a note', [kode => $kode, aksi => 'faktual'], 'catatan',
     qr/Catatan wajib diisi/],
    ['solved without a note', [kode => $kode, aksi => 'selesai'], 'catatan',
     qr/Catatan wajib diisi/],
    ['assigned without a unit', [kode => $kode, aksi => 'tugaskan'], 'unit',
     qr/Unit petugas wajib diisi/],
    ['closed without a reason or an original', [kode => $kode, aksi => 'tutup'],
     'catatan', qr/Catatan wajib diisi/],
    ['closed as a duplicate of a mistyped code',
     [kode => $kode, aksi => 'tutup', duplikat_dari => 'ABCD-EFGH-JKMN'],
     'duplikat_dari', qr/bukan kode pelacakan yang sah/],
);
for my $b (@bad) {
    my ($what, $fields, $field, $message) = @$b;
    $r = follow($budi, @$fields);
    is($r->{status}, 400, "$what: 400");
    my $e = eval { $json->decode($r->{body}) } // {};
    like($e->{errors}{$field} // '', $message, "... the message on $field")
        or diag($r->{body});
}
# the dashboard's token: without it, another code's, an old or a forged one
$r = follow($budi, kode => $kode, aksi => 'mulai_verifikasi', token => undef);
is($r->{status}, 403, 'no token (a form from another site): 403');
like($r->{body}, qr/Formulir tindak lanjut tidak sah/, '... saying the form is not valid')
    or diag($r->{body});
like($r->{body}, qr/send it from the posko dashboard/, '... in English too');
$r = follow($budi, kode => $kode, aksi => 'mulai_verifikasi',
            token => $t->token('0000-0000-0000'));
is($r->{status}, 403, "another complaint's token: 403");
$r = follow($budi, kode => $kode, aksi => 'mulai_verifikasi',
            token => $t->token($kode, time - 10));
is($r->{status}, 403, 'a token past its time: 403');
like($r->{body}, qr/sudah kedaluwarsa/, '... saying the form has expired');
$r = follow($budi, kode => $kode, aksi => 'mulai_verifikasi',
            token => $t->token($kode, undef, 'x' x 32));
is($r->{status}, 403, 'a token made with another secret: 403');
$r = follow($budi, kode => $kode, aksi => 'mulai_verifikasi',
            token => '1.' . ('0' x 32));
is($r->{status}, 403, 'a made-up token: 403');
$r = $t->post('/tanpa-rahasia', PoskoTest::form(kode => $kode,
    aksi => 'mulai_verifikasi', token => $t->token($kode)),
    Accept => 'application/json', Authorization => basic(@$budi));
is($r->{status}, 503, 'a secret that cannot be read: 503');
like($r->{body}, qr/server belum siap/, '... saying the server is not ready');
like($t->error_log, qr/posko_secret ".*tidak-ada\.secret" cannot be read/,
     '... and the error log says which file');

$r = $t->get('/tindak-lanjut', Authorization => basic(@$budi));
is($r->{status}, 405, 'GET: 405');
is($t->wal_bytes, $before, 'nothing refused was written to the WAL');

# -- the seed story: verification, factual, action, solved ---------------

$r = follow($budi, kode => lc($kode) =~ s/-//gr, aksi => 'mulai_verifikasi',
            petugas => 'mallory');
is($r->{status}, 201, 'budi starts verification (code typed in lower case, no hyphens)');
my $reply = eval { $json->decode($r->{body}) } // {};
is($reply->{kode}, $kode, '... the code is read back in its canonical form');
is($reply->{petugas}, 'budi', '... and the officer is the signed-in user, not the form field');

my $sari = ['sari', 'kunci-sari'];
$r = follow($sari, kode => $kode, aksi => 'faktual',
            catatan => 'Dicek ke kamar 412: air panas memang mati.');
is($r->{status}, 201, 'sari marks it factual');
$r = follow($sari, kode => $kode, aksi => 'tindakan',
            catatan => 'Teknisi hotel memperbaiki pemanas air.');
is($r->{status}, 201, 'the action is recorded');

# a browser form, sent back to the dashboard page it came from
$r = $t->post('/tindak-lanjut', PoskoTest::form(kode => $kode,
    aksi => 'selesai', catatan => 'Air panas sudah normal; jemaah puas.',
    kembali => "/dasbor/aduan/$kode.html", token => $t->token($kode)),
    Authorization => basic(@$budi));
is($r->{status}, 303, 'budi solves it from a browser: 303');
like($r->{headers}{location} // '', qr{/dasbor/aduan/\Q$kode\E\.html$},
     '... back to the page named in "kembali"');

# -- what the lifecycle refuses, found at ingest ---------------------------

$r = $t->post('/kirim', PoskoTest::form(jenis => 'aduan',
    kategori => 'konsumsi', uraian => 'Nasi basi di katering sektor 2'),
    Accept => 'application/json');
my ($kode2) = $r->{body} =~ /"kode":"([^"]+)"/;
$r = follow($budi, kode => $kode2, aksi => 'selesai', catatan => 'Beres');
is($r->{status}, 201, 'solving a complaint nobody verified is taken by the module');
$r = follow($budi, kode => $kode, aksi => 'tindakan', catatan => 'Lagi');
is($r->{status}, 201, 'so is an action after it was solved');

# a well-formed code that was never issued
my $unknown = '0000-0000-0000';
$r = follow($budi, kode => $unknown, aksi => 'mulai_verifikasi');
is($r->{status}, 201, 'and a follow-up for a code that was never given');

# an officer known by a header that posko_officer names; a link elsewhere
$r = $t->post('/tindak-lanjut-sso', PoskoTest::form(kode => $kode2,
    aksi => 'tugaskan', unit => 'Sektor 2 Konsumsi',
    kembali => '//contoh.invalid/curang', token => $t->token($kode2)),
    'X-Petugas' => 'ani.sso');
is($r->{status}, 200, 'a "kembali" off this site is not followed: 200 page');
like($r->{body}, qr/Tindak lanjut tercatat/, '... saying it was recorded');

my ($rc, $so, $se) = $t->posko('ingest', '--wal', $t->wal, '--db', $db);
is($rc, 0, 'ingest') or diag($se);
like($so, qr/^ingest: 2 loaded, 3 quarantined, .* 5 follow-ups applied$/m,
     'two complaints, five follow-ups applied, three quarantined') or diag($so);

is(sql("SELECT status, embarkasi, lokasi, kategori FROM complaints WHERE kode = '$kode'"),
   'selesai|SOC|madinah|akomodasi', 'the seed complaint is solved');
is(sql("SELECT aksi || ' by ' || petugas || ': ' || coalesce(catatan, '-')
        || ' (' || status_before || ' -> ' || status_after || ')'
        FROM events WHERE kode = '$kode' ORDER BY id"),
   join("\n",
        'mulai_verifikasi by budi: - (diterima -> verifikasi)',
        'faktual by sari: Dicek ke kamar 412: air panas memang mati. (verifikasi -> faktual)',
        'tindakan by sari: Teknisi hotel memperbaiki pemanas air. (faktual -> ditindaklanjuti)',
        'selesai by budi: Air panas sudah normal; jemaah puas. (ditindaklanjuti -> selesai)'),
   'its four events, in order, with officers and notes');
is(sql("SELECT verified_at = (SELECT at FROM events WHERE kode = '$kode' AND aksi = 'faktual')
        AND solved_at = (SELECT at FROM events WHERE kode = '$kode' AND aksi = 'selesai')
        AND received_at < verified_at AND verified_at < solved_at
        FROM complaints WHERE kode = '$kode'"), 1,
   'verified and solved times come from the events');
is(sql("SELECT status || '|' || unit FROM complaints WHERE kode = '$kode2'"),
   'diterima|Sektor 2 Konsumsi', 'the other complaint is assigned, still received');
is(sql("SELECT petugas FROM events WHERE kode = '$kode2'"), 'ani.sso',
   'by the officer posko_officer named');

my %q = map { my ($k, $p, $why) = split /\|/, $_, 3; ("$k $p" => $why) }
        split /\n/, sql('SELECT kode, petugas, reason FROM quarantine');
like($q{"$kode2 budi"} // '', qr/belum dinyatakan faktual/,
     'solving an unverified complaint: quarantined, with the reason');
like($q{"$kode budi"} // '', qr/sudah selesai/,
     'an action after it was solved: quarantined');
like($q{"$unknown budi"} // '', qr/kode tidak dikenal/,
     'an unknown code: quarantined');
is(sql('SELECT count(*) FROM pending_events'), 0, 'nothing is left waiting');

($rc, $so) = $t->posko('ingest', '--wal', $t->wal, '--db', $db);
like($so, qr/^ingest: 0 loaded, 0 quarantined, .* 0 follow-ups applied$/m,
     'a second ingest applies nothing twice');
is(sql('SELECT count(*) FROM events'), 5, 'still five events');

# -- a follow-up read before its complaint -------------------------------
# Segments load in name order, and a complaint and its follow-ups can be in
# segments of different workers.  Here the follow-ups' segment is renamed
# to load first: they wait for the complaint and are applied after it.

my $t2 = PoskoTest->new($conf);
copy($t->dir . '/htpasswd', $t2->dir . '/htpasswd') or die;
$r = $t2->post('/kirim', PoskoTest::form(jenis => 'aduan',
    kategori => 'transportasi', uraian => 'Bus ke Masjid Nabawi terlambat'),
    Accept => 'application/json');
my ($kode3) = $r->{body} =~ /"kode":"([^"]+)"/;
my @first = glob $t2->wal . '/*.wal';
is(scalar @first, 1, 'the complaint is in one segment');
$t2->stop;
$t2->start;
$t = $t2;
for (['mulai_verifikasi'], ['faktual', catatan => 'Benar, terlambat 40 menit'],
     ['selesai', catatan => 'Jadwal bus ditambah'])
{
    my ($aksi, @more) = @$_;
    $r = follow($budi, kode => $kode3, aksi => $aksi, @more);
    is($r->{status}, 201, "$aksi after a restart");
}
my @all = glob $t2->wal . '/*.wal';
my ($second) = grep { $_ ne $first[0] } @all;
ok($second, 'the follow-ups are in a segment of the new worker');
my $mixed = $t2->dir . '/mixed';
make_path($mixed);
copy($first[0], "$mixed/z-complaint.wal") or die;
copy($second, "$mixed/a-followups.wal") or die;
my $db2 = $t2->dir . '/mixed.db';
($rc, $so, $se) = $t2->posko('ingest', '--wal', $mixed, '--db', $db2);
is($rc, 0, 'ingest of the reordered segments') or diag($se);
like($so, qr/^ingest: 1 loaded, 0 quarantined, .* 3 follow-ups applied$/m,
     'the follow-ups waited for their complaint and were applied') or diag($so);
is(sql("SELECT group_concat(aksi, ',') FROM (SELECT aksi FROM events ORDER BY id)", $db2),
   'mulai_verifikasi,faktual,selesai', '... in their order');
is(sql("SELECT status FROM complaints WHERE kode = '$kode3'", $db2), 'selesai',
   'and the complaint is solved');

done_testing();
