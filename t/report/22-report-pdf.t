#!/usr/bin/perl
# The daily report as files: the PDF read back with poppler's tools
# (metadata, page count, every page's day and time zone, the figures of
# `posko report --text` - which t/21 checks against its own arithmetic -
# on the pages), qpdf's check, bookmarks, the PNG charts' sizes, the same
# bytes for the same database and day, latest.pdf, and delivery through
# sendmail as one MIME message with the PDF attached.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use File::Temp qw(tempdir);
use MIME::Base64 qw(decode_base64);
use PoskoTest;

for my $tool (qw(sqlite3 pdftotext pdfinfo qpdf)) {
    plan skip_all => "$tool is not installed"
        unless grep { -x "$_/$tool" } split /:/, $ENV{PATH};
}

my $POSKO = $PoskoTest::POSKO;
my $dir = tempdir(CLEANUP => 1);
my $db = "$dir/posko.db";
mkdir "$dir/wal" or die;
system("$POSKO ingest --wal '$dir/wal' --db '$db' >/dev/null") == 0 or die;

# a season of complaints around 15 June 2026, some verified, solved, late
srand(22);
my @kat = qw(akomodasi konsumsi transportasi kesehatan dokumen);
open my $sql, '|-', 'sqlite3', $db or die;
print $sql "BEGIN;\n";
for my $i (1 .. 400) {
    my $t = 1781470800 - 12 * 86400 + int rand(13 * 86400);
    my $iso = sub { my @g = gmtime $_[0]; sprintf('%04d-%02d-%02dT%02d:%02d:%02d.000Z',
        $g[5] + 1900, $g[4] + 1, @g[3, 2, 1, 0]) };
    my ($v, $s, $f) = ('NULL', 'NULL', 'NULL');
    if (rand() < 0.7) {
        $v = "'" . $iso->($t + int rand 30 * 3600) . "'";
        $f = rand() < 0.8 ? 1 : 0;
        $s = "'" . $iso->($t + 30 * 3600 + int rand 60 * 3600) . "'" if $f && rand() < 0.6;
    }
    my $k = $kat[rand @kat];
    printf $sql "INSERT INTO complaints(kode, jenis, kategori, lokasi, embarkasi,"
        . " uraian, received_at, verified_at, solved_at, faktual, due_verify,"
        . " due_solve, unit, rating, wal_segment, wal_offset, status) VALUES"
        . " ('R%03d-%04d-0000', '%s', '%s', 'madinah', 'SOC', 'Kamar %d: telepon"
        . " 0812 3456 7890, email r%d\@contoh.id', '%s', %s, %s, %s, '%s', '%s',"
        . " %s, %s, 's.wal', 0, 'diterima');\n",
        $i % 1000, $i, (qw(kritik saran aduan informasi))[$i % 4], $k, $i, $i,
        $iso->($t), $v, $s, $f, $iso->($t + 24 * 3600), $iso->($t + 72 * 3600),
        rand() < 0.5 ? "'daker-madinah'" : 'NULL', rand() < 0.3 ? 1 + int rand 5 : 'NULL';
}
print $sql "COMMIT;\n";
close $sql or die 'insert failed';

my $out = "$dir/laporan";
my $text = `$POSKO report --db '$db' --date 2026-06-15 --text`;
is($?, 0, 'the figures as text');
my $r = `$POSKO report --db '$db' --date 2026-06-15 --out '$out' 2>&1`;
is($?, 0, 'posko report writes the files') or diag($r);
like($r, qr{^report: \Q$out\E/posko-2026-06-15\.pdf \(\d+ submissions on 2026-06-15, 5 charts\)$},
     'and says so in one line');
my $pdf = "$out/posko-2026-06-15.pdf";
ok(-s $pdf, 'the PDF');

