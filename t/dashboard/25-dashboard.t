#!/usr/bin/perl
# `posko dashboard`: the team's static pages, read back as files.  A
# database made by `posko ingest` gets 120 open complaints with chosen
# deadlines, closed ones (recently and long ago), events, a unit no
# reference table knows and a quarantined follow-up, some of it hostile
# text.  Then: the pages exist; the worklist is in deadline order, 50 a
# page, with previous/next links; each filter page holds only its rows;
# closed complaints stay out of the worklist; a complaint page lists its
# events in order and offers only the actions the lifecycle allows, with
# a token this test recomputes from the secret; hostile text shows as text
# on every page; name, phone and e-mail only on the complaint's page; the
# made / next-update stamp; a second run rewrites no complaint page, a
# change rewrites only its page, a page that left the set is removed, a
# token 12 hours old is made again; wrong arguments exit 2, a missing
# database 1.  Last, the whole loop through a real nginx with the module:
# the page served behind auth_basic, its form posted as it is (recorded)
# and with its token changed (refused), ingest, and the page made again.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use File::Temp qw(tempdir);
use Digest::SHA qw(hmac_sha256_hex);
use POSIX qw(strftime);
use PoskoTest;

plan skip_all => 'sqlite3 is not installed'
    unless grep { -x "$_/sqlite3" } split /:/, $ENV{PATH};

my $POSKO = $PoskoTest::POSKO;
my $dir = tempdir(CLEANUP => 1);
my $db = "$dir/posko.db";
my $out = "$dir/dasbor";
mkdir "$dir/wal" or die;
system("$POSKO ingest --wal '$dir/wal' --db '$db' >/dev/null") == 0
    or die 'posko ingest did not make the database';

# 2026-06-15T11:05:00Z is 14:05 in Riyadh (UTC+3)
my $NOW = 1781521500;
my $NOW_ISO = '2026-06-15T11:05:00Z';
is(strftime('%Y-%m-%dT%H:%M:%SZ', gmtime $NOW), $NOW_ISO, 'the test\'s now');

