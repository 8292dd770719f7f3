#!/usr/bin/perl
# A full disk.  The WAL lives on a small tmpfs; complaints are posted until
# the intake answers 503: every answer is a 201 or a 503 with Retry-After
# and the Indonesian message, and the error log says "No space left on
# device".  Then the segments are moved out to free the space, and new
# submissions succeed again without restarting nginx.  Ingesting both
# folders loads every acknowledged code exactly once.
#
# Needs root (mount -t tmpfs); skipped otherwise.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PoskoTest;
use File::Copy qw(move);
use Time::HiRes qw(sleep time);

plan skip_all => 'needs root to mount a tmpfs' unless $> == 0;

my $t = PoskoTest->new(<<'CONF', no_start => 1);
    posko_wal %%DIR%%/full;
    posko_wal_segment_size 1m;
    server { listen 127.0.0.1:%%PORT%%; location = /kirim { posko_intake; } }
CONF

my $dir = $t->dir;
my $full = "$dir/full";
my $moved = "$dir/moved";
my $db = "$dir/posko.db";
mkdir $_ or die "mkdir $_: $!" for $full, $moved;

my $mounted = 0;
END {
    # nginx first: a worker holding a segment open keeps the mount busy
    $t->stop if $t;
    if ($mounted) {
        system('umount', $full) == 0 or system('umount', '-l', $full);
        $mounted = 0;
    }
}
$SIG{INT} = $SIG{TERM} = sub { exit 1 };   # so that END unmounts

if (system("mount -t tmpfs -o size=256k,mode=0755 posko-full '$full' 2>/dev/null") != 0) {
    plan skip_all => 'mount -t tmpfs does not work here';
}
$mounted = 1;
$t->start;

my $uraian = 'Kamar hotel di Misfalah tidak ada air panas dan AC rusak. ' x 25;
my $n = 0;
sub submission {
    $n++;
    my $body = PoskoTest::form(jenis => 'aduan', kategori => 'akomodasi',
                               lokasi => 'makkah', uraian => "$uraian ($n)");
    return "POST /kirim HTTP/1.1\r\nHost: x\r\n"
        . "Accept: application/json\r\n"
        . "Content-Type: application/x-www-form-urlencoded\r\n"
        . "Content-Length: " . length($body) . "\r\n\r\n$body";
}

my $conn;
sub send_one {
    $conn //= $t->connect;
    my $r = $conn->send(submission());
    undef $conn if !$r || ($r->{headers}{connection} // '') =~ /close/i;
    return $r;
}

# 1. fill the disk
my $t0 = time;
my (%acked, %status, @odd, $first_503);
my ($bad_503, $in_a_row) = (0, 0);
for my $i (1 .. 3000) {
    my $r = send_one();
    my $s = $r ? $r->{status} : 'closed';
    $status{$s}++;
    if ($s eq '201') {
        my ($k) = $r->{body} =~ /"kode":"([^"]+)"/;
        $acked{$k}++ if $k;
        $in_a_row = 0;
    } elsif ($s eq '503') {
        $first_503 //= $i;
        $bad_503++ unless ($r->{headers}{'retry-after'} // '') =~ /^\d+$/
                       && $r->{body} =~ /Laporan belum tersimpan/;
        last if ++$in_a_row >= 10;
    } else {
        push @odd, $r ? $r->{raw} : 'connection closed without an answer';
        $in_a_row = 0;
    }
}
diag('filling: ' . join(', ', map { "$_: $status{$_}" } sort keys %status)
     . sprintf(' in %.1f s, first 503 at submission %s', time - $t0,
               $first_503 // '-'));
is(scalar @odd, 0, 'every answer was a 201 or a 503') or diag($odd[0]);
cmp_ok($status{201} // 0, '>', 20, 'submissions were acknowledged before the disk filled');
ok($first_503, 'a full disk turns answers into 503');
is($in_a_row, 10, 'and they stay 503 while it is full');
is($bad_503, 0, 'every 503 has Retry-After and "Laporan belum tersimpan"');
is(scalar(grep { $_ > 1 } values %acked), 0, 'no code was given twice');

my $log = $t->error_log;
my @crit = grep { /No space left on device/ } split /\n/, $log;
ok(@crit, 'the error log names the failure: No space left on device')
    or diag($log);
diag($crit[0]) if @crit;
like($log, qr/posko: \S.* of WAL segment "\Q$full\E\/[^"]+" failed/,
     'and which call on which segment failed');

# 2. free the space: the segments go elsewhere (for ingest later)
my @files = grep { -f } glob "$full/*";
my $bytes = 0;
$bytes += -s $_ for @files;
for my $f (@files) {
    move($f, $moved) or die "move $f: $!";
}
diag(scalar(@files) . " files ($bytes bytes) moved off the full tmpfs");
ok(!glob("$full/*"), 'the tmpfs is empty again');

my %status2;
for (1 .. 20) {
    my $r = send_one();
    my $s = $r ? $r->{status} : 'closed';
    $status2{$s}++;
    if ($s eq '201') {
        my ($k) = $r->{body} =~ /"kode":"([^"]+)"/;
        $acked{$k}++ if $k;
    }
}
is($status2{201} // 0, 20, 'with space again, new submissions succeed without a restart')
    or diag(join ', ', map { "$_: $status2{$_}" } sort keys %status2);
cmp_ok(scalar(() = glob "$full/*.wal"), '>=', 1, 'into a new segment on the tmpfs');
$log = $t->error_log;
is(scalar(() = $log =~ /\[crit\].*posko: .* of WAL segment/g), 1,
   'the incident is logged once at crit, however many batches failed');
like($log, qr/\[notice\].*posko: WAL writes to "\Q$full\E" work again after \d+ failed batches/,
     'and its end is logged too');
is(scalar(() = glob "$moved/*.wal") - scalar(grep { -s $_ } glob "$moved/*.wal"), 0,
   'no empty segment files were left behind by failed opens');
diag(scalar(keys %acked) . ' acknowledged codes in all');

# 3. both folders into one database
for my $wal ($moved, $full) {
    my ($rc, $so, $se) = $t->posko('ingest', '--wal', $wal, '--db', $db);
    is($rc, 0, "ingest of $wal succeeds") or diag($se);
    chomp $so;
    diag($so);
}
my %db;
$db{$_}++ for split /\n/, `sqlite3 "$db" "SELECT kode FROM complaints"`;
my @missing = sort grep { !$db{$_} } keys %acked;
is(scalar @missing, 0, 'every acknowledged code is in the database')
    or diag('missing: ' . join ' ', @missing[0 .. ($#missing < 9 ? $#missing : 9)]);
is(scalar(grep { $db{$_} > 1 } keys %db), 0, '... exactly once');
my ($tails, @other) = PoskoTest::quarantine_check($db, $moved, $full);
diag("$tails torn tails (writes cut short by ENOSPC) quarantined");
is(scalar @other, 0, 'nothing else quarantined')
    or diag(join "\n", @other);
diag(scalar(keys %db) . ' complaints loaded, '
     . (scalar(keys %db) - scalar(keys %acked)) . ' of them from 503 answers');


done_testing();
