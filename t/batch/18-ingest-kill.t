#!/usr/bin/perl
# Ingest killed with SIGKILL at many moments during a large load, then run
# to the end: the database equals the one a single uninterrupted run makes
# (same complaints, same events, same quarantine, nothing twice).  The WAL
# is real: complaints and officers' follow-ups posted through nginx, in
# many small segments.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use POSIX ();
use Time::HiRes qw(sleep time);
use PoskoTest;

plan skip_all => 'sqlite3 is not installed'
    unless grep { -x "$_/sqlite3" } split /:/, $ENV{PATH};

my $n = $ENV{POSKO_KILL_COMPLAINTS} // 8000;

my $t = PoskoTest->new(<<'CONF');
    posko_wal %%WAL%%;
    posko_wal_segment_size 128k;
    server {
        listen 127.0.0.1:%%PORT%%;
        location = /kirim { posko_intake; }
        location = /tindak-lanjut {
            auth_basic "Tim";
            auth_basic_user_file %%DIR%%/htpasswd;
            posko_followup;
        }
    }
CONF
my $auth = $t->htpasswd(budi => 'rahasia');

# -- the WAL: complaints, then follow-ups, over one kept-alive connection --

my @kategori = qw(akomodasi konsumsi transportasi kesehatan dokumen lainnya);
my ($c, $sent);
my (@codes, $bad);

# nginx closes a kept-alive connection after 1000 requests: a new one
# every 500
sub conn {
    if (!$c || ++$sent % 500 == 0) {
        $c->close if $c;
        $c = $t->connect;
    }
    return $c;
}

my $t0 = time;
for my $i (1 .. $n) {
    my $body = PoskoTest::form(jenis => 'aduan',
        kategori => $kategori[$i % @kategori], lokasi => 'makkah',
        uraian => "Keluhan nomor $i: " . ('antre lama di sektor ' x (1 + $i % 7)));
    my $r = conn()->send("POST /kirim HTTP/1.1\r\nHost: x\r\n"
        . "Content-Type: application/x-www-form-urlencoded\r\n"
        . "Accept: application/json\r\nContent-Length: " . length($body)
        . "\r\n\r\n$body");
    my ($k) = ($r && $r->{status} == 201) ? $r->{body} =~ /"kode":"([^"]+)"/ : ();
    if ($k) { push @codes, $k } else { $bad++ }
}
my $followups = 0;
for my $i (0 .. $#codes) {
    next if $i % 10;
    my @steps = (['mulai_verifikasi'], ['faktual', catatan => "cek $i"]);
    push @steps, ['selesai', catatan => "beres $i"] if $i % 20 == 0;
    push @steps, ['mulai_verifikasi'] if $i % 30 == 0;   # out of order
    for (@steps) {
        my ($aksi, @more) = @$_;
        my $body = PoskoTest::form(kode => $codes[$i], aksi => $aksi, @more,
                                   token => $t->token($codes[$i]));
        my $r = conn()->send("POST /tindak-lanjut HTTP/1.1\r\nHost: x\r\n"
            . "Authorization: $auth\r\n"
            . "Content-Type: application/x-www-form-urlencoded\r\n"
            . "Accept: application/json\r\nContent-Length: " . length($body)
            . "\r\n\r\n$body");
        if ($r && $r->{status} == 201) { $followups++ } else { $bad++ }
    }
}
$c->close;
is($bad // 0, 0, sprintf('%d complaints and %d follow-ups posted in %.1f s',
                         scalar @codes, $followups, time - $t0));
my @segments = glob $t->wal . '/*.wal';
cmp_ok(scalar @segments, '>=', 10, scalar(@segments) . ' segments');

sub dump_db {
    my ($db) = @_;
    my $q = join ' UNION ALL ',
        "SELECT 'c', kode || '|' || jenis || '|' || kategori || '|' || uraian"
          . " || '|' || status || '|' || coalesce(verified_at, '') || '|'"
          . " || coalesce(solved_at, '') || '|' || received_at || '|'"
          . " || wal_segment || '|' || wal_offset FROM complaints",
        "SELECT 'e', kode || '|' || aksi || '|' || petugas || '|'"
          . " || coalesce(catatan, '') || '|' || at || '|' || status_before"
          . " || '|' || status_after || '|' || wal_segment || '|' || wal_offset"
          . " FROM events",
        "SELECT 'q', segment || '|' || offset || '|' || reason || '|'"
          . " || coalesce(kode, '') || '|' || hex(raw) FROM quarantine",
        "SELECT 'p', kode FROM pending_events",
        "SELECT 'k', segment || '|' || offset FROM checkpoints";
    my $out = `sqlite3 -batch -noheader "$db" "SELECT * FROM ($q) ORDER BY 1, 2"`;
    die "sqlite3 failed on $db" if $?;
    return $out;
}

