#!/usr/bin/perl
# Group commit: many clients at once, segments rotating and sealed, nginx
# reloaded and told to quit in the middle of the load.  Every code a
# client was given is in the database exactly once after ingest, and no
# request hangs.  With strace, each answer is seen leaving after the
# fdatasync() that covered its record.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PoskoTest;
use POSIX ();
use Time::HiRes qw(sleep time);

my $t = PoskoTest->new(<<'CONF', workers => 2);
    posko_wal %%WAL%%;
    posko_wal_segment_size 4k;
    server { listen 127.0.0.1:%%PORT%%; location = /kirim { posko_intake; } }
CONF

my $db = $t->dir . '/posko.db';
my $body = PoskoTest::form(jenis => 'aduan', kategori => 'transportasi',
                           uraian => 'Bus tidak datang ke hotel sejak pagi');

# Each client process sends $n submissions over keep-alive connections and
# writes one line per answer: the status and the code (or "hang").
sub clients {
    my ($nclients, $n, $tag) = @_;
    my @pids;
    for my $c (1 .. $nclients) {
        my $pid = fork // die;
        if ($pid == 0) {
            open my $out, '>', $t->dir . "/client-$tag-$c" or die;
            my $conn;
            for (1 .. $n) {
                my $r = eval {
                    local $SIG{ALRM} = sub { die "hang\n" };
                    alarm 20;
                    $conn //= $t->connect;
                    my $x = $conn->send("POST /kirim HTTP/1.1\r\nHost: x\r\n"
                        . "Accept: application/json\r\n"
                        . "Content-Type: application/x-www-form-urlencoded\r\n"
                        . "Content-Length: " . length($body) . "\r\n\r\n$body");
                    alarm 0;
                    $x;
                };
                if ($@ =~ /hang/) { print $out "hang\n"; undef $conn; next }
                if (!$r) {            # the server closed: a new connection
                    print $out "closed\n";
                    undef $conn;
                    next;
                }
                my ($k) = $r->{body} =~ /"kode":"([^"]+)"/;
                print $out "$r->{status} " . ($k // '-') . "\n";
            }
            close $out;
            POSIX::_exit(0);     # no destructors: the server is the parent's
        }
        push @pids, $pid;
    }
    return @pids;
}

sub results {
    my ($tag) = @_;
    my (%codes, %status);
    for my $f (glob $t->dir . "/client-$tag-*") {
        open my $fh, '<', $f or die;
        while (<$fh>) {
            my ($s, $k) = split;
            $status{$s}++;
            $codes{$k}++ if $s eq '201';
        }
    }
    return (\%codes, \%status);
}

sub loaded {
    my ($codes) = @_;
    my ($rc, $so, $se) = $t->posko('ingest', '--wal', $t->wal, '--db', $db);
    is($rc, 0, 'ingest succeeds') or diag($se);
    my %db;
    for (split /\n/, `sqlite3 "$db" "SELECT kode FROM complaints"`) {
        $db{$_}++;
    }
    my @missing = grep { !$db{$_} } keys %$codes;
    my @twice = grep { $db{$_} > 1 } keys %db;
    is(scalar @missing, 0, 'every acknowledged code is in the database')
        or diag("missing: @missing[0 .. ($#missing < 5 ? $#missing : 4)]");
    is(scalar @twice, 0, '... exactly once');
    return \%db;
}

# 1. many clients at once
waitpid $_, 0 for clients(16, 25, 'a');
my ($codes, $status) = results('a');
is($status->{201}, 400, '16 clients x 25 submissions: all 400 acknowledged');
is(scalar keys %$codes, 400, '400 distinct codes');
my @segments = glob $t->wal . '/*.wal';
cmp_ok(scalar @segments, '>', 4, scalar(@segments) . ' segments: rotation at 4k');
my $db1 = loaded($codes);
is(`sqlite3 "$db" "SELECT count(*) FROM quarantine"` + 0, 0,
   'seal records are understood, nothing quarantined');

