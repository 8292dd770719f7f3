#!/usr/bin/perl
# The daily report's figures against this test's own arithmetic: a season
# of complaints with chosen times (received, verified factual or not,
# solved, closed, deadlines, units, ratings) is written into a database
# that posko made; `posko report --text` must give, line by line, what
# this test computes with SQL and Perl of its own.  Also: the empty day,
# a day with one complaint, the same figures for a past day however much
# was added later, and excerpts that never show numbers or addresses.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use File::Temp qw(tempdir);
use List::Util qw(sum0 max);
use POSIX qw(strftime floor ceil);
use PoskoTest;

plan skip_all => 'sqlite3 is not installed'
    unless grep { -x "$_/sqlite3" } split /:/, $ENV{PATH};

my $dir = tempdir(CLEANUP => 1);
my $db = "$dir/posko.db";
mkdir "$dir/wal" or die;
system("$PoskoTest::POSKO ingest --wal '$dir/wal' --db '$db' >/dev/null") == 0
    or die 'posko ingest did not make the database';

sub sql {
    my ($q, $file) = @_;
    open my $fh, '-|', 'sqlite3', '-batch', '-noheader', '-separator', '|',
        $file // $db, $q or die;
    my $r = do { local $/; <$fh> } // '';
    close $fh;
    die "sqlite3 failed: $q" if $?;
    $r =~ s/\n\z//;
    return $r;
}

