#!/usr/bin/perl
# Every request the intake cannot accept gets its documented status and a
# clear message (Indonesian, with English beside it), writes nothing to
# the WAL, and leaves the server taking the next valid submission.

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
        client_body_buffer_size 1k;
        location = /kirim { posko_intake; }
    }
CONF

my $good = PoskoTest::form(jenis => 'saran', kategori => 'konsumsi',
                           uraian => 'Nasi kurang hangat');
my $json = 'application/json';

# [name, request sub, status, pattern in the body, more checks]
my @cases = (
    ['missing required fields (browser)',
     sub { $t->post('/kirim', 'nama=Budi') }, 400,
     qr/<li>Jenis laporan wajib diisi\.<\/li><li>Kategori layanan wajib diisi\.<\/li><li>Uraian wajib diisi\.<\/li>/],
    ['missing required fields (JSON)',
     sub { $t->post('/kirim', 'nama=Budi', Accept => $json) }, 400,
     qr/^\{"errors":\{"jenis":"Jenis laporan wajib diisi\.","kategori":"Kategori layanan wajib diisi\.","uraian":"Uraian wajib diisi\."\},"errors_en":\{"jenis":"Field jenis is required\./],
    ['a value not in the list',
     sub { $t->post('/kirim', 'jenis=Aduan&kategori=hotel&uraian=x',
                    Accept => $json) }, 400,
     qr/"jenis":"Jenis laporan berisi pilihan yang tidak dikenal\.","kategori":"Kategori layanan berisi pilihan yang tidak dikenal\."/],
    ['an embarkation not in the list',
     sub { $t->post('/kirim', "$good&embarkasi=soc", Accept => $json) }, 400,
     qr/"embarkasi":"Embarkasi berisi pilihan yang tidak dikenal\."/],
    ['overlong UTF-8',
     sub { $t->post('/kirim', 'jenis=aduan&kategori=akomodasi&uraian=%C0%AF',
                    Accept => $json) }, 400,
     qr/"uraian":"Uraian bukan teks UTF-8 yang sah\."/],
    ['a NUL byte',
     sub { $t->post('/kirim', 'jenis=aduan&kategori=akomodasi&uraian=a%00b',
                    Accept => $json) }, 400,
     qr/"uraian":"Uraian bukan teks UTF-8 yang sah\."/],
    ['a broken percent escape',
     sub { $t->post('/kirim', 'jenis=aduan&kategori=akomodasi&uraian=100%',
                    Accept => $json) }, 400,
     qr/"uraian":"Uraian berisi kode persen \(%\) yang rusak\."/],
    ['a field given twice',
     sub { $t->post('/kirim', "$good&jenis=kritik", Accept => $json) }, 400,
     qr/"jenis":"Jenis laporan diisi lebih dari sekali\."/],
    ['a description of 4001 characters',
     sub { $t->post('/kirim', PoskoTest::form(jenis => 'aduan',
                    kategori => 'kesehatan', uraian => 'x' x 4001),
                    Accept => $json) }, 400,
     qr/"uraian":"Uraian terlalu panjang\."/],
    ['letters in a phone number',
     sub { $t->post('/kirim', "$good&telepon=08abc", Accept => $json) }, 400,
     qr/"telepon":"Telepon berisi karakter yang tidak diizinkan\."/],
    ['a rating of 6',
     sub { $t->post('/kirim', "$good&rating=6", Accept => $json) }, 400,
     qr/"rating":"Penilaian berisi pilihan yang tidak dikenal\."/],
    ['GET is not a submission',
     sub { $t->get('/kirim') }, 405,
     qr/Metode tidak diizinkan; kirim formulir dengan POST\..*Method not allowed/s,
     sub { is($_[0]{headers}{allow}, 'POST', '405 names the allowed method') }],
    ['PUT (JSON)',
     sub { $t->request('PUT', '/kirim', $good, Accept => $json,
                       'Content-Type' => 'application/x-www-form-urlencoded') },
     405, qr/^\{"error":"Metode tidak diizinkan; kirim formulir dengan POST\.","error_en":"Method not allowed; send the form with POST\."\}/],
    ['no Content-Length',
     sub { $t->raw("POST /kirim HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                   . "Content-Type: application/x-www-form-urlencoded\r\n\r\n") },
     411, qr/Panjang isi \(Content-Length\) wajib disebutkan\./],
    ['a body over the limit',
     sub { $t->post('/kirim', 'uraian=' . ('a' x 70000), Accept => $json) },
     413, qr/"error":"Isi formulir terlalu besar\."/],
    ['a chunked body over the limit',
     sub { my $chunk = 'a' x 8000;
           my $req = "POST /kirim HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
               . "Content-Type: application/x-www-form-urlencoded\r\n"
               . "Transfer-Encoding: chunked\r\n\r\n"
               . sprintf("%x\r\nuraian=\r\n", 7)
               . (sprintf("%x\r\n%s\r\n", length $chunk, $chunk) x 9)
               . "0\r\n\r\n";
           $t->raw($req) },
     413, qr/Isi formulir terlalu besar\./],
    ['text/plain',
     sub { $t->post('/kirim', $good, 'Content-Type' => 'text/plain') },
     415, qr/Jenis isi tidak didukung; gunakan application\/x-www-form-urlencoded atau multipart\/form-data\./],
    ['a look-alike content type',
     sub { $t->post('/kirim', $good,
                    'Content-Type' => 'application/x-www-form-urlencodedX') },
     415, qr/Jenis isi tidak didukung/],
);

for my $c (@cases) {
    my ($name, $send, $status, $pattern, $more) = @$c;
    my $before = $t->wal_bytes;
    my $r = $send->();
    is($r->{status}, $status, "$name: $status");
    like($r->{body}, $pattern, "$name: the message");
    $more->($r) if $more;
    is($t->wal_bytes, $before, "$name: nothing written");
    my $next = $t->post('/kirim', $good, Accept => $json);
    is($next->{status}, 201, "$name: the next valid submission succeeds");
}

# a chunked body and a body nginx spilled to a temporary file are read whole
my $long = 'Kursi roda tidak tersedia di bandara. ' x 60;
my $body = PoskoTest::form(jenis => 'aduan', kategori => 'transportasi',
                           uraian => $long);
my $r = $t->post('/kirim', $body, Accept => $json);
is($r->{status}, 201, 'a body larger than client_body_buffer_size');
my $req = "POST /kirim HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
    . "Accept: $json\r\n"
    . "Content-Type: application/x-www-form-urlencoded\r\n"
    . "Transfer-Encoding: chunked\r\n\r\n";
for my $piece (unpack '(A500)*', $body) {
    $req .= sprintf("%x\r\n%s\r\n", length $piece, $piece);
}
$req .= "0\r\n\r\n";
$r = $t->raw($req);
is($r->{status}, 201, 'a chunked body');

# 503 with Retry-After when the WAL cannot be written
my $t2 = PoskoTest->new(<<'CONF');
    posko_wal %%WAL%%;
    server { listen 127.0.0.1:%%PORT%%; location = /kirim { posko_intake; } }
CONF
rmdir $t2->wal or die "rmdir: $!";
$r = $t2->post('/kirim', $good, Accept => $json);
is($r->{status}, 503, 'an unwritable WAL: 503');
is($r->{headers}{'retry-after'}, '5', '... with Retry-After');
like($r->{body}, qr/"error":"Laporan belum tersimpan karena gangguan server/,
     '... and a message');
# the line may reach the log a moment after the answer left
my $why = qr/posko: open\(\) of WAL segment ".*wal.*" failed.*answered 503/;
for (1 .. 50) { last if $t2->error_log =~ $why; select undef, undef, undef, 0.1 }
like($t2->error_log, $why, "the error log says why");
mkdir $t2->wal or die;
$r = $t2->post('/kirim', $good, Accept => $json);
is($r->{status}, 201, 'intake recovers when the disk does');

done_testing();
