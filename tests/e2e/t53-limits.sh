#!/bin/sh
# Limits (docs/drop-folder.md, "Limits"): each named constant tested at the limit and one
# over it. Huge files are sparse (truncate), huge images are headers that
# only declare their size. At the limit a file is judged on what it is; one
# over, the reason names the limit; either way nothing is lost.
#
#   PV_TEST_BIG=1   also the 4 GB total of one zip (reads 4 GB of zeros)
. "$(dirname "$0")/lib.sh"

MIB=1048576
tiny="$ROOT/tests/fuzz/corpus/jpeg/tiny-baseline.jpg"
reason() { cat "$A/drop/.quarantine/$1.reason.txt" 2>/dev/null; }
ingest() { pv ingest >"$TMP/out" 2>"$TMP/err"; rc=$?; }

# ---- PV_MAX_FILE_BYTES: 256 MiB ------------------------------------------------
new_archive
for n in at over; do
	printf '\377\330\377\340' >"$A/drop/$n.jpg"
done
truncate -s $((256 * MIB)) "$A/drop/at.jpg"
truncate -s $((256 * MIB + 1)) "$A/drop/over.jpg"
ingest
check_eq "file size: both files are set aside (exit 1)" 1 "$rc"
if reason at.jpg | grep -q 'larger than'; then fail "file size: a file of exactly 256 MiB is read (not refused for its size)" "$(reason at.jpg)"; else ok "file size: a file of exactly 256 MiB is read (not refused for its size)"; fi
check_grep "file size: one byte more is refused for its size" 'larger than the 256 MB' "$A/drop/.quarantine/over.jpg.reason.txt"
check_eq "file size: both are kept whole in quarantine" "$((256 * MIB)) $((256 * MIB + 1))" \
	"$(stat -c %s "$A/drop/.quarantine/at.jpg") $(stat -c %s "$A/drop/.quarantine/over.jpg")"

# ---- PV_MAX_SIDECAR_BYTES: 1 MiB --------------------------------------------------
new_archive
python3 - "$A/drop" "$MIB" <<'EOF'
import sys
drop, limit = sys.argv[1], int(sys.argv[2])
head = b"Onderschrift: een lang verhaal\n\n"
for name, size in (("at", limit), ("over", limit + 1)):
    body = (b"woorden " * (size // 8 + 1))[: size - len(head) - 1] + b"\n"
    data = head + body
    assert len(data) == size
    open("%s/%s.txt" % (drop, name), "wb").write(data)
EOF
"$BUILD/mksample" --bench 2 --megapixels 0.02 "$TMP/two" >/dev/null 2>&1
cp "$TMP/two/bench-00001.jpg" "$A/drop/at.jpg"
cp "$TMP/two/bench-00002.jpg" "$A/drop/over.jpg"
ingest
check_eq "caption file size: exactly 1 MiB is taken with its photo" 1 \
	"$(pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')"
check_eq "caption file size: its whole story is in the catalogue" "$((MIB - 33))" \
	"$(pv show 1 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["story"].encode()))')"
check_grep "caption file size: one byte more is refused for its size" 'larger than the 1 MB' "$A/drop/.quarantine/over.txt.reason.txt"
check "caption file size: its photo waits with it in quarantine" test -f "$A/drop/.quarantine/over.jpg"

# ---- PV_MAX_PIXELS: 200 megapixels ----------------------------------------------------
new_archive
# a real small JPEG whose frame header declares 20000 x 10000 (the limit) or
# 20000 x 10001: what is refused is the declared size, before any decoding
python3 - "$tiny" "$A/drop" <<'EOF'
import struct, sys
src, drop = sys.argv[1], sys.argv[2]
data = bytearray(open(src, "rb").read())
sof = data.find(b"\xff\xc0")
for name, (w, h) in (("at", (20000, 10000)), ("over", (20000, 10001))):
    d = bytearray(data)
    d[sof + 5:sof + 9] = struct.pack(">HH", h, w)
    open("%s/%s.jpg" % (drop, name), "wb").write(d)
# a PNG that says it is 20000 x 10001 (IHDR, a token IDAT, IEND)
import zlib
ihdr = struct.pack(">IIBBBBB", 20000, 10001, 8, 2, 0, 0, 0)
chunk = lambda t, b: struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b))
open("%s/over-png.png" % drop, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
    chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b""))
