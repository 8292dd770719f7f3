#!/usr/bin/perl
# The reference data file (data/referensi.ini) and deadlines: ingest loads
# the names behind the codes and the service-level targets, gives each
# complaint its due times by category, computes them again for every
# complaint when a target changes, and refuses a bad file with its line
# and reason, changing nothing.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use Time::Local qw(timegm);
use POSIX qw(strftime);
use PoskoTest;

plan skip_all => 'sqlite3 is not installed'
    unless grep { -x "$_/sqlite3" } split /:/, $ENV{PATH};

my $t = PoskoTest->new(<<'CONF');
    posko_wal %%WAL%%;
    server { listen 127.0.0.1:%%PORT%%; location = /kirim { posko_intake; } }
CONF
my $db = $t->dir . '/posko.db';
my $shipped = "$FindBin::Bin/../../data/referensi.ini";

sub sql {
    my ($q) = @_;
    my $r = `sqlite3 -batch -noheader -separator '|' "$db" "$q"`;
    die "sqlite3 failed: $q" if $?;
    chomp $r;
    return $r;
}

# the time hours after an ISO 8601 UTC time, computed here independently
sub plus {
    my ($iso, $hours) = @_;
    my ($y, $mo, $d, $h, $mi, $s, $ms) =
        $iso =~ /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{3})Z$/ or die $iso;
    my $t = timegm($s, $mi, $h, $d, $mo - 1, $y) + $hours * 3600;
    return strftime('%Y-%m-%dT%H:%M:%S', gmtime $t) . ".${ms}Z";
}

my %kode;
for my $k (qw(kesehatan transportasi akomodasi)) {
    my $r = $t->post('/kirim', PoskoTest::form(jenis => 'aduan',
        kategori => $k, embarkasi => 'SOC', uraian => "Keluhan $k"),
        Accept => 'application/json');
    ($kode{$k}) = $r->{body} =~ /"kode":"([^"]+)"/;
}

my ($rc, $so, $se) = $t->posko('ingest', '--wal', $t->wal, '--db', $db,
                               '--ref', $shipped);
is($rc, 0, 'ingest with the shipped reference file') or diag($se);

is(sql("SELECT kota FROM ref_embarkasi WHERE kode = 'SOC'"), 'Solo',
   'embarkation SOC is the city of Solo');
is(sql('SELECT count(*) FROM ref_kategori'), 8, 'eight categories');
cmp_ok(sql('SELECT count(*) FROM ref_unit'), '>=', 5, 'officers\' units');

my %want = (kesehatan => [6, 24], transportasi => [12, 48],
            akomodasi => [24, 72]);
for my $k (sort keys %want) {
    my ($at, $dv, $ds) = split /\|/,
        sql("SELECT received_at, due_verify, due_solve FROM complaints"
            . " WHERE kode = '$kode{$k}'");
    is($dv, plus($at, $want{$k}[0]), "$k: verified within $want{$k}[0] hours");
    is($ds, plus($at, $want{$k}[1]), "$k: solved within $want{$k}[1] hours");
}

# a changed target: every complaint's deadline is computed again
my $changed = $t->dir . '/referensi.ini';
open my $in, '<', $shipped or die;
open my $out, '>', $changed or die;
while (<$in>) {
    s/^verifikasi = 24$/verifikasi = 36/;
    s/^selesai.kesehatan = 24$/selesai.kesehatan = 12.5/;
    print $out $_;
}
close $out;
($rc, $so, $se) = $t->posko('ingest', '--wal', $t->wal, '--db', $db,
                            '--ref', $changed);
is($rc, 0, 'ingest with changed targets') or diag($se);
my ($at, $dv) = split /\|/, sql("SELECT received_at, due_verify FROM complaints"
                               . " WHERE kode = '$kode{akomodasi}'");
is($dv, plus($at, 36), 'the default target moved: 36 hours now');
($at, my $ds) = split /\|/, sql("SELECT received_at, due_solve FROM complaints"
                               . " WHERE kode = '$kode{kesehatan}'");
is($ds, plus($at, 12.5), 'a category\'s target moved: 12.5 hours now');

# bad files: the line and the reason, exit 1, nothing changed
my $before = sql('SELECT group_concat(langkah || kategori || jam) FROM sla')
    . sql('SELECT group_concat(due_verify) FROM complaints');
my @bad = (
    ["[tenggat]\nverifikasi = nol\nselesai = 72\n",
     qr/line 2: \[tenggat\] verifikasi = nol: hours must be a number above 0/],
    ["[kategori]\nakomodasi = Akomodasi\n[tenggat]\nverifikasi = 5\nselesai = 9\nselesai.zakat = 3\n",
     qr/line 6: \[tenggat\] selesai.zakat: no category zakat/],
    ["[tempat]\nx = y\n", qr/line 2: unknown section \[tempat\]/],
    ["[tenggat]\nverifikasi = 5\nlangkah.lain = 3\n",
     qr/line 3: \[tenggat\] langkah.lain: the step must be verifikasi or selesai/],
    ["[unit]\nsektor-1 = Sektor 1\nsektor-1 = Lagi\n[tenggat]\n",
     qr/line 3: \[unit\] sektor-1 is listed twice/],
    ["[tenggat]\nverifikasi = 5\n", qr/\[tenggat\] needs verifikasi = HOURS and selesai = HOURS/],
    ["ini bukan baris\n", qr/line 1: not a "name = value" line/],
);
for my $i (0 .. $#bad) {
    my $f = $t->dir . "/bad$i.ini";
    open my $fh, '>', $f or die;
    print $fh $bad[$i][0];
    close $fh;
    ($rc, $so, $se) = $t->posko('ingest', '--wal', $t->wal, '--db', $db,
                                '--ref', $f);
    is($rc, 1, "bad file $i: exit 1");
    like($se, $bad[$i][1], "... $bad[$i][1]");
}
($rc, $so, $se) = $t->posko('ingest', '--wal', $t->wal, '--db', $db,
                            '--ref', $t->dir . '/nowhere.ini');
is($rc, 1, 'a missing file: exit 1');
like($se, qr/cannot read the reference file .*nowhere\.ini/, '... naming it');
is(sql('SELECT group_concat(langkah || kategori || jam) FROM sla')
   . sql('SELECT group_concat(due_verify) FROM complaints'), $before,
   'no bad file changed the targets or the deadlines');

done_testing();
