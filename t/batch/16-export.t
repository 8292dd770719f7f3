#!/usr/bin/perl
# posko export: complaints submitted through a real nginx (commas, double
# quotes, line breaks, Arabic, an emoji, personal fields) come back exactly
# as stored, through a strict RFC 4180 parser written here and through
# JSON::PP; personal fields only with --personal; rows oldest first;
# --since cuts at local midnight of the zone; every bad invocation exits 2
# with a sentence naming the flag and the value.

use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use JSON::PP;
use PoskoTest;

binmode(Test::More->builder->$_, ':encoding(UTF-8)')
    for qw(output failure_output todo_output);

plan skip_all => 'sqlite3 is not installed'
    unless grep { -x "$_/sqlite3" } split /:/, $ENV{PATH};

my @PUBLIC = qw(kode jenis pelapor kategori lokasi embarkasi kloter uraian
                rating received_at status unit verified_at solved_at
                closed_at duplikat_dari updated_at);
my @PERSONAL = qw(nama telepon email);

my $t = PoskoTest->new(<<'CONF');
    posko_wal %%WAL%%;
    server { listen 127.0.0.1:%%PORT%%; location = /kirim { posko_intake; } }
CONF

my $db = $t->dir . '/posko.db';

sub sql {
    my ($file, $q) = @_;
    my $r = `sqlite3 -batch -noheader -separator '|' "$file" "$q"`;
    die "sqlite3 failed: $q" if $?;
    chomp $r;
    return $r;
}

sub bytes { my ($s) = @_; utf8::encode($s); return $s }

# UTF-8 bytes to text, each byte outside a well-formed sequence (Unicode
# table 3-7) taken as U+FFFD, as export does.
sub lenient_decode {
    my ($b) = @_;
    my $text = '';
    while (length $b) {
        if ($b =~ s/^([\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]
                     |\xe0[\xa0-\xbf][\x80-\xbf]
                     |[\xe1-\xec\xee\xef][\x80-\xbf]{2}
                     |\xed[\x80-\x9f][\x80-\xbf]
                     |\xf0[\x90-\xbf][\x80-\xbf]{2}
                     |[\xf1-\xf3][\x80-\xbf]{3}
                     |\xf4[\x80-\x8f][\x80-\xbf]{2})//x) {
            my $c = $1;
            utf8::decode($c);
            $text .= $c;
        } else {
            substr($b, 0, 1, '');
            $text .= "\x{FFFD}";
        }
    }
    return $text;
}

# -- complaints through nginx ----------------------------------------------

my @sent = (
    { jenis => 'aduan', pelapor => 'jemaah', kategori => 'konsumsi',
      lokasi => 'makkah', embarkasi => 'SOC', kloter => 'SOC-12',
      uraian => 'Nasi basi, lauk "ayam" tidak ada, minum kurang',
      nama => 'Siti "Ami" Aminah, S.Pd', telepon => '+62 812-3456-789',
      email => 'siti@example.id', rating => '2' },
    { jenis => 'kritik', kategori => 'transportasi', lokasi => 'madinah',
      uraian => bytes("Bus terlambat\nمشكلة في النقل \x{1F68C}\n\"Tolong\", segera") },
    { jenis => 'saran', pelapor => 'petugas', kategori => 'akomodasi',
      uraian => "Kolom\tdengan tab, back\\slash dan \x01 kontrol",
      nama => bytes('عبد الله'), rating => '5' },
    { jenis => 'informasi', kategori => 'lainnya',
      uraian => 'Informasi biasa' },
);
my %kode_of;
for my $i (0 .. $#sent) {
    my $r = $t->post('/kirim', PoskoTest::form(%{$sent[$i]}),
                     Accept => 'application/json');
    is($r->{status}, 201, "complaint $i submitted") or diag($r->{body});
    my ($kode) = $r->{body} =~ /"kode":"([^"]+)"/;
    $sent[$i]{kode} = $kode;
}

