#!/usr/bin/perl
# The Open311 GeoReport v2 API (posko_open311), checked against the spec:
# the service list and definitions made from the form's rules; a POST
# through the same rules, WAL record and group commit as the form, with
# every refusal answered by the spec's error list; the api key; then the
# request read back after ingest, open, and closed with the team's public
# note after its follow-ups; requests.json with its filters.  Every answer
# must be JSON, and no GET may show a name, a phone number or an e-mail.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use JSON::PP;
use PoskoTest;

plan skip_all => 'sqlite3 is not installed'
    unless grep { -x "$_/sqlite3" } split /:/, $ENV{PATH};

my $conf = <<'CONF';
    posko_wal %%WAL%%;
    posko_db %%DIR%%/posko.db;
    server {
        listen 127.0.0.1:%%PORT%%;
        location = /kirim { posko_intake; }
        location /open311/v2/ {
            posko_open311;
            posko_open311_api_key kunci-satu "kunci dua";
        }
        location /terbuka/v2/ { posko_open311; }
        location /khusus/v2/ {
            posko_open311;
            posko_field kategori required values=akomodasi|konsumsi;
            posko_field kamar max=6 chars=kloter "label=Nomor kamar";
            if ($http_x_uji) {
                add_header X-Uji ya;
            }
        }
        location /tanpa-db/v2/ {
            posko_db %%DIR%%/tidak-ada.db;
            posko_open311;
        }
        location = /tindak-lanjut {
            auth_basic "Tim Pemantauan";
            auth_basic_user_file %%DIR%%/htpasswd;
            posko_followup;
        }
    }
CONF

my $t = PoskoTest->new($conf);
$t->htpasswd(budi => 'rahasia');
my $db = $t->dir . '/posko.db';
my $json = JSON::PP->new->utf8;
my $api = '/open311/v2';
my @gets;   # every GET answer, to look for personal data at the end

sub sql {
    my ($q) = @_;
    my $r = `sqlite3 -batch -noheader -separator '|' "$db" "$q"`;
    die "sqlite3 failed: $q" if $?;
    $r =~ s/\n\z//;
    return $r;
}
sub ingest {
    my ($rc, $out, $err) = $t->posko('ingest', '--wal', $t->wal, '--db', $db);
    is($rc, 0, 'ingest') or diag($err);
}
sub follow {
    my ($kode, $aksi, @more) = @_;
    my $r = $t->post('/tindak-lanjut', PoskoTest::form(kode => $kode,
        aksi => $aksi, @more, token => $t->token($kode)),
        Accept => 'application/json',
        Authorization => PoskoTest::basic_auth('budi', 'rahasia'));
    is($r->{status}, 201, "follow-up $aksi") or diag($r->{body});
}

