#!/usr/bin/perl
# posko health: all well after ingest; records waiting unloaded for more
# than ten minutes make it say so and exit 1; little free space (a small
# tmpfs) too; --json for monitoring systems; bad invocations; `posko
# status`, its former name, still works and says what it always said.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use JSON::PP;
use PoskoTest;

my $t = PoskoTest->new(<<'CONF');
    posko_wal %%WAL%%;
    server { listen 127.0.0.1:%%PORT%%; location = /kirim { posko_intake; } }
CONF
my $db = $t->dir . '/posko.db';
for (1 .. 3) {
    $t->post('/kirim', PoskoTest::form(jenis => 'aduan', kategori => 'akomodasi',
        uraian => "Keluhan $_"), Accept => 'application/json');
}
my ($rc, $so, $se) = $t->posko('ingest', '--wal', $t->wal, '--db', $db);
is($rc, 0, 'ingest');

($rc, $so) = $t->posko('health', '--wal', $t->wal, '--db', $db);
is($rc, 0, 'all is well: exit 0') or diag($so);
like($so, qr/^posko health: OK$/m, '... OK');
like($so, qr/3 complaints, 3 open/, '... three complaints, open');
like($so, qr/0 records not loaded yet/, '... nothing waiting');

# two more, not loaded, in a segment last written 11 minutes ago
for (4 .. 5) {
    $t->post('/kirim', PoskoTest::form(jenis => 'saran', kategori => 'konsumsi',
        uraian => "Saran $_"), Accept => 'application/json');
}
($rc, $so) = $t->posko('health', '--wal', $t->wal, '--db', $db);
is($rc, 0, 'two new records, just written: still well');
like($so, qr/2 records not loaded yet/, '... two waiting');
utime time - 660, time - 660, glob $t->wal . '/*.wal';
($rc, $so) = $t->posko('health', '--wal', $t->wal, '--db', $db);
is($rc, 1, 'waiting eleven minutes: exit 1');
like($so, qr/PERLU PERHATIAN/, '... needs attention');
like($so, qr/! 2 records have waited 11 minutes to be loaded: is posko ingest running\?/,
     '... and says why');
($rc, $so) = $t->posko('health', '--wal', $t->wal, '--db', $db, '--json');
my $j = eval { decode_json($so) };
ok($j, '--json is JSON') or diag($so);
is($j->{ok}, JSON::PP::false, '... not ok');
is($j->{wal}{unloaded_records}, 2, '... two records');
cmp_ok($j->{wal}{oldest_unloaded_seconds}, '>=', 660, '... waiting 11 minutes');
is($j->{db}{complaints}, 3, '... three complaints in the database');
$t->posko('ingest', '--wal', $t->wal, '--db', $db);
($rc, $so) = $t->posko('health', '--wal', $t->wal, '--db', $db);
is($rc, 0, 'after ingest: well again');

SKIP: {
    skip 'needs root to mount a tmpfs', 3 unless $> == 0;
    my $small = $t->dir . '/kecil';
    mkdir $small or die;
    system('mount', '-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', $small) == 0
        or skip 'cannot mount a tmpfs', 3;
    ($rc, $so) = $t->posko('health', '--wal', $small, '--db', $db);
    system('umount', $small);
    is($rc, 1, 'a 2 MiB file system for the WAL: exit 1');
    like($so, qr/! little free space where the WAL is: \d+ MiB/, '... little free space');
    like($so, qr/free space: WAL \d+ MiB/, '... and how much');
}

for my $bad (['--db', $db], ['--wal', $t->wal], ['--wal', $t->wal, '--db', $db, '--kata']) {
    ($rc, $so, $se) = $t->posko('health', @$bad);
    is($rc, 2, "health @$bad: exit 2");
}
($rc, $so, $se) = $t->posko('health', '--wal', $t->wal, '--db', $t->dir . '/tidak-ada.db');
is($rc, 1, 'a database that is not there: exit 1');
like($se, qr/cannot open database|not a posko database/, '... saying so');

# the former name: the same check, the same words as before the rename
($rc, $so, $se) = $t->posko('status', '--wal', $t->wal, '--db', $db);
is($rc, 0, 'posko status still works');
like($so, qr/\Aposko status: OK\n/, '... and says "posko status: OK"');
is($se, '', '... with nothing more on stderr');
($rc, $so) = $t->posko('status', '--wal', $t->wal, '--db', $db, '--json');
ok(eval { decode_json($so) }, '... and --json');
($rc, $so, $se) = $t->posko('status', '--db', $db);
is($rc, 2, '... and refuses as health does');
($rc, $so) = $t->posko('help', 'status');
like($so, qr/^usage: posko health --wal DIR --db FILE/, 'posko help status shows health');
($rc, $so) = $t->posko('help');
like($so, qr/^  health +\S/m, 'posko help lists health');
unlike($so, qr/^  status /m, '... and not the former name');

done_testing();
