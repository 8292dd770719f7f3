package PoskoTest;

# PoskoTest - starts a real nginx (Debian's /usr/sbin/nginx) with the posko
# module in a temporary folder on a free loopback port, talks plain HTTP to
# it over a socket, and runs the `posko` batch command against its WAL.
#
#   my $t = PoskoTest->new(<<'CONF');   # the inside of http { }
#       server { listen 127.0.0.1:%%PORT%%; location /kirim { posko_intake; } }
#   CONF
#   my $r = $t->post('/kirim', 'jenis=aduan&...', Accept => 'application/json');
#   is($r->{status}, 201);
#
# In the config text, %%PORT%%, %%WAL%%, %%DIR%% and %%ROOT%% are replaced
# with the port, the WAL folder, the temporary folder and the checkout.

use strict;
use warnings;

use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use IO::Socket::INET;
use POSIX qw(WNOHANG);
use Time::HiRes qw(sleep);

our $ROOT = abs_path(dirname(__FILE__) . '/../..');
our %LIVE;      # master pids of the nginx instances this test started
our $NGINX = $ENV{POSKO_NGINX} // '/usr/sbin/nginx';
our $POSKO = $ENV{POSKO_BIN} // "$ROOT/build/posko";
our $MODULE = $ENV{POSKO_MODULE} // "$ROOT/build/ngx_http_posko_module.so";

# With POSKO_PRELOAD (the sanitizer runtimes of a sanitized module), nginx
# runs with them preloaded; a finding aborts the worker, so the request
# that caused it fails its test.  nginx itself frees nothing at exit, so
# leak checking stays off for nginx (it is on for the batch command).
our $NGINX_ENV = '';
if ($ENV{POSKO_PRELOAD}) {
    $NGINX_ENV = "LD_PRELOAD='$ENV{POSKO_PRELOAD}' "
        . "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 ";
}

sub free_port {
    my $s = IO::Socket::INET->new(
        LocalAddr => '127.0.0.1', LocalPort => 0, Proto => 'tcp',
        Listen => 1, ReuseAddr => 1)
        or die "cannot find a free port: $!";
    my $port = $s->sockport;
    close $s;
    return $port;
}

sub new {
    my ($class, $http_conf, %opt) = @_;
    my $dir = tempdir('posko-t-XXXXXX', TMPDIR => 1, CLEANUP => !$ENV{POSKO_KEEP});
    my $self = bless { dir => $dir, port => free_port(),
                       wal => "$dir/wal" }, $class;

    mkdir "$dir/$_" or die "mkdir $dir/$_: $!" for qw(wal logs tmp);

    if ($opt{site}) {
        # the configuration `make run` ships, written by its own script
        mkdir "$dir/$_" or die "mkdir $dir/$_: $!" for qw(reports);
        my $conf = `$ROOT/scripts/nginx-conf.sh $ROOT $dir $self->{port}`;
        die "nginx-conf.sh failed" if $?;
        $conf =~ s/^load_module .*$/load_module $MODULE;/m;
        $conf =~ s/^\s*include \/etc\/nginx\/mime.types;$//m
            unless -e '/etc/nginx/mime.types';
        open my $fh, '>', "$dir/nginx.conf" or die $!;
        print $fh $conf;
        close $fh;
        $self->start unless $opt{no_start};
        return $self;
    }

    my $user = $> == 0 ? 'user root root;' : '';
    my $workers = $opt{workers} // 1;
    my $conf = <<"CONF";
load_module $MODULE;
$user
worker_processes $workers;
pid $dir/nginx.pid;
error_log $dir/logs/error.log info;
events { worker_connections 256; }
http {
    access_log $dir/logs/access.log;
    client_body_temp_path $dir/tmp;
    proxy_temp_path $dir/tmp;
    fastcgi_temp_path $dir/tmp;
    uwsgi_temp_path $dir/tmp;
    scgi_temp_path $dir/tmp;
$http_conf
}
CONF
    $conf =~ s/%%PORT%%/$self->{port}/g;
    $conf =~ s/%%WAL%%/$self->{wal}/g;
    $conf =~ s/%%DIR%%/$dir/g;
    $conf =~ s/%%ROOT%%/$ROOT/g;

    open my $fh, '>', "$dir/nginx.conf" or die $!;
    print $fh $conf;
    close $fh;

    $self->start unless $opt{no_start};
    return $self;
}

