#!/usr/bin/perl
# Refusals keep the connection usable: after each error the same
# keep-alive connection takes a valid submission.  And an
# `Expect: 100-continue` client whose request can be refused from its
# headers gets the refusal without being invited to send its body.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use PoskoTest;

my $t = PoskoTest->new(<<'CONF');
    posko_wal %%WAL%%;
    server { listen 127.0.0.1:%%PORT%%; location = /kirim { posko_intake; } }
CONF

my $form = 'application/x-www-form-urlencoded';
my $good = 'jenis=aduan&kategori=kesehatan&uraian=Obat+habis';

sub req {
    my ($method, $body, %h) = @_;
    $h{'Content-Length'} //= length $body if defined $body;
    my $r = "$method /kirim HTTP/1.1\r\nHost: x\r\n";
    $r .= "$_: $h{$_}\r\n" for sort keys %h;
    return $r . "\r\n" . ($body // '');
}

my @errors = (
    [400, req('POST', 'jenis=x', 'Content-Type' => $form)],
    [405, req('GET')],
    [405, req('DELETE', 'a=b', 'Content-Type' => $form)],
    [411, req('POST', undef, 'Content-Type' => $form)],
    [413, req('POST', 'uraian=' . ('x' x 70000), 'Content-Type' => $form)],
    [415, req('POST', $good, 'Content-Type' => 'text/plain')],
);

my $c = $t->connect;
for my $e (@errors) {
    my ($status, $raw) = @$e;
    my $r = $c->send($raw);
    is($r && $r->{status}, $status, "error $status on a kept-alive connection");
    $r = $c->send(req('POST', $good, 'Content-Type' => $form,
                      Accept => 'application/json'));
    is($r && $r->{status}, 201, "... and the connection takes the next submission");
}
$c->close;

# Expect: 100-continue, refused from the headers: no 100 Continue first
for my $case (
    [415, 'text/plain', 100],
    [413, $form, 70000],
) {
    my ($status, $type, $len) = @$case;
    my $c = $t->connect;
    my $r = $c->send("POST /kirim HTTP/1.1\r\nHost: x\r\n"
        . "Content-Type: $type\r\nContent-Length: $len\r\n"
        . "Expect: 100-continue\r\n\r\n");
    is($r && $r->{status}, $status,
       "Expect: 100-continue refused at once with $status, before the body");
    $c->close;
}

# and a good one is invited to send its body
$c = $t->connect;
my $r = $c->send("POST /kirim HTTP/1.1\r\nHost: x\r\n"
    . "Content-Type: $form\r\nContent-Length: " . length($good) . "\r\n"
    . "Accept: application/json\r\nExpect: 100-continue\r\n\r\n");
is($r && $r->{status}, 100, 'a good request gets 100 Continue');
$r = $c->send($good);
is($r && $r->{status}, 201, '... and 201 after its body');
$c->close;

done_testing();