# -- metadata, structure ----------------------------------------------------
my $info = `pdfinfo '$pdf'`;
like($info, qr/^Title:\s+Laporan Evaluasi Harian Posko Pengaduan Jemaah Haji 2026-06-15$/m, 'title');
like($info, qr/^Author:\s+Tim Pemantauan dan Evaluasi Kinerja Petugas dan Layanan$/m, 'author');
like($info, qr/^Subject:\s+\S/m, 'subject');
like($info, qr/^CreationDate:\s+.*Jun 15 00:00:00 2026/m, 'dated by the report\'s day');
like($info, qr/^Pages:\s+6$/m, 'six pages');
like($info, qr/^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/m, 'A4');
my $check = `qpdf --check '$pdf' 2>&1`;
is($?, 0, 'qpdf --check passes') or diag($check);
my $outline = `qpdf --json --json-key=outlines '$pdf' 2>/dev/null`;
my @titles = $outline =~ /"title":\s*"([^"]+)"/g;
is("@titles", 'Ringkasan Tren Rincian laporan Waktu tanggapan Evaluasi kinerja Daftar aduan',
   'a bookmark for each section');
my $fonts = `pdffonts '$pdf'`;
unlike($fonts, qr/\bno\s+no\b/, 'every font is embedded');

# -- every page: its day and zone, its number --------------------------------
for my $p (1 .. 6) {
    my $page = `pdftotext -layout -f $p -l $p '$pdf' -`;
    like($page, qr/posko — 2026-06-15 \(Asia\/Riyadh\) — halaman $p dari 6/,
         "page $p names the day, the zone and its number");
}

# -- the figures on the pages --------------------------------------------------
my $all = `pdftotext -layout '$pdf' -`;
(my $flat = `pdftotext '$pdf' -`) =~ s/\s+/ /g;
my %line;
for (split /\n/, $text) { $line{$1} = $2 if /^\s+(.+?): (.*)$/ }
my ($day_total) = $line{'Laporan masuk hari ini'} =~ /^(\S+)/;
my ($season_total) = $line{'Laporan masuk musim ini'} =~ /^(\S+)/;
my ($open, $overdue) = $line{'Masih ditangani'} =~ /^(\S+), melewati tenggat: (\S+)$/;
my ($so, $sd, $sp) = $line{'Selesai tepat waktu'} =~ /^(\S+) dari (\S+) \((\S+)%\)$/;
my ($vo, $vd, $vp) = $line{'Diverifikasi tepat waktu'} =~ /^(\S+) dari (\S+) \((\S+)%\)$/;
# the four cards: the labels' line, then the values, then the notes
my @p1 = grep { /\S/ } split /\n/, `pdftotext -layout -f 1 -l 1 '$pdf' -`;
my ($at) = grep { $p1[$_] =~ /Laporan masuk hari ini\s+Selesai tepat waktu/ } 0 .. $#p1;
my @values = split ' ', $p1[$at + 1] // '';
is("@values", "$day_total $sp% $open $vp%",
   "the cards: today $day_total, solved within target $sp%, open $open, verified within target $vp%");
like($p1[$at + 2] // '', qr/musim ini \Q$season_total\E\s+\Q$so\E dari \Q$sd\E; standar 80%\s+\Q$overdue\E melewati tenggat\s+\Q$vo\E dari \Q$vd\E/,
     '... and their notes');
for my $attention ($text =~ /^\s+\d\. (.*)$/mg) {
    (my $a = $attention) =~ s/\s+/ /g;
    like($flat, qr/\Q$a\E/, "attention: $a");
}
my @jenis = $line{'Laporan masuk musim ini'} =~ /(kritik|saran|aduan|informasi) ([\d.]+)/g;
my %season_jenis = @jenis;
for my $j (sort keys %season_jenis) {
    my $label = ucfirst $j;
    like($all, qr/\Q$label\E\s+\S+\s+\Q$season_jenis{$j}\E/, "$label in the season: $season_jenis{$j}");
}
for my $kode ($text =~ /^  (R\d{3}-\d{4}-0000) \|/mg) {
    like($all, qr/\Q$kode\E/, "listed complaint $kode");
}
unlike($all, qr/0812|3456 7890|\@contoh/, 'no phone number or e-mail address in the PDF');

# -- PNG charts -------------------------------------------------------------------
my %size = (tren => [1200, 700], kategori => [1200, 700], lokasi => [1200, 700],
            embarkasi => [1200, 900], 'per-kategori' => [1200, 1000]);
for my $name (sort keys %size) {
    my $png = "$out/posko-2026-06-15-$name.png";
    open my $fh, '<:raw', $png or do { fail("$png: $!"); next };
    read $fh, my $head, 24;
    my ($w, $h) = unpack 'x16 N N', $head;
    is("$w x $h", "$size{$name}[0] x $size{$name}[1]", "$name.png is $size{$name}[0] x $size{$name}[1]");
}

