package PoskoBrowser;

# PoskoBrowser - drives Debian's chromium through chromedriver (the W3C
# WebDriver protocol: plain HTTP and JSON), so a test can use the pages
# the way a pilgrim's phone does: open, type, choose, tap, read.
#
#   my $b = PoskoBrowser->new(width => 360, height => 780) or skip ...;
#   $b->get("http://127.0.0.1:$port/");
#   $b->type('#uraian', 'AC rusak');
#   $b->click('button[type=submit]');
#   print $b->url, $b->text('.kode');

use strict;
use warnings;

use File::Temp qw(tempdir);
use HTTP::Tiny;
use IO::Socket::INET;
use JSON::PP;
use MIME::Base64 qw(decode_base64);
use Time::HiRes qw(sleep);

my $ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

sub available {
    return -x '/usr/bin/chromium' && -x '/usr/bin/chromedriver';
}

sub new {
    my ($class, %opt) = @_;
    return undef unless available();

    my $port = do {
        my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1',
                                      LocalPort => 0, Listen => 1);
        my $p = $s->sockport;
        close $s;
        $p;
    };
    my $dir = tempdir('posko-browser-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        open STDOUT, '>', "$dir/chromedriver.log";
        open STDERR, '>&', \*STDOUT;
        exec '/usr/bin/chromedriver', "--port=$port";
        exit 127;
    }
    my $self = bless { pid => $pid, base => "http://127.0.0.1:$port",
                       http => HTTP::Tiny->new(timeout => 60),
                       json => JSON::PP->new->utf8->canonical }, $class;

    for (1 .. 100) {
        last if IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port");
        sleep 0.1;
    }

    my ($w, $h) = ($opt{width} // 360, $opt{height} // 780);
    my $r = $self->call(POST => '/session', { capabilities => { alwaysMatch => {
        browserName => 'chrome',
        'goog:chromeOptions' => {
            binary => '/usr/bin/chromium',
            args => [
                '--headless', '--no-sandbox', '--disable-gpu',
                '--disable-dev-shm-usage', '--disable-quic',
                '--no-first-run', '--disable-background-networking',
                '--disable-component-update', '--disable-sync',
                "--user-data-dir=$dir/profile", "--window-size=$w,$h",
                '--lang=' . ($opt{lang} // 'id-ID'),
            ],
            prefs => { 'intl.accept_languages' => $opt{lang} // 'id-ID,id' },
            mobileEmulation => {
                deviceMetrics => { width => $w, height => $h,
                                   pixelRatio => 2 },
            },
        },
    } } });
    $self->{session} = $r->{sessionId} // die 'no WebDriver session';
    return $self;
}

sub call {
    my ($self, $method, $path, $body) = @_;
    my $url = $self->{base} . $path;
    my %o = (headers => { 'Content-Type' => 'application/json' });
    $o{content} = $self->{json}->encode($body) if $body;
    my $res = $self->{http}->request($method, $url, \%o);
    my $data = eval { $self->{json}->decode($res->{content}) } // {};
    die "WebDriver $method $path: $res->{status} $res->{content}"
        unless $res->{success};
    return $data->{value} // $data;
}

sub sess { "/session/$_[0]{session}" }

sub get { $_[0]->call(POST => $_[0]->sess . '/url', { url => $_[1] }) }
sub url { $_[0]->call(GET => $_[0]->sess . '/url') }
# Waits (up to 15 s) for the page at a URL matching the pattern to be
# loaded; returns the URL, or the last one seen.
sub wait_url {
    my ($self, $re) = @_;
    my $url = '';
    for (1 .. 150) {
        $url = $self->url;
        if ($url =~ $re) {
            my $ready = $self->script('return document.readyState;');
            return $url if $ready eq 'complete';
        }
        sleep 0.1;
    }
    return $url;
}

sub source { $_[0]->call(GET => $_[0]->sess . '/source') }

sub find {
    my ($self, $css) = @_;
    my $e = $self->call(POST => $self->sess . '/element',
                        { using => 'css selector', value => $css });
    return $e->{$ELEMENT};
}

sub type {
    my ($self, $css, $text) = @_;
    my $id = $self->find($css);
    $self->call(POST => $self->sess . "/element/$id/value", { text => $text });
}

sub click {
    my ($self, $css) = @_;
    my $id = $self->find($css);
    $self->call(POST => $self->sess . "/element/$id/click", {});
}

# Chooses an <option> by its value inside a <select>.
sub choose {
    my ($self, $select, $value) = @_;
    $self->click(qq{$select option[value="$value"]});
}

sub text {
    my ($self, $css) = @_;
    my $id = $self->find($css);
    return $self->call(GET => $self->sess . "/element/$id/text");
}

sub property {
    my ($self, $css, $name) = @_;
    my $id = $self->find($css);
    return $self->call(GET => $self->sess . "/element/$id/property/$name");
}

sub script {
    my ($self, $js, @args) = @_;
    return $self->call(POST => $self->sess . '/execute/sync',
                       { script => $js, args => \@args });
}

sub screenshot {
    my ($self, $file) = @_;
    my $png = decode_base64($self->call(GET => $self->sess . '/screenshot'));
    open my $fh, '>:raw', $file or die "$file: $!";
    print $fh $png;
    close $fh;
}

sub DESTROY {
    my ($self) = @_;
    eval { $self->call(DELETE => $self->sess) } if $self->{session};
    if ($self->{pid}) {
        kill 'TERM', $self->{pid};
        waitpid $self->{pid}, 0;
    }
}

1;
