#!/usr/bin/perl
# Intake: a valid submission is acknowledged with a tracking code only
# after it is in the WAL; browsers get 303, programs 201 JSON.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PoskoTest;

my $t = PoskoTest->new(<<'CONF');
    posko_wal %%WAL%%;
    server {
        listen 127.0.0.1:%%PORT%%;
        location = /kirim { posko_intake; }
    }
CONF

my $code_re = qr/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
my $body = PoskoTest::form(jenis => 'aduan', kategori => 'akomodasi',
                           uraian => 'AC kamar rusak');

my $before = $t->wal_bytes;
my $r = $t->post('/kirim', $body);
is($r->{status}, 303, 'browser submission: 303 See Other');
my ($kode) = ($r->{headers}{location} // '') =~ /[?&]kode=([^&]+)/;
ok(defined $kode, 'Location carries kode=')
    or diag($r->{raw});
like($kode // '', $code_re, 'the code is XXXX-XXXX-XXXX in Crockford base32');
like($r->{headers}{location}, qr{/terima-kasih\.html\?kode=},
     'the default thank-you page');
cmp_ok($t->wal_bytes, '>', $before, 'the WAL grew before the answer');

opendir my $d, $t->wal or die;
my @segments = grep { /\.wal$/ } readdir $d;
closedir $d;
is(scalar @segments, 1, 'one segment for one worker');
my $mode = (stat "@{[$t->wal]}/$segments[0]")[2] & 07777;
is($mode & 07, 0, 'the segment is not world-readable');

$r = $t->post('/kirim', $body, Accept => 'application/json');
is($r->{status}, 201, 'program submission: 201 Created');
like($r->{headers}{'content-type'}, qr{^application/json}, 'JSON reply');
my ($kode2) = $r->{body} =~ /"kode":"([^"]+)"/;
like($kode2 // '', $code_re, 'JSON has "kode"');
isnt($kode2, $kode, 'every submission gets its own code');

# codes are random: a few hundred never collide
my %seen;
for (1 .. 200) {
    my $x = $t->post('/kirim', $body, Accept => 'application/json');
    my ($k) = $x->{body} =~ /"kode":"([^"]+)"/;
    $seen{$k // ''}++;
}
is(scalar(keys %seen), 200, '200 submissions, 200 distinct codes');

# the thanks location can be configured
my $t2 = PoskoTest->new(<<'CONF');
    server {
        listen 127.0.0.1:%%PORT%%;
        posko_wal %%WAL%%;
        location = /kirim { posko_thanks /ok?x=1; posko_intake; }
    }
CONF
$r = $t2->post('/kirim', $body);
like($r->{headers}{location} // '', qr{/ok\?x=1&kode=[0-9A-Z-]{14}$},
     'posko_thanks with its own query string');

# nginx -t refuses a posko_intake without a WAL, naming the problem
my $t3 = PoskoTest->new(<<'CONF', no_start => 1);
    server {
        listen 127.0.0.1:%%PORT%%;
        location = /kirim { posko_intake; }
    }
CONF
my ($rc, $out) = $t3->test_config;
isnt($rc, 0, 'nginx -t fails without posko_wal');
like($out, qr/posko_intake needs a posko_wal directory/, '... and says why');

my $t4 = PoskoTest->new(<<'CONF', no_start => 1);
    posko_wal %%DIR%%/missing;
    server { listen 127.0.0.1:%%PORT%%; location = /kirim { posko_intake; } }
CONF
($rc, $out) = $t4->test_config;
isnt($rc, 0, 'nginx -t fails for a missing WAL directory');
like($out, qr/posko_wal directory ".*missing" is not usable/, '... and says which');

done_testing();
