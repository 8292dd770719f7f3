#!/usr/bin/perl
# End to end: a pilgrim's form POST becomes a row in SQLite (byte for
# byte), a second ingest loads nothing, and the day's PDF report counts it.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PoskoTest;

for my $tool (qw(sqlite3 pdftotext pngcheck)) {
    plan skip_all => "$tool is not installed"
        unless grep { -x "$_/$tool" } split /:/, $ENV{PATH};
}

my $t = PoskoTest->new(<<'CONF');
    posko_wal %%WAL%%;
    server { listen 127.0.0.1:%%PORT%%; location = /kirim { posko_intake; } }
CONF

my $db = $t->dir . '/posko.db';
my $out = $t->dir . '/laporan';

sub sql {
    my ($q) = @_;
    my $r = `sqlite3 -batch -noheader "$db" "$q"`;
    die "sqlite3 failed: $q" if $?;
    chomp $r;
    return $r;
}

# Indonesian text with '+', '&' (sent as %26), a newline, Arabic, an emoji
my $uraian = "Kamar 12+3 di hotel & lift mati\nمشكلة في الغرفة \x{1F625}";
utf8::encode($uraian);
my %fields = (
    jenis => 'aduan', pelapor => 'jemaah', kategori => 'akomodasi',
    lokasi => 'madinah', embarkasi => 'SOC', kloter => 'SOC-12',
    uraian => $uraian, nama => 'Siti Aminah', telepon => '+62 812-3456',
    email => 'siti@example.id', rating => '2',
);
my $body = PoskoTest::form(%fields);
like($body, qr/12%2B3/, 'the + is sent percent-encoded');
like($body, qr/%26/, 'the & is sent as %26');

my $r = $t->post('/kirim', $body, Accept => 'application/json');
is($r->{status}, 201, 'submitted');
my ($kode) = $r->{body} =~ /"kode":"([^"]+)"/;
ok($kode, "tracking code $kode");

# a second complaint, from the browser, of another kind
$r = $t->post('/kirim', PoskoTest::form(jenis => 'saran',
    kategori => 'konsumsi', uraian => 'Menu lebih bervariasi'));
is($r->{status}, 303, 'a second submission');

my ($rc, $so, $se) = $t->posko('ingest', '--wal', $t->wal, '--db', $db);
is($rc, 0, 'ingest succeeds') or diag($se);
like($so, qr/^ingest: 2 loaded, 0 quarantined/, 'ingest reports two rows');
is(sql('SELECT count(*) FROM complaints'), 2, 'two rows');

for my $f (sort keys %fields) {
    my $want = $f eq 'rating' ? $fields{$f} : uc unpack('H*', $fields{$f});
    my $expr = $f eq 'rating' ? 'rating' : "hex($f)";
    is(sql("SELECT $expr FROM complaints WHERE kode = '$kode'"), $want,
       "$f stored byte for byte");
}
is(sql("SELECT status FROM complaints WHERE kode = '$kode'"), 'diterima',
   'status is diterima');
like(sql("SELECT received_at FROM complaints WHERE kode = '$kode'"),
     qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'received_at is ISO 8601 UTC');

my $mode = (stat $db)[2] & 07777;
is($mode & 07, 0, 'the database is not world-readable');

($rc, $so, $se) = $t->posko('ingest', '--wal', $t->wal, '--db', $db);
is($rc, 0, 'a second ingest succeeds');
like($so, qr/^ingest: 0 loaded/, 'and loads nothing');
is(sql('SELECT count(*) FROM complaints'), 2, 'still two rows');

# one ingest at a time: a second one says so and loads nothing
{
    use Fcntl qw(:flock);
    open my $lock, '>>', "$db.lock" or die $!;
    flock($lock, LOCK_EX) or die $!;
    ($rc, $so, $se) = $t->posko('ingest', '--wal', $t->wal, '--db', $db);
    is($rc, 1, 'ingest while another holds the lock: exit 1');
    like($se, qr/another ingest is running on .*posko\.db \(it holds .*posko\.db\.lock\); nothing was loaded/,
         '... saying why');
    close $lock;
}

# a third complaint after the first ingest is picked up from the checkpoint
$r = $t->post('/kirim', PoskoTest::form(jenis => 'kritik',
    kategori => 'transportasi', uraian => 'Bus terlambat'));
($rc, $so) = $t->posko('ingest', '--wal', $t->wal, '--db', $db);
like($so, qr/^ingest: 1 loaded/, 'ingest loads only the new record');
is(sql('SELECT count(*) FROM complaints'), 3, 'three rows');

# the day's report, in Asia/Riyadh
my $day = `TZ=Asia/Riyadh date +%F`;
chomp $day;
($rc, $so, $se) = $t->posko('report', '--db', $db, '--date', $day,
                            '--out', $out);
is($rc, 0, 'report succeeds') or diag($se);
my $pdf = "$out/posko-$day.pdf";
ok(-s $pdf, "the PDF exists: posko-$day.pdf");
my $text = `pdftotext -layout "$pdf" -`;
like($text, qr/Laporan masuk hari ini\s+Selesai.*\n\s*\n*\s*3\s/, 'pdftotext finds the day\'s total');
unlike($text, qr/812-3456|siti\@example/, 'no phone or e-mail in the report');
my @png = glob "$out/posko-$day-*.png";
ok(@png >= 1, 'a PNG chart beside the PDF');
for my $png (@png) {
    my $check = `pngcheck "$png" 2>&1`;
    is($?, 0, "the PNG opens: $check");
}

# usage errors are clear
($rc, $so, $se) = $t->posko('report', '--db', $db, '--date', '2026-02-30',
                            '--out', $out);
is($rc, 2, 'an impossible date is a usage error');
($rc, $so, $se) = $t->posko('ingest', '--db', $db);
is($rc, 2, 'ingest without --wal is a usage error');
like($se, qr/--wal DIR is required/, '... saying what is missing');

done_testing();
