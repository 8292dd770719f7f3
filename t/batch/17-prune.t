#!/usr/bin/perl
# posko prune: with 2k segments written by a real nginx, only segments that
# are sealed, loaded to their last byte and older than --keep go; the live
# segment, a sealed one ingest has not loaded (or loaded only in part), a
# recent one and an unsealed one that is fully loaded all stay.  --dry-run
# removes nothing; a running ingest stops prune; every bad invocation
# exits 2 and removes nothing.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use Fcntl qw(:flock);
use PoskoTest;

plan skip_all => 'sqlite3 is not installed'
    unless grep { -x "$_/sqlite3" } split /:/, $ENV{PATH};

my $t = PoskoTest->new(<<'CONF');
    posko_wal %%WAL%%;
    posko_wal_segment_size 2k;
    server { listen 127.0.0.1:%%PORT%%; location = /kirim { posko_intake; } }
CONF

my $db = $t->dir . '/posko.db';
my $wal = $t->wal;
my $DAY = 86400;

sub sql {
    my ($q) = @_;
    my $r = `sqlite3 -batch -noheader -separator '|' "$db" "$q"`;
    die "sqlite3 failed: $q" if $?;
    chomp $r;
    return $r;
}

my $sent = 0;
sub submit {
    my ($n) = @_;
    for (1 .. $n) {
        $sent++;
        my $r = $t->post('/kirim', PoskoTest::form(jenis => 'aduan',
            kategori => 'konsumsi',
            uraian => "Laporan nomor $sent " . ('x' x 300)),
            Accept => 'application/json');
        die "submission $sent: $r->{status}" unless $r->{status} == 201;
    }
}

sub ingest {
    my ($rc, $so, $se) = $t->posko('ingest', '--wal', $wal, '--db', $db);
    die "ingest failed: $se" if $rc;
    return $so;
}

sub names { map { m{([^/]+)$} } sort glob "$wal/*.wal" }

sub slurp { local $/; open my $fh, '<:raw', $_[0] or die "$_[0]: $!"; <$fh> }

# Sealed, read here by walking the frames: the last record is a seal
# (type 3) and the file ends right after it.
sub sealed {
    my ($name) = @_;
    my $bytes = slurp("$wal/$name");
    my ($o, $last) = (128, 0);
    while ($o + 12 <= length $bytes) {
        last if substr($bytes, $o, 12) eq "\0" x 12;
        my $len = unpack 'V', substr($bytes, $o + 4, 4);
        last if $o + 12 + $len > length $bytes;
        $last = ord substr($bytes, $o + 8, 1);
        $o += 12 + $len;
    }
    return $last == 3 && $o == length $bytes;
}

sub checkpoint {
    my ($name) = @_;
    my $v = sql("SELECT offset FROM checkpoints WHERE segment = '$name'");
    return $v eq '' ? -1 : $v;
}

sub loaded { checkpoint($_[0]) == -s "$wal/$_[0]" }

sub age {
    my ($days, @names) = @_;
    my $when = time - $days * $DAY;
    utime $when, $when, map { "$wal/$_" } @names
        or die "utime: $!";
}

# name => "size mtime", to see that nothing changed
sub snapshot {
    return { map { my @s = stat "$wal/$_"; ($_ => "$s[7] $s[9]") } names() };
}

sub prune { $t->posko('prune', '--wal', $wal, '--db', $db, @_) }

# What prune should print for the segments it removes.
sub lines_for {
    my ($verb, @names) = @_;
    return join '', map { "$verb $_ (" . (-s "$wal/$_") . " bytes)\n" } @names;
}

sub bytes_of { my $b = 0; $b += -s "$wal/$_" for @_; $b }

# -- the scene --------------------------------------------------------------

submit(14);
ingest();
my @first = names();
my $live1 = $first[-1];
my @loaded1 = grep { sealed($_) && loaded($_) } @first;
cmp_ok(scalar @loaded1, '>=', 3,
       scalar(@loaded1) . ' sealed segments loaded to the end');
ok(!sealed($live1), "the live segment $live1 is not sealed");
isnt(checkpoint($live1), -s "$wal/$live1",
     '... and, preallocated, not loaded to its size');

# after the ingest: the live segment fills and is sealed, loaded only in
# part, and new segments are sealed that ingest has never seen
submit(9);
my @names = names();
my $live = $names[-1];
ok(sealed($live1), "$live1 is sealed now");
cmp_ok(checkpoint($live1), '>', 0, '... loaded in part');
cmp_ok(checkpoint($live1), '<', -s "$wal/$live1", '... not to the end');
my @unseen = grep { checkpoint($_) == -1 && sealed($_) } @names;
cmp_ok(scalar @unseen, '>=', 1, "sealed segments ingest has not seen: @unseen");
ok(!sealed($live), "the new live segment $live is not sealed");

# everything old except one loaded segment, which is recent
my $recent = $loaded1[-1];
age(10, grep { $_ ne $recent } @names);
my @expect = grep { $_ ne $recent } @loaded1;