# -- the same bytes; latest.pdf ----------------------------------------------------
sub slurp { local $/; open my $fh, '<:raw', $_[0] or die "$_[0]: $!"; <$fh> }
my $first = slurp($pdf);
system("$POSKO report --db '$db' --date 2026-06-15 --out '$out' >/dev/null") == 0 or die;
ok(slurp($pdf) eq $first, 'the same database and day give the same bytes');
is(readlink("$out/latest.pdf"), 'posko-2026-06-15.pdf', 'latest.pdf points at it');
system("$POSKO report --db '$db' --date 2026-06-14 --out '$out' >/dev/null") == 0 or die;
is(readlink("$out/latest.pdf"), 'posko-2026-06-15.pdf', 'a report for an earlier day leaves latest.pdf alone');
my $mode = (stat $pdf)[2] & 07777;
is(sprintf('%o', $mode & 07), '0', 'reports are not world-readable');

# -- delivery through sendmail -----------------------------------------------------
my $capture = "$dir/sendmail";
open my $sm, '>', $capture or die;
print $sm "#!/bin/sh\necho \"\$*\" > '$dir/args'\ncat > '$dir/mail'\n";
close $sm;
chmod 0755, $capture;
$r = `POSKO_SENDMAIL='$capture' $POSKO report --db '$db' --date 2026-06-15 --out '$out' --mail-to pimpinan\@kemenag.example --mail-from posko\@kemenag.example 2>&1`;
is($?, 0, 'mailed') or diag($r);
like($r, qr/mailed to 1\)$/, '... and says so');
is(slurp("$dir/args"), "-t -oi\n", 'sendmail -t -oi');
my $mail = slurp("$dir/mail");
like($mail, qr/^To: pimpinan\@kemenag\.example$/m, 'To');
like($mail, qr/^From: posko\@kemenag\.example$/m, 'From');
like($mail, qr/^Subject: =\?UTF-8\?Q\?Laporan_evaluasi_harian_posko_2026-06-15\?=$/m, 'Subject');
like($mail, qr/^Content-Type: multipart\/mixed; boundary="([^"]+)"$/m, 'MIME, multipart');
like($mail, qr/Laporan masuk hari ini: \Q$line{'Laporan masuk hari ini'}\E/, 'the figures in the body');
my ($b64) = $mail =~ /Content-Transfer-Encoding: base64\n\n(.*?)\n--/s;
ok(defined $b64 && decode_base64($b64) eq slurp($pdf), 'the PDF attached, byte for byte');

# -- refusals ----------------------------------------------------------------------
my @bad = (
    [['--mail-to', 'bukan alamat'], 2, qr/--mail-to 'bukan alamat' is not one e-mail address/],
    [['--mail-to', "a\@b.c\nBcc: x\@y.z"], 2, qr/is not one e-mail address/],
    [['--mail-to', 'a@b.c,d@e.f'], 2, qr/is not one e-mail address/],
    [['--mail-from', 'x'], 2, qr/--mail-from 'x' is not one e-mail address/],
    [['--tz', 'Bulan/Mars'], 2, qr/--tz 'Bulan\/Mars' is not a known time zone/],
);
for my $b (@bad) {
    my ($args, $code, $msg) = @$b;
    my @cmd = ($POSKO, 'report', '--db', $db, '--out', "$dir/tidak", '--date', '2026-06-15', @$args);
    my $pid = open(my $fh, '-|') // die;
    if (!$pid) { open STDERR, '>&', \*STDOUT; exec @cmd or POSIX::_exit(127) }
    my $got = do { local $/; <$fh> };
    close $fh;
    is($? >> 8, $code, "@$args: exit $code");
    like($got, $msg, '... with the reason');
}
ok(!-e "$dir/tidak", 'a refused report writes nothing');
$r = `POSKO_SENDMAIL=/tidak/ada $POSKO report --db '$db' --date 2026-06-15 --out '$out' --mail-to a\@b.c 2>&1`;
is($? >> 8, 1, 'no sendmail: exit 1');
like($r, qr/no sendmail at \/tidak\/ada/, '... saying what is missing');

done_testing();