EOF
ingest
if reason at.jpg | grep -q 'megapixels'; then fail "pixels: a photo of exactly 200 megapixels is not refused for its size" "$(reason at.jpg)"; else ok "pixels: a photo of exactly 200 megapixels is not refused for its size"; fi
check_grep "pixels: one row more is refused for its size" '20000 x 10001 pixels, larger than the 200 megapixels' "$A/drop/.quarantine/over.jpg.reason.txt"
check_grep "pixels: a PNG one row over is refused before decoding" '20000 x 10001 pixels, larger than the 200 megapixels' "$A/drop/.quarantine/over-png.png.reason.txt"
check_nogrep "pixels: no sanitizer report" 'Sanitizer|runtime error' "$TMP/err"

# ---- zips: PV_ZIP_MAX_MEMBERS (1000), PV_ZIP_MAX_RATIO (100, 64 KiB floor) --------------
new_archive
python3 - "$tiny" "$A/drop" <<'EOF'
import sys, zipfile
photo = open(sys.argv[1], "rb").read()
drop = sys.argv[2]
def make(name, members):
    with zipfile.ZipFile("%s/%s" % (drop, name), "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in members:
            z.writestr(n, d)
# 1000 and 1001 entries: one photo and notes that are not photos
for name, count in (("members-at.zip", 1000), ("members-over.zip", 1001)):
    make(name, [("foto.jpg", photo)] + [("notitie-%04d.bin" % i, b"geen foto") for i in range(count - 1)])
# one member unpacking to exactly 100 x 64 KiB, and one byte more
floor = 64 * 1024
for name, size in (("ratio-at.zip", 100 * floor), ("ratio-over.zip", 100 * floor + 1)):
    make(name, [("groot.jpg", b"\xff\xd8\xff" + bytes(size - 3))])
# a member name that is not UTF-8 (Latin-1), refused for its '..'
with zipfile.ZipFile("%s/latin1.zip" % drop, "w") as z:
    z.writestr("ok.jpg", photo)
    z.writestr("cafX/../x.jpg", photo)
data = bytearray(open("%s/latin1.zip" % drop, "rb").read())
data = data.replace(b"cafX", b"caf\xe9")
open("%s/latin1.zip" % drop, "wb").write(data)
EOF
pv ingest --json >"$TMP/out.json" 2>"$TMP/err"; rc=$?
check_eq "zips: set aside zips make exit 1" 1 "$rc"
if reason members-at.zip | grep -q 'more than 1000 entries'; then fail "zip members: 1000 entries are all read"; else ok "zip members: 1000 entries are all read"; fi
check_grep "zip members: the 1001st is not read, and the reason says so" 'more than 1000 entries' "$A/drop/.quarantine/members-over.zip.reason.txt"
if reason ratio-at.zip | grep -q 'zip bomb'; then fail "zip ratio: a member unpacking to exactly 100 x 64 KiB is read" "$(reason ratio-at.zip)"; else ok "zip ratio: a member unpacking to exactly 100 x 64 KiB is read"; fi
check_grep "zip ratio: one byte more is refused as a zip bomb" 'zip bomb' "$A/drop/.quarantine/ratio-over.zip.reason.txt"
check "zips: every zip set aside is kept in quarantine" test -f "$A/drop/.quarantine/members-over.zip" -a -f "$A/drop/.quarantine/ratio-over.zip"
check "zips: --json is one valid document" python3 -m json.tool "$TMP/out.json"
check_eq "zips: --json lists every zip set aside, even one with a name that is not UTF-8" \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["quarantined_count"])' "$TMP/out.json")" \
	"$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["quarantined"]))' "$TMP/out.json")"
check "zips: a member whose name is not UTF-8 is set aside under a safe name, its reason valid UTF-8" \
	python3 -c 'import sys; open(sys.argv[1], encoding="utf-8").read()' "$A/drop/.quarantine/latin1/unsafe-name-2.reason.txt"

# ---- PV_ZIP_MAX_MEMBER_BYTES (256 MiB), PV_ZIP_MAX_TOTAL_BYTES (4 GiB): stored
# (ratio 1) sparse zips, so that only the size limits apply ---------------------------
new_archive
cat >"$TMP/sparsezip.py" <<'EOF'
import struct, sys, zlib
# sparsezip.py OUT SIZE [COUNT]: COUNT stored members of SIZE zero bytes
# (after a JPEG start), written with holes so that they take no disk space.
out, size = sys.argv[1], int(sys.argv[2])
count = int(sys.argv[3]) if len(sys.argv) > 3 else 1
crc = zlib.crc32(b"\xff\xd8\xff")
zeros = bytes(1 << 20)
left = size - 3
while left:
    n = min(left, len(zeros))
    crc = zlib.crc32(zeros[:n], crc)
    left -= n