# the test's own rule gives the same answer as the story above
my @rule = grep {
    sealed($_) && loaded($_) && (stat "$wal/$_")[9] < time - 7 * $DAY
} @names;
is("@rule", "@expect", 'by the rule, exactly the old loaded segments go');

# -- --dry-run --------------------------------------------------------------

my $before = snapshot();
my ($rc, $so, $se) = prune('--keep', 7, '--dry-run');
is($rc, 0, 'prune --dry-run: exit 0') or diag($se);
my $kept = @names - @expect;
is($so, lines_for('would remove', @expect)
        . sprintf("prune: %d segments would be removed, %d bytes; %d kept "
                  . "(dry run: nothing was removed)\n",
                  scalar @expect, bytes_of(@expect), $kept),
   'prune --dry-run: a line per segment that would go, and the summary');
is($se, '', 'prune --dry-run: nothing on stderr');
is_deeply(snapshot(), $before, 'prune --dry-run: nothing removed or touched');

# -- a running ingest -------------------------------------------------------

{
    open my $lock, '>>', "$db.lock" or die $!;
    flock($lock, LOCK_EX) or die $!;
    ($rc, $so, $se) = prune('--keep', 0);
    is($rc, 1, 'prune while an ingest holds the lock: exit 1');
    like($se, qr/^posko prune: an ingest is running on .*posko\.db \(it holds .*posko\.db\.lock\); nothing was removed/,
         '... saying why');
    is($so, '', '... and removing nothing');
    close $lock;
}

# -- wrong usage and failures -----------------------------------------------

my @usage = (
    [[], qr/--wal DIR is required/],
    [['--db', $db, '--keep', 1], qr/--wal DIR is required/],
    [['--wal', $wal, '--keep', 1], qr/--db FILE is required/],
    [['--wal', $wal, '--db', $db], qr/--keep DAYS is required/],
    [['--wal', $wal, '--db', $db, '--keep'], qr/--keep needs a value/],
    [['--wal', $wal, '--db', $db, '--keep', ''], qr/--keep needs a value/],
    [['--wal', $wal, '--db', $db, '--keep', '-1'],
     qr/--keep '-1' is not a whole number of days from 0 to 1000000/],
    [['--wal', $wal, '--db', $db, '--keep', '1.5'],
     qr/--keep '1\.5' is not a whole number of days from 0 to 1000000/],
    [['--wal', $wal, '--db', $db, '--keep=seminggu'],
     qr/--keep 'seminggu' is not a whole number of days from 0 to 1000000/],
    [['--wal', $wal, '--db', $db, '--keep', '+3'],
     qr/--keep '\+3' is not a whole number of days from 0 to 1000000/],
    [['--wal', $wal, '--db', $db, '--keep', '99999999999999999999'],
     qr/--keep '99999999999999999999' is not a whole number of days from 0 to 1000000/],
    [['--wal', $wal, '--db', $db, '--keep', 0, '--force'],
     qr/unknown option '--force'/],
    [['--wal', $wal, '--db', $db, '--keep', 0, 'now'],
     qr/unexpected argument 'now'/],
    [['--wal', $wal, '--db', $db, '--keep', 0, '--dry-run=no'],
     qr/--dry-run takes no value, not 'no'/],
    [['--wal', $wal, '--db', $db, '--keep', 0, '--keep', 1],
     qr/--keep given more than once/],
);
for my $u (@usage) {
    my ($args, $msg) = @$u;
    ($rc, $so, $se) = $t->posko('prune', @$args);
    my $name = "prune @$args";
    is($rc, 2, "$name: exit 2");
    like($se, qr/\Aposko prune: $msg; see 'posko help prune'\n\z/,
         "$name: one sentence") or diag($se);
    is($so, '', "$name: nothing on stdout");
}

($rc, $so, $se) = $t->posko('prune', '--wal', $wal, '--db',
                            $t->dir . '/no-such.db', '--keep', 0);
is($rc, 1, 'a database that does not exist: exit 1');
like($se, qr/cannot open database .*no-such\.db/, '... saying which');
ok(!-e $t->dir . "/no-such.db$_", "... and no no-such.db$_ is left behind")
    for '', '.lock';

($rc, $so, $se) = $t->posko('prune', '--wal', $t->dir . '/no-such-wal',
                            '--db', $db, '--keep', 0);
is($rc, 1, 'a WAL directory that does not exist: exit 1');
like($se, qr/cannot read WAL directory .*no-such-wal/, '... saying which');

is_deeply(snapshot(), $before,
          'no failed or refused run removed or touched anything');

# -- prune ------------------------------------------------------------------

# two of them, kept in memory for the end
my %saved = map { $_ => slurp("$wal/$_") } @expect[0, 1];

my $want_out = lines_for('removed', @expect)
    . sprintf("prune: %d segments removed, %d bytes; %d kept\n",
              scalar @expect, bytes_of(@expect), $kept);
($rc, $so, $se) = prune('--keep', 7);
is($rc, 0, 'prune: exit 0') or diag($se);
is($so, $want_out, 'prune: a line per removed segment and the summary');
my %gone = map { $_ => 1 } @expect;
is_deeply([names()], [grep { !$gone{$_} } @names],
          'prune: exactly those are gone');