# -- one uninterrupted run ---------------------------------------------------

my $ref = $t->dir . '/ref.db';
my $t1 = time;
my ($rc, $so, $se) = $t->posko('ingest', '--wal', $t->wal, '--db', $ref);
my $once = time - $t1;
is($rc, 0, sprintf('an uninterrupted ingest takes %.2f s', $once)) or diag($se);
my $want = dump_db($ref);
my %kinds;
$kinds{substr $_, 0, 1}++ for split /\n/, $want;
is($kinds{c}, scalar @codes, 'it loads every complaint');
cmp_ok($kinds{e} // 0, '>', 0, "$kinds{e} events");
cmp_ok($kinds{q} // 0, '>', 0, "$kinds{q} follow-ups quarantined (out of order)");
ok(!$kinds{p}, 'none left pending');

# -- killed again and again, then to the end ---------------------------------

# Each attempt loads a fresh database, killing ingest at random moments
# until a run gets to the end; attempts go on until ingest has been killed
# at least ten times in all (a fast machine may finish an attempt early).
my ($kills, $runs, $attempts, $same, $intact) = (0, 0, 0, 0, 0);
srand(20261129);
while (($kills < 10 || !$attempts) && $attempts < 10) {
    $attempts++;
    my $db = $t->dir . "/killed-$attempts.db";
    my $finished = 0;
    while (!$finished && $runs < 400) {
        $runs++;
        my $pid = fork // die;
        if ($pid == 0) {
            open STDOUT, '>', '/dev/null';
            open STDERR, '>', $t->dir . '/killed.err';
            exec($PoskoTest::POSKO, 'ingest', '--wal', $t->wal, '--db', $db)
                or POSIX::_exit(127);
        }
        sleep(rand($once * 0.8));
        if (kill 'KILL', $pid) {
            waitpid $pid, 0;
            if (($? & 127) == 9) { $kills++; next }
        } else {
            waitpid $pid, 0;
        }
        $finished = 1 if $? == 0;
    }
    ($rc) = $t->posko('ingest', '--wal', $t->wal, '--db', $db);
    my $got = dump_db($db);
    if ($rc == 0 && $got eq $want) {
        $same++;
    } else {
        diag("attempt $attempts: ingest $rc; first difference: "
             . ((grep { index($want, "$_\n") < 0 } split /\n/, $got)[0] // '-'));
    }
    $intact++ if `sqlite3 -batch -noheader "$db" "PRAGMA integrity_check"` eq "ok\n";
}
cmp_ok($kills, '>=', 10, "ingest killed $kills times in $runs runs, "
       . "$attempts databases");
is($same, $attempts, 'each ends with the same rows as one uninterrupted run: '
   . 'complaints, events, quarantine, checkpoints; nothing twice, nothing lost');
is($intact, $attempts, 'and each database is intact');

# -- on a terminal a progress line; under cron only the summary ------------

my $quiet = $t->dir . '/quiet.db';
($rc, $so, $se) = $t->posko('ingest', '--wal', $t->wal, '--db', $quiet);
is($se, '', 'not on a terminal: nothing on stderr');
like($so, qr/\Aingest: \d+ loaded, \d+ quarantined, \d+ segments, \d+ bytes waiting, \d+ follow-ups applied\n\z/,
     '... and one summary line on stdout');
SKIP: {
    skip 'script(1) is not installed', 2
        unless grep { -x "$_/script" } split /:/, $ENV{PATH};
    my $tty = $t->dir . '/tty.db';
    my $cmd = "$PoskoTest::POSKO ingest --wal " . $t->wal . " --db $tty";
    my $seen = `script -qec '$cmd' /dev/null`;
    like($seen, qr/\ringest: +\d+% \d+ records \d+\/s \d+:\d\d left/,
         'on a terminal: percent, records, rate and time left');
    like($seen, qr/\r\e\[K.*ingest: \d+ loaded/s,
         '... cleared before the summary');
}

done_testing();
