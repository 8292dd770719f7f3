#!/usr/bin/perl
# Form rules from nginx configuration (posko_field): overriding a shipped
# field, adding one, inheritance from http to location, patterns with a
# bounded run time, and nginx -t refusing bad rules with the line.  Also
# how every value is tidied: CRLF folded to LF, surrounding space dropped.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PoskoTest;

my $t = PoskoTest->new(<<'CONF');
    posko_wal %%WAL%%;
    posko_field kloter "pattern=[0-9]{1,3}" label=Kloter
                "message=Kloter diisi angka saja, misalnya 12."
                "message_en=Kloter is a number, such as 12.";
    server {
        listen 127.0.0.1:%%PORT%%;
        location = /kirim { posko_intake; }
        location = /paspor {
            posko_field paspor required max=9 chars=kloter
                        "pattern=[A-Z][0-9]{7,8}" "label=Nomor paspor";
            posko_intake;
        }
        location = /lambat {
            posko_field uraian required max=4000 pattern=(a|a)+;
            posko_intake;
        }
    }
CONF

my $json = 'application/json';
my $base = 'jenis=aduan&kategori=dokumen&uraian=Paspor+ditahan';


my $r = $t->post('/kirim', "$base&kloter=SOC-12", Accept => $json);
is($r->{status}, 400, 'an overridden field refuses what the new pattern does not match');
like($r->{body}, qr/"kloter":"Kloter diisi angka saja, misalnya 12\."/,
     'with the configured message');
like($r->{body}, qr/"errors_en":\{"kloter":"Kloter is a number, such as 12\."\}/,
     'and the configured English message');

$r = $t->post('/kirim', "$base&kloter=SOC-12",
              'Accept-Language' => 'en-US,en;q=0.9');
is($r->{status}, 400, 'the same for a browser that prefers English');
like($r->{body}, qr/<li>Kloter diisi angka saja, misalnya 12\.<br><span lang="en">Kloter is a number, such as 12\.<\/span><\/li>/,
     'English beside Indonesian');

$r = $t->post('/kirim', "$base&kloter=SOC-12&lang=en");
like($r->{body}, qr/<span lang="en">Kloter is a number/, 'a lang=en field does the same');

$r = $t->post('/kirim', "$base&kloter=12", Accept => $json);
is($r->{status}, 201, 'a matching value is accepted');

$r = $t->post('/paspor', $base, Accept => $json);
is($r->{status}, 400, 'an added required field is required');
like($r->{body}, qr/"paspor":"Nomor paspor wajib diisi\."/, '... with its label');

$r = $t->post('/paspor', "$base&paspor=B1234567&kloter=7", Accept => $json);
is($r->{status}, 201, 'an added field is accepted');
like($t->wal_text, qr/\x06paspor\x08\0\0\0B1234567/, 'and written to the WAL by its name');

$r = $t->post('/paspor', "$base&kloter=SOC-1&paspor=B1234567", Accept => $json);
like($r->{body}, qr/"kloter":"Kloter diisi angka/, 'rules set at http level are inherited');

# catastrophic backtracking is cut short by the match limit
my $before = $t->wal_bytes;
$r = $t->post('/lambat', 'jenis=aduan&kategori=dokumen&uraian=' . ('a' x 60) . '!',
              Accept => $json);
is($r->{status}, 400, 'a pathological pattern gives up and refuses the value');
like($r->{body}, qr/"uraian":"uraian tidak sesuai format yang diminta\."/,
     '... as not matching the format');
like($t->error_log, qr/posko: pattern of field "uraian" gave up/, '... and the log says so');
is($t->wal_bytes, $before, '... writing nothing');
$r = $t->post('/kirim', $base, Accept => $json);
is($r->{status}, 201, 'the server goes on');

# tidying: CRLF -> LF, surrounding space dropped, inner space kept
$r = $t->post('/kirim', 'jenis=aduan&kategori=dokumen&uraian='
    . PoskoTest::urlencode("  \r\n Baris satu\r\nbaris  dua\rtiga \t\r\n"),
    Accept => $json);
is($r->{status}, 201, 'a value with CRLF and surrounding space');
like($t->wal_text, qr/\x06uraian\x1a\0\0\0Baris satu\nbaris  dua\ntiga(?!\s)/,
     'is stored with LF and without the surrounding space');

$r = $t->post('/kirim', 'jenis=aduan&kategori=dokumen&uraian=+%20%0D%0A+',
              Accept => $json);
is($r->{status}, 400, 'a value of only spaces counts as empty');
like($r->{body}, qr/"uraian":"Uraian wajib diisi\."/, '... and so is missing');

# nginx -t refuses bad rules, naming the directive's file and line
my @bad = (
    ['posko_field kloter pattern=[0-9;', qr/invalid "pattern" of field "kloter": pcre2_compile\(\) failed: missing terminating \] .* in .*nginx\.conf:\d+/],
    ['posko_field kloter max=0;', qr/invalid "max" value "0" for field "kloter" in .*nginx\.conf:\d+/],
    ['posko_field kloter colour=red;', qr/invalid parameter "colour=red" for field "kloter" in .*nginx\.conf:\d+/],
    ['posko_field kloter chars=digits;', qr/invalid "chars" value "digits"/],
    ['posko_field jenis values=a||b;', qr/empty value in "values" of field "jenis"/],
    ['posko_field kode;', qr/field name "kode" is reserved/],
    ['posko_field Nama;', qr/field name "Nama" may hold only a-z, 0-9 and _/],
    ['posko_field nama; posko_field nama;', qr/field "nama" is already defined here/],
);
for my $b (@bad) {
    my ($line, $want) = @$b;
    my $bad = PoskoTest->new(<<"CONF", no_start => 1);
    posko_wal %%WAL%%;
    $line
    server { listen 127.0.0.1:%%PORT%%; location = /kirim { posko_intake; } }
CONF
    my ($rc, $out) = $bad->test_config;
    isnt($rc, 0, "nginx -t refuses: $line");
    like($out, $want, '... saying why and where');
}

done_testing();
