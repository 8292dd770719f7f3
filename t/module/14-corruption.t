#!/usr/bin/perl
# Damage in real segments written by nginx: every truncation of the last
# record of the live segment, and random single-bit flips in a finished
# one.  `posko wal check` and `posko ingest` never crash, load every intact
# record, and report each damaged one at its offset.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use File::Copy qw(copy);
use File::Path qw(make_path remove_tree);
use PoskoTest;

my $t = PoskoTest->new(<<'CONF');
    posko_wal %%WAL%%;
    posko_wal_segment_size 2k;
    server { listen 127.0.0.1:%%PORT%%; location = /kirim { posko_intake; } }
CONF

for my $i (1 .. 30) {
    my $r = $t->post('/kirim', PoskoTest::form(jenis => 'aduan',
        kategori => 'konsumsi', uraian => "Laporan nomor $i " . ('x' x (3 * $i))),
        Accept => 'application/json');
    die "submission $i: $r->{status}" unless $r->{status} == 201;
}
$t->stop;

my @segments = sort glob $t->wal . '/*.wal';
cmp_ok(scalar @segments, '>=', 3, scalar(@segments) . ' segments');

sub slurp { local $/; open my $fh, '<:raw', $_[0] or die "$_[0]: $!"; <$fh> }
sub spew { open my $fh, '>:raw', $_[0] or die; print $fh $_[1]; close $fh }

# offsets of the records in a segment, by walking the frames up to the
# zeros of preallocated space
sub records {
    my ($bytes) = @_;
    my @at;
    my $o = 128;
    while ($o + 12 <= length $bytes) {
        last if substr($bytes, $o, 12) eq "\0" x 12;
        my $len = unpack 'V', substr($bytes, $o + 4, 4);
        last if $o + 12 + $len > length $bytes;
        push @at, [$o, 12 + $len, ord substr($bytes, $o + 8, 1)];
        $o += 12 + $len;
    }
    return @at;
}

my $work = $t->dir . '/work';
my %orig = map { $_ => slurp($_) } @segments;
my $total = 0;
$total += grep { $_->[2] == 1 } records($orig{$_}) for @segments;
is($total, 30, 'the segments hold the 30 submissions');

# Runs check and ingest on a copy of the WAL with one segment replaced.
sub run_on {
    my ($seg, $bytes) = @_;
    remove_tree($work);
    make_path("$work/wal");
    for (@segments) {
        my ($name) = m{([^/]+)$};
        if ($_ eq $seg) { spew("$work/wal/$name", $bytes) }
        else { copy($_, "$work/wal/$name") or die }
    }
    my ($crc, $cout) = $t->posko('wal', 'check', "$work/wal");
    my ($irc, $iout, $ierr) = $t->posko('ingest', '--wal', "$work/wal",
                                        '--db', "$work/db");
    my ($loaded) = $iout =~ /^ingest: (\d+) loaded/;
    my $q = `sqlite3 "$work/db" "SELECT offset FROM quarantine ORDER BY offset"`;
    return ($crc, $cout, $irc, $loaded // -1, [split /\n/, $q], $ierr);
}

# 1. the live (newest) segment: every cut inside its last record
my $live = $segments[-1];
my @recs = records($orig{$live});
my ($lo, $llen) = @{$recs[-1]};
my ($bad, $n) = (0, 0);
for my $cut ($lo + 1 .. $lo + $llen - 1) {
    my ($crc, $cout, $irc, $loaded, $q) =
        run_on($live, substr($orig{$live}, 0, $cut));
    $n++;
    $bad++ unless $crc == 0 && $cout =~ /unfinished tail at offset $lo: / &&
                  $irc == 0 && $loaded == 29 && !@$q;
}
is($bad, 0, "$n cuts in the last record: a tail at $lo, 29 loaded, "
           . 'nothing quarantined, no crash');

# 1b. the same cuts inside preallocated space: the torn record is followed
# by the zeros the writer set aside, up to the file's full length
($bad, $n) = (0, 0);
my $full = length $orig{$live};
for (my $cut = $lo + 1; $cut < $lo + $llen; $cut += 7) {
    my ($crc, $cout, $irc, $loaded, $q) =
        run_on($live, substr($orig{$live}, 0, $cut) . "\0" x ($full - $cut));
    $n++;
    $bad++ unless $crc == 0 && $cout =~ /unfinished tail at offset $lo: / &&
                  $irc == 0 && $loaded == 29 && !@$q;
}
cmp_ok($full, '>', $lo + $llen,
       'the live segment is preallocated (to its 2k segment size)');
is($bad, 0, "$n cuts followed by zeros: a tail at $lo, 29 loaded, "
           . 'nothing quarantined');

# 2. a finished segment (its writer moved on): random single-bit flips
my $old = $segments[0];
my @orec = grep { $_->[2] == 1 } records($orig{$old});
srand(20261128);
($bad, $n) = (0, 0);
for (1 .. 150) {
    my $bytes = $orig{$old};
    my $at = 128 + int rand(length($bytes) - 128);
    my $bit = 1 << int rand 8;
    substr($bytes, $at, 1) = chr(ord(substr($bytes, $at, 1)) ^ $bit);
    my ($hit) = grep { $at >= $_->[0] && $at < $_->[0] + $_->[1] }
                records($orig{$old});
    my ($crc, $cout, $irc, $loaded, $q, $ierr) = run_on($old, $bytes);
    $n++;
    my $want_loaded = $hit->[2] == 1 ? 29 : 30;
    my $ok = $irc == 0 && $crc == 1 && $loaded == $want_loaded
        && $cout =~ /DAMAGED at offset $hit->[0]: /
        && "@$q" eq "$hit->[0]";
    unless ($ok) {
        $bad++;
        diag("flip at $at (record at $hit->[0]): check $crc, ingest $irc, "
             . "loaded $loaded, quarantine @$q; $ierr");
    }
}
is($bad, 0, "$n bit flips in a finished segment: the hit record "
           . 'reported at its offset and quarantined, every other loaded');

done_testing();
