#!/usr/bin/perl
# No acknowledged complaint is ever lost.  Clients post complaints over
# keep-alive connections without pause while nginx is killed with SIGKILL
# at random moments: sometimes the master and every worker at once (then
# nginx is started again), sometimes a single worker (the master starts a
# new one).  Every code a client got a 201 for must be in the database
# exactly once after `posko ingest`, and a second ingest loads nothing.
#
# POSKO_CRASH_ROUNDS sets the number of kills (default 6; `make
# crash-long` runs 40), POSKO_CRASH_SEED the seed of the kills' kinds and
# moments: fixed by default, so that `make test` always draws the same
# schedule; `make crash-long` draws a new one each run.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PoskoTest;
use POSIX ();
use Time::HiRes qw(sleep time);

my $rounds = $ENV{POSKO_CRASH_ROUNDS} // 6;
$rounds = 6 unless $rounds =~ /^\d+$/ && $rounds > 0;
$rounds = 200 if $rounds > 200;
my $seed = $ENV{POSKO_CRASH_SEED} // 20261212;
$seed = 20261212 unless $seed =~ /^\d+$/;
srand($seed);
my $nclients = 12;

my $t = PoskoTest->new(<<'CONF', workers => 2);
    posko_wal %%WAL%%;
    posko_wal_segment_size 8k;
    server { listen 127.0.0.1:%%PORT%%; location = /kirim { posko_intake; } }
CONF

my $dir = $t->dir;
my $stop = "$dir/stop-clients";
my $db = "$dir/posko.db";
# a safety net: the clients stop on their own after this, whatever happens
my $deadline = time + 30 + 2.5 * $rounds;

my $t0 = time;
diag("$rounds kill rounds, seed $seed (POSKO_CRASH_SEED=$seed to repeat)");

sub master_pid {
    open my $fh, '<', "$dir/nginx.pid" or return;
    my $pid = <$fh>;
    close $fh;
    return unless defined $pid && $pid =~ /^(\d+)/;
    return $1;
}

# A process counts as gone when it does not exist or is a zombie (nobody
# may reap nginx's daemonized master here).
sub alive {
    my ($pid) = @_;
    open my $fh, '<', "/proc/$pid/stat" or return 0;
    my $stat = <$fh> // '';
    close $fh;
    my ($state) = $stat =~ /\)\s+(\S)/;
    return defined $state && $state ne 'Z' && $state ne 'X';
}

sub children {
    my ($pid) = @_;
    my @c = grep { /^\d+$/ } split /\s+/, `pgrep -P $pid`;
    return grep { alive($_) } @c;
}

sub wait_gone {
    my (@pids) = @_;
    for (1 .. 200) {
        return 1 unless grep { alive($_) } @pids;
        sleep 0.02;
    }
    return 0;
}

# One client: submissions in a loop over a keep-alive connection, a new
# connection whenever the old one is gone, short sleeps while nginx is
# down.  Every answer is a line in its file, flushed at once: "201 KODE",
# "STATUS -", "closed", "refused" or "slow" (no answer for 8 s or more).
sub client {
    my ($c) = @_;
    open my $out, '>>', "$dir/client-$c" or die "client-$c: $!";
    $out->autoflush(1);
    srand($seed + $c);
    my ($conn, $n) = (undef, 0);
    while (!-e $stop && time < $deadline) {
        $n++;
        my $body = PoskoTest::form(
            jenis => 'aduan', kategori => 'transportasi',
            uraian => "Bus ke Masjidil Haram tidak datang, klien $c nomor $n");
        my $req = "POST /kirim HTTP/1.1\r\nHost: x\r\n"
            . "Accept: application/json\r\n"
            . "Content-Type: application/x-www-form-urlencoded\r\n"
            . "Content-Length: " . length($body) . "\r\n\r\n$body";
        if (!$conn) {
            $conn = eval { $t->connect };
            if (!$conn) {            # nginx is down: normal here
                print $out "refused\n";
                sleep 0.02 + rand 0.03;
                next;
            }
        }
        my $began = time;
        my $r = eval {
            local $SIG{ALRM} = sub { die "hang\n" };
            alarm 30;
            my $x = $conn->send($req);
            alarm 0;
            $x;
        };
        alarm 0;
        if (!$r) {
            print $out (time - $began >= 8 ? "slow\n" : "closed\n");
            eval { $conn->close };
            undef $conn;
            sleep 0.01;
            next;
        }
        my ($k) = $r->{body} =~ /"kode":"([^"]+)"/;
        print $out "$r->{status} " . ($k // '-') . "\n";
        if (($r->{headers}{connection} // '') =~ /close/i) {
            eval { $conn->close };
            undef $conn;
        }
    }
    close $out;
}

my @clients;
for my $c (1 .. $nclients) {
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        eval { client($c) };
        POSIX::_exit(0);     # no destructors: the server is the parent's
    }
    push @clients, $pid;
}

