#!/usr/bin/perl
# `make deb`: a Debian package that names the nginx ABI and the libraries
# it needs, marks the configuration files, installs with dpkg (the user
# posko and /var/lib/posko made by its postinst), and goes again with
# dpkg --remove and --purge, leaving the data.  Installing changes the
# system: root only, and not where posko is installed already.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PoskoTest;

plan skip_all => 'dpkg-deb is missing' unless -x '/usr/bin/dpkg-deb';

my $ROOT = $PoskoTest::ROOT;
my $out = `make -s -C '$ROOT' deb 2>&1`;
is($?, 0, 'make deb') or diag($out);
my ($deb) = $out =~ /^deb: (\S+\.deb)$/m;
ok($deb && -s $deb, 'a .deb: ' . ($deb // 'none'));
$deb //= '/nonexistent';

my $info = `dpkg-deb --info '$deb'`;
like($info, qr/^ Package: posko$/m, 'package posko');
like($info, qr/^ Depends: .*nginx-abi-\d/m, 'depends on the nginx ABI the module was built for');
like($info, qr/^ Depends: .*libsqlite3-0.*$/m, '... and on the libraries it loads');
like($info, qr/^ Depends: .*fonts-dejavu-core/m, '... and on the report\'s fonts');
my $conffiles = `dpkg-deb --ctrl-tarfile '$deb' | tar -xOf - ./conffiles`;
like($conffiles, qr{^/etc/posko/referensi\.ini$}m, 'the reference data is a conffile');
my @contents = `dpkg-deb --contents '$deb'`;
for my $f (qw(./usr/bin/posko ./usr/lib/nginx/modules/ngx_http_posko_module.so
              ./usr/share/man/man1/posko.1 ./lib/systemd/system/posko-ingest.timer)) {
    ok(scalar(grep { /\s\Q$f\E$/ } @contents), "contains $f");
}
ok(scalar(grep { /^-\S+ root\/root .* \.\/usr\/bin\/posko$/ } @contents), 'files belong to root');

SKIP: {
    skip 'installs for real: root only', 9 if $> != 0;
    skip 'posko is installed on this machine already', 9
        if -e '/usr/bin/posko' || `dpkg-query -W -f='\${Status}' posko 2>/dev/null` =~ /installed/;
    my $had_data = -e '/var/lib/posko';

    $out = `dpkg -i '$deb' 2>&1`;
    is($?, 0, 'dpkg -i') or diag($out);
    like(`/usr/bin/posko help ingest`, qr{/etc/posko/referensi\.ini}, 'posko is in the path');
    ok(scalar getpwnam('posko'), 'the postinst made the user posko');
    ok(-d '/var/lib/posko/wal', '... and the data folders');
    ok(-l '/etc/nginx/modules-enabled/50-mod-http-posko.conf', 'the module is enabled for nginx');

    $out = `dpkg --remove posko 2>&1`;
    is($?, 0, 'dpkg --remove') or diag($out);
    ok(!-e '/usr/bin/posko' && -e '/etc/posko/referensi.ini', '... keeps only the configuration');
    $out = `dpkg --purge posko 2>&1`;
    ok(!-e '/etc/posko/referensi.ini', 'dpkg --purge takes the configuration too') or diag($out);
    ok(-d '/var/lib/posko', '... and leaves the data');
    system('rm -rf /var/lib/posko') unless $had_data;
}

done_testing();