my ($rc, $so, $se) = $t->posko('ingest', '--wal', $t->wal, '--db', $db);
is($rc, 0, 'ingest succeeds') or diag($se);
like($so, qr/^ingest: 4 loaded, 0 quarantined/, 'four complaints loaded');

# -- what the database holds, read with the sqlite3 CLI --------------------

# Every complaint, oldest first, as hashes of raw bytes; NULL is undef.
sub db_rows {
    my ($file, $where) = @_;
    my $sel = join ',', map {
        "CASE WHEN $_ IS NULL THEN 'N' ELSE 'V' || hex($_) END"
    } @PUBLIC, @PERSONAL;
    my @rows;
    for my $line (split /\n/, sql($file,
            "SELECT $sel FROM complaints " . ($where // '')
            . ' ORDER BY received_at, id')) {
        my @v = map { /^V(.*)$/ ? pack('H*', $1) : undef } split /\|/, $line;
        my %row;
        @row{@PUBLIC, @PERSONAL} = @v;
        push @rows, \%row;
    }
    return @rows;
}

# -- a strict RFC 4180 reader ----------------------------------------------

# Records end in CRLF (the last one too); a quoted field doubles its
# quotes; an unquoted field holds no quote, CR or LF.  Dies on anything
# else.
sub parse_csv {
    my ($s) = @_;
    my (@rows, @row);
    my $pos = 0;
    return [] if $s eq '';
    while (1) {
        my $field = '';
        if (substr($s, $pos, 1) eq '"') {
            $pos++;
            while (1) {
                my $q = index($s, '"', $pos);
                die "unterminated quoted field at $pos\n" if $q < 0;
                $field .= substr($s, $pos, $q - $pos);
                $pos = $q + 1;
                last unless substr($s, $pos, 1) eq '"';
                $field .= '"';
                $pos++;
            }
        } else {
            pos($s) = $pos;
            $s =~ /\G([^,"\r\n]*)/g;
            $field = $1;
            $pos = pos($s);
        }
        push @row, $field;
        if (substr($s, $pos, 1) eq ',') {
            $pos++;
        } elsif (substr($s, $pos, 2) eq "\r\n") {
            $pos += 2;
            push @rows, [@row];
            @row = ();
            last if $pos == length $s;
        } else {
            die sprintf "unexpected %s after a field at %d\n",
                $pos < length $s ? sprintf('0x%02x', ord substr($s, $pos, 1))
                                 : 'end of text', $pos;
        }
    }
    return \@rows;
}

# sanity of the reader itself
is_deeply(parse_csv(qq{a,"b,""c""\r\nd",\r\n,x\r\n}),
          [['a', qq{b,"c"\r\nd}, ''], ['', 'x']], 'the test\'s CSV reader');
ok(!eval { parse_csv(qq{a,b\n}); 1 }, '... refuses a bare LF');
ok(!eval { parse_csv(qq{a,b"c\r\n}); 1 }, '... and a quote in a bare field');

# -- comparing an export with the database ---------------------------------

sub export {
    my @args = @_;
    return $t->posko('export', @args);
}

# Checks CSV output against the rows; returns the kode column.
sub check_csv {
    my ($out, $rows, $personal, $name) = @_;
    my @cols = (@PUBLIC, $personal ? @PERSONAL : ());
    my $csv = eval { parse_csv($out) };
    ok($csv, "$name: CSV parses as RFC 4180") or diag($@);
    $csv //= [[]];
    is_deeply($csv->[0], \@cols, "$name: the header row");
    my @got = @$csv[1 .. $#$csv];
    is(scalar @got, scalar @$rows, "$name: one row per complaint");
    my $bad = 0;
    for my $i (0 .. $#$rows) {
        my @want = map { $rows->[$i]{$_} // '' } @cols;
        next if join("\0", @{$got[$i] // []}) eq join("\0", @want)
            && @{$got[$i]} == @want;
        $bad++;
        diag("$name: row $i: got (@{$got[$i] // []}), want (@want)");
    }
    is($bad, 0, "$name: every field is the stored value, byte for byte");
    return map { $_->[0] } @got;
}

# Checks JSON Lines output against the rows; returns the kode column.
sub check_json {
    my ($out, $rows, $personal, $name) = @_;
    my @cols = (@PUBLIC, $personal ? @PERSONAL : ());
    my $j = JSON::PP->new->utf8;
    like($out, qr/\A(?:[^\n]*\n)*\z/, "$name: every line ends in LF");
    my @lines = split /\n/, $out;
    is(scalar @lines, scalar @$rows, "$name: one line per complaint");
    my ($bad, @kode) = (0);
    for my $i (0 .. $#lines) {
        my $obj = eval { $j->decode($lines[$i]) };
        unless (ref $obj eq 'HASH') {
            $bad++;
            diag("$name: line $i is not a JSON object: $@");
            next;
        }
        push @kode, $obj->{kode};
        my $row = $rows->[$i] // {};
        my @problems;
        push @problems, 'keys ' . join(',', sort keys %$obj)
            unless join(',', sort keys %$obj) eq join(',', sort @cols);
        for my $c (@cols) {
            my $want = $row->{$c};
            $want = lenient_decode($want) if defined $want;
            my $got = $obj->{$c};
            push @problems, "$c: got " . ($got // 'null') . ', want '
                . ($want // 'null')
                unless (defined $got ? $got : "\0NULL")
                    eq (defined $want ? $want : "\0NULL");
        }
        # rating is a number, not a string
        my ($rating) = $lines[$i] =~ /"rating":([^,}]*)/;
        my $want_rating = defined $row->{rating} ? $row->{rating} : 'null';
        push @problems, "rating written as $rating"
            unless defined $rating && $rating eq $want_rating;
        next unless @problems;
        $bad++;
        diag("$name: line $i: @problems");
    }
    is($bad, 0, "$name: every value is the stored one");
    return @kode;
}

my @rows = db_rows($db);
is(scalar @rows, 4, 'four rows in the database');

($rc, $so, $se) = export('--db', $db, '--format', 'csv');
is($rc, 0, 'export csv succeeds') or diag($se);
is($se, "export: 4 complaints\n", 'the summary on stderr');
check_csv($so, \@rows, 0, 'csv');
unlike($so, qr/Siti|812-3456|example\.id|\x{d8}\x{b9}\x{d8}\x{a8}\x{d8}\x{af}/,
       'csv: no name, phone or e-mail without --personal');
like($so, qr/^\Q$sent[0]{kode}\E,aduan,jemaah,/m,
     'csv: plain fields are not quoted');
like($so, qr/,"Nasi basi, lauk ""ayam"" tidak ada, minum kurang",/,
     'csv: a field with commas and quotes is quoted, quotes doubled');
like($so, qr/^\Q$sent[3]{kode}\E,informasi,,lainnya,,,,Informasi biasa,,/m,
     'csv: NULL is an empty field');

($rc, $so, $se) = export('--db', $db, '--format', 'csv', '--personal');
is($rc, 0, 'export csv --personal succeeds') or diag($se);
check_csv($so, \@rows, 1, 'csv --personal');

# what was sent, compared with the parsed CSV
my $csv = parse_csv($so);
my %by_kode = map { $_->[0] => $_ } @$csv[1 .. $#$csv];
my @cols = (@PUBLIC, @PERSONAL);
my $bad = 0;
for my $s (@sent) {
    my %got;
    @got{@cols} = @{$by_kode{$s->{kode}} // []};
    for my $f (grep { $_ ne 'kode' } keys %$s) {
        next if ($got{$f} // '') eq $s->{$f};
        $bad++;
        diag("$s->{kode} $f: got '" . ($got{$f} // '') . "', sent '$s->{$f}'");
    }
}
is($bad, 0, 'csv --personal: every field as it was sent through nginx');

($rc, $so, $se) = export('--db', $db, '--format', 'json');
is($rc, 0, 'export json succeeds') or diag($se);
is($se, "export: 4 complaints\n", 'the summary on stderr');
check_json($so, \@rows, 0, 'json');
unlike($so, qr/"(?:nama|telepon|email)"/,
       'json: no personal keys without --personal');
like($so, qr/"uraian":"Bus terlambat\\n\x{d9}\x{85}[^"]*\x{f0}\x{9f}\x{9a}\x{8c}\\n\\"Tolong\\", segera"/,
     'json: LF and quotes escaped, Arabic and the emoji as UTF-8 bytes');
like($so, qr/"uraian":"Kolom\\tdengan tab, back\\\\slash dan \\u0001 kontrol"/,
     'json: tab, backslash and a control character escaped');

($rc, $so, $se) = export('--db', $db, '--format', 'json', '--personal');
is($rc, 0, 'export json --personal succeeds') or diag($se);
check_json($so, \@rows, 1, 'json --personal');
like($so, qr/"nama":"Siti \\"Ami\\" Aminah, S.Pd"/, 'json: the name is there');

# -- times, order and odd bytes, in a copy with chosen rows ----------------

my $copy = $t->dir . '/copy.db';
sql($db, ".backup '$copy'");

my $offset = 0;
sub insert {
    my (%c) = @_;
    $c{wal_segment} //= 'test';
    $c{wal_offset} //= 128 * ++$offset;
    $c{jenis} //= 'aduan';
    $c{kategori} //= 'lainnya';
    $c{uraian} //= "baris $c{kode}";
    my @k = sort keys %c;
    my @v = map {
        $_ eq 'rating' || $_ eq 'wal_offset' ? $c{$_}
            : "CAST(X'" . unpack('H*', $c{$_}) . "' AS TEXT)"
    } @k;
    sql($copy, 'INSERT INTO complaints(' . join(',', @k) . ') VALUES ('
        . join(',', @v) . ')');
}

# inserted out of time order, so that the order of ids is not the answer
my %at = (
    T01 => '2030-06-01T08:30:00.000Z',
    T02 => '2030-05-31T20:59:59.999Z',   # 23:59:59.999 in Riyadh
    T03 => '2030-05-31T21:00:00.000Z',   # 00:00 on 1 June in Riyadh
    T04 => '2030-05-31T23:59:59.999Z',
    T05 => '2030-06-01T00:00:00.000Z',   # 00:00 in UTC
    T06 => '2030-05-31T16:59:59.999Z',
    T07 => '2030-05-31T17:00:00.000Z',   # 00:00 in Jakarta
    T08 => '2030-07-01T03:59:59.999Z',
    T09 => '2030-07-01T04:00:00.000Z',   # 00:00 in New York, summer (EDT)
    T10 => '2030-01-15T04:59:59.999Z',
    T11 => '2030-01-15T05:00:00.000Z',   # 00:00 in New York, winter (EST)
);
insert(kode => $_, received_at => $at{$_}) for sort { $b cmp $a } keys %at;
# odd bytes: CR and CRLF (the form never stores them), a byte that is not
# UTF-8, every follow-up column
insert(kode => 'ODD1', received_at => '2030-08-01T00:00:00.000Z',
       uraian => "baris satu\r\nbaris dua\rtiga, \"empat\"", rating => 4,
       status => 'selesai', unit => 'Sektor 3, Makkah',
       verified_at => '2030-08-01T01:00:00.000Z',
       solved_at => '2030-08-01T02:00:00.000Z',
       closed_at => '2030-08-01T03:00:00.000Z', duplikat_dari => 'ABCD',
       updated_at => '2030-08-01T03:00:00.000Z', telepon => '0812');
insert(kode => 'ODD2', received_at => '2030-08-02T00:00:00.000Z',
       uraian => "rusak \xff\xfe di sini \xe2\x82");
insert(kode => 'ODD3', received_at => '2030-08-03T00:00:00.000Z',
       uraian => "hanya\rCR");

my @all = db_rows($copy);
is(scalar @all, 4 + keys(%at) + 3, 'the copy holds the chosen rows too');

($rc, $so, $se) = export('--db', $copy, '--format', 'csv', '--personal');
is($rc, 0, 'export of the copy succeeds') or diag($se);
my @kode = check_csv($so, \@all, 1, 'csv of the copy');
my @want_order = ((map { $_->{kode} } @rows),
                  (sort { $at{$a} cmp $at{$b} } keys %at), 'ODD1', 'ODD2',
                  'ODD3');
is("@kode", "@want_order", 'csv: oldest first by received_at');
like($so, qr/,"baris satu\r\nbaris dua\rtiga, ""empat""",4,/,
     'csv: CR and CRLF inside a quoted field');
like($so, qr/\r\nODD3,aduan,,lainnya,,,,"hanya\rCR",/,
     'csv: a field with a lone CR is quoted');

($rc, $so, $se) = export('--db', $copy, '--format', 'json', '--personal');
is($rc, 0, 'json export of the copy succeeds') or diag($se);
@kode = check_json($so, \@all, 1, 'json of the copy');
is("@kode", "@want_order", 'json: oldest first by received_at');
like($so, qr/"uraian":"baris satu\\r\\nbaris dua\\rtiga, \\"empat\\""/,
     'json: CR escaped');
like($so, qr/"uraian":"rusak \\ufffd\\ufffd di sini \\ufffd\\ufffd"/,
     'json: bytes that are not UTF-8 become U+FFFD, the line stays JSON');

# --since: the start of the day in the zone, as UTC
my @since = (
    ['2030-06-01', undef,              '2030-05-31T21:00:00.000Z'],
    ['2030-06-01', 'Asia/Riyadh',      '2030-05-31T21:00:00.000Z'],
    ['2030-06-01', 'UTC',              '2030-06-01T00:00:00.000Z'],
    ['2030-06-01', 'Asia/Jakarta',     '2030-05-31T17:00:00.000Z'],
    ['2030-07-01', 'America/New_York', '2030-07-01T04:00:00.000Z'],
    ['2030-01-15', 'America/New_York', '2030-01-15T05:00:00.000Z'],
);
for my $case (@since) {
    my ($day, $tz, $from) = @$case;
    my @tz = defined $tz ? ('--tz', $tz) : ();
    my $name = "--since $day " . ($tz // '(default zone)');
    my @want = grep { $_->{received_at} ge $from } @all;
    my ($edge) = grep { $at{$_} eq $from } keys %at;
    ok($edge, "$name: a row sits exactly on the boundary $from");
    for my $format (qw(csv json)) {
        ($rc, $so, $se) = export('--db', $copy, '--format', $format,
                                 '--since', $day, @tz);
        is($rc, 0, "$name, $format: exit 0") or diag($se);
        is($se, 'export: ' . scalar(@want) . " complaints\n",
           "$name, $format: the summary counts " . scalar(@want));
        my @got = $format eq 'csv'
            ? check_csv($so, \@want, 0, "$name, $format")
            : check_json($so, \@want, 0, "$name, $format");
        ok((grep { $_ eq $edge } @got), "$name, $format: the row at $from is in");
        my %in = map { $_ => 1 } @got;
        my @early = grep { $in{$_} && $at{$_} lt $from } keys %at;
        is("@early", '', "$name, $format: nothing from before $from");
    }
}

# an empty database: the header alone, or nothing
my $empty = $t->dir . '/empty.db';
mkdir $t->dir . '/nowal';
($rc) = $t->posko('ingest', '--wal', $t->dir . '/nowal', '--db', $empty);
is($rc, 0, 'an empty database');
($rc, $so, $se) = export('--db', $empty, '--format', 'csv', '--personal');
is($rc, 0, 'export of nothing succeeds');
is($so, join(',', @PUBLIC, @PERSONAL) . "\r\n", '... the header row alone');
is($se, "export: 0 complaints\n", '... and says 0');
($rc, $so) = export('--db', $empty, '--format', 'json');
is($so, '', 'json of nothing is nothing');

# -- wrong usage: exit 2, one sentence naming the flag and the value -------

my @usage = (
    [[], qr/--db FILE is required/],
    [['--format', 'csv'], qr/--db FILE is required/],
    [['--db', $db], qr/--format csv\|json is required/],
    [['--db', $db, '--format', 'xml'], qr/--format 'xml' is not csv or json/],
    [['--db', $db, '--format=CSV'], qr/--format 'CSV' is not csv or json/],
    [['--db', $db, '--format'], qr/--format needs a value/],
    [['--db', $db, '--format', ''], qr/--format needs a value/],
    [['--db', $db, '--format', 'csv', '--since', '2026-02-30'],
     qr/--since '2026-02-30' is not a calendar date \(YYYY-MM-DD\)/],
    [['--db', $db, '--format', 'csv', '--since', 'kemarin'],
     qr/--since 'kemarin' is not a calendar date \(YYYY-MM-DD\)/],
    [['--db', $db, '--format', 'csv', '--since', '2026-6-1'],
     qr/--since '2026-6-1' is not a calendar date \(YYYY-MM-DD\)/],
    [['--db', $db, '--format', 'csv', '--tz', 'Mars/Olympus'],
     qr/--tz 'Mars\/Olympus' is not a known time zone/],
    [['--db', $db, '--format', 'csv', '--tz', 'Asia'],
     qr/--tz 'Asia' is not a known time zone/],
    [['--db', $db, '--format', 'csv', '--tz', '../../etc/passwd'],
     qr/--tz '..\/..\/etc\/passwd' is not a known time zone/],
    [['--db', $db, '--format', 'csv', '--since', '2026-06-01', '--tz', 'Riyadh'],
     qr/--tz 'Riyadh' is not a known time zone/],
    [['--db', $db, '--format', 'csv', '--bogus'], qr/unknown option '--bogus'/],
    [['--db', $db, '--format', 'csv', 'extra'], qr/unexpected argument 'extra'/],
    [['--db', $db, '--format', 'csv', '--personal=yes'],
     qr/--personal takes no value, not 'yes'/],
    [['--db', $db, '--db', $db, '--format', 'csv'],
     qr/--db given more than once/],
);
for my $u (@usage) {
    my ($args, $msg) = @$u;
    ($rc, $so, $se) = export(@$args);
    my $name = "export @$args";
    is($rc, 2, "$name: exit 2");
    like($se, qr/\Aposko export: $msg; see 'posko help export'\n\z/,
         "$name: one sentence") or diag($se);
    is($so, '', "$name: nothing on stdout");
}

($rc, $so, $se) = export('--db', $t->dir . '/no-such.db', '--format', 'csv');
is($rc, 1, 'a database that does not exist: exit 1');
like($se, qr/cannot open database .*no-such\.db/, '... saying which');
is($so, '', '... and nothing on stdout');
ok(!-e $t->dir . '/no-such.db', '... and it is not created');

my $notdb = $t->dir . '/not-a.db';
sql($notdb, 'CREATE TABLE x(y)');
($rc, $so, $se) = export('--db', $notdb, '--format', 'json');
is($rc, 1, 'a database that is not posko\'s: exit 1');
like($se, qr/is not a posko database/, '... saying so');

my $old = $t->dir . '/old.db';
sql($old, 'CREATE TABLE complaints(id INTEGER PRIMARY KEY, kode TEXT,'
    . ' received_at TEXT); PRAGMA user_version = 1');
($rc, $so, $se) = export('--db', $old, '--format', 'csv');
is($rc, 1, 'a database of schema version 1: exit 1');
like($se, qr/has schema version 1 and this posko reads version \d+: run posko ingest once to upgrade it/,
     '... saying what to do');

($rc, $so) = $t->posko('help', 'export');
is($rc, 0, 'posko help export');
like($so, qr/^usage: posko export --db FILE --format csv\|json/, '... shows the usage');
($rc, $so) = $t->posko('help');
like($so, qr/^  export +\S/m, 'posko help lists export');

done_testing();
