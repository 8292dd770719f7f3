#!/usr/bin/perl
# Several intake nodes, one ingest host: two nginx instances with their
# own posko_node write their own segments; the segments are shipped (here:
# copied, as rsync would) into one folder and loaded side by side; a
# follow-up taken on one node for a complaint taken on the other is
# applied; shipping the same segments again loads nothing twice; new
# records in a segment that grew since are loaded from where ingest left.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use File::Copy qw(copy);
use File::Basename qw(basename);
use PoskoTest;

plan skip_all => 'sqlite3 is not installed'
    unless grep { -x "$_/sqlite3" } split /:/, $ENV{PATH};

sub node {
    my ($name) = @_;
    my $t = PoskoTest->new(<<"CONF");
    posko_node $name;
    posko_wal %%WAL%%;
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
    $t->htpasswd(budi => 'rahasia');
    return $t;
}

my $makkah = node('posko_makkah');
my $madinah = node('posko.madinah');

sub submit {
    my ($t, $uraian) = @_;
    my $r = $t->post('/kirim', PoskoTest::form(jenis => 'aduan',
        kategori => 'akomodasi', uraian => $uraian),
        Accept => 'application/json');
    my ($k) = $r->{body} =~ /"kode":"([^"]+)"/;
    return $k;
}

my @m = map { submit($makkah, "Makkah $_") } 1 .. 3;
my @d = map { submit($madinah, "Madinah $_") } 1 .. 2;
is(scalar(grep { defined } @m, @d), 5, 'three complaints in Makkah, two in Madinah');

# an officer in Madinah follows up a complaint taken in Makkah
my $r = $madinah->post('/tindak-lanjut',
    PoskoTest::form(kode => $m[0], aksi => 'mulai_verifikasi',
                    token => $madinah->token($m[0])),
    Accept => 'application/json',
    Authorization => PoskoTest::basic_auth('budi', 'rahasia'));
is($r->{status}, 201, 'a follow-up on the other node');

my $ingest = $makkah->dir . '/ingest';
mkdir $ingest or die;
sub ship {
    for my $t ($makkah, $madinah) {
        copy($_, "$ingest/" . basename($_)) or die for glob $t->wal . '/*.wal';
    }
}
ship();
my @names = map { basename $_ } glob "$ingest/*.wal";
ok((grep { /^posko_makkah-/ } @names) && (grep { /^posko\.madinah-/ } @names),
   'segments of both nodes, each named by its node: ' . join(' ', @names));

my $db = $makkah->dir . '/posko.db';
my ($rc, $so, $se) = $makkah->posko('ingest', '--wal', $ingest, '--db', $db);
is($rc, 0, 'one ingest for both nodes') or diag($se);
like($so, qr/^ingest: 5 loaded, 0 quarantined, .* 1 follow-ups applied$/m,
     'five complaints, one follow-up') or diag($so);
my $nodes = `sqlite3 -batch -noheader "$db" "SELECT group_concat(node, ' ') FROM (SELECT DISTINCT node FROM checkpoints ORDER BY 1)"`;
is($nodes, "posko.madinah posko_makkah\n", 'a checkpoint per node\'s segment');
is(`sqlite3 -batch -noheader "$db" "SELECT status FROM complaints WHERE kode = '$m[0]'"`,
   "verifikasi\n", 'the Makkah complaint is being verified');

ship();
($rc, $so) = $makkah->posko('ingest', '--wal', $ingest, '--db', $db);
like($so, qr/^ingest: 0 loaded, 0 quarantined, .* 0 follow-ups applied$/m,
     'the same segments shipped again: nothing loaded twice');

push @m, submit($makkah, 'Makkah 4');
ship();
($rc, $so) = $makkah->posko('ingest', '--wal', $ingest, '--db', $db);
like($so, qr/^ingest: 1 loaded, 0 quarantined/m,
     'a segment that grew since: only its new record');
is(`sqlite3 -batch -noheader "$db" "SELECT count(*) FROM complaints"`, "6\n",
   'six complaints in all');

done_testing();
