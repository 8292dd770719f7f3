#!/usr/bin/perl
# The whole story in a real browser (Debian's chromium, headless), on the
# site `make run` serves: a pilgrim on a phone-sized screen sends a
# complaint, notes the code and opens the status page; an officer signs
# in to the dashboard, finds it in the worklist, starts verification,
# marks it factual and solves it, each from the complaint's page, with
# `posko ingest` and `posko dashboard` run in between as the timer runs
# them; then the pilgrim's status page says it is solved, and the
# pilgrim's answer goes back through the WAL.
#
# Screenshots of every step are kept in build/e2e/ (POSKO_SCREENSHOTS to
# put them elsewhere).

use strict;
use utf8;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use File::Path qw(make_path);
binmode Test::More->builder->$_, ":utf8" for qw(output failure_output todo_output);
use PoskoTest;
use PoskoBrowser;

plan skip_all => 'chromium and chromedriver are not installed'
    unless PoskoBrowser::available();

my $t = PoskoTest->new(undef, site => 1);
$t->htpasswd(petugas => 'posko-dev');
my $base = 'http://127.0.0.1:' . $t->port;
my $dir = $t->dir;
my $db = "$dir/posko.db";
my $shots = $ENV{POSKO_SCREENSHOTS} // "$PoskoTest::ROOT/build/e2e";
make_path($shots);
my $n = 0;
sub shot { my ($b, $name) = @_; $b->screenshot(sprintf('%s/%02d-%s.png', $shots, ++$n, $name)) }

# what the timer does every few minutes
sub timer {
    my ($rc, $out, $err) = $t->posko('ingest', '--wal', $t->wal, '--db', $db);
    is($rc, 0, 'ingest') or diag($err);
    ($rc, $out, $err) = $t->posko('dashboard', '--db', $db, '--out', "$dir/dasbor",
                                  '--every', '1');
    is($rc, 0, 'dashboard') or diag($err);
}

timer();   # as make run does at once: the database and the dashboard

# -- the pilgrim, on a phone ---------------------------------------------------

my $phone = PoskoBrowser->new(width => 360, height => 780);
$phone->get("$base/");
shot($phone, 'jemaah-formulir');
$phone->click('input[name=jenis][value=aduan]');
$phone->choose('#kategori', 'akomodasi');
$phone->choose('#lokasi', 'madinah');
$phone->choose('#embarkasi', 'SOC');
$phone->type('#uraian', 'Air panas di kamar 412 hotel sektor 4 mati sejak tiga hari.');
$phone->click('button[type=submit]');
my $url = $phone->wait_url(qr{/terima-kasih});
my ($kode) = $url =~ /kode=([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})$/;
ok($kode, "the pilgrim gets a code: " . ($kode // 'none'));
is($phone->text('.kode'), $kode, '... shown on the thank-you page');
shot($phone, 'jemaah-kode');

$phone->click('a[href^="/status"]');
$phone->wait_url(qr{/status\?kode=});
like($phone->text('main'), qr/Diterima, menunggu diproses/,
     'the status page: received, waiting to be processed');
shot($phone, 'jemaah-status-menunggu');

timer();
$phone->get("$base/status?kode=$kode");
like($phone->text('.status'), qr/^Diterima/, 'after ingest: received');

# -- the officer, at a desk ------------------------------------------------------

my $desk = PoskoBrowser->new(width => 1200, height => 900);
(my $signed_in = $base) =~ s{//}{//petugas:posko-dev@};
$desk->get("$signed_in/dasbor/kerja-1.html");
like($desk->text('h1'), qr/Daftar kerja/, 'the officer signs in to the worklist');
shot($desk, 'petugas-daftar-kerja');
$desk->click(qq{a[href\$="aduan/$kode.html"]});
$desk->wait_url(qr{/aduan/\Q$kode\E\.html$});
like($desk->text('main'), qr/Air panas di kamar 412/, "the complaint's page, with its text");
shot($desk, 'petugas-aduan');

my @steps = (['mulai_verifikasi', undef, 'Sedang diverifikasi'],
             ['faktual', 'Dicek ke kamar 412: pemanas air rusak.', 'faktual'],
             ['selesai', 'Pemanas air diganti; air panas normal.', 'Selesai']);
for my $s (@steps) {
    my ($aksi, $note, $status) = @$s;
    $desk->get("$base/dasbor/aduan/$kode.html");
    $desk->choose('#aksi', $aksi);
    $desk->type('#catatan', $note) if $note;
    $desk->click('form[action="/dasbor/tindak-lanjut"] button[type=submit]');
    $url = $desk->wait_url(qr{/dasbor/aduan/\Q$kode\E\.html$});
    like($url, qr{/dasbor/aduan/\Q$kode\E\.html$}, "$aksi: sent, back on the complaint's page")
        or diag(substr($desk->source, 0, 1500));
    timer();
    $desk->get("$base/dasbor/aduan/$kode.html");
    like($desk->text('main'), qr/\Q$status\E/i, "... after the next update: $status");
    shot($desk, "petugas-$aksi");
}
like($desk->text('main'), qr/petugas/, 'the events name the signed-in officer');

# -- the pilgrim again -------------------------------------------------------------

$phone->get("$base/status?kode=$kode");
like($phone->text('.status'), qr/^Selesai/, "the pilgrim's status page says solved");
like($phone->text('main'), qr/Pemanas air diganti/, '... with the solution\'s note');
unlike($phone->text('main'), qr/pemanas air rusak/, '... but not the internal note');
shot($phone, 'jemaah-status-selesai');

$phone->click('input[name=puas][value=ya]');
$phone->click('input[name=rating][value="5"]');
$phone->type('#komentar', 'Terima kasih, cepat sekali.');
$phone->click('form.penilaian button');
$phone->wait_url(qr{/status$});
like($phone->text('main'), qr/Terima kasih/, 'the pilgrim answers: thanked');
shot($phone, 'jemaah-penilaian');
timer();
$phone->get("$base/status?kode=$kode");
unlike($phone->source, qr/name="puas"/, 'answered: the question is not asked again');
like($phone->text('main'), qr/Jemaah menyatakan sudah selesai/, '... and the history shows the answer');

done_testing();