sub dir { $_[0]{dir} }
sub wal { $_[0]{wal} }
sub port { $_[0]{port} }

# Runs nginx -t on the config; returns (exit code, output).
sub test_config {
    my ($self) = @_;
    my $out = `$NGINX_ENV$NGINX -t -p $self->{dir} -c $self->{dir}/nginx.conf 2>&1`;
    return ($? >> 8, $out);
}

sub start {
    my ($self) = @_;
    my $out = `$NGINX_ENV$NGINX -p $self->{dir} -c $self->{dir}/nginx.conf 2>&1`;
    die "nginx did not start: $out" if $?;
    for (1 .. 100) {
        my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$self->{port}");
        if ($s) {
            close $s;
            $self->{running} = 1;
            $self->{pid} = $self->master_pid;
            $LIVE{$self->{pid}} = 1 if $self->{pid};
            return;
        }
        sleep 0.05;
    }
    die "nginx is not listening on $self->{port}";
}

sub master_pid {
    my ($self) = @_;
    open my $fh, '<', "$self->{dir}/nginx.pid" or return undef;
    my $pid = <$fh>;
    close $fh;
    chomp $pid if defined $pid;
    return $pid;
}

sub stop {
    my ($self) = @_;
    return unless $self->{running};
    $self->{running} = 0;
    my $pid = $self->master_pid // $self->{pid} // return;
    quit_nginx($pid);
}

sub quit_nginx {
    my ($pid) = @_;
    delete $LIVE{$pid};
    kill 'QUIT', $pid;
    for (1 .. 200) {
        last unless kill 0, $pid;
        sleep 0.05;
    }
}

sub DESTROY { $_[0]->stop }

# File::Temp removes the folders in an END block, before objects held in
# file-level variables are destroyed: stop every nginx still running here
# first (END blocks run last-defined first).
END {
    for my $pid (keys %LIVE) {
        open my $fh, '<', "/proc/$pid/cmdline" or next;
        my $cmd = <$fh> // '';
        quit_nginx($pid) if $cmd =~ /^nginx: master/;
    }
}

sub error_log {
    my ($self) = @_;
    open my $fh, '<', "$self->{dir}/logs/error.log" or return '';
    local $/;
    return <$fh>;
}

# Sends raw bytes, reads the whole answer (the request should ask for
# Connection: close), and splits it.
sub raw {
    my ($self, $request) = @_;
    my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$self->{port}",
                                  Timeout => 10)
        or die "connect: $!";
    binmode $s;
    print $s $request;
    my $reply = '';
    local $SIG{ALRM} = sub { die "timeout reading the reply\n" };
    alarm 20;
    while (1) {
        my $n = sysread($s, my $buf, 65536);
        last unless $n;
        $reply .= $buf;
    }
    alarm 0;
    close $s;
    return parse_reply($reply);
}