sub iso { strftime('%Y-%m-%dT%H:%M:%S', gmtime $_[0]) . sprintf('.%03dZ', $_[1] // 0) }
sub num { my $n = reverse $_[0]; $n =~ s/(\d{3})(?=\d)/$1./g; scalar reverse $n }
sub dec { my $s = sprintf('%.1f', $_[0]); $s =~ tr/./,/; $s }
sub pct { $_[1] ? 100 * $_[0] / $_[1] : 0 }

# The report's day: 15 June 2026 in Asia/Riyadh (UTC+3): from 14 June
# 21:00 to 15 June 21:00 UTC.
my $from = 1781470800;   # 2026-06-14T21:00:00Z
my $to = $from + 86400;
is(iso($from), '2026-06-14T21:00:00.000Z', 'the day starts at 21:00 UTC');

my @kategori = qw(akomodasi konsumsi transportasi kesehatan bimbingan_ibadah
                  petugas dokumen lainnya);
my @lokasi = qw(makkah madinah jeddah arafah muzdalifah mina embarkasi lainnya);
my @embarkasi = qw(BTJ KNO BTH PDG PLM JKG JKS KJT SOC SUB BPN BDJ UPG LOP);
my @jenis = qw(kritik saran aduan informasi);
my @units = ('daker-makkah', 'sektor-madinah', 'layanan-konsumsi');
my %target = map { $_ => [24, 72] } @kategori;
$target{kesehatan} = [6, 24];
$target{transportasi} = [12, 48];

# -- a season: 20 days before the report's day, and some after it -------
srand(615);
my (@rows, $n);
for my $i (1 .. 600) {
    my $received = $from - 20 * 86400 + int(rand(23 * 86400));
    my $k = $kategori[rand @kategori];
    my %r = (kode => sprintf('T%03d-%04d-%04d', $i % 1000, $i, 7 * $i),
             jenis => $jenis[rand @jenis], kategori => $k,
             lokasi => $lokasi[rand @lokasi], embarkasi => $embarkasi[rand @embarkasi],
             pelapor => (qw(jemaah petugas), undef)[rand 3],
             received => $received,
             due_v => $received + $target{$k}[0] * 3600,
             due_s => $received + $target{$k}[1] * 3600,
             rating => rand() < 0.3 ? 1 + int rand 5 : undef,
             unit => rand() < 0.5 ? $units[rand @units] : undef,
             uraian => "Keluhan $i: hubungi 0812-3456-7890 atau budi$i\@contoh.id, kamar 12");
    if (rand() < 0.7) {
        $r{verified} = $received + int(rand(40 * 3600));
        $r{faktual} = rand() < 0.75 ? 1 : 0;
        if ($r{faktual} && rand() < 0.7) {
            $r{solved} = $r{verified} + int(rand(80 * 3600));
            # the pilgrim's answer on the status page, some after the day
            if (rand() < 0.5) {
                $r{handling} = 1 + int rand 5;
                $r{rated} = $r{solved} + int(rand(48 * 3600));
            }
        }
    }
    $r{closed} = $received + int(rand(10 * 86400)) if !$r{solved} && rand() < 0.05;
    push @rows, \%r;
}

open my $ins, '>', "$dir/rows.sql" or die;
print $ins "BEGIN;\n";
for my $r (@rows) {
    my @v = map { defined $_ ? "'" . s/'/''/gr . "'" : 'NULL' }
        @$r{qw(kode jenis pelapor kategori lokasi embarkasi uraian)},
        iso($r->{received}), 'x.wal', (map { defined $r->{$_} ? iso($r->{$_}) : undef }
            qw(verified solved closed due_v due_s rated)), $r->{unit};
    my $f = $r->{faktual} // 'NULL';
    my $rating = $r->{rating} // 'NULL';
    my $handling = $r->{handling} // 'NULL';
    print $ins "INSERT INTO complaints(kode, jenis, pelapor, kategori, lokasi,"
        . " embarkasi, uraian, received_at, wal_segment, verified_at,"
        . " solved_at, closed_at, due_verify, due_solve, dinilai_at, unit,"
        . " wal_offset, faktual, rating, rating_penanganan, status) VALUES ("
        . join(', ', @v) . ", 0, $f, $rating, $handling, 'diterima');\n";
}
print $ins "COMMIT;\n";
close $ins;
system("sqlite3 '$db' < '$dir/rows.sql'") == 0 or die 'insert failed';
is(sql('SELECT count(*) FROM complaints'), 600, '600 complaints written');

# -- the figures, computed here -------------------------------------------
my $T = iso($to);
my $F = iso($from);
my @season = grep { $_->{received} < $to } @rows;
my @day = grep { $_->{received} >= $from } @season;
sub before { defined $_[0] && $_[0] < $to }
sub today { defined $_[0] && $_[0] >= $from && $_[0] < $to }
sub state {
    my ($r) = @_;
    my $v = before($r->{verified});
    my $s = before($r->{solved});
    my $c = before($r->{closed});
    my $open = !$s && !$c && !($v && !$r->{faktual});
    return {
        v => $v, s => $s, c => $c, open => $open,
        overdue => $open && ($v ? $r->{due_s} < $to : $r->{due_v} < $to),
        verify_due => $v || (!$c && $r->{due_v} < $to),
        vot => $v && $r->{verified} <= $r->{due_v},
        solve_due => $s || ($v && $r->{faktual} && !$c && $r->{due_s} < $to),
        sot => $s && $r->{solved} <= $r->{due_s},
    };
}
my %st = map { $_->{kode} => state($_) } @season;
sub count { scalar grep { $_[0]->($_) } @season }

my $text = `$PoskoTest::POSKO report --db '$db' --date 2026-06-15 --text`;
is($?, 0, 'posko report --text') or diag($text);
my %line;
for (split /\n/, $text) { $line{$1} = $2 if /^\s+(.+?): (.*)$/ }

my @dj = map { my $j = $_; scalar grep { $_->{jenis} eq $j } @day } @jenis;
my @sj = map { my $j = $_; scalar grep { $_->{jenis} eq $j } @season } @jenis;
is($line{'Laporan masuk hari ini'},
   num(scalar @day) . " (kritik $dj[0], saran $dj[1], aduan $dj[2], informasi $dj[3])",
   'submissions today, by type');
is($line{'Laporan masuk musim ini'},
   num(scalar @season) . " (kritik $sj[0], saran $sj[1], aduan $sj[2], informasi $sj[3])",
   'submissions in the season, by type');
is($line{'Diverifikasi'}, sprintf('hari ini %d, musim ini %d',
   count(sub { $st{$_->{kode}}{v} && today($_->{verified}) }),
   count(sub { $st{$_->{kode}}{v} })), 'verified');
is($line{'Faktual'}, sprintf('hari ini %d, musim ini %d',
   count(sub { $st{$_->{kode}}{v} && $_->{faktual} && today($_->{verified}) }),
   count(sub { $st{$_->{kode}}{v} && $_->{faktual} })), 'factual');
is($line{'Selesai'}, sprintf('hari ini %d, musim ini %d',
   count(sub { today($_->{solved}) }), count(sub { $st{$_->{kode}}{s} })),
   'solved');
my $open = count(sub { $st{$_->{kode}}{open} });
my $overdue = count(sub { $st{$_->{kode}}{overdue} });
cmp_ok($overdue, '>', 0, 'some are past their deadline');
is($line{'Masih ditangani'}, "$open, melewati tenggat: $overdue",
   'open and overdue at the day\'s end');
my ($vd, $vo) = (count(sub { $st{$_->{kode}}{verify_due} }), count(sub { $st{$_->{kode}}{vot} }));
is($line{'Diverifikasi tepat waktu'}, "$vo dari $vd (" . dec(pct($vo, $vd)) . '%)',
   'verified within target');
my ($sd, $so) = (count(sub { $st{$_->{kode}}{solve_due} }), count(sub { $st{$_->{kode}}{sot} }));
is($line{'Selesai tepat waktu'}, "$so dari $sd (" . dec(pct($so, $sd)) . '%)',
   'solved within target');

# breakdowns, each section in the form's order, names from the reference data
sub section {
    my ($title) = @_;
    my ($body) = $text =~ /^\Q$title\E \(hari ini \/ musim ini\)\n((?:  .*\n)*)/m;
    return [map { [/^  (.*): (\S+) \/ (\S+)$/] } split /\n/, $body // ''];
}
my %names = (
    'Per kategori layanan' => ['kategori', [map { [$_, $_ eq 'bimbingan_ibadah' ? 'Bimbingan ibadah' : ucfirst $_] } @kategori]],
    'Per lokasi' => ['lokasi', [map { [$_, ucfirst $_] } @lokasi]],
    'Per embarkasi' => ['embarkasi', [map { [$_, sql("SELECT kota FROM ref_embarkasi WHERE kode = '$_'") . " ($_)"] } @embarkasi]],
    'Per pelapor' => ['pelapor', [['jemaah', 'Jemaah'], ['petugas', 'Petugas'], [undef, '(tidak diisi)']]],
);
for my $title (sort keys %names) {
    my ($col, $rows) = @{$names{$title}};
    my $want = join "\n", map {
        my ($key, $label) = @$_;
        my $match = sub { defined $key ? ($_[0]{$col} // '') eq $key : !defined $_[0]{$col} };
        sprintf('%s: %s / %s', $label, num(scalar grep { $match->($_) } @day),
                num(scalar grep { $match->($_) } @season));
    } @$rows;
    my $got = join "\n", map { "$_->[0]: $_->[1] / $_->[2]" } @{section($title)};
    is($got, $want, "$title: every row, today / season");
}

# the trend: every day of the season, the report's day last
my @trend = $text =~ /^  (\d{4}-\d\d-\d\d): (\S+) \/ (\S+)$/mg;
is($trend[-3], '2026-06-15', 'the trend ends on the report\'s day');
my %in_per_day;
$in_per_day{strftime('%Y-%m-%d', gmtime($_->{received} + 3 * 3600))}++ for @season;
my %out_per_day;
$out_per_day{strftime('%Y-%m-%d', gmtime($_->{solved} + 3 * 3600))}++
    for grep { before($_->{solved}) } @season;
my $trend_bad = 0;
for (my $i = 0; $i < @trend; $i += 3) {
    $trend_bad++ unless $trend[$i + 1] eq num($in_per_day{$trend[$i]} // 0)
                     && $trend[$i + 2] eq num($out_per_day{$trend[$i]} // 0);
}
is($trend_bad, 0, scalar(@trend) / 3 . ' days of the trend: received and solved per local day');

# response times: nearest-rank median and 90th percentile per category
sub nearest { my ($p, @v) = @_; return 0 unless @v; @v = sort { $a <=> $b } @v;
              my $r = ceil($p * @v - 1e-9); $r = 1 if $r < 1; $v[$r - 1] }
my $times_bad = 0;
for my $k (@kategori) {
    my @rk = grep { $_->{kategori} eq $k } @season;
    my @vh = map { ($_->{verified} - $_->{received}) / 3600 } grep { before($_->{verified}) } @rk;
    my @sh = map { ($_->{solved} - $_->{received}) / 3600 } grep { before($_->{solved}) } @rk;
    my $want = sprintf('verifikasi %s / %s / %s (%d), selesai %s / %s / %s (%d)',
        dec(nearest(0.5, @vh)), dec(nearest(0.9, @vh)), dec($target{$k}[0]), scalar @vh,
        dec(nearest(0.5, @sh)), dec(nearest(0.9, @sh)), dec($target{$k}[1]), scalar @sh);
    my $nk = $k eq 'bimbingan_ibadah' ? 'Bimbingan ibadah' : ucfirst $k;
    my ($got) = $text =~ /^  \Q$nk\E: (verifikasi .*)$/m;
    unless (($got // '') eq $want) { $times_bad++; diag("$k: got $got, want $want") }
}
is($times_bad, 0, 'response times per category against the targets');

# evaluation per category and per unit
my $eval_bad = 0;
for my $g (['kategori', [@kategori]], ['unit', [@units]]) {
    my ($col, $keys) = @$g;
    for my $key (@$keys) {
        my @rk = grep { ($_->{$col} // '') eq $key } @season;
        my $ver = grep { $st{$_->{kode}}{v} } @rk;
        my $fak = grep { $st{$_->{kode}}{v} && $_->{faktual} } @rk;
        my $sd = grep { $st{$_->{kode}}{solve_due} } @rk;
        my $so = grep { $st{$_->{kode}}{sot} } @rk;
        my @ra = map { $_->{rating} } grep { defined $_->{rating} } @rk;
        my $want = sprintf('volume %s, faktual %s%% dari %d terverifikasi, '
            . 'selesai tepat waktu %s%% dari %d', num(scalar @rk),
            dec(pct($fak, $ver)), $ver, dec(pct($so, $sd)), $sd);
        $want .= sprintf(', penilaian %s dari %d jemaah', dec(sum0(@ra) / @ra), scalar @ra) if @ra;
        my @ha = map { $_->{handling} } grep { defined $_->{handling} && before($_->{rated}) } @rk;
        $want .= sprintf(', penanganan %s dari %d jemaah', dec(sum0(@ha) / @ha), scalar @ha) if @ha;
        $want .= pct($so, $sd) >= 80 ? ', memenuhi standar' : ', di bawah standar' if $sd;
        my $nk = $col eq 'unit' ? sql("SELECT nama FROM ref_unit WHERE kode = '$key'")
               : $key eq 'bimbingan_ibadah' ? 'Bimbingan ibadah' : ucfirst $key;
        my ($got) = $text =~ /^  \Q$nk\E: (volume .*)$/m;
        unless (($got // '') eq $want) { $eval_bad++; diag("$key: got $got, want $want") }
    }
}
is($eval_bad, 0, 'the evaluation of every category and every unit');

# what needs attention: the same sentences from this test's own counts;
# the heaviest of each kind first, then the rest by weight
{
    my @points;
    for my $k (@kategori) {
        my $name = $k eq 'bimbingan_ibadah' ? 'Bimbingan ibadah' : ucfirst $k;
        my @rk = grep { $_->{kategori} eq $k } @season;
        my @od = grep { $st{$_->{kode}}{overdue} } @rk;
        push @points, [0, 100 + @od, sprintf('%s laporan %s melewati tenggat; yang terlama sudah menunggu %d hari.',
                       num(scalar @od), $name, floor(max(map { ($to - $_->{received}) / 86400 } @od)))] if @od;
        my $sd = grep { $st{$_->{kode}}{solve_due} } @rk;
        my $share = pct(scalar(grep { $st{$_->{kode}}{sot} } @rk), $sd);
        push @points, [1, 50 + 80 - $share, sprintf('Layanan %s: hanya %s%% aduan faktual selesai tepat waktu (standar 80%%).',
                       $name, dec($share))] if $sd >= 5 && $share < 80;
        my $today = grep { $_->{received} >= $from } @rk;
        my $usual = (grep { $_->{received} >= $from - 7 * 86400 && $_->{received} < $from } @rk) / 7;
        push @points, [2, 40 + $today / ($usual + 1), sprintf('Laporan %s melonjak: %s hari ini, rata-rata 7 hari sebelumnya %s.',
                       $name, num($today), sprintf('%.1f', $usual) =~ tr/./,/r)] if $today >= 5 && $today >= 2 * $usual;
    }
    @points = sort { $b->[1] <=> $a->[1] } @points;
    my (@chosen, %kind, %taken);
    for my $pass (0, 1) {
        for my $i (0 .. $#points) {
            next if @chosen == 3 || $taken{$i} || ($pass == 0 && $kind{$points[$i][0]});
            $taken{$i} = $kind{$points[$i][0]} = 1;
            push @chosen, $points[$i];
        }
    }
    @chosen = sort { $b->[1] <=> $a->[1] } @chosen;
    my $want = join "\n", map { '  ' . ($_ + 1) . '. ' . $chosen[$_][2] }
        0 .. $#chosen;
    my ($got) = $text =~ /^Perlu perhatian\n((?:  \d\. .*\n?)*)/m;
    $got =~ s/\n\z// if defined $got;
    cmp_ok(scalar(keys %kind), '>=', 2, 'the sentences are of more than one kind');
    is($got, $want, 'the three things that need attention, as sentences from the counts')
        or diag(join "\n", map { "$_->[1] $_->[2]" } @points);
}

# the oldest open complaints, with excerpts that hide numbers and addresses
my @oldest = map { $_->{kode} } (sort { $a->{received} <=> $b->{received} || $a->{kode} cmp $b->{kode} }
                                 grep { $st{$_->{kode}}{open} } @season)[0 .. 9];
my @listed = $text =~ /^  (T\d{3}-\d{4}-\d{4}) \| .* \| menunggu/mg;
is("@listed[0 .. 9]", "@oldest", 'the ten oldest open complaints, oldest first');
unlike($text, qr/0812|3456|\@contoh/, 'no phone number or e-mail address anywhere');
like($text, qr/hubungi \xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2 atau \xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2/,
     '... and shows where they were');

# the new factual complaints of the day
my $fresh = count(sub { $st{$_->{kode}}{v} && $_->{faktual} && today($_->{verified}) });
like($text, qr/^Aduan faktual baru hari ini \($fresh\)$/m, "$fresh new factual complaints today");

# -- a past day does not change when later days are loaded ----------------
my $past = `$PoskoTest::POSKO report --db '$db' --date 2026-06-10 --text`;
sql("INSERT INTO complaints(kode, jenis, kategori, uraian, received_at, wal_segment, wal_offset, status) VALUES ('LATE-0000-0000', 'aduan', 'akomodasi', 'nanti', '2026-06-20T10:00:00.000Z', 'y.wal', 0, 'diterima')");
sql("UPDATE complaints SET solved_at = '2026-06-19T10:00:00.000Z' WHERE solved_at IS NULL AND faktual = 1 AND received_at < '2026-06-09T00:00:00.000Z'");
is(`$PoskoTest::POSKO report --db '$db' --date 2026-06-10 --text`, $past,
   'a report for a past day is the same after later submissions and follow-ups');

# -- an empty day and a day with one complaint -----------------------------
my $e = tempdir(CLEANUP => 1);
mkdir "$e/wal";
system("$PoskoTest::POSKO ingest --wal '$e/wal' --db '$e/db' >/dev/null") == 0 or die;
my $empty = `$PoskoTest::POSKO report --db '$e/db' --date 2026-06-15 --text`;
is($?, 0, 'an empty database');
like($empty, qr/Laporan masuk hari ini: 0 \(kritik 0, saran 0, aduan 0, informasi 0\)/, '... nothing received');
like($empty, qr/1\. Tidak ada laporan yang menunggu tindak lanjut\./, '... and says there is nothing to do');
sql("INSERT INTO complaints(kode, jenis, kategori, uraian, received_at, wal_segment, wal_offset, status, due_verify, due_solve) VALUES ('SATU-0000-0001', 'aduan', 'akomodasi', 'satu', '2026-06-15T08:00:00.000Z', 'z.wal', 0, 'diterima', '2026-06-16T08:00:00.000Z', '2026-06-18T08:00:00.000Z')", "$e/db");
my $one = `$PoskoTest::POSKO report --db '$e/db' --date 2026-06-15 --text`;
like($one, qr/Laporan masuk hari ini: 1 \(kritik 0, saran 0, aduan 1, informasi 0\)/, 'one complaint');
like($one, qr/Masih ditangani: 1, melewati tenggat: 0/, '... open, within its deadline');
like($one, qr/^  2026-06-15: 1 \/ 0$/m, '... one day of trend');
like($one, qr/SATU-0000-0001 \| Akomodasi \| \(tidak diisi\) \| \(tidak diisi\) \| 0,5 hari/,
     '... listed, half a day old');

done_testing();