# Every answer: JSON with the right type; returns (reply, decoded).
sub decoded {
    my ($r, $what) = @_;
    like($r->{headers}{'content-type'} // '', qr{^application/json; charset=utf-8$}i,
         "$what: application/json; charset=utf-8");
    my $d = eval { $json->decode($r->{body}) };
    ok(defined $d, "$what: valid JSON") or diag($r->{body});
    return $d // {};
}
sub get {
    my ($path, $what) = @_;
    my $r = $t->get($path);
    push @gets, $r->{body};
    return ($r, decoded($r, $what // "GET $path"));
}
sub submit {
    my ($path, $fields, $what, %headers) = @_;
    my $r = $t->post($path, PoskoTest::form(@$fields), %headers);
    return ($r, decoded($r, $what));
}
# An error list: [{code, description}], each description "id / en".
sub error_list {
    my ($d, $what) = @_;
    ok(ref $d eq 'ARRAY' && @$d, "$what: an error list") or return;
    ok(!grep({ !(defined $_->{code} && $_->{code} =~ /^\d+$/
                 && ($_->{description} // '') =~ m{\S / \S}) } @$d),
       "$what: each with a code and an Indonesian / English description");
}
sub described { join "\n", map { $_->{description} // '' } @{ref $_[0] eq 'ARRAY' ? $_[0] : []} }

ingest();   # the database, empty

# -- the service list ----------------------------------------------------------

my ($r, $d) = get("$api/services.json");
is($r->{status}, 200, 'services.json: 200');
is(ref $d, 'ARRAY', '... a list');
is(join(',', map { $_->{service_code} } @$d),
   'akomodasi,konsumsi,transportasi,kesehatan,bimbingan_ibadah,petugas,dokumen,lainnya',
   '... one service for each kategori, in the form\'s order');
my %svc = map { $_->{service_code} => $_ } @$d;
is($svc{akomodasi}{service_name}, 'Akomodasi', '... named from the reference data');
is($svc{bimbingan_ibadah}{service_name}, 'Bimbingan ibadah', '... bimbingan_ibadah too');
ok(!grep({ !($_->{metadata} && $_->{metadata} eq '1' && ($_->{type} // '') eq 'realtime'
             && length($_->{description} // '') && defined $_->{group}
             && defined $_->{keywords}) } @$d),
   '... each with metadata true, type realtime, a description, keywords and a group');
ok(JSON::PP::is_bool($svc{akomodasi}{metadata}), '... metadata a JSON boolean');

($r, $d) = get('/tanpa-db/v2/services.json', 'services.json without a database');
is($r->{status}, 200, 'services.json, the database unreadable: still 200');
is((grep { $_->{service_code} eq 'bimbingan_ibadah' } @$d)[0]{service_name},
   'Bimbingan ibadah', '... names made from the codes');

($r, $d) = get('/khusus/v2/services.json', 'services.json with rules of its own');
is(join(',', map { $_->{service_code} } @$d), 'akomodasi,konsumsi',
   'a location\'s own kategori rule: its services');

# -- a service definition -------------------------------------------------------

($r, $d) = get("$api/services/akomodasi.json");
is($r->{status}, 200, 'services/akomodasi.json: 200');
is($d->{service_code}, 'akomodasi', '... its service_code');
my @attr = @{$d->{attributes} // []};
is(join(',', map { $_->{code} } @attr), 'jenis,pelapor,lokasi,embarkasi,kloter,rating',
   '... the other fields as attributes, not kategori, uraian, nama, telepon, email');
is(join(',', map { $_->{order} } @attr), '1,2,3,4,5,6', '... in order');
ok(!grep({ !($_->{variable} && JSON::PP::is_bool($_->{variable})) } @attr),
   '... each variable');
my %attr = map { $_->{code} => $_ } @attr;
is($attr{jenis}{datatype}, 'singlevaluelist', 'jenis: a single value list');
is(join(',', map { $_->{key} } @{$attr{jenis}{values}}), 'kritik,saran,aduan,informasi',
   '... of its values');
is($attr{jenis}{values}[0]{name}, 'Kritik', '... with names');
ok(!$attr{jenis}{required}, '... not required: it defaults to aduan');
is($attr{jenis}{description}, 'Jenis laporan', '... described by its label');
is($attr{kloter}{datatype}, 'string', 'kloter: a string');
like($attr{kloter}{datatype_description} // '', qr/12 karakter/, '... of at most 12 characters');
ok(!$attr{pelapor}{required}, 'pelapor: not required');
my %emb = map { $_->{key} => $_->{name} } @{$attr{embarkasi}{values}};
is($emb{SOC}, 'Solo', 'embarkasi SOC is named Solo, from the reference data');
is(join(',', map { $_->{key} } @{$attr{rating}{values}}), '1,2,3,4,5', 'rating: 1 to 5');

($r, $d) = get('/khusus/v2/services/konsumsi.json', 'a definition with a field added');
is(join(',', map { $_->{code} } @{$d->{attributes} // []}),
   'jenis,pelapor,lokasi,embarkasi,kloter,rating,kamar', '... the added field an attribute too');
is($d->{attributes}[6]{description}, 'Nomor kamar', '... described by its label');
($r, $d) = get('/khusus/v2/services/transportasi.json', 'a service not at that location');
is($r->{status}, 404, '... and a category it does not have: 404');

($r, $d) = get("$api/services/parkir.json", 'an unknown service');
is($r->{status}, 404, 'services/parkir.json: 404');
error_list($d, 'an unknown service');
is($d->[0]{code}, 404, '... code 404');
like($d->[0]{description}, qr/service_code tidak dikenal/, '... saying so');

# -- paths, formats and methods ---------------------------------------------------

for my $path ('services.xml', 'services/akomodasi.xml', 'requests.xml', 'tokens/123.json',
              'discovery.json', 'services', 'services/a/b.json', '')
{
    ($r, $d) = get("$api/$path", "GET $path");
    is($r->{status}, 404, "GET $path: 404");
    error_list($d, "GET $path");
}
like(described($d), qr/services\.json/, 'an unknown path names what exists');
($r, $d) = get("$api/services.xml", 'services.xml');
like(described($d), qr/JSON/, '.xml: only JSON is served');

for my $m (['PUT', 'services.json', 'GET, HEAD'], ['POST', 'services.json', 'GET, HEAD'],
           ['DELETE', 'requests.json', 'GET, HEAD, POST'],
           ['POST', 'requests/7K3M-9QXR-2B4D.json', 'GET, HEAD'])
{
    my ($method, $path, $allow) = @$m;
    $r = $t->request($method, "$api/$path", 'x=1',
                     'Content-Type' => 'application/x-www-form-urlencoded');
    is($r->{status}, 405, "$method $path: 405");
    is($r->{headers}{allow}, $allow, "... Allow: $allow");
    error_list(decoded($r, "$method $path"), "$method $path");
}

# -- POST requests.json: refusals ------------------------------------------------

my @good = (service_code => 'akomodasi',
    description => 'Kamar 512 bocor saat hujan. Hubungi saya di 0812-3456-7890 atau siti@contoh.id',
    first_name => 'Siti', last_name => 'Aminah', phone => '081234567890',
    email => 'siti@contoh.id', 'attribute[pelapor]' => 'jemaah',
    'attribute[lokasi]' => 'makkah', 'attribute[embarkasi]' => 'SOC',
    'attribute[kloter]' => 'SOC-12', 'attribute[rating]' => 2,
    lat => '21.4225', long => '39.8262', address_string => 'Hotel Misfalah',
    device_id => 'tt222111', account_id => '123456', jurisdiction_id => 'haji.kemenag.go.id',
    media_url => 'http://contoh.id/foto.jpg');
sub without { my ($drop, @f) = @_; my @o; while (my ($k, $v) = splice @f, 0, 2) { push @o, $k, $v unless $k eq $drop } @o }
sub with { my ($k, $v, @f) = @_; return (without($k, @f), $k, $v) }

my $before = $t->wal_bytes;

($r, $d) = submit("$api/requests.json", [@good], 'a POST without api_key');
is($r->{status}, 403, 'POST without api_key: 403');
error_list($d, 'no api_key');
is($d->[0]{code}, 403, '... code 403');
like($d->[0]{description}, qr/api_key/, '... naming api_key');
($r, $d) = submit("$api/requests.json", [@good, api_key => 'kunci-tiga'], 'a wrong api_key');
is($r->{status}, 403, 'POST with a wrong api_key: 403');
($r, $d) = submit("$api/requests.json", [@good, api_key => 'kunci-satu-'], 'a longer api_key');
is($r->{status}, 403, 'POST with a key that starts like a good one: 403');
($r, $d) = submit("$api/requests.json", [without('service_code', @good)],
                  'no api_key and no service_code');
is($r->{status}, 403, '... the key is checked before the fields');

my @bad = (
    ['a missing service_code', [without('service_code', @good)], 400,
     qr{^service_code wajib diisi\. / service_code is required\.$}],
    ['an unknown service_code', [with(service_code => 'parkir', @good)], 404,
     qr{^service_code tidak dikenal.* / service_code is unknown}],
    ['a missing description', [without('description', @good)], 400,
     qr{^description wajib diisi\. / description is required\.$}],
    ['a description too long', [with(description => 'a' x 4001, @good)], 400,
     qr{^description terlalu panjang\. / description is too long\.$}],
    ['a bad attribute value', [with('attribute[lokasi]' => 'paris', @good)], 400,
     qr{^attribute\[lokasi\] berisi pilihan yang tidak dikenal\. / attribute\[lokasi\] is not one of}],
    ['a rating of 7', [with('attribute[rating]' => 7, @good)], 400,
     qr{^attribute\[rating\] }],
    ['an unknown jenis', [with('attribute[jenis]' => 'keluhan', @good)], 400,
     qr{^attribute\[jenis\] }],
    ['a bad phone number', [with(phone => 'nomor saya', @good)], 400,
     qr{^phone berisi karakter yang tidak diizinkan\. / phone contains}],
    ['a bad kloter', [with('attribute[kloter]' => '12;DROP', @good)], 400,
     qr{^attribute\[kloter\] }],
    ['a name too long', [with(last_name => 'x' x 99, @good)], 400,
     qr{^first_name \(bersama last_name\) terlalu panjang}],
    ['a description given twice', [@good, description => 'lagi'], 400,
     qr{^description diisi lebih dari sekali}],
);
for my $b (@bad) {
    my ($what, $fields, $status, $message) = @$b;
    ($r, $d) = submit("$api/requests.json", [@$fields, api_key => 'kunci-satu'], $what);
    is($r->{status}, $status, "$what: $status");
    error_list($d, $what);
    ok((grep { ($_->{description} // '') =~ $message } @$d), "... $message")
        or diag($r->{body});
}
($r, $d) = submit("$api/requests.json", [api_key => 'kunci-satu',
    'attribute[rating]' => 9, 'attribute[lokasi]' => 'paris'], 'many problems');
is($r->{status}, 400, 'many problems: 400');
is(scalar(@$d), 4, '... one entry each: service_code, description, lokasi, rating')
    or diag($r->{body});
($r, $d) = submit("$api/requests.json", [with(service_code => 'parkir', without('description', @good)),
    api_key => 'kunci-satu'], 'an unknown service and no description');
is($r->{status}, 404, 'an unknown service with other problems: still 404');
is(join(',', map { $_->{code} } @$d), '404,400', '... each problem with its own code');

$r = $t->request('POST', "$api/requests.json", '{"service_code":"akomodasi"}',
                 'Content-Type' => 'application/json');
is($r->{status}, 415, 'a JSON body: 415');
error_list(decoded($r, 'a JSON body'), 'a JSON body');
$r = $t->request('POST', "$api/requests.json", 'x' x 70000,
                 'Content-Type' => 'application/x-www-form-urlencoded');
is($r->{status}, 413, 'a body too large: 413');
error_list(decoded($r, 'a body too large'), 'a body too large');
$r = $t->post("$api/requests.json", join('&', map { "f$_=1" } 1 .. 300));
is($r->{status}, 400, 'too many fields: 400');
error_list(decoded($r, 'too many fields'), 'too many fields');
is($t->wal_bytes, $before, 'nothing refused was written to the WAL');

# -- POST requests.json: accepted ------------------------------------------------

($r, $d) = submit("$api/requests.json", [@good, api_key => 'kunci-satu'], 'a good POST');
is($r->{status}, 201, 'a good POST with the first key: 201 Created');
is(ref $d, 'ARRAY', '... a list');
my $kode = $d->[0]{service_request_id} // '';
like($kode, qr/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/, "... its service_request_id, $kode");
like($d->[0]{service_notice} // '', qr/sudah kami terima/, '... a service_notice');
ok(exists $d->[0]{account_id} && !defined $d->[0]{account_id}, '... account_id null');
ok(!exists $d->[0]{token}, '... no token: realtime');
like($r->{headers}{location} // '', qr{\Q$api/requests/$kode.json\E$}, '... Location: where to follow it');
ok($t->wal_bytes > $before, '... and it is in the WAL');

# the same record as the form's: the form's names, the name joined, jenis defaulted
my $wal = $t->wal_text;
like($wal, qr/Siti Aminah/, 'the WAL has the name joined');
unlike($wal, qr/service_code|attribute\[|first_name|api_key|kunci-satu|Misfalah|tt222111|21\.4225/,
       '... and nothing of the Open311 names, the key or the ignored fields');

($r, $d) = submit("$api/requests.json", [service_code => 'konsumsi',
    description => 'Nasi dingin setiap pagi', 'attribute[jenis]' => 'kritik',
    last_name => 'Budiman', api_key => 'kunci dua'], 'the second key');
is($r->{status}, 201, 'a POST with the second key: 201');
my $other = $d->[0]{service_request_id} // '';
($r, $d) = submit('/terbuka/v2/requests.json', [service_code => 'transportasi',
    description => 'Bus shalawat terlambat'], 'no key needed');
is($r->{status}, 201, 'a location without posko_open311_api_key needs no key: 201');
my $third = $d->[0]{service_request_id} // '';

# a location's own field, inside an "if" block of the location
($r, $d) = submit('/khusus/v2/requests.json', [service_code => 'konsumsi',
    description => 'Lauk kurang', 'attribute[kamar]' => '1234567'], 'a field too long',
    'X-Uji' => 1);
is($r->{status}, 400, 'an added field checked by its rule: 400');
like(described($d), qr/^attribute\[kamar\] terlalu panjang/, '... named attribute[kamar]');
($r, $d) = submit('/khusus/v2/requests.json', [service_code => 'konsumsi',
    description => 'Lauk kurang', 'attribute[kamar]' => '512-B'], 'an added field',
    'X-Uji' => 1);
is($r->{status}, 201, '... and accepted: 201');
is($r->{headers}{'x-uji'}, 'ya', '... from inside the "if" block');
my $kamar = $d->[0]{service_request_id} // '';
like($t->wal_text, qr/kamar.{0,8}512-B/s, '... into the WAL under its own name');

# the form's own intake, for the same database
$r = $t->post('/kirim', PoskoTest::form(jenis => 'saran', kategori => 'kesehatan',
    uraian => 'Tambah kursi roda di KKHI'), Accept => 'application/json');
my ($form_kode) = $r->{body} =~ /"kode":"([^"]+)"/;

# -- before ingest: not found yet ---------------------------------------------------

($r, $d) = get("$api/requests/$kode.json", 'a request not loaded yet');
is($r->{status}, 404, 'requests/ID.json before ingest: 404');
error_list($d, 'not loaded yet');
is($r->{headers}{'cache-control'}, 'no-store', '... never cached');

ingest();

is(sql("SELECT jenis || '|' || kategori || '|' || pelapor || '|' || lokasi || '|'
        || embarkasi || '|' || kloter || '|' || rating || '|' || nama || '|'
        || telepon || '|' || email FROM complaints WHERE kode = '$kode'"),
   'aduan|akomodasi|jemaah|makkah|SOC|SOC-12|2|Siti Aminah|081234567890|siti@contoh.id',
   'ingested as a form submission: jenis aduan by default, every field mapped');
is(sql("SELECT jenis || '|' || nama FROM complaints WHERE kode = '$other'"), 'kritik|Budiman',
   'the other: jenis as given, a last name alone as the name');
is(sql("SELECT count(*) FROM quarantine"), 0, 'nothing quarantined');

# -- GET requests/ID.json ---------------------------------------------------------

($r, $d) = get("$api/requests/$kode.json", 'a request');
is($r->{status}, 200, 'requests/ID.json: 200');
is($r->{headers}{'cache-control'}, 'no-store', '... never cached');
is(ref $d, 'ARRAY', '... a list');
is(scalar @$d, 1, '... of one');
my $q = $d->[0];
is($q->{service_request_id}, $kode, '... its service_request_id');
is($q->{status}, 'open', '... open');
ok(exists $q->{status_notes} && !defined $q->{status_notes}, '... no status_notes yet');
is($q->{service_code}, 'akomodasi', '... service_code');
is($q->{service_name}, 'Akomodasi', '... service_name');
like($q->{description} // '', qr/^Kamar 512 bocor saat hujan\. Hubungi saya di \x{2022}{3} atau \x{2022}{3}$/,
     '... the description, phone and e-mail hidden');
is($q->{agency_responsible}, 'Tim Pemantauan dan Evaluasi Kinerja Petugas dan Layanan',
   '... the monitoring team responsible');
like($q->{requested_datetime} // '', qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/,
     '... requested_datetime in w3 format');
is($q->{updated_datetime}, $q->{requested_datetime}, '... updated_datetime: the same');
like($q->{expected_datetime} // '', qr/^\d{4}-\d\d-\d\dT/, '... expected_datetime: its deadline');
ok(exists $q->{$_} && !defined $q->{$_}, "... $_ null") for qw(address lat long);

($r, $d) = get("$api/requests/" . lc($kode =~ s/-//gr) . '.json', 'a code typed loosely');
is($r->{status}, 200, 'the code typed loosely: 200');
is($d->[0]{service_request_id}, $kode, '... read the forgiving way');
($r, $d) = get("/terbuka/v2/requests/$kode.json", 'another location');
is($r->{status}, 200, 'a lookup by code needs no key');

my $typo = PoskoTest::mistyped($kode);
for my $b ([$typo, 'a wrong check character', qr/salah ketik/],
           ['halo', 'not a code', qr/bukan kode pelacakan/],
           ['x' x 100, 'a very long id', qr/bukan kode pelacakan/])
{
    my ($id, $what, $message) = @$b;
    ($r, $d) = get("$api/requests/$id.json", $what);
    is($r->{status}, 400, "$what: 400");
    error_list($d, $what);
    like(described($d), $message, '... saying so');
}
my $unknown = '0000-0000-0000';   # well-formed: its check symbol is 0
($r, $d) = get("$api/requests/$unknown.json", 'an unknown code');
is($r->{status}, 404, 'a well-formed code that is not there: 404');
error_list($d, 'an unknown code');
is($d->[0]{code}, 404, '... code 404');

$r = $t->request('HEAD', "$api/requests/$kode.json", undef);
is($r->{status}, 200, 'HEAD: 200');
is($r->{body}, '', '... without a body');

($r, $d) = get("/tanpa-db/v2/requests/$kode.json", 'an unreadable database');
is($r->{status}, 503, 'the database cannot be read: 503');
error_list($d, 'an unreadable database');
like($r->{headers}{'retry-after'} // '', qr/^\d+$/, '... with Retry-After');
like($t->error_log, qr/posko_db ".*tidak-ada\.db" cannot be read/, '... the error log names the file');

# -- GET requests.json -------------------------------------------------------------

($r, $d) = get("$api/requests.json", 'everybody\'s requests without a key');
is($r->{status}, 403, 'requests.json without a key: 403');
error_list($d, 'requests.json without a key');
($r, $d) = get("$api/requests.json?api_key=salah", 'a wrong key');
is($r->{status}, 403, '... with a wrong key: 403');
($r, $d) = get("$api/requests.json?api_key=kunci-satu", 'requests.json');
is($r->{status}, 200, 'requests.json with the key: 200');
is($r->{headers}{'cache-control'}, 'no-store', '... never cached');
is(join(',', map { $_->{service_request_id} } @$d), "$form_kode,$kamar,$third,$other,$kode",
   '... every request, newest first, the form\'s too');
($r, $d) = get("$api/requests.json?api_key=kunci+dua&service_code=konsumsi,transportasi",
               'by service_code');
is(join(',', map { $_->{service_request_id} } @$d), "$kamar,$third,$other",
   'service_code=konsumsi,transportasi (the second key, "+" for its space)');
($r, $d) = get("/terbuka/v2/requests.json?status=closed", 'status=closed');
is(scalar @$d, 0, 'status=closed: none yet (no key needed where none is set)');
($r, $d) = get("/terbuka/v2/requests.json?status=open", 'status=open');
is(scalar @$d, 5, 'status=open: all five');
($r, $d) = get("/terbuka/v2/requests.json?start_date=2099-01-01T00:00:00Z", 'start_date');
is(scalar @$d, 0, 'start_date in the future: none');
($r, $d) = get("/terbuka/v2/requests.json?end_date=2001-01-01T00:00:00%2B03:00", 'end_date');
is(scalar @$d, 0, 'end_date in the past: none');
($r, $d) = get("/terbuka/v2/requests.json?start_date=2020-01-01&end_date=2099-12-31T23:59:59+03:00",
               'a wide range');
is(scalar @$d, 5, 'a range around now, "+" unescaped: all five');
for my $b (['status=pending', 'status', qr/^status hanya boleh open atau closed/],
           ['service_code=parkir', 'service_code', qr/^service_code tidak dikenal/],
           ['start_date=kemarin', 'start_date', qr/^start_date bukan waktu ISO 8601/],
           ['end_date=2026-13-01', 'end_date', qr/^end_date bukan waktu ISO 8601/],
           ['start_date=2026-06-02&end_date=2026-06-01', 'start after end',
            qr/^start_date lebih akhir daripada end_date/])
{
    my ($query, $what, $message) = @$b;
    ($r, $d) = get("/terbuka/v2/requests.json?$query", $what);
    is($r->{status}, 400, "$query: 400");
    error_list($d, $what);
    like(described($d), $message, '... saying so');
}

# by codes: anybody's own, without a key
($r, $d) = get("$api/requests.json?service_request_id=$kode,$unknown,"
               . lc($other) . ",$kode", 'by service_request_id');
is($r->{status}, 200, 'service_request_id=... without a key: 200');
is(join(',', map { $_->{service_request_id} } @$d), "$other,$kode",
   '... the known ones, once each, newest first');
($r, $d) = get("$api/requests.json?service_request_id=$kode,halo", 'a bad code in the list');
is($r->{status}, 400, 'a malformed code in the list: 400');
error_list($d, 'a bad code in the list');
($r, $d) = get("$api/requests.json?service_request_id="
               . join(',', ($kode) x 51), 'too many codes');
is($r->{status}, 400, '51 codes: 400');
like(described($d), qr/paling banyak 50/, '... at most 50');

# -- followed up to its end ----------------------------------------------------------

follow($kode, 'mulai_verifikasi');
follow($kode, 'faktual', catatan => 'Catatan internal: atap kamar 512 rusak');
follow($kode, 'tugaskan', unit => 'daker-makkah');
follow($kode, 'tindakan', catatan => 'Teknisi dikirim');
follow($kode, 'selesai', catatan => 'Atap sudah diperbaiki; "dicek" ulang \\ <b>oke</b>');
follow($other, 'mulai_verifikasi');
follow($other, 'tidak_faktual', catatan => 'Nasi hangat saat diperiksa');
ingest();

($r, $d) = get("$api/requests/$kode.json", 'a solved request');
$q = $d->[0] // {};
is($q->{status}, 'closed', 'solved: closed');
is($q->{status_notes}, 'Atap sudah diperbaiki; "dicek" ulang \\ <b>oke</b>',
   '... the solution\'s note as status_notes, escaped and read back whole');
unlike($r->{body}, qr/Catatan internal|Teknisi/, '... and no internal note');
is($q->{agency_responsible}, 'Daerah Kerja Makkah', '... the unit it was assigned to');
ok(($q->{updated_datetime} // '') gt ($q->{requested_datetime} // ''),
   '... updated after it was requested');
($r, $d) = get("$api/requests/$other.json", 'a request found not factual');
is($d->[0]{status}, 'closed', 'not factual: closed');
is($d->[0]{status_notes}, 'Nasi hangat saat diperiksa', '... with its note');
($r, $d) = get("/terbuka/v2/requests.json?status=closed", 'status=closed after');
is(join(',', map { $_->{service_request_id} } @$d), "$other,$kode",
   'status=closed: the two');
($r, $d) = get("/terbuka/v2/requests.json?status=open,closed&service_code=akomodasi",
               'open,closed');
is(join(',', map { $_->{service_request_id} } @$d), $kode, 'status=open,closed and a service');

# -- privacy -------------------------------------------------------------------------

my $all = join "\n", @gets;
for my $secret ('Siti', 'Aminah', 'Budiman', '081234567890', '0812-3456-7890', 'siti@contoh') {
    unlike($all, qr/\Q$secret\E/, "no GET answer shows \"$secret\"");
}

# -- configurations nginx -t refuses ---------------------------------------------------

for my $c (
    ['posko_open311 beside posko_intake',
     'location /a/ { posko_intake; posko_open311; }', qr/cannot share a location/],
    ['posko_open311 without posko_wal',
     'location /a/ { posko_wal off; posko_open311; }', qr/posko_wal/],
    ['an api key too long',
     'location /a/ { posko_open311; posko_open311_api_key ' . ('k' x 257) . '; }',
     qr/api key must be 1 to 256 characters/],
    ['posko_field in a location inside posko_open311',
     'location /a/ { posko_open311; location /a/b/ { posko_field kamar; } }',
     qr/posko_field is not allowed in a location inside a posko_open311/])
{
    my ($what, $loc, $message) = @$c;
    my $wal = $what =~ /without posko_wal/ ? '' : 'posko_wal %%WAL%%;';
    $loc =~ s/posko_wal off; //;
    my $n = PoskoTest->new("$wal server { listen 127.0.0.1:%%PORT%%; $loc }", no_start => 1);
    my ($rc, $out) = $n->test_config;
    isnt($rc, 0, "nginx -t refuses $what");
    like($out, $message, '... saying why') or diag($out);
}

done_testing();