# 2. reload and quit in the middle of the load
my @pids = clients(8, 40, 'b');
sleep 0.3;
my $pidfile = $t->dir . '/nginx.pid';
my $master = do { local @ARGV = ($pidfile); <> };
chomp $master;
kill 'HUP', $master;                      # nginx -s reload
sleep 0.5;
kill 'HUP', $master;
sleep 0.3;
kill 'QUIT', $master;                     # nginx -s quit
waitpid $_, 0 for @pids;
for (1 .. 100) { last unless kill 0, $master; sleep 0.1 }
ok(!kill(0, $master), 'nginx quit');
$t->{running} = 0;
my ($codes2, $status2) = results('b');
is($status2->{hang} // 0, 0, 'no request hung across reload and quit');
diag(join ', ', map { "$_: $status2->{$_}" } sort keys %$status2);
cmp_ok(scalar keys %$codes2, '>', 0, scalar(keys %$codes2)
       . ' acknowledged during the reloads');
is(scalar(grep { $_ ne '201' && $_ ne 'closed' } keys %$status2), 0,
   'every answer was a success or a closed connection');
loaded({ %$codes, %$codes2 });

# 3. segments are also rotated by age, and the full one sealed
{
    my $a = PoskoTest->new(<<'CONF');
    posko_wal %%WAL%%;
    posko_wal_segment_age 1s;
    server { listen 127.0.0.1:%%PORT%%; location = /kirim { posko_intake; } }
CONF
    is($a->post('/kirim', $body, Accept => 'application/json')->{status}, 201,
       'a submission');
    sleep 1.2;
    is($a->post('/kirim', $body, Accept => 'application/json')->{status}, 201,
       'another, a second later');
    my @s = sort glob $a->wal . '/*.wal';
    is(scalar @s, 2, 'posko_wal_segment_age 1s: a second segment');
    my ($rc, $out) = $a->posko('wal', 'check', $a->wal);
    is($rc, 0, 'posko wal check finds nothing damaged');
    like($out, qr/000001\.wal: .*\n.*\n  1 records: 1 submissions, 0 follow-ups, 0 other; sealed/,
         'the first segment is sealed');
    like($out, qr/wal check: 2 segments, 2 records, 0 damaged/,
         '... and the two submissions are counted, not the seal');
}

# 4. strace: each answer leaves after the fdatasync that covered it
SKIP: {
    skip 'strace is not installed', 2
        unless grep { -x "$_/strace" } split /:/, $ENV{PATH};
    my $s = PoskoTest->new(<<'CONF');
    posko_wal %%WAL%%;
    server { listen 127.0.0.1:%%PORT%%; location = /kirim { posko_intake; } }
CONF
    my $worker = `pgrep -P \$(cat @{[$s->dir]}/nginx.pid)`;
    chomp $worker;
    my $log = $s->dir . '/strace.log';
    my $st = fork // die;
    if ($st == 0) {
        exec 'strace', '-f', '-tt', '-s', '512', '-o', $log, '-e',
             'trace=fdatasync,write,pwrite64,writev,sendfile', '-p', $worker;
    }
    sleep 1;
    my @k;
    for (1 .. 5) {
        my $r = $s->post('/kirim', $body, Accept => 'application/json');
        push @k, $r->{body} =~ /"kode":"([^"]+)"/;
    }
    sleep 0.3;
    kill 'INT', $st;
    waitpid $st, 0;
    open my $fh, '<', $log or die;
    my @lines = <$fh>;
    my $ok = 0;
    for my $k (@k) {
        my ($w) = grep { $lines[$_] =~ /write(?:64)?\(\d+, ".*kode.*\Q$k\E/
                         && $lines[$_] !~ /HTTP\/1/ } 0 .. $#lines;
        my ($a) = grep { $lines[$_] =~ /writev?\(\d+, .*HTTP\/1\.1 201.*\Q$k\E/ }
                  0 .. $#lines;
        next unless defined $w && defined $a;
        my ($sync) = grep { $lines[$_] =~ /fdatasync\(/ } $w .. $a;
        $ok++ if defined $sync;
    }
    is(scalar @k, 5, 'five submissions under strace');
    is($ok, 5, 'each record was written, then fdatasync, then its 201 sent')
        or diag(join '', @lines);
}

done_testing();