zip64 = size >= 0xFFFFFFFF or count * (size + 100) >= 0xFFFFFFFF
central, offsets = b"", []
with open(out, "wb") as f:
    for i in range(count):
        name = ("deel-%02d.jpg" % i).encode()
        offsets.append(f.tell())
        extra = struct.pack("<HHQQ", 1, 16, size, size) if zip64 else b""
        csize = 0xFFFFFFFF if zip64 else size
        f.write(struct.pack("<IHHHHHIIIHH", 0x04034b50, 45 if zip64 else 10, 0, 0, 0, 0,
                            crc, csize, csize, len(name), len(extra)) + name + extra)
        f.write(b"\xff\xd8\xff")
        f.seek(size - 3, 1)
        cextra = struct.pack("<HHQQQ", 1, 24, size, size, offsets[-1]) if zip64 else b""
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 45, 45 if zip64 else 10, 0, 0, 0, 0,
                               crc, csize, csize, len(name), len(cextra), 0, 0, 0, 0,
                               0xFFFFFFFF if zip64 else offsets[-1]) + name + cextra
    start = f.tell()
    f.write(central)
    end = f.tell()
    if zip64:
        f.write(struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, 45, 45, 0, 0, count, count,
                            len(central), start))
        f.write(struct.pack("<IIQI", 0x07064b50, 0, end, 1))
        f.write(struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0))
    else:
        f.write(struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, count, count, len(central), start, 0))
EOF
python3 "$TMP/sparsezip.py" "$A/drop/member-at.zip" $((256 * MIB))
python3 "$TMP/sparsezip.py" "$A/drop/member-over.zip" $((256 * MIB + 1))
ingest
if reason member-at.zip | grep -q 'more than 256 MB'; then fail "zip member size: a member of exactly 256 MiB is read" "$(reason member-at.zip)"; else ok "zip member size: a member of exactly 256 MiB is read"; fi
check_grep "zip member size: one byte more is refused for its size" 'more than 256 MB' "$A/drop/.quarantine/member-over.zip.reason.txt"
if [ -n "${PV_TEST_BIG:-}" ]; then
	new_archive
	python3 "$TMP/sparsezip.py" "$A/drop/total-at.zip" $((256 * MIB)) 16
	python3 "$TMP/sparsezip.py" "$A/drop/total-over.zip" $((256 * MIB)) 17
	ingest
	if reason total-at.zip | grep -q 'in all'; then fail "zip total: 16 members of 256 MiB (4 GiB) are read"; else ok "zip total: 16 members of 256 MiB (4 GiB) are read"; fi
	check_grep "zip total: a 17th is refused for the total" 'more than 4096 MB in all' "$A/drop/.quarantine/total-over.zip.reason.txt"
else
	skip "zip total (4 GiB): set PV_TEST_BIG=1 to read 8 GB of zeros"
fi

# ---- the bundle spec: PV_MAX_SIDECAR_BYTES as well ---------------------------------------
python3 - "$TMP" "$MIB" <<'EOF'
import sys
tmp, limit = sys.argv[1], int(sys.argv[2])
line = b"# " + b"x" * 97 + b"\n"
for name, size in (("at", limit), ("over", limit + 1)):
    data = b"Titel: groot\n"
    data += line * ((size - len(data)) // len(line))
    data += b"#" * (size - len(data) - 1) + b"\n"
    assert len(data) == size
    open("%s/%s.spec" % (tmp, name), "wb").write(data)
EOF
new_archive
cp "$tiny" "$A/drop/s.jpg"
printf 'Toestemming: poster\n' >"$A/drop/s.txt"
pv ingest --quiet >/dev/null 2>&1
run "$TMP/out" "$TMP/err" pv bundle --spec "$TMP/at.spec" --id 1 -o "$TMP/at.zip"
check_eq "bundle spec: a spec of exactly 1 MiB is read" 0 "$rc"
run "$TMP/out" "$TMP/err" pv bundle --spec "$TMP/over.spec" --id 1 -o "$TMP/over.zip"
check "bundle spec: one byte more is refused" test "$rc" -ne 0
check_grep "bundle spec: and the sentence names the limit" 'larger than the 1 MB' "$TMP/err"

done_testing
