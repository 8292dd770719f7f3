#!/usr/bin/perl
# The report looked at as pictures: a fixed database (a season with long
# names, Arabic script and long descriptions; an empty day; a day with one
# complaint) is rendered, its pages turned into images with poppler's
# pdftoppm, and each image compared with the reference committed in
# t/report/pictures/ by ImageMagick's compare.  A change in drawing fails here
# until the references are made again and committed, so that it is seen
# in review:
#
#   POSKO_UPDATE_PICTURES=1 prove t/report/24-report-pictures.t
#
# The fonts are pinned (t/report/fonts.conf: Debian's fonts-dejavu-core only).
# A page passes when at most MAX_SHARE of its pixels differ by more than
# FUZZ; a failing page leaves the new image and a picture of the
# difference in build/test-pictures/.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use File::Temp qw(tempdir);
use File::Copy qw(copy);
use File::Path qw(make_path);
use PoskoTest;

for my $tool (qw(sqlite3 pdftoppm compare)) {
    plan skip_all => "$tool is not installed"
        unless grep { -x "$_/$tool" } split /:/, $ENV{PATH};
}
plan skip_all => 'fonts-dejavu-core is not installed'
    unless -f '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

use constant DPI => 60;
use constant FUZZ => '20%';       # a pixel differs when farther than this
use constant MAX_SHARE => 0.001;  # of a page's pixels

my $POSKO = $PoskoTest::POSKO;
my $REF = "$FindBin::Bin/pictures";
my $KEEP = "$PoskoTest::ROOT/build/test-pictures";
my $UPDATE = $ENV{POSKO_UPDATE_PICTURES};
my $dir = tempdir(CLEANUP => 1);
$ENV{FONTCONFIG_FILE} = "$FindBin::Bin/fonts.conf";
$ENV{XDG_CACHE_HOME} = "$dir/cache";
# Every tool runs in the temporary folder, so that nothing one leaves in
# its working folder can land in the checkout: a stray page once did
# (pdftoppm takes an output root of "-" for a file name and writes
# ./-.png).  Pages are read from pdftoppm's output, which names no file.
chdir $dir or die "$dir: $!";

# reference data with a long category name and a location in Arabic script
my $ref = "$dir/referensi.ini";
{
    open my $in, '<', "$PoskoTest::ROOT/data/referensi.ini" or die;
    my $ini = do { local $/; <$in> };
    $ini =~ s/^bimbingan_ibadah = .*$/bimbingan_ibadah = Bimbingan ibadah dan manasik untuk jemaah lanjut usia dan disabilitas/m
        or die 'no bimbingan_ibadah in referensi.ini';
    $ini =~ s/^makkah = .*$/makkah = Makkah \x{d9}\x{85}\x{d9}\x{83}\x{d8}\x{a9}/m or die 'no makkah';
    open my $out, '>', $ref or die;
    print $out $ini;
}

sub database {
    my ($name) = @_;
    my $db = "$dir/$name.db";
    mkdir "$dir/wal-$name" or die;
    system("$POSKO ingest --wal '$dir/wal-$name' --db '$db' --ref '$ref' >/dev/null") == 0
        or die 'posko ingest did not make the database';
    return $db;
}

sub iso { my @g = gmtime $_[0]; sprintf('%04d-%02d-%02dT%02d:%02d:%02d.000Z',
          $g[5] + 1900, $g[4] + 1, @g[3, 2, 1, 0]) }
