#!/usr/bin/perl
# A real install on this machine, as an operator would do it: `make
# install PREFIX=/usr` as root; the system's nginx started with the
# installed module (through modules-enabled) and the installed site, moved
# to loopback ports with a throwaway certificate; a complaint sent over
# HTTPS; the installed timers' commands run by hand as the user posko
# (ingest, the dashboard, the report); the status page and the dashboard
# served; then `make uninstall PREFIX=/usr` leaves nothing behind but the
# data folders.
#
# It changes the system, so it runs only as root, and not where posko is
# installed already (/usr/bin/posko) unless POSKO_INSTALL_TEST=force.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use File::Temp qw(tempdir);
use POSIX qw(strftime);
use PoskoTest;

plan skip_all => 'installs for real: root only' if $> != 0;
plan skip_all => 'posko is installed on this machine already'
    if -e '/usr/bin/posko' && ($ENV{POSKO_INSTALL_TEST} // '') ne 'force';
for my $tool (qw(/usr/sbin/nginx /usr/bin/openssl /usr/bin/curl /usr/sbin/runuser)) {
    plan skip_all => "$tool is missing" unless -x $tool;
}

my $ROOT = $PoskoTest::ROOT;
my $had_data = -e '/var/lib/posko';
my $work = tempdir('posko-real-XXXXXX', TMPDIR => 1, CLEANUP => 1);
chmod 0755, $work;
sub slurp { local $/; open my $fh, '<', $_[0] or return ''; <$fh> }
sub run { my $out = `$_[0] 2>&1`; return ($? >> 8, $out) }

my ($rc, $out) = run("make -s -C '$ROOT' install PREFIX=/usr");
is($rc, 0, 'make install PREFIX=/usr') or diag($out);
END {
    # whatever happened, take it off the machine again, and the data this
    # test made
    if ($> == 0 && !$ENV{POSKO_KEEP_INSTALL}) {
        if (-x '/usr/bin/posko') {
            unlink '/etc/posko/htpasswd';
            system("make -s -C '$ROOT' uninstall PREFIX=/usr >/dev/null 2>&1");
        }
        system('rm -rf /var/lib/posko') unless $had_data;
    }
}

ok(scalar getpwnam('posko'), 'the system user posko');
my @st = stat '/var/lib/posko/wal';
is((getpwuid $st[4])[0] . ':' . (getgrgid $st[5])[0] . ' ' . sprintf('%o', $st[2] & 07777),
   'www-data:posko 2750', 'the WAL folder: nginx writes, posko reads, nobody else');
@st = stat '/var/lib/posko';
is(sprintf('%o', $st[2] & 07777), '2770', '/var/lib/posko is closed to others');

# the site, on loopback ports with a throwaway certificate
system("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost"
       . " -keyout $work/key.pem -out $work/cert.pem >/dev/null 2>&1") == 0
    or die 'openssl failed';
my ($http, $https) = (PoskoTest::free_port(), PoskoTest::free_port());
(my $site = slurp('/etc/nginx/sites-available/posko')) =~ s/^\s*listen \[::\].*\n//mg;
$site =~ s/listen 80;/listen 127.0.0.1:$http;/;
$site =~ s/listen 443 ssl http2;/listen 127.0.0.1:$https ssl http2;/;
$site =~ s{ssl_certificate\s+\S+;}{ssl_certificate $work/cert.pem;};
$site =~ s{ssl_certificate_key\s+\S+;}{ssl_certificate_key $work/key.pem;};
open my $fh, '>', "$work/nginx.conf" or die;
print $fh <<CONF;
user www-data;
worker_processes 2;
pid $work/nginx.pid;
error_log $work/error.log info;
include /etc/nginx/modules-enabled/*.conf;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    access_log $work/access.log;
$site
}
CONF
close $fh;
open $fh, '>', '/etc/posko/htpasswd' or die;
print $fh "petugas:{PLAIN}rahasia\n";
close $fh;
system('chgrp www-data /etc/posko/htpasswd; chmod 0640 /etc/posko/htpasswd');

# nginx's own prefix (/usr/share/nginx), where modules/ leads to the
# installed module
($rc, $out) = run("/usr/sbin/nginx -t -q -c $work/nginx.conf");
is($rc, 0, 'the installed site passes nginx -t') or diag($out);
($rc, $out) = run("/usr/sbin/nginx -c $work/nginx.conf");
is($rc, 0, "the system's nginx starts with it") or diag($out);
END { system("kill -QUIT \$(cat $work/nginx.pid) 2>/dev/null") if $work && -s "$work/nginx.pid" }
select undef, undef, undef, 0.5;

my $curl = "curl -sk --max-time 10";
($rc, $out) = run("$curl -o /dev/null -w '%{http_code} %{redirect_url}' http://127.0.0.1:$http/");
like($out, qr{^301 https://}, 'plain HTTP is sent to HTTPS');
($rc, $out) = run("$curl https://127.0.0.1:$https/");
like($out, qr/name="uraian"/, 'the form over HTTPS');
($rc, $out) = run("$curl -H 'Accept: application/json' --data-urlencode jenis=aduan"
    . " --data-urlencode kategori=akomodasi --data-urlencode lokasi=makkah"
    . " --data-urlencode 'uraian=Lift hotel sektor 2 rusak' https://127.0.0.1:$https/kirim");
my ($kode) = $out =~ /"kode":"([0-9A-Z-]{14})"/;
ok($kode, "a complaint over HTTPS: $out");
$kode //= 'no code';

# the timers' commands, as their units say, as the user posko
sub unit_commands {
    my ($unit) = @_;
    my @c = slurp("/lib/systemd/system/$unit") =~ /^Exec(?:StartPre|Start|StartPost)=(.*)$/mg;
    s/%%/%/g for @c;
    return @c;
}
for my $unit ('posko-ingest.service', 'posko-report.service') {
    for my $cmd (unit_commands($unit)) {
        (my $sh = $cmd) =~ s/'/'\\''/g;
        ($rc, $out) = run("cd / && runuser -u posko -- sh -c 'umask 0027; $sh'");
        is($rc, 0, "$unit: " . substr($cmd, 0, 60) . '...') or diag($out);
    }
}
my $yesterday = strftime('%F', gmtime(time + 3 * 3600 - 86400));
ok(-s "/var/lib/posko/laporan/posko-$yesterday.pdf", "yesterday's report is there");
ok(-s '/var/lib/posko/dasbor/index.html', 'the dashboard is there');

($rc, $out) = run("$curl https://127.0.0.1:$https/status?kode=$kode");
like($out, qr/Status laporan.*Diterima/s, "the pilgrim's status page reads the database")
    or diag(slurp("$work/error.log") =~ /(.*posko.*)/g);
($rc, $out) = run("$curl -u petugas:rahasia https://127.0.0.1:$https/dasbor/kerja-1.html");
like($out, qr/\Q$kode\E/, "the dashboard's worklist shows it, behind auth_basic");
($rc, $out) = run("$curl -o /dev/null -w '%{http_code}' https://127.0.0.1:$https/dasbor/");
is($out, '401', '... and asks strangers to sign in');

system("kill -QUIT \$(cat $work/nginx.pid)");
unlink '/etc/posko/htpasswd';
($rc, $out) = run("make -s -C '$ROOT' uninstall PREFIX=/usr");
is($rc, 0, 'make uninstall PREFIX=/usr') or diag($out);
my @left = grep { -e || -l } split /\n/, `PREFIX=/usr sh '$ROOT/scripts/install.sh' list`;
is("@left", '', 'every installed file is gone');
ok(!-e '/etc/posko', '/etc/posko is gone');
ok(-d '/var/lib/posko/wal' && glob('/var/lib/posko/wal/*.wal'), 'the data folders stay, with the WAL');
ok(-s '/var/lib/posko/posko.db', '... and the database');

done_testing();
