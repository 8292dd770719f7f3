#!/usr/bin/perl
# A real browser (Debian's chromium, headless, phone-sized) fills in the
# form of the shipped site: once complete, reaching the thank-you page
# with its code; once with a required field missing (the browser's own
# check switched off, as on an old phone), getting the form back with
# what was typed still there and the message beside the field.

use strict;
use utf8;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
binmode Test::More->builder->$_, ":utf8" for qw(output failure_output todo_output);
use PoskoTest;
use PoskoBrowser;

plan skip_all => 'chromium and chromedriver are not installed'
    unless PoskoBrowser::available();

my $t = PoskoTest->new(undef, site => 1);
my $base = 'http://127.0.0.1:' . $t->port;
my $b = PoskoBrowser->new(width => 360, height => 780);
my $shots = $ENV{POSKO_SCREENSHOTS};

# the page fits a 360-pixel-wide phone: nothing wider than the screen
$b->get("$base/");
my $wide = $b->script('return document.documentElement.scrollWidth;');
cmp_ok($wide, '<=', 360, "the form is no wider than the phone ($wide px)");
$b->screenshot("$shots/form.png") if $shots;

# labels: every control has one
my $unlabelled = $b->script(<<'JS');
    var bad = [];
    document.querySelectorAll('input:not([type=radio]), select, textarea')
        .forEach(function (e) { if (!e.labels || !e.labels.length) bad.push(e.name); });
    return bad.join(',');
JS
is($unlabelled, '', 'every control has a label');

# a complete submission
$b->click('input[name=jenis][value=aduan]');
$b->choose('#kategori', 'akomodasi');
$b->choose('#lokasi', 'madinah');
$b->choose('#embarkasi', 'SOC');
$b->type('#kloter', '12');
$b->type('#uraian', "Kamar 304 AC mati sejak kemarin.\nمشكلة");
$b->click('button[type=submit]');
my $url = $b->wait_url(qr{/terima-kasih});
like($url, qr{/terima-kasih\.html\?kode=[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$},
     'the browser lands on the thank-you page');
my ($kode) = $url =~ /kode=(.+)$/;
is($b->text('.kode'), $kode, "the page shows the code $kode");
my $lines = $b->script(<<'JS');
    var r = document.createRange();
    r.selectNodeContents(document.querySelector('.kode'));
    return r.getClientRects().length;
JS
is($lines, 1, 'the code stays on one line on a 360-pixel phone');
$b->screenshot("$shots/thanks.png") if $shots;

# a submission with a required field missing, the browser's own checks off
# (as on an old phone); what was typed comes back, with the message
$b->get("$base/");
$b->script(q{document.querySelector('form').noValidate = true;});
$b->click('input[name=jenis][value=saran]');
$b->choose('#lokasi', 'mina');
$b->type('#nama', 'Siti <Aminah> & "keluarga"');
$b->type('#uraian', "Tenda terlalu panas.\nمخيم حار جدا");
$b->click('input[name=rating][value="2"]');
$b->click('button[type=submit]');
$url = $b->wait_url(qr{/kirim$});
like($url, qr{/kirim$}, 'the refused form stays at /kirim');
like($b->text('.galat'), qr/Laporan belum terkirim/, 'a summary says it was not sent');
like($b->text('#galat-kategori'), qr/Kategori layanan wajib diisi\./,
     'the message stands beside the missing field');
is($b->property('#nama', 'value'), 'Siti <Aminah> & "keluarga"',
   'the name is kept exactly');
is($b->property('#uraian', 'value'), "Tenda terlalu panas.\nمخيم حار جدا",
   'the description is kept, Arabic and line break included');
ok($b->property('input[name=jenis][value=saran]', 'checked'), 'the chosen type is kept');
ok($b->property('input[name=rating][value="2"]', 'checked'), 'the rating is kept');
is($b->property('#lokasi', 'value'), 'mina', 'the location is kept');
is($b->property('#kategori', 'value'), '', 'the missing category is still empty');
$b->screenshot("$shots/refused.png") if $shots;

# choosing the category and sending again goes through
$b->choose('#kategori', 'akomodasi');
$b->click('button[type=submit]');
$url = $b->wait_url(qr{/terima-kasih});
like($url, qr{/terima-kasih\.html\?kode=}, 'fixed and sent again: accepted');

done_testing();