sub quote { defined $_[0] ? "'" . ($_[0] =~ s/'/''/gr) . "'" : 'NULL' }

# Complaints into a database, as ingest would have left them.
sub insert {
    my ($db, @rows) = @_;
    open my $sql, '|-', 'sqlite3', $db or die;
    print $sql "BEGIN;\n";
    for my $r (@rows) {
        my @text = map { quote($_) } @$r{qw(kode jenis pelapor kategori lokasi
                                            embarkasi uraian)};
        my @times = map { quote(defined $_ ? iso($_) : undef) }
            @$r{qw(received verified solved)},
            $r->{received} + 24 * 3600, $r->{received} + 72 * 3600,
            $r->{handling} ? $r->{solved} + 3600 : undef;
        print $sql 'INSERT INTO complaints(kode, jenis, pelapor, kategori, lokasi,'
            . ' embarkasi, uraian, received_at, verified_at, solved_at,'
            . ' due_verify, due_solve, dinilai_at, faktual, unit, rating,'
            . ' rating_penanganan, wal_segment, wal_offset, status) VALUES ('
            . join(', ', @text, @times, $r->{faktual} // 'NULL', quote($r->{unit}),
                   $r->{rating} // 'NULL', $r->{handling} // 'NULL', "'p.wal'", 0,
                   "'diterima'") . ");\n";
    }
    print $sql "COMMIT;\n";
    close $sql or die 'insert failed';
}

my $day_start = 1781470800; # 2026-06-15 00:00 in Asia/Riyadh

# -- a season of 20 days ------------------------------------------------------
my $season = database('season');
{
    srand(24);
    my @kat = qw(akomodasi konsumsi transportasi kesehatan bimbingan_ibadah
                 petugas dokumen lainnya);
    my @lok = qw(makkah madinah jeddah arafah muzdalifah mina embarkasi lainnya);
    my @emb = qw(BTJ KNO BTH PDG PLM JKG JKS KJT SOC SUB BPN BDJ UPG LOP);
    my @units = qw(daker-makkah sektor-madinah layanan-konsumsi layanan-kesehatan);
    my @words = qw(kamar hotel AC mati bus terlambat nasi katering lansia kursi roda
                   antrean panjang lift rusak koper hilang tenda);
    my @rows;
    for my $i (1 .. 900) {
        my $t = $day_start - 19 * 86400 + int rand(20 * 86400);
        my $uraian = join ' ', map { $words[rand @words] } 1 .. 4 + int rand 40;
        $uraian = "\x{d8}\x{a7}\x{d9}\x{84}\x{d9}\x{85}\x{d8}\x{a7}\x{d8}\x{a1} \x{d9}\x{84}\x{d8}\x{a7} "
            . "\x{d9}\x{8a}\x{d8}\x{b9}\x{d9}\x{85}\x{d9}\x{84} $uraian" if $i % 7 == 0;
        my %r = (kode => sprintf('S%03d-%04d-%04d', $i % 1000, $i, 3 * $i),
                 jenis => (qw(kritik saran aduan informasi))[rand 4],
                 pelapor => (qw(jemaah jemaah jemaah petugas))[rand 4],
                 kategori => $kat[rand @kat], lokasi => $lok[rand @lok],
                 embarkasi => $emb[rand @emb], uraian => $uraian, received => $t,
                 rating => rand() < 0.3 ? 1 + int rand 5 : undef);
        if (rand() < 0.8) {
            $r{verified} = $t + int rand(36 * 3600);
            $r{faktual} = rand() < 0.75 ? 1 : 0;
            if ($r{faktual}) {
                $r{unit} = $units[rand @units];
                $r{solved} = $r{verified} + int rand(90 * 3600) if rand() < 0.7;
                $r{handling} = 1 + int rand 5 if $r{solved} && rand() < 0.5;
            }
        }
        push @rows, \%r;
    }
    insert($season, @rows);
}

# -- a day with one complaint, and an empty day -------------------------------
my $one = database('one');
insert($one, {kode => 'A001-0001-0001', jenis => 'aduan', pelapor => 'jemaah',
              kategori => 'akomodasi', lokasi => 'makkah', embarkasi => 'SOC',
              uraian => 'AC kamar 512 mati sejak semalam; jemaah lansia kepanasan.',
              received => $day_start + 10 * 3600});
my $empty = database('empty');

# -- render, look, compare ------------------------------------------------------

# page_png(PDF, PAGE, FILE): the page as a PNG at DPI, written to FILE
sub page_png {
    my ($pdf, $page, $file) = @_;
    open my $in, '-|', 'pdftoppm', '-r', DPI, '-png', '-singlefile',
        '-f', $page, '-l', $page, $pdf or die "pdftoppm: $!";
    binmode $in;
    my $png = do { local $/; <$in> };
    close $in or die "pdftoppm of $pdf page $page failed";
    open my $out, '>:raw', $file or die "$file: $!";
    print $out $png;
    close $out or die "$file: $!";
}

sub png_size {
    open my $fh, '<:raw', $_[0] or die "$_[0]: $!";
    read $fh, my $head, 24;
    return unpack 'x16 N N', $head;
}

make_path($KEEP);
my @cases = (['season', $season, [1 .. 6]], ['one', $one, [1, 6]],
             ['empty', $empty, [1, 2]]);
for my $case (@cases) {
    my ($name, $db, $pages) = @$case;
    my $out = "$dir/out-$name";
    my $r = `$POSKO report --db '$db' --date 2026-06-15 --out '$out' 2>&1`;
    is($?, 0, "$name: posko report") or diag($r);
    my $pdf = "$out/posko-2026-06-15.pdf";
    for my $page (@$pages) {
        my $file = "report-$name-$page.png";
        my $got = "$dir/$name-$page.png";
        page_png($pdf, $page, $got);
        if ($UPDATE) {
            copy($got, "$REF/$file") or die "$REF/$file: $!";
            pass("$name page $page: reference made again");
            next;
        }
        unless (-f "$REF/$file") {
            copy($got, "$KEEP/$file");
            fail("$name page $page: no reference t/report/pictures/$file (see $KEEP/$file)");
            next;
        }
        # compare prints how many pixels differ on stderr; it exits 1 when
        # some do, 2 on trouble (such as pictures of different sizes)
        my $diff = "$dir/$name-$page-diff.png";
        my $count = `compare -metric AE -fuzz @{[FUZZ]} '$REF/$file' '$got' '$diff' 2>&1`;
        my $status = $? >> 8;
        my ($w, $h) = png_size($got);
        my $limit = int(MAX_SHARE * $w * $h);
        my $ok = $status < 2 && $count =~ /^\s*(\d+)/ && $1 <= $limit;
        ok($ok, "$name page $page looks like t/report/pictures/$file ($count of "
            . $w * $h . " pixels differ; at most $limit)") or do {
            copy($got, "$KEEP/$file");
            copy($diff, "$KEEP/diff-$file") if -f $diff;
            diag("the new picture and the difference are in $KEEP");
        };
    }
}

done_testing();
