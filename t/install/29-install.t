#!/usr/bin/perl
# `make install DESTDIR=... PREFIX=/usr` puts every file where Debian keeps
# its kind (the module in nginx's modules folder with a modules-available
# snippet linked from modules-enabled, posko in the path, man pages, the
# example site, the units, the pages, the docs); the installed posko reads
# /etc/posko/referensi.ini by default; the installed module loads into
# Debian's nginx; `make uninstall` with the same DESTDIR leaves no file.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use File::Find;
use File::Temp qw(tempdir);
use PoskoTest;

my $ROOT = $PoskoTest::ROOT;
my $dest = tempdir('posko-dest-XXXXXX', TMPDIR => 1, CLEANUP => 1);

sub files_under {
    my @f;
    find({ wanted => sub { push @f, substr($File::Find::name, length $dest) if -f || -l },
           no_chdir => 1 }, $dest);
    return sort @f;
}

my $out = `make -s -C '$ROOT' install DESTDIR='$dest' PREFIX=/usr 2>&1`;
is($?, 0, 'make install DESTDIR=... PREFIX=/usr') or diag($out);

my @want = sort split /\n/, `DESTDIR='$dest' PREFIX=/usr sh '$ROOT/scripts/install.sh' list`;
my @got = files_under();
is_deeply(\@got, \@want, scalar(@want) . ' files, each where the list says');

for my $f ('/usr/bin/posko', '/usr/lib/nginx/modules/ngx_http_posko_module.so',
           '/usr/share/man/man1/posko.1', '/usr/share/man/man8/ngx_http_posko_module.8',
           '/etc/nginx/sites-available/posko', '/usr/share/posko/web/index.html') {
    ok(-s "$dest$f", "$f is there");
}
is(readlink("$dest/etc/nginx/modules-enabled/50-mod-http-posko.conf"),
   '/usr/share/nginx/modules-available/mod-http-posko.conf',
   'modules-enabled links to the modules-available snippet, as Debian does');
like(`cat '$dest/usr/share/nginx/modules-available/mod-http-posko.conf'`,
     qr{^load_module modules/ngx_http_posko_module\.so;$}m, '... which loads the module');
is(sprintf('%o', (stat "$dest/etc/posko/referensi.ini")[2] & 07777), '640',
   'the reference data is not world-readable');
is(sprintf('%o', (stat "$dest/usr/bin/posko")[2] & 07777), '755', 'posko is executable');

like(`'$dest/usr/bin/posko' help ingest`, qr{default\s+/etc/posko/referensi\.ini},
     'the installed posko reads /etc/posko/referensi.ini by default');
like(`cat '$dest/lib/systemd/system/posko-ingest.service'`,
     qr{^ExecStart=/usr/bin/posko ingest }m, 'the units run the installed posko');
like(`cat '$dest/etc/nginx/sites-available/posko'`,
     qr{posko_form_page /usr/share/posko/web/index\.html;}, 'the site serves the installed pages');
my $man = `man -l '$dest/usr/share/man/man8/ngx_http_posko_module.8' 2>&1`;
like($man, qr/posko_status/, 'the directives man page reads');

# the installed module loads into Debian's nginx
my $work = tempdir('posko-nginx-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $conf = "$work/nginx.conf";
open my $fh, '>', $conf or die;
print $fh "load_module $dest/usr/lib/nginx/modules/ngx_http_posko_module.so;\n"
    . "pid $work/nginx.pid; error_log stderr;\n"
    . "events {}\nhttp { posko_wal $work; server { listen 127.0.0.1:1; location = /k { posko_intake; } } }\n";
close $fh;
my $t = `$PoskoTest::NGINX_ENV$PoskoTest::NGINX -t -q -p '$work' -c '$conf' 2>&1`;
is($?, 0, 'nginx -t with the installed module') or diag($t);

$out = `make -s -C '$ROOT' uninstall DESTDIR='$dest' PREFIX=/usr 2>&1`;
is($?, 0, 'make uninstall') or diag($out);
is(join(' ', files_under()), '', 'no file is left behind');

done_testing();