sub iso { strftime('%Y-%m-%dT%H:%M:%S.000Z', gmtime $_[0]) }
sub q_ { defined $_[0] ? "'" . ($_[0] =~ s/'/''/gr) . "'" : 'NULL' }
sub slurp {
    open my $fh, '<:raw', $_[0] or return undef;
    local $/;
    return scalar <$fh>;
}
sub sql {
    my ($text) = @_;
    open my $fh, '|-', 'sqlite3', $db or die;
    print $fh $text;
    close $fh or die "sqlite3 failed on: $text";
}
sub run {
    my @args = @_;
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        open STDOUT, '>', "$dir/run.out" or die;
        open STDERR, '>', "$dir/run.err" or die;
        exec $POSKO, @args or die "exec $POSKO: $!";
    }
    waitpid $pid, 0;
    return ($? >> 8, slurp("$dir/run.out"), slurp("$dir/run.err"));
}
# "5 jam", "4 hari 4 jam": how the pages say a span of time
sub span {
    my $s = abs $_[0];
    return $s < 60 ? 'kurang dari 1 menit'
        : $s < 3600 ? int($s / 60) . ' menit'
        : $s < 86400 ? int($s / 3600) . ' jam'
        : $s % 86400 < 3600 ? int($s / 86400) . ' hari'
        : int($s / 86400) . ' hari ' . int($s % 86400 / 3600) . ' jam';
}

# A tracking code the module accepts: 11 Crockford base32 symbols of n and
# the check symbol n mod 37 (include/posko_kode.c), from n up.
sub kode {
    my ($n) = @_;
    my @abc = split //, '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    $n++ while $n % 37 >= 32;
    my ($v, $s) = ($n, '');
    for (1 .. 11) { $s = $abc[$v % 32] . $s; $v = int($v / 32) }
    $s .= $abc[$n % 37];
    return join '-', unpack('(A4)3', $s);
}

# -- the season --------------------------------------------------------------
my $HOSTILE = qq{<script>alert(1)</script> "kutip" 'tunggal' & dan telp 081298765432 atau hostile\@contoh.id};
my $PHONE = '081298765432';
my $EMAIL = 'budi@contoh.id';
my $NAME = 'Budi Santoso <b>';
my $BAD_UNIT = q{<u>unit"x</u>};

my @status = qw(diterima verifikasi faktual ditindaklanjuti);
my @lokasi = qw(makkah madinah jeddah);
my @kategori = qw(akomodasi konsumsi kesehatan transportasi petugas);
my (%c, @open);
for my $i (1 .. 120) {
    my $kode = kode(1_000_000 + 100 * $i);
    my $st = $status[$i % 4];
    my $received = $NOW - (200 - $i) * 3600 - 7 * $i;
    my $due = $NOW + ((($i * 37) % 120) - 60) * 3600 + $i;
    $due = $NOW - 100 * 3600 if $i == 3;    # the hostile one: most overdue
    my $verified = $st eq 'faktual' || $st eq 'ditindaklanjuti';
    my %r = (kode => $kode, status => $st, received => $received,
             due => $due, lokasi => $lokasi[$i % 3],
             kategori => $kategori[$i % 5],
             unit => $i % 4 == 0 ? 'daker-makkah' : undef,
             uraian => "Keluhan nomor $i tentang kamar",
             due_verify => $verified ? $received + 24 * 3600 : $due,
             due_solve => $verified ? $due : $due + 48 * 3600,
             verified_at => $verified ? $received + 3600 : undef,
             faktual => $verified ? 1 : undef,
             updated_at => $st eq 'diterima' ? undef : $received + 7200);
    $r{unit} = $BAD_UNIT if $i == 7;
    if ($i == 3) {
        @r{qw(uraian nama telepon email kloter)} =
            ($HOSTILE, $NAME, $PHONE, $EMAIL, '<i>12</i>');
    }
    $c{$kode} = \%r;
    push @open, \%r;
}
my $H = $open[2]{kode};
is($c{$H}{status}, 'ditindaklanjuti', 'the hostile complaint is being acted on');

# closed ones: recently (they keep a page) and 10 days ago (they do not)
my @closed;
for my $j (1 .. 15) {
    my $st = (qw(selesai ditutup tidak_faktual))[$j % 3];
    my $kode = kode(5_000_000 + 100 * $j);
    my $t = $NOW - $j * 3600;
    my %r = (kode => $kode, status => $st, received => $t - 50 * 3600,
             due => undef, lokasi => 'makkah', kategori => 'kesehatan',
             uraian => "Sudah ditangani $j", due_verify => $t - 20 * 3600,
             due_solve => $t + 20 * 3600, verified_at => $t - 30 * 3600,
             faktual => $st eq 'tidak_faktual' ? 0 : 1, updated_at => $t);
    $r{solved_at} = $t if $st eq 'selesai';
    $r{closed_at} = $t if $st eq 'ditutup';
    $r{verified_at} = $t if $st eq 'tidak_faktual';
    $c{$kode} = \%r;
    push @closed, \%r;
}
my @old;
for my $k (1 .. 3) {
    my $kode = kode(9_000_000 + 100 * $k);
    my $t = $NOW - 10 * 86400 - $k * 3600;
    my %r = (kode => $kode, status => 'selesai', received => $t - 80 * 3600,
             lokasi => 'madinah', kategori => 'konsumsi', uraian => 'Lama',
             due_verify => $t - 60 * 3600, due_solve => $t + 3600,
             verified_at => $t - 70 * 3600, solved_at => $t, faktual => 1,
             updated_at => $t);
    $c{$kode} = \%r;
    push @old, \%r;
}

my $ins = "BEGIN;\n";
for my $r (values %c) {
    $ins .= 'INSERT INTO complaints(kode, jenis, kategori, lokasi, embarkasi,'
        . ' kloter, uraian, nama, telepon, email, received_at, status, unit,'
        . ' due_verify, due_solve, verified_at, solved_at, closed_at, faktual,'
        . ' updated_at, wal_segment, wal_offset) VALUES ('
        . join(', ', map { q_($_) } $r->{kode}, 'aduan', $r->{kategori},
               $r->{lokasi}, 'SOC', $r->{kloter}, $r->{uraian}, $r->{nama},
               $r->{telepon}, $r->{email}, iso($r->{received}), $r->{status},
               $r->{unit}, iso($r->{due_verify}), iso($r->{due_solve}),
               (map { defined $r->{$_} ? iso($r->{$_}) : undef }
                qw(verified_at solved_at closed_at)),
               $r->{faktual}, defined $r->{updated_at} ? iso($r->{updated_at}) : undef,
               't.wal')
        . ", 0);\n";
}
# the hostile complaint's events, in the order they were applied
my $rc3 = $c{$H}{received};
my @events = (
    ['mulai_verifikasi', 'petugas01', q{<b>cek</b> & "lihat"}, 'diterima', 'verifikasi', $rc3 + 600],
    ['faktual', 'petugas02', 'benar terjadi', 'verifikasi', 'faktual', $rc3 + 3600],
    ['tindakan', 'petugas03', 'AC diperbaiki', 'faktual', 'ditindaklanjuti', $rc3 + 7200],
);
for my $e (@events) {
    $ins .= 'INSERT INTO events(kode, aksi, petugas, catatan, status_before,'
        . ' status_after, at) VALUES ('
        . join(', ', map { q_($_) } $H, @$e[0 .. 4], iso($e->[5])) . ");\n";
}
# a refused follow-up of the hostile complaint, as ingest keeps it: the
# WAL record (frame and name/value fields) with the reason
sub field { pack('C', length $_[0]) . $_[0] . pack('V', length $_[1]) . $_[1] }
my $payload = field('kode', $H) . field('aksi', 'selesai')
    . field('petugas', 'petugas09') . field('at', iso($NOW - 600))
    . field('catatan', q{<img src=x onerror=alert(1)> & "q"});
my $raw = pack('V V C x3', 0, length $payload, 2) . $payload;
$ins .= 'INSERT INTO quarantine(segment, offset, reason, raw, at, kode,'
    . " petugas) VALUES ('s1.wal', 40, 'aduan belum dinyatakan faktual /"
    . " the complaint has not been found factual', X'" . unpack('H*', $raw)
    . "', " . q_(iso($NOW - 300)) . ", '$H', '<script>x</script>');\n";
# a damaged record: its bytes (a phone number, an address) never shown
$ins .= "INSERT INTO quarantine(segment, offset, reason, raw, at) VALUES"
    . " ('s2.wal', 99, 'damaged record (checksum mismatch)', X'"
    . unpack('H*', "garbage $PHONE $EMAIL") . "', " . q_(iso($NOW - 200))
    . ");\n";
$ins .= "COMMIT;\n";
sql($ins);

# -- the first run -------------------------------------------------------------
my ($code, $stdout, $stderr) = run('dashboard', '--db', $db, '--out', $out,
                                   '--now', $NOW_ISO);
is($code, 0, 'posko dashboard runs') or diag($stderr);
like($stdout, qr/^dashboard: \Q$out\E \(120 open, \d+ worklist pages, 135 complaint pages written, 0 unchanged, 0 removed, 2 quarantined\)\n\z/,
     'its summary line');

ok(-f "$dir/posko.secret", 'the secret was made beside the database');
is(-s "$dir/posko.secret", 32, 'it is 32 bytes');
is((stat "$dir/posko.secret")[2] & 0777, 0640, 'mode 0640');
my $secret = slurp("$dir/posko.secret");

for my $f (qw(index.html kerja-1.html kerja-2.html kerja-3.html karantina.html
              img/tren.png img/kategori.png img/lokasi.png img/embarkasi.png
              img/per-kategori.png)) {
    ok(-s "$out/$f", "$f is there");
}
ok(!-e "$out/kerja-4.html", '120 open complaints make 3 pages, not 4');
is(substr(slurp("$out/img/tren.png"), 0, 8), "\x89PNG\r\n\x1a\n", 'the charts are PNG');
is((stat "$out/index.html")[2] & 0777, 0640, 'pages are mode 0640');

# -- the worklist ---------------------------------------------------------------
my @want = map { $_->{kode} }
    sort { $a->{due} <=> $b->{due} || $a->{received} <=> $b->{received} }
    @open;
sub codes {
    my ($html) = @_;
    return [$html =~ m{<tr[^>]*><td data-l="Kode"><a href="aduan/([0-9A-Z-]{14})\.html">}g];
}
my (@got, %page);
for my $p (1 .. 3) {
    $page{$p} = slurp("$out/kerja-$p.html");
    my $rows = codes($page{$p});
    is(scalar @$rows, $p < 3 ? 50 : 20, "page $p has " . ($p < 3 ? 50 : 20) . ' rows');
    like($page{$p}, qr/halaman $p dari 3/, "page $p says halaman $p dari 3");
    push @got, @$rows;
}
is_deeply(\@got, \@want, 'the worklist is ordered by the next deadline, the longest overdue first');
is($got[0], $H, 'the most overdue complaint is first');
unlike($page{1}, qr/rel="prev"/, 'page 1 has no previous link');
like($page{1}, qr/<a href="kerja-2\.html" rel="next">/, 'page 1 links to page 2');
like($page{2}, qr/<a href="kerja-1\.html" rel="prev">/, 'page 2 links back to page 1');
like($page{2}, qr/<a href="kerja-3\.html" rel="next">/, 'page 2 links to page 3');
unlike($page{3}, qr/rel="next"/, 'the last page has no next link');
my %in_list = map { $_ => 1 } @got;
is(scalar(grep { $in_list{$_->{kode}} } @closed, @old), 0,
   'no solved, closed or not factual complaint is in the worklist');
like($page{1}, qr{<tr class="late"><td data-l="Kode"><a href="aduan/$H\.html">.*?<span class="late">lewat 4 hari 4 jam</span>}s,
     'an overdue row says how late');
for my $n (0, 70, 119) {
    my $r = $c{$want[$n]};
    my $p = 1 + int($n / 50);
    my $when = ($r->{due} < $NOW ? '<span class="late">lewat ' : 'dalam ') . span($r->{due} - $NOW);
    like(slurp("$out/kerja-$p.html"), qr{aduan/$r->{kode}\.html.*?\Q$when\E}s,
         "row $n says how late or how soon: $when");
}

# filters: each holds exactly its own rows, in the same order, paged too
sub filter_rows {
    my ($stem) = @_;
    my (@rows, $n);
    for ($n = 1; -f "$out/$stem-$n.html"; $n++) {
        push @rows, @{codes(slurp("$out/$stem-$n.html"))};
    }
    return (\@rows, $n - 1);
}
my %filters = (
    'kerja-lokasi-makkah' => sub { $_[0]{lokasi} eq 'makkah' },
    'kerja-kategori-kesehatan' => sub { $_[0]{kategori} eq 'kesehatan' },
    'kerja-unit-daker-makkah' => sub { ($_[0]{unit} // '') eq 'daker-makkah' },
    'kerja-unit-_kosong' => sub { !defined $_[0]{unit} },
);
for my $stem (sort keys %filters) {
    my @expect = grep { $filters{$stem}->($c{$_}) } @want;
    my ($rows, $pages) = filter_rows($stem);
    is_deeply($rows, \@expect, "$stem: only its " . scalar(@expect) . ' rows, in order');
    is($pages, int((@expect + 49) / 50), "$stem: " . int((@expect + 49) / 50) . ' page(s)');
}
my $second = slurp("$out/kerja-unit-_kosong-2.html") // '';
like($second, qr/halaman 2 dari 2/, 'a filter is paged: halaman 2 dari 2');
ok(-f "$out/kerja-lokasi-arafah-1.html", 'a filter with no open complaint still has its page');
like(slurp("$out/kerja-lokasi-arafah-1.html"), qr/Tidak ada aduan terbuka/, 'which says so');
my @odd = glob("$out/kerja-unit-_*-1.html");
my ($odd) = grep { !/_kosong/ } @odd;
ok($odd && $odd =~ m{/kerja-unit-_[0-9a-f]{16}-1\.html\z}, 'a unit no table knows gets a file name of its own');
is_deeply(codes(slurp($odd // '/nonexistent') // ''), [$open[6]{kode}], 'holding its one complaint');
for my $p (values %page) {
    like($p, qr{<a href="kerja-lokasi-makkah-1\.html">Makkah</a>}, 'the filter bar links locations');
    like($p, qr{<a href="kerja-kategori-kesehatan-1\.html">Kesehatan</a>}, 'and categories');
    like($p, qr{<a href="kerja-unit-daker-makkah-1\.html">Daerah Kerja Makkah</a>}, 'and units');
}
like(slurp("$out/kerja-lokasi-makkah-1.html"), qr{<a href="kerja-lokasi-makkah-1\.html" aria-current="page">},
     'the filter shown is marked in the bar');

# -- complaint pages ------------------------------------------------------------
my %has_page = map { $_->{kode} => 1 } @open, @closed;
my @pages = map { m{/([^/]+)\.html\z} ? $1 : () } glob("$out/aduan/*.html");
is_deeply([sort @pages], [sort keys %has_page],
          'a page for every open complaint and every one updated in the last 7 days, no other');

my %allowed = (
    diterima => [qw(mulai_verifikasi tugaskan tutup)],
    verifikasi => [qw(faktual tidak_faktual tugaskan tutup)],
    faktual => [qw(tugaskan tindakan selesai tutup)],
    ditindaklanjuti => [qw(tugaskan tindakan selesai tutup)],
    tidak_faktual => [qw(tutup)],
    selesai => [],
    ditutup => [],
);
my %seen_status;
for my $r (@open, @closed) {
    next if $seen_status{$r->{status}}++;
    my $html = slurp("$out/aduan/$r->{kode}.html");
    my ($select) = $html =~ m{<select id="aksi" name="aksi"[^>]*>(.*?)</select>}s;
    my @offered = ($select // '') =~ /<option value="([a-z_]+)">/g;
    is_deeply(\@offered, $allowed{$r->{status}},
              "a complaint that is $r->{status} offers: @{$allowed{$r->{status}}}");
    if (!@{$allowed{$r->{status}}}) {
        unlike($html, qr/<form/, "$r->{status}: no form at all");
        next;
    }
    my ($action) = $html =~ m{<form method="post" action="([^"]*)">};
    is($action, '/dasbor/tindak-lanjut', "$r->{status}: the form posts to /dasbor/tindak-lanjut");
    my %hidden = $html =~ m{<input type="hidden" name="(\w+)" value="([^"]*)">}g;
    is($hidden{kode}, $r->{kode}, "$r->{status}: hidden kode");
    is($hidden{kembali}, "/dasbor/aduan/$r->{kode}.html", "$r->{status}: hidden kembali is the page's own path");
    my $expires = $NOW + 86400;
    my $mac = substr(hmac_sha256_hex("posko-followup\0$r->{kode}\0$expires", $secret), 0, 32);
    is($hidden{token}, "$expires.$mac", "$r->{status}: the token is valid for this code for 24 hours");
    like($html, qr{<textarea id="catatan" name="catatan"}, "$r->{status}: a note");
    like($html, qr{<select id="unit" name="unit">.*<option value="daker-makkah">Daerah Kerja Makkah(?: \(saat ini\))?</option>}s,
         "$r->{status}: units from ref_unit");
    like($html, qr{<input id="duplikat_dari" name="duplikat_dari"}, "$r->{status}: duplikat_dari");
}
is(scalar keys %seen_status, 7, 'every status was looked at');

my $hp = slurp("$out/aduan/$H.html");
my @ev = $hp =~ m{<td data-l="Tindakan">([^<]*)</td><td data-l="Petugas">([^<]*)</td>}g;
is_deeply(\@ev, ['Mulai verifikasi', 'petugas01', 'Faktual', 'petugas02', 'Tindakan', 'petugas03'],
          'the complaint page lists its events in order, with their officers');
like($hp, qr{Diterima \x{e2}\x{86}\x{92} Sedang diverifikasi}, 'status before and after');
like($hp, qr{&lt;b&gt;cek&lt;/b&gt; &amp; &quot;lihat&quot;}, 'an officer\'s note, escaped');
like($hp, qr{AC diperbaiki}, 'the last note');
like($hp, qr{Tindak lanjut yang ditolak}, 'the refused follow-up is shown with it');
like($hp, qr{aduan belum dinyatakan faktual}, 'with its reason');
like($hp, qr{<p class="u">\Q&lt;script&gt;alert(1)&lt;/script&gt; &quot;kutip&quot; &#39;tunggal&#39; &amp; dan telp 081298765432 atau hostile\E\@contoh\.id</p>},
     'the whole description, as text');
like($hp, qr{&lt;i&gt;12&lt;/i&gt;}, 'the kloter, escaped');

# -- hostile text is text everywhere -------------------------------------------
my $esc = qr{\Q&lt;script&gt;alert(1)&lt;/script&gt; &quot;kutip&quot; &#39;tunggal&#39; &amp; dan\E};
my %where = (
    'index.html' => 'the index',
    'kerja-1.html' => 'the worklist',
    'kerja-lokasi-makkah-1.html' => 'the location filter',
    'kerja-kategori-transportasi-1.html' => 'the category filter',
    'kerja-unit-_kosong-1.html' => 'the unit filter',
    "aduan/$H.html" => 'the complaint page',
);
for my $f (sort keys %where) {
    my $html = slurp("$out/$f");
    like($html, $esc, "$where{$f}: the pilgrim's text shows as text");
}
my $kar = slurp("$out/karantina.html");
like($kar, qr{&lt;script&gt;x&lt;/script&gt;}, 'quarantine: the officer, as text');
like($kar, qr{&lt;img src=x onerror=alert\(1\)&gt; &amp; &quot;q&quot;}, 'quarantine: the note, as text');
like($kar, qr{<a href="aduan/$H\.html">$H</a>}, 'quarantine: linked to the complaint');
like($kar, qr{aduan belum dinyatakan faktual / the complaint has not been found factual}, 'quarantine: the reason');
like($kar, qr{Selesai}, 'quarantine: the action');
like($kar, qr{damaged record \(checksum mismatch\)}, 'quarantine: a damaged record\'s reason');
like($kar, qr{s2\.wal \@ 99}, 'and where it lies');
like(slurp("$out/index.html"), qr{\Q&lt;u&gt;unit&quot;x&lt;/u&gt;\E}, 'a unit\'s odd name, escaped in the filter bar');
my @all_pages = (glob("$out/*.html"), glob("$out/aduan/*.html"));
my @raw_tags = grep { slurp($_) =~ /<script|<img src=x|<u>unit|<b>cek|<i>12/i } @all_pages;
is_deeply(\@raw_tags, [], 'no page has a tag from the data in it');

# -- personal data only on the complaint page -----------------------------------
for my $f ('index.html', 'karantina.html', map { s{^\Q$out/\E}{}r } glob("$out/kerja-*.html")) {
    my $html = slurp("$out/$f");
    my @leak = grep { index($html, $_) >= 0 } $PHONE, $EMAIL, 'hostile@contoh.id', 'Budi Santoso';
    is_deeply(\@leak, [], "$f: no name, phone or e-mail");
}
like($hp, qr{<a href="tel:$PHONE">$PHONE</a>}, 'the complaint page has the phone');
like($hp, qr{<a href="mailto:\Q$EMAIL\E">\Q$EMAIL\E</a>}, 'and the e-mail');
like($hp, qr{Budi Santoso &lt;b&gt;}, 'and the name, escaped');
like($page{1}, qr{telp \x{e2}\x{80}\x{a2}\x{e2}\x{80}\x{a2}\x{e2}\x{80}\x{a2} atau \x{e2}\x{80}\x{a2}}, 'the worklist hides the number and the address in the excerpt');

# -- the stamp -------------------------------------------------------------------
for my $f (sort(keys %where), 'karantina.html', 'kerja-3.html') {
    like(slurp("$out/$f"), qr{Dibuat 14:05 WAS; pembaruan berikutnya sekitar 14:10}, "$f: made and next-update stamp");
}
like(slurp("$out/kerja-1.html"), qr{<meta name="viewport"}, 'a viewport for phones');
unlike(join('', map { slurp($_) } @all_pages), qr{<script|https?://}i, 'no script, no external asset');
($code) = run('dashboard', '--db', $db, '--out', "$dir/every", '--now', $NOW_ISO, '--every', '15', '--tz', 'Asia/Jakarta');
is($code, 0, 'with --every 15 --tz Asia/Jakarta');
like(slurp("$dir/every/index.html"), qr{Dibuat 18:05 WIB; pembaruan berikutnya sekitar 18:20}, 'the stamp follows --every and --tz');

# -- the index -------------------------------------------------------------------
my $ix = slurp("$out/index.html");
my $overdue = grep { $_->{due} < $NOW } @open;
like($ix, qr{Masih ditangani<b>120</b><span class="note">$overdue melewati tenggat sekarang}, 'the index: open and overdue now');
like($ix, qr{<a href="kerja-1\.html">Seluruh daftar kerja: 120 aduan terbuka</a>}, 'the index links the worklist');
like($ix, qr{<a href="karantina\.html">2 rekaman di karantina</a>}, 'and the quarantine');
like($ix, qr{<img src="img/tren\.png\?v=$NOW"}, 'and shows the charts');
is_deeply([@{codes($ix)}], [@want[0 .. 9]], 'the ten most urgent on the index');
like($ix, qr{Perlu perhatian hari ini}, 'what needs attention');

# -- a second run with nothing changed -------------------------------------------
my %inode = map { $_ => (stat $_)[1] } glob("$out/aduan/*.html");
my %mtime = map { $_ => (stat $_)[9] } glob("$out/aduan/*.html");
sleep 1;
($code, $stdout) = run('dashboard', '--db', $db, '--out', $out, '--now', $NOW_ISO);
is($code, 0, 'a second run');
like($stdout, qr/\(120 open, \d+ worklist pages, 0 complaint pages written, 135 unchanged, 0 removed, 2 quarantined\)/,
     'it writes no complaint page');
my @rewritten = grep { (stat $_)[1] != $inode{$_} || (stat $_)[9] != $mtime{$_} } keys %inode;
is_deeply(\@rewritten, [], 'every complaint page is the same file as before');

# -- a change: one complaint moves on, 30 are closed, one closed long ago --------
my $moved = $want[5];
my @closing = @want[60 .. 89];
my $gone = $closed[0]{kode};
sql("BEGIN;"
    . "UPDATE complaints SET status = 'ditutup', closed_at = '" . iso($NOW - 60) . "', updated_at = '" . iso($NOW - 60) . "' WHERE kode = '$moved';"
    . "INSERT INTO events(kode, aksi, petugas, catatan, status_before, status_after, at) VALUES ('$moved', 'tutup', 'petugas04', 'beres', '$c{$moved}{status}', 'ditutup', '" . iso($NOW - 60) . "');"
    . join('', map { "UPDATE complaints SET status = 'ditutup', closed_at = '" . iso($NOW - 30) . "', updated_at = '" . iso($NOW - 30) . "' WHERE kode = '$_';" } @closing)
    . "UPDATE complaints SET updated_at = '" . iso($NOW - 8 * 86400) . "' WHERE kode = '$gone';"
    . "COMMIT;");
%inode = map { $_ => (stat $_)[1] } glob("$out/aduan/*.html");
($code, $stdout) = run('dashboard', '--db', $db, '--out', $out, '--now', $NOW_ISO);
is($code, 0, 'a run after changes');
like($stdout, qr/\(89 open, \d+ worklist pages, 31 complaint pages written, 103 unchanged, 1 removed, 2 quarantined\)/,
     'it writes only the changed pages and removes one');
@rewritten = sort map { m{/([^/]+)\.html\z} } grep { -e $_ && (stat $_)[1] != $inode{$_} } keys %inode;
is_deeply(\@rewritten, [sort $moved, @closing], 'exactly the changed complaints\' pages were written');
ok(!-e "$out/aduan/$gone.html", 'the page of a complaint closed more than 7 days ago is removed');
like(slurp("$out/aduan/$moved.html"), qr{<td data-l="Tindakan">Tutup</td><td data-l="Petugas">petugas04</td>}, 'the changed page shows the new event');
unlike(slurp("$out/aduan/$moved.html"), qr{<form}, 'and, closed, offers no form');
ok(-f "$out/kerja-2.html" && !-e "$out/kerja-3.html", '89 open complaints: page 3 of the worklist is gone');
like(slurp("$out/kerja-2.html"), qr/halaman 2 dari 2/, 'halaman 2 dari 2');
my %now_open = map { $_ => 1 } @{codes(slurp("$out/kerja-1.html"))}, @{codes(slurp("$out/kerja-2.html"))};
ok(!$now_open{$moved} && !grep({ $now_open{$_} } @closing), 'the closed ones left the worklist');

# -- tokens are made again when they are 12 hours old ----------------------------
my $later = strftime('%Y-%m-%dT%H:%M:%SZ', gmtime($NOW + 13 * 3600));
($code, $stdout) = run('dashboard', '--db', $db, '--out', $out, '--now', $later);
is($code, 0, 'a run 13 hours later');
like($stdout, qr/\(89 open, \d+ worklist pages, 134 complaint pages written, 0 unchanged, \d+ removed/,
     'every complaint page is made again, with a fresh token');
my $exp = $NOW + 13 * 3600 + 86400;
my ($tok) = slurp("$out/aduan/$H.html") =~ /name="token" value="([^"]+)"/;
is($tok, "$exp." . substr(hmac_sha256_hex("posko-followup\0$H\0$exp", $secret), 0, 32), 'the new token expires 24 hours after this run');

# -- options ---------------------------------------------------------------------
open my $sf, '>:raw', "$dir/other.secret" or die;
print $sf 'k' x 32;
close $sf;
($code, undef, $stderr) = run('dashboard', '--db', $db, '--out', "$dir/opt", '--now', $NOW_ISO,
    '--secret', "$dir/other.secret", '--followup-url', '/tl', '--base', '/tim/dasbor');
is($code, 0, '--secret, --followup-url, --base') or diag($stderr);
my $op = slurp("$dir/opt/aduan/$H.html");
like($op, qr{<form method="post" action="/tl">}, 'the form posts to --followup-url');
like($op, qr{name="kembali" value="/tim/dasbor/aduan/$H\.html"}, 'kembali starts with --base');
my $e2 = $NOW + 86400;
like($op, qr{name="token" value="$e2\.\Q@{[substr(hmac_sha256_hex("posko-followup\0$H\0$e2", 'k' x 32), 0, 32)]}\E"},
     'the token is made with --secret');

# -- wrong usage and failures ------------------------------------------------------
my @bad = (
    [[], qr/--db FILE is required/, 'no options'],
    [['--db', $db], qr/--out DIR is required/, 'no --out'],
    [['--db', $db, '--out', $out, '--bogus'], qr/unknown option '--bogus'/, 'an unknown option'],
    [['--db', $db, '--out', $out, '--every', '0'], qr/--every '0' is not a number of minutes/, '--every 0'],
    [['--db', $db, '--out', $out, '--every', '5x'], qr/--every '5x'/, '--every 5x'],
    [['--db', $db, '--out', $out, '--now', '2026-06-15 11:05'], qr/--now '2026-06-15 11:05' is not a UTC time/, 'a bad --now'],
    [['--db', $db, '--out', $out, '--now', '2026-02-30T11:05:00Z'], qr/--now/, 'a --now that is no day'],
    [['--db', $db, '--out', $out, '--tz', 'Mars/Base'], qr/--tz 'Mars\/Base' is not a known time zone/, 'an unknown --tz'],
    [['--db', $db, '--out', $out, '--base', 'javascript:alert(1)'], qr/--base 'javascript:alert\(1\)' is not a path/, 'a --base that is not a path'],
    [['--db', $db, '--out', $out, '--followup-url', '//evil.example/x'], qr/--followup-url/, 'a --followup-url to another site'],
    [['--db', $db, '--db', $db, '--out', $out], qr/--db given more than once/, 'a flag twice'],
);
for my $b (@bad) {
    my ($args, $msg, $what) = @$b;
    ($code, $stdout, $stderr) = run('dashboard', @$args);
    is($code, 2, "$what: exit 2");
    like($stderr, qr/^posko dashboard: .*$msg/, "$what: says why");
    is(scalar(() = $stderr =~ /\n/g), 1, "$what: in one line");
}
($code, $stdout, $stderr) = run('dashboard', '--db', "$dir/missing.db", '--out', "$dir/x");
is($code, 1, 'a missing database: exit 1');
like($stderr, qr/cannot open database .*missing\.db/, 'and says so');
ok(!-e "$dir/x", 'and writes nothing');
($code, $stdout) = run('help', 'dashboard');
is($code, 0, 'posko help dashboard');
like($stdout, qr/^usage: posko dashboard --db FILE --out DIR/, 'shows the usage');

# -- the whole loop through nginx: page, form, module, ingest, page -----------
SKIP: {
    skip 'the nginx module is not built', 14
        unless -f $PoskoTest::MODULE && -x $PoskoTest::NGINX;
    my $t = PoskoTest->new(<<'CONF');
    posko_wal %%WAL%%;
    posko_secret %%DIR%%/live.secret;
    server {
        listen 127.0.0.1:%%PORT%%;
        location = /tindak-lanjut {
            auth_basic "Tim Pemantauan";
            auth_basic_user_file %%DIR%%/htpasswd;
            posko_followup;
        }
        location /dasbor/ {
            auth_basic "Tim Pemantauan";
            auth_basic_user_file %%DIR%%/htpasswd;
            alias %%DIR%%/dasbor/;
            index index.html;
            location ~ /\. { deny all; }
        }
    }
CONF
    my $auth = $t->htpasswd(budi => 'rahasia');
    my $live = $t->dir . '/dasbor';
    ($code, undef, $stderr) = run('dashboard', '--db', $db, '--out', $live,
                                  '--secret', $t->dir . '/live.secret');
    is($code, 0, 'the dashboard on the real clock, for nginx') or diag($stderr);
    is($t->get('/dasbor/')->{status}, 401, 'nginx asks for a password');
    my $r = $t->get('/dasbor/', Authorization => $auth);
    is($r->{status}, 200, 'and serves the index to the team');
    like($r->{body}, qr/Ringkasan hari ini/, 'the index');
    is($t->get('/dasbor/.manifest', Authorization => $auth)->{status}, 403, 'but not the manifest');
    $r = $t->get("/dasbor/aduan/$H.html", Authorization => $auth);
    is($r->{status}, 200, 'the complaint page');
    my %f = $r->{body} =~ m{<input type="hidden" name="(\w+)" value="([^"]*)">}g;
    my $bad = $f{token} =~ s/([0-9a-f])$/$1 eq '0' ? '1' : '0'/er;
    $r = $t->post('/tindak-lanjut', PoskoTest::form(%f, token => $bad, aksi => 'selesai',
                  catatan => 'Sudah beres'), Authorization => $auth);
    is($r->{status}, 403, 'a form with a token changed is refused by the module');
    $r = $t->post('/tindak-lanjut', PoskoTest::form(%f, aksi => 'selesai', catatan => 'Sudah beres'),
                  Authorization => $auth, Accept => 'text/html');
    is($r->{status}, 303, 'the form as the page made it is recorded') or diag($r->{body});
    like($r->{headers}{location} // '', qr{^(?:http://[^/]+)?/dasbor/aduan/\Q$H\E\.html\z},
         'and sends the officer back to the page');
    my $ing = `$POSKO ingest --wal '@{[$t->wal]}' --db '$db' 2>&1`;
    like($ing, qr/1 follow-ups applied/, 'ingest applies it');
    ($code, $stdout) = run('dashboard', '--db', $db, '--out', $live, '--secret', $t->dir . '/live.secret');
    is($code, 0, 'the next dashboard run');
    $r = $t->get("/dasbor/aduan/$H.html", Authorization => $auth);
    like($r->{body}, qr{<td data-l="Tindakan">Selesai</td><td data-l="Petugas">budi</td>},
         'the page shows the follow-up, by the signed-in officer');
    unlike($r->{body}, qr/<form/, 'solved, it has no form any more');
    unlike($t->get('/dasbor/kerja-1.html', Authorization => $auth)->{body}, qr/\Q$H\E/,
           'and it left the worklist');
}

done_testing();
