#!/usr/bin/perl
# multipart/form-data submissions: text parts are taken like urlencoded
# fields (as sent, no percent-decoding), an empty file input is ignored,
# a real file is refused until attachments exist, and a broken body or
# boundary gets 400 with the reason, writing nothing.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PoskoTest;

my $t = PoskoTest->new(<<'CONF');
    posko_wal %%WAL%%;
    server { listen 127.0.0.1:%%PORT%%; location = /kirim { posko_intake; } }
CONF

my $json = 'application/json';
my $b = '----WebKitFormBoundary7MA4YWxkTrZu0gW';

sub part {
    my ($name, $value, %opt) = @_;
    my $disp = qq{form-data; name="$name"};
    $disp .= qq{; filename="$opt{filename}"} if defined $opt{filename};
    my $h = "Content-Disposition: $disp\r\n";
    $h .= "Content-Type: $opt{type}\r\n" if $opt{type};
    return "--$b\r\n$h\r\n$value\r\n";
}

sub body { join('', @_) . "--$b--\r\n" }


my $uraian = "AC mati 100% & panas\r\nمشكلة \xF0\x9F\x98\xA5";
my $body = body(part('jenis', 'aduan'), part('kategori', 'akomodasi'),
                part('uraian', $uraian), part('lampiran', '',
                filename => '', type => 'application/octet-stream'),
                part('kirim', 'Kirim laporan'));
my $r = $t->post('/kirim', $body, 'Content-Type' => "multipart/form-data; boundary=$b",
                 Accept => $json);
is($r->{status}, 201, 'a multipart submission is accepted');
like($r->{body}, qr/"kode":"[0-9A-Z-]{14}"/, '... with a code');
like($t->wal_text, qr/\x06uraian\x24\0\0\0AC mati 100% & panas\nمشكلة \xF0\x9F\x98\xA5/,
     'the text is stored as sent, with CRLF folded');

$r = $t->post('/kirim', $body, 'Content-Type' => qq{multipart/form-data; boundary="$b"});
is($r->{status}, 303, 'a quoted boundary, browser reply');

my @bad = (
    ['a file part',
     body(part('jenis', 'aduan'), part('kategori', 'akomodasi'),
          part('uraian', 'x'), part('foto', "\x89PNG...", filename => 'a.png',
                                    type => 'image/png')),
     "multipart/form-data; boundary=$b",
     qr/"error":"Lampiran berkas belum dapat diterima; kirim laporan tanpa berkas\."/],
    ['a body whose boundary never closes',
     "--$b\r\nContent-Disposition: form-data; name=\"jenis\"\r\n\r\naduan\r\n",
     "multipart/form-data; boundary=$b",
     qr/"error":"Isi formulir multipart rusak \(.+\)\.","error_en":"The multipart body is malformed: /],
    ['a part without a name',
     "--$b\r\nContent-Disposition: form-data\r\n\r\naduan\r\n--$b--\r\n",
     "multipart/form-data; boundary=$b",
     qr/"error":"Isi formulir multipart rusak/],
    ['no boundary at all',
     body(part('jenis', 'aduan')), 'multipart/form-data',
     qr/"error":"Batas \(boundary\) multipart pada Content-Type tidak ada atau tidak sah\."/],
    ['a boundary of 71 characters',
     body(part('jenis', 'aduan')), 'multipart/form-data; boundary=' . ('x' x 71),
     qr/"error":"Batas \(boundary\) multipart/],
    ['a multipart with missing fields',
     body(part('jenis', 'aduan')), "multipart/form-data; boundary=$b",
     qr/"errors":\{"kategori":"Kategori layanan wajib diisi\.","uraian":"Uraian wajib diisi\."\}/],
);
for my $c (@bad) {
    my ($name, $body, $type, $want) = @$c;
    my $before = $t->wal_bytes;
    my $r = $t->post('/kirim', $body, 'Content-Type' => $type, Accept => $json);
    is($r->{status}, 400, "$name: 400");
    like($r->{body}, $want, "$name: the message");
    is($t->wal_bytes, $before, "$name: nothing written");
}

# a bad boundary is refused from the headers, before any body is sent
my $c = $t->connect;
$r = $c->send("POST /kirim HTTP/1.1\r\nHost: x\r\nAccept: $json\r\n"
    . "Content-Type: multipart/form-data\r\nContent-Length: 500\r\n"
    . "Expect: 100-continue\r\n\r\n");
is($r && $r->{status}, 400, 'Expect: 100-continue with no boundary: 400 at once');

# chunked multipart
my $chunked = '';
for my $piece (unpack '(a100)*', $body) {
    $chunked .= sprintf("%x\r\n%s\r\n", length $piece, $piece);
}
$chunked .= "0\r\n\r\n";
$r = $t->raw("POST /kirim HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
    . "Accept: $json\r\nContent-Type: multipart/form-data; boundary=$b\r\n"
    . "Transfer-Encoding: chunked\r\n\r\n$chunked");
is($r->{status}, 201, 'a chunked multipart body');

done_testing();