ok(-e "$wal/$_", "kept: $_") for $recent, $live1, @unseen, $live;

($rc, $so) = prune('--keep', 7);
is($rc, 0, 'a second prune: exit 0');
is($so, sprintf("prune: 0 segments removed, 0 bytes; %d kept\n", $kept),
   'a second prune removes nothing');

# the WAL still loads: what was not loaded yet is loaded now
like(ingest(), qr/^ingest: \d+ loaded, 0 quarantined/, 'ingest after prune');
is(sql('SELECT count(*) FROM complaints'), $sent,
   "all $sent complaints are in the database");
is(sql('SELECT count(*) FROM quarantine'), 0, 'nothing quarantined');

# now loaded, the old ones go; the recent one and the live one stay
@names = names();
@expect = grep { $_ ne $recent && $_ ne $live } @names;
ok((grep { $_ eq $live1 } @expect) && @expect == 1 + @unseen,
   'the segments loaded since are sealed, loaded and old')
    or diag("@expect");
ok(sealed($_) && loaded($_), "$_ sealed and loaded") for @expect;
$want_out = lines_for('removed', @expect)
    . sprintf("prune: %d segments removed, %d bytes; 2 kept\n",
              scalar @expect, bytes_of(@expect));
($rc, $so, $se) = prune('--keep', 7);
is($rc, 0, 'prune after the ingest: exit 0') or diag($se);
is($so, $want_out, '... removes the segments loaded since');
is_deeply([names()], [$recent, $live], '... leaving the recent and the live');

# the age is counted in days from now, to the second
age(3 - 1 / 24, $recent);    # 71 hours old
($rc, $so) = prune('--keep', 3);
like($so, qr/^prune: 0 segments removed, 0 bytes; 2 kept$/m,
     '71 hours old is not older than 3 days');
$want_out = lines_for('removed', $recent)
    . sprintf("prune: 1 segments removed, %d bytes; 1 kept\n",
              bytes_of($recent));
($rc, $so) = prune('--keep', 2);
is($so, $want_out, 'but older than 2 days');
is_deeply([names()], [$live], 'only the live segment is left');

# the live segment stays even with --keep 0
age(10, $live);
($rc, $so) = prune('--keep', 0);
is($so, "prune: 0 segments removed, 0 bytes; 1 kept\n",
   'the live segment stays with --keep 0');

# unsealed but loaded to its last byte (a writer that died, its zeros
# trimmed): still kept, because a writer could append to it
$t->stop;
my @recs = do {
    my $bytes = slurp("$wal/$live");
    my $o = 128;
    while ($o + 12 <= length $bytes && substr($bytes, $o, 12) ne "\0" x 12) {
        $o += 12 + unpack 'V', substr($bytes, $o + 4, 4);
    }
    ($o);
};
truncate "$wal/$live", $recs[0] or die "truncate: $!";
ingest();
age(10, $live);
ok(!sealed($live) && loaded($live), "$live: loaded to its size, not sealed");
($rc, $so) = prune('--keep', 0);
is($so, "prune: 0 segments removed, 0 bytes; 1 kept\n",
   'an unsealed segment is kept even when fully loaded');

# sealed, then something after the seal (which no writer does): the seal
# is not the last record any more, so the segment is kept even once
# ingest has quarantined the bytes and loaded it to its size
my ($tampered, $intact) = sort keys %saved;
for ([$tampered, $saved{$tampered} . ("\x01" x 40)],
     [$intact, $saved{$intact}]) {
    open my $fh, '>:raw', "$wal/$_->[0]" or die;
    print $fh $_->[1];
    close $fh;
}
like(ingest(), qr/^ingest: 0 loaded, 1 quarantined/,
     'ingest quarantines the bytes after the seal');
ok(loaded($tampered) && !sealed($tampered),
   "$tampered: loaded to its size, but the seal is not last");
ok(loaded($intact) && sealed($intact), "$intact: as it was");
age(10, $tampered, $intact);
$want_out = lines_for('removed', $intact)
    . sprintf("prune: 1 segments removed, %d bytes; 2 kept\n",
              bytes_of($intact));
($rc, $so) = prune('--keep', 0);
is($so, $want_out, 'bytes after the seal: kept; the same segment intact: removed');

# zeros after the seal (a seal whose ftruncate failed): not sealed in the
# sense of prune, even were the checkpoint, set here by hand, at the end
my $padded = $saved{$intact} . ("\0" x 512);
open my $fh, '>:raw', "$wal/$intact" or die;
print $fh $padded;
close $fh;
sql("UPDATE checkpoints SET offset = " . length($padded)
    . " WHERE segment = '$intact'");
age(10, $intact);
ok(loaded($intact), "$intact: zeros after the seal, checkpoint at the end");
($rc, $so) = prune('--keep', 0);
is($so, "prune: 0 segments removed, 0 bytes; 3 kept\n",
   'zeros after the seal: kept');

($rc, $so) = $t->posko('help', 'prune');
is($rc, 0, 'posko help prune');
like($so, qr/^usage: posko prune --wal DIR --db FILE --keep DAYS \[--dry-run\]/,
     '... shows the usage');

done_testing();