# The killer.
my %kills = (all => 0, worker => 0);
my $restart_failures = 0;
sleep 0.5;
for my $round (1 .. $rounds) {
    sleep 0.2 + rand 1.0;
    my $master = master_pid();
    my @workers = $master ? children($master) : ();
    if (!$master || !alive($master) || !@workers) {
        diag("round $round: no nginx to kill");
        next;
    }
    if (rand() < 0.5) {
        # the master first, so that it cannot start new workers
        kill 'KILL', $master, @workers;
        $kills{all}++;
        $t->{running} = 0;
        wait_gone($master, @workers)
            or diag("round $round: nginx processes still alive after SIGKILL");
        sleep rand 0.3;          # clients meet a closed port meanwhile
        my $started = 0;
        for my $try (1 .. 20) {
            if (eval { $t->start; 1 }) { $started = 1; last }
            diag("round $round: start failed: $@");
            sleep 0.1;
        }
        $restart_failures++ unless $started;
        last unless $started;
    } else {
        my $w = $workers[int rand @workers];
        kill 'KILL', $w;
        $kills{worker}++;
        wait_gone($w);
    }
}
diag(sprintf "kills done after %.1f s", time - $t0);
is($restart_failures, 0, 'nginx started again after every kill of the master');

# nginx takes submissions after the last kill
my $after;
for (1 .. 50) {
    $after = eval {
        $t->post('/kirim', PoskoTest::form(jenis => 'saran',
                 kategori => 'konsumsi', uraian => 'Setelah semua kill'),
                 Accept => 'application/json');
    };
    last if $after && $after->{status} == 201;
    sleep 0.1;
}
is($after && $after->{status}, 201, 'intake works after the last kill');
my ($last_code) = $after ? $after->{body} =~ /"kode":"([^"]+)"/ : ();

sleep 0.5;
open my $sf, '>', $stop or die "$stop: $!";
close $sf;
my $clients_done = 1;
for my $pid (@clients) {
    my $end = time + 45;
    while (waitpid($pid, POSIX::WNOHANG()) == 0) {
        if (time > $end) { kill 'KILL', $pid; waitpid $pid, 0; $clients_done = 0; last }
        sleep 0.05;
    }
}
diag(sprintf "clients stopped after %.1f s", time - $t0);
ok($clients_done, 'every client stopped');

my (%acked, %status);
for my $f (glob "$dir/client-*") {
    open my $fh, '<', $f or die "$f: $!";
    while (<$fh>) {
        my ($s, $k) = split;
        next unless defined $s;
        $status{$s}++;
        $acked{$k}++ if $s eq '201' && defined $k && $k ne '-';
    }
}
$acked{$last_code}++ if $last_code;
my $kills = $kills{all} + $kills{worker};
diag("kills: $kills ($kills{all} of master and workers, $kills{worker} of one worker)");
diag('answers: ' . join ', ', map { "$_: $status{$_}" } sort keys %status);
diag(scalar(keys %acked) . ' acknowledged codes');
my @signalled = $t->error_log =~ /exited on signal 9/g;
diag(scalar(@signalled) . ' workers reported by the master as killed by signal 9');

cmp_ok(scalar keys %acked, '>', 10 * $rounds, 'clients were acknowledged during the crashes');
is(scalar(grep { $acked{$_} > 1 } keys %acked), 0, 'no code was given twice');
is(scalar(grep { !/^(201|closed|refused)$/ } keys %status), 0,
   'every answer was a 201, a closed connection or a refused connection')
    or diag(join "\n", grep { /\[(alert|crit|emerg)\]/ } split /\n/, $t->error_log);

my @segments = glob $t->wal . '/*.wal';
cmp_ok(scalar @segments, '>', 2 * ($kills{all} + 1),
       scalar(@segments) . ' segments: rotation at 8k, a new writer after each kill');

my ($rc, $so, $se) = $t->posko('ingest', '--wal', $t->wal, '--db', $db);
is($rc, 0, 'ingest succeeds') or diag($se);
chomp $so;
diag($so);
diag(sprintf "ingest done after %.1f s", time - $t0);


my %db;
$db{$_}++ for split /\n/, `sqlite3 "$db" "SELECT kode FROM complaints"`;
my @missing = sort grep { !$db{$_} } keys %acked;
is(scalar @missing, 0, 'every acknowledged code is in the database')
    or diag('missing: ' . join ' ', @missing[0 .. ($#missing < 9 ? $#missing : 9)]);
my @twice = grep { $db{$_} > 1 } keys %db;
is(scalar @twice, 0, '... exactly once');
my ($tails, @other) = PoskoTest::quarantine_check($db, $t->wal);
diag("$tails torn tails quarantined") if $tails;
is(scalar @other, 0, 'nothing quarantined but torn tails: a crash costs only unacknowledged records')
    or diag(join "\n", @other);
cmp_ok(scalar keys %db, '>=', scalar keys %acked,
       scalar(keys %db) . ' complaints loaded (some acknowledgements never arrived)');

($rc, $so, $se) = $t->posko('ingest', '--wal', $t->wal, '--db', $db);
is($rc, 0, 'second ingest succeeds') or diag($se);
like($so, qr/^ingest: 0 loaded, 0 quarantined/, 'second ingest loads nothing')
    or diag($so);
is(`sqlite3 "$db" "SELECT count(*) FROM complaints"` + 0, scalar keys %db,
   'the database is unchanged');

diag(sprintf "checks done after %.1f s", time - $t0);
$t->stop;

done_testing();
