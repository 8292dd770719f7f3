#!/usr/bin/perl
# HTTP/2 (cleartext, prior knowledge, as behind a TLS-terminating
# proxy): submissions in both encodings, an error, and a body nginx spills
# to a temporary file all work the same as over HTTP/1.1.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PoskoTest;

plan skip_all => 'curl is not installed'
    unless grep { -x "$_/curl" } split /:/, $ENV{PATH};
my $features = `curl -V`;
plan skip_all => 'curl has no HTTP/2' unless $features =~ /HTTP2/;

my $t = PoskoTest->new(<<'CONF');
    posko_wal %%WAL%%;
    server {
        listen 127.0.0.1:%%PORT%% http2;
        client_body_buffer_size 1k;
        location = /kirim { posko_intake; }
    }
CONF
my $url = 'http://127.0.0.1:' . $t->port . '/kirim';

sub curl {
    my (@args) = @_;
    my $out = `curl -s --http2-prior-knowledge -H 'Accept: application/json' -w '\\n%{http_version} %{http_code}' @args '$url'`;
    my ($body, $ver, $code) = $out =~ /^(.*)\n(\S+) (\d+)$/s;
    return ($ver // '', $code // 0, $body // '');
}

my ($ver, $code, $body) = curl(qw(--data-urlencode jenis=aduan
    --data-urlencode kategori=kesehatan --data-urlencode),
    "'uraian=Obat tidak tersedia & antre lama'");
is($ver, '2', 'spoken over HTTP/2');
is($code, 201, 'a urlencoded submission');
like($body, qr/"kode":"[0-9A-Z-]{14}"/, '... gets its code');

($ver, $code, $body) = curl(qw(-F jenis=saran -F kategori=konsumsi),
    "-F 'uraian=Tambah buah'");
is($code, 201, 'a multipart submission');

($ver, $code, $body) = curl('--data', "'uraian=" . ('panjang ' x 300) . "&jenis=aduan&kategori=lainnya'");
is($code, 201, 'a body larger than client_body_buffer_size');

my $before = $t->wal_bytes;
($ver, $code, $body) = curl(qw(--data jenis=aduan));
is($code, 400, 'a missing field');
like($body, qr/"kategori":"Kategori layanan wajib diisi\."/, '... with its message');
is($t->wal_bytes, $before, '... writing nothing');

($ver, $code, $body) = curl('--data', "'uraian=" . ('x' x 70000) . "'");
is($code, 413, 'a body over the limit');

($ver, $code) = curl(qw(-X GET));
is($code, 405, 'GET');

done_testing();
