#!/usr/bin/perl
# The site `make run` starts (scripts/nginx-conf.sh): the form at /, the
# thank-you page showing the code and linking to the status page, the
# status page reading the site's database, and nginx's limit_req
# answering 429.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PoskoTest;

my $t = PoskoTest->new(undef, site => 1, workers => 1);
my $r = $t->get('/');
is($r->{status}, 200, 'the form is served at /');
like($r->{body}, qr/<form method="post" action="\/kirim"/, 'it posts to /kirim');
unlike($r->{body}, qr/<script|src="http|href="http/, 'no JavaScript, no external assets');
for my $f (qw(jenis pelapor kategori lokasi embarkasi kloter uraian nama
              telepon email rating)) {
    like($r->{body}, qr/name="$f"/, "the form has $f");
}
cmp_ok(length $r->{body}, '<', 30 * 1024, 'the page is under 30 KB');

$r = $t->post('/kirim', PoskoTest::form(jenis => 'informasi',
    kategori => 'lainnya', uraian => 'Info jadwal bus'));
is($r->{status}, 303, 'a submission');
my ($path) = $r->{headers}{location} =~ m{^https?://[^/]+(/.*)$};
$r = $t->get($path);
is($r->{status}, 200, 'the thank-you page');
my ($kode) = $path =~ /kode=(.+)$/;
like($r->{body}, qr/<p class="kode">\Q$kode\E<\/p>/, 'shows the code large');

like($r->{body}, qr{<a href="/status\?kode=\Q$kode\E">Lihat status laporan ini</a>},
     'and links to its status page');

# the status page reads the database ingest makes (DATA/posko.db)
my ($rc, $out, $err) = $t->posko('ingest', '--wal', $t->wal, '--db',
                                 $t->dir . '/posko.db');
is($rc, 0, 'ingest into the site\'s database') or diag($err);
$r = $t->get("/status?kode=$kode");
is($r->{status}, 200, 'the status page');
like($r->{body}, qr/Diterima/, '... says the complaint was received');

$r = $t->get('/terima-kasih.html?kode=%3Cscript%3E');
is($r->{status}, 303, 'a thank-you link without a real code goes to the form');

# limit_req: a burst far past the allowance meets 429
my %seen;
for (1 .. 40) {
    my $x = $t->post('/kirim', 'jenis=aduan', Accept => 'application/json');
    $seen{$x->{status}}++;
}
ok($seen{429}, 'flooding one address gets 429 Too Many Requests');
ok($seen{400}, 'while the first requests were answered');

done_testing();