sub parse_reply {
    my ($reply) = @_;
    my ($head, $body) = split /\r\n\r\n/, $reply, 2;
    my %r = (raw => $reply, body => $body // '', headers => {});
    my @lines = split /\r\n/, $head // '';
    my $status = shift @lines // '';
    ($r{status}) = $status =~ m{^HTTP/1\.[01] (\d{3})};
    $r{status} //= 0;
    for (@lines) {
        my ($k, $v) = /^([^:]+):\s*(.*)$/ or next;
        $r{headers}{lc $k} = $v;
    }
    return \%r;
}

sub request {
    my ($self, $method, $path, $body, %headers) = @_;
    my $req = "$method $path HTTP/1.1\r\nHost: localhost\r\n"
        . "Connection: close\r\n";
    if (defined $body && !exists $headers{'Content-Length'}
        && !exists $headers{'Transfer-Encoding'})
    {
        $headers{'Content-Length'} = length $body;
    }
    $req .= "$_: $headers{$_}\r\n" for sort keys %headers;
    $req .= "\r\n" . ($body // '');
    return $self->raw($req);
}

# A connection kept open across requests: $t->connect, then
# $c->send($raw_request) returns one parsed reply (by its Content-Length),
# or undef when the server closed the connection.
sub connect {
    my ($self) = @_;
    my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$self->{port}",
                                  Timeout => 10)
        or die "connect: $!";
    binmode $s;
    return bless { sock => $s }, 'PoskoTest::Connection';
}

sub get {
    my ($self, $path, %headers) = @_;
    return $self->request('GET', $path, undef, %headers);
}

# A form POST the way a browser sends it.
sub post {
    my ($self, $path, $body, %headers) = @_;
    $headers{'Content-Type'} //= 'application/x-www-form-urlencoded';
    return $self->request('POST', $path, $body, %headers);
}

# Writes DIR/htpasswd for auth_basic with these users and passwords
# (nginx's {PLAIN} scheme); returns the Authorization header of the first.
sub htpasswd {
    my ($self, @users) = @_;
    open my $fh, '>', "$self->{dir}/htpasswd" or die "htpasswd: $!";
    my @pairs = @users;
    while (my ($u, $p) = splice @pairs, 0, 2) {
        print $fh "$u:{PLAIN}$p\n";
    }
    close $fh;
    return basic_auth(@users[0, 1]);
}

sub basic_auth {
    my ($user, $password) = @_;
    require MIME::Base64;
    return 'Basic ' . MIME::Base64::encode_base64("$user:$password", '');
}

# The follow-up forms' secret (posko_secret: by default posko.secret in
# the WAL folder), made on first use as `posko dashboard` makes it.
sub secret {
    my ($self, $file) = @_;
    $file //= "$self->{wal}/posko.secret";
    unless (-f $file) {
        open my $rnd, '<:raw', '/dev/urandom' or die "urandom: $!";
        read $rnd, my $bytes, 32;
        open my $fh, '>:raw', $file or die "$file: $!";
        print $fh $bytes;
        close $fh or die "$file: $!";
        chmod 0640, $file;
    }
    open my $fh, '<:raw', $file or die "$file: $!";
    local $/;
    return scalar <$fh>;
}

# A tracking code as the module reads it: XXXX-XXXX-XXXX, upper case,
# I and L as 1, O as 0 (undef when it has not twelve symbols).
sub canonical {
    my ($typed) = @_;
    (my $c = uc($typed // '')) =~ s/[-\s]//g;
    $c =~ tr/ILO/110/;
    return length($c) == 12 ? join('-', unpack('(A4)3', $c)) : undef;
}

# A code with exactly one symbol mistyped: its check symbol changed to
# another, which the check always catches (include/posko_kode.h).  Never
# a random change: some of those pass the check.
sub mistyped {
    my ($kode) = @_;
    my $typo = canonical($kode) // die "not a code: $kode";
    substr($typo, -1, 1) = substr($typo, -1) eq '0' ? '1' : '0';
    return $typo;
}

# The token `posko dashboard` puts into a follow-up form for a code
# (include/posko_token.h), valid until expires (default: an hour on).
sub token {
    my ($self, $kode, $expires, $secret) = @_;
    require Digest::SHA;
    $expires //= time + 3600;
    $kode = canonical($kode) // $kode;
    return "$expires." . substr(Digest::SHA::hmac_sha256_hex(
        "posko-followup\0$kode\0$expires", $secret // $self->secret), 0, 32);
}

# Total bytes of the segments in the WAL folder.
sub wal_bytes {
    my ($self) = @_;
    my $total = 0;
    opendir my $d, $self->{wal} or die $!;
    for (readdir $d) {
        next unless /\.wal$/;   # segments; not the follow-up secret
        $total += -s "$self->{wal}/$_";
    }
    closedir $d;
    return $total;
}

# Every byte of every segment, one after another, for matching records.
sub wal_text {
    my ($self) = @_;
    my $all = '';
    for my $f (sort glob "$self->{wal}/*.wal") {
        open my $fh, '<:raw', $f or die "$f: $!";
        local $/;
        $all .= <$fh>;
    }
    return $all;
}

# The quarantine of a database may hold only the torn tail of a segment: a
# record cut short at the very end of its file, which nobody was ever told
# was saved.  Returns (number of such tails, descriptions of anything else).
sub quarantine_check {
    my ($db, @dirs) = @_;
    my ($tails, @other) = (0);
    my $rows = `sqlite3 -separator '|' "$db" "SELECT segment, offset, length(raw), reason FROM quarantine"`;
    for (split /\n/, $rows) {
        my ($seg, $off, $len, $reason) = split /\|/, $_, 4;
        my ($size) = grep { defined } map { -s "$_/$seg" } @dirs;
        if ($reason =~ /cut short/ && defined $size && $off + $len == $size) {
            $tails++;
        } else {
            push @other, "$seg at $off ($len bytes of "
                . ($size // '?') . "): $reason";
        }
    }
    return ($tails, @other);
}

# Runs the batch command; returns (exit code, stdout, stderr).
sub posko {
    my ($self, @args) = @_;
    my $out = "$self->{dir}/posko.out";
    my $err = "$self->{dir}/posko.err";
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        open STDOUT, '>', $out or die $!;
        open STDERR, '>', $err or die $!;
        exec $POSKO, @args or die "exec $POSKO: $!";
    }
    waitpid $pid, 0;
    my $code = $? >> 8;
    local $/;
    open my $o, '<', $out or die $!;
    open my $e, '<', $err or die $!;
    return ($code, scalar <$o>, scalar <$e>);
}

# Percent-encodes a string of bytes for a form body.
sub urlencode {
    my ($s) = @_;
    $s =~ s/([^A-Za-z0-9\-_.~ ])/sprintf('%%%02X', ord $1)/ge;
    $s =~ tr/ /+/;
    return $s;
}

sub form {
    my (@pairs) = @_;
    my @out;
    while (my ($k, $v) = splice @pairs, 0, 2) {
        push @out, urlencode($k) . '=' . urlencode($v);
    }
    return join '&', @out;
}

package PoskoTest::Connection;

use IO::Select;

sub send {
    my ($self, $request) = @_;
    my $s = $self->{sock};
    local $SIG{PIPE} = 'IGNORE';
    print $s $request or return undef;
    return $self->read_reply;
}

sub read_reply {
    my ($self) = @_;
    my $s = $self->{sock};
    my $buf = $self->{rest} // '';
    my $sel = IO::Select->new($s);
    while ($buf !~ /\r\n\r\n/) {
        return undef unless $sel->can_read(10);
        my $n = sysread($s, $buf, 65536, length $buf);
        return undef unless $n;
    }
    my ($head) = $buf =~ /^(.*?\r\n\r\n)/s;
    my ($len) = $head =~ /^Content-Length:\s*(\d+)/mi;
    $len //= 0;
    while (length($buf) < length($head) + $len) {
        return undef unless $sel->can_read(10);
        my $n = sysread($s, $buf, 65536, length $buf);
        return undef unless $n;
    }
    my $reply = substr($buf, 0, length($head) + $len);
    $self->{rest} = substr($buf, length($head) + $len);
    return PoskoTest::parse_reply($reply);
}

sub close { close $_[0]{sock} }

1;
