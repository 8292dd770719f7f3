#!/usr/bin/perl
# Bad, odd and hostile requests, one table: each gets its documented
# status and message, writes nothing to the WAL, and the server takes a
# valid submission right after.  See docs/intake.md for the same table in
# prose.

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
        client_body_buffer_size 2k;
        client_body_timeout 1s;
        client_header_timeout 1s;
        location = /kirim { posko_intake; }
    }
CONF

my $F = 'application/x-www-form-urlencoded';
my $good = 'jenis=aduan&kategori=konsumsi&uraian=Makanan+basi';
my $B = 'xYzBoundary';

# a request with a body, Content-Length filled in unless given
sub rq {
    my (%o) = @_;
    my $body = $o{body};
    my $m = $o{method} // 'POST';
    my $v = $o{version} // '1.1';
    my $r = "$m /kirim HTTP/$v\r\nHost: x\r\nConnection: close\r\n"
        . "Accept: application/json\r\n";
    $r .= "Content-Type: " . ($o{type} // $F) . "\r\n" unless $o{no_type};
    $r .= "Content-Length: " . length($body) . "\r\n"
        if defined $body && !$o{no_length} && !$o{chunked};
    $r .= "Transfer-Encoding: chunked\r\n" if $o{chunked};
    $r .= $o{headers} // '';
    $r .= "\r\n";
    if ($o{chunked} && defined $body) {
        $r .= sprintf("%x\r\n%s\r\n", length $body, $body) if length $body;
        $r .= "0\r\n\r\n";
    } else {
        $r .= $body // '';
    }
    return $r;
}

sub mp {
    my (@parts) = @_;
    my $s = '';
    while (my ($n, $v) = splice @parts, 0, 2) {
        $s .= "--$B\r\nContent-Disposition: form-data; name=\"$n\"\r\n\r\n$v\r\n";
    }
    return $s . "--$B--\r\n";
}

my $MP = "multipart/form-data; boundary=$B";
my $E = qr/"errors":\{/;

my @cases = (
    # [name, request, status, body pattern]
    ['empty body', rq(body => ''), 400, qr/"jenis":"Jenis laporan wajib diisi\."/],
    ['only ampersands', rq(body => '&&&&&'), 400, qr/"kategori":"Kategori layanan wajib diisi\."/],
    ['names without values', rq(body => 'jenis&kategori&uraian'), 400, qr/"uraian":"Uraian wajib diisi\."/],
    ['values of spaces', rq(body => 'jenis=aduan&kategori=konsumsi&uraian=+++%09'), 400, qr/"uraian":"Uraian wajib diisi\."/],
    ['unknown fields only', rq(body => 'foo=1&bar=2'), 400, qr/"jenis":"Jenis laporan wajib diisi\."/],
    ['value not in list', rq(body => "$good&lokasi=paris"), 400, qr/"lokasi":"Lokasi berisi pilihan yang tidak dikenal\."/],
    ['value in another case', rq(body => 'jenis=ADUAN&kategori=konsumsi&uraian=x'), 400, qr/"jenis":"Jenis laporan berisi pilihan yang tidak dikenal\."/],
    ['percent error in a value', rq(body => "$good&nama=Budi%2"), 400, qr/"nama":"Nama berisi kode persen \(%\) yang rusak\."/],
    ['percent error %ZZ', rq(body => "$good&nama=%ZZ"), 400, qr/"nama":"Nama berisi kode persen/],
    ['invalid UTF-8 in a value', rq(body => "$good&nama=%FF%FE"), 400, qr/"nama":"Nama bukan teks UTF-8 yang sah\."/],
    ['overlong slash', rq(body => "$good&nama=%C0%AF"), 400, qr/"nama":"Nama bukan teks UTF-8/],
    ['UTF-16 surrogate', rq(body => "$good&nama=%ED%A0%80"), 400, qr/"nama":"Nama bukan teks UTF-8/],
    ['above U+10FFFF', rq(body => "$good&nama=%F4%90%80%80"), 400, qr/"nama":"Nama bukan teks UTF-8/],
    ['NUL in a value', rq(body => "$good&nama=a%00b"), 400, qr/"nama":"Nama bukan teks UTF-8/],
    ['raw 8-bit bytes', rq(body => "$good&nama=\xC3\x28"), 400, qr/"nama":"Nama bukan teks UTF-8/],
    ['field repeated', rq(body => "$good&uraian=lagi"), 400, qr/"uraian":"Uraian diisi lebih dari sekali\."/],
    ['field too long', rq(body => "$good&nama=" . ('n' x 101)), 400, qr/"nama":"Nama terlalu panjang\."/],
    ['kloter with spaces', rq(body => "$good&kloter=SOC+12"), 400, qr/"kloter":"Kloter berisi karakter yang tidak diizinkan\."/],
    ['email without @', rq(body => "$good&email=budi.example.id"), 400, qr/"email":"Email berisi karakter/],
    ['rating 0', rq(body => "$good&rating=0"), 400, qr/"rating":"Penilaian berisi pilihan/],
    ['every field wrong at once', rq(body => 'jenis=x&pelapor=x&kategori=x&lokasi=x&embarkasi=x&kloter=%20x%20y&uraian=%FF&telepon=x&email=x&rating=x'), 400,
     qr/"jenis":.*"pelapor":.*"kategori":.*"lokasi":.*"embarkasi":.*"kloter":.*"uraian":.*"telepon":.*"email":.*"rating":/],
    ['10,000 fields', rq(body => ('a=1&' x 10000) . $good), 400, qr/"error":"Formulir berisi terlalu banyak isian\."/],
    ['257 repeated unknown fields', rq(body => ('x=' x 1) . join('&', ('x=1') x 257)), 400, qr/terlalu banyak isian/],
    ['body over the limit', rq(body => "$good&nama=" . ('a' x 66000)), 413, qr/"error":"Isi formulir terlalu besar\."/],
    ['chunked body over the limit', rq(chunked => 1, body => "$good&x=" . ('a' x 66000)), 413, qr/terlalu besar/],
    ['no Content-Type', rq(no_type => 1, body => $good), 415, qr/"error":"Jenis isi tidak didukung/],
    ['application/json', rq(type => 'application/json', body => '{"jenis":"aduan"}'), 415, qr/Jenis isi tidak didukung/],
    ['text/plain', rq(type => 'text/plain', body => $good), 415, qr/Jenis isi tidak didukung/],
    ['multipart/mixed', rq(type => "multipart/mixed; boundary=$B", body => mp(jenis => 'aduan')), 415, qr/Jenis isi tidak didukung/],
    ['multipart without boundary', rq(type => 'multipart/form-data', body => mp(jenis => 'aduan')), 400, qr/"error":"Batas \(boundary\) multipart/],
    ['multipart boundary with a bad character', rq(type => 'multipart/form-data; boundary=a<b', body => 'x'), 400, qr/Batas \(boundary\)/],
    ['multipart that never closes', rq(type => $MP, body => "--$B\r\nContent-Disposition: form-data; name=\"jenis\"\r\n\r\naduan\r\n"), 400, qr/"error":"Isi formulir multipart rusak/],
    ['multipart without a delimiter', rq(type => $MP, body => 'jenis=aduan'), 400, qr/multipart rusak/],
    ['multipart part without headers end', rq(type => $MP, body => "--$B\r\nContent-Disposition: form-data; name=\"jenis\""), 400, qr/multipart rusak/],
    ['multipart with a file', rq(type => $MP, body => "--$B\r\nContent-Disposition: form-data; name=\"foto\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\xFF\xD8\xFF\r\n--$B--\r\n"), 400, qr/"error":"Lampiran berkas belum dapat diterima/],
    ['multipart with invalid UTF-8', rq(type => $MP, body => mp(jenis => 'aduan', kategori => 'konsumsi', uraian => "\xFF")), 400, qr/"uraian":"Uraian bukan teks UTF-8/],
    ['multipart 300 parts', rq(type => $MP, body => mp(map { ("x$_" => 'v') } 1 .. 300)), 400, qr/terlalu banyak isian/],
    ['GET', rq(method => 'GET'), 405, qr/"error":"Metode tidak diizinkan/],
    ['HEAD', rq(method => 'HEAD'), 405, qr/^$/],
    ['OPTIONS', rq(method => 'OPTIONS'), 405, qr/Metode tidak diizinkan/],
    ['PUT with a good body', rq(method => 'PUT', body => $good), 405, qr/Metode tidak diizinkan/],
    ['POST without length, HTTP/1.0', rq(version => '1.0', body => undef), 411, qr/"error":"Panjang isi \(Content-Length\) wajib disebutkan\."/],
    ['two Content-Length headers', rq(body => $good, headers => "Content-Length: 5\r\n"), 400, qr/400 Bad Request/],
    ['Content-Length and chunked', rq(chunked => 1, body => $good, headers => "Content-Length: 10\r\n"), 400, qr/400 Bad Request/],
    ['a broken chunk size', "POST /kirim HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: $F\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400, qr/400 Bad Request/],
    ['negative Content-Length', rq(body => $good, no_length => 1, headers => "Content-Length: -5\r\n"), 400, qr/400 Bad Request/],
    ['a body shorter than its Content-Length (client stops)', rq(body => $good, no_length => 1, headers => "Content-Length: 500\r\n"), 0, qr/^$/],
    ['headers that never end (client stops)', "POST /kirim HTTP/1.1\r\nHost: x\r\nContent-Type: $F\r\n", 0, qr/^$/],
    ['Expect: 100-continue for a refused type', rq(type => 'text/plain', no_length => 1, headers => "Content-Length: 10\r\nExpect: 100-continue\r\n"), 415, qr/Jenis isi tidak didukung/],
);

cmp_ok(scalar @cases, '>=', 40, 'at least 40 cases');

for my $c (@cases) {
    my ($name, $req, $status, $want) = @$c;
    my $before = $t->wal_bytes;
    my $r = $t->raw($req);
    is($r->{status}, $status, "$name: " . ($status || 'connection closed'));
    like($r->{body}, $want, "$name: the answer");
    is($t->wal_bytes, $before, "$name: nothing reached the WAL");
    my $next = $t->post('/kirim', $good, Accept => 'application/json');
    is($next->{status}, 201, "$name: a valid submission right after");
}

like($t->error_log, qr/client timed out|client prematurely closed/,
     'the stalled clients were timed out by nginx');
unlike($t->error_log, qr/\[(alert|emerg|crit)\]|signal \d+|exited on/,
       'no worker crashed, nothing alarming in the error log');

done_testing();
