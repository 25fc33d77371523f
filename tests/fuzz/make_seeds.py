#!/usr/bin/env python3
"""Re-makes the committed seed corpora in tests/fuzz/corpus/.

Run from the repository root after `make sample-media`:
    python3 tests/fuzz/make_seeds.py

Needs cjpeg and djpeg (libjpeg-turbo-progs) and exiftool; ImageMagick's
`convert` is used for the CMYK seed when present. The seeds are committed, so
`make check` needs none of these: this script only documents how they were
made and re-makes them when the sample photos change.

jpeg/ and inspect/ get small versions of the nine sample photos (their
metadata segments and trailers as generated, the picture scaled down to an
eighth) and hand-made edge cases: truncated, fill bytes, stray bytes, restart
markers, progressive, arithmetic, DNL, trailing data, JFIF thumbnails, a
forged huge size. sidecar/ gets the sample caption files and edge cases,
spec/ bundle specs in both languages and edge cases, zip/ small zip
submissions: plain, stored, zip64, nested, names with .. or absolute paths
or control characters, a link, folders, macOS bookkeeping, a member that
expands 8 MB from a few kB, a damaged caption, an encrypted flag, empty and
truncated zips.
"""
import glob
import os
import shutil
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
SAMPLES = os.path.join(ROOT, "sample-media", "drop")


# ---- JPEG segments -----------------------------------------------------------

def segments(data):
    """(marker, bytes) for each segment up to EOI, SOS with its scan data,
    and the bytes after EOI. Only for our own well-formed inputs."""
    out, i = [(0xD8, data[:2])], 2
    while i < len(data):
        while data[i + 1] == 0xFF:
            i += 1
        m = data[i + 1]
        if m == 0xD9:
            out.append((m, data[i:i + 2]))
            return out, data[i + 2:]
        length = data[i + 2] << 8 | data[i + 3]
        j = i + 2 + length
        if m == 0xDA:
            while not (data[j] == 0xFF and data[j + 1] != 0 and not 0xD0 <= data[j + 1] <= 0xD7):
                j += 1
        out.append((m, data[i:j]))
        i = j
    return out, b""


def join(segs, trailer=b""):
    return b"".join(s for _, s in segs) + trailer


def is_meta(m):
    return 0xE0 <= m <= 0xEF or m == 0xFE


def app(marker, payload):
    return (marker, bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload)


# ---- making small pictures -----------------------------------------------------

def run(cmd, data=None):
    return subprocess.run(cmd, input=data, stdout=subprocess.PIPE, check=True).stdout


def ppm(w, h):
    px = bytearray()
    for y in range(h):
        for x in range(w):
            px += bytes([(x * 255) // max(w - 1, 1), (y * 255) // max(h - 1, 1), 128])
    return b"P6 %d %d 255\n" % (w, h) + bytes(px)


def tiny(w=32, h=24, *opts):
    return run(["cjpeg", "-quality", "50", *opts], ppm(w, h))


def scaled_sample(path):
    """The sample's metadata and trailer around an eighth-size picture."""
    orig = open(path, "rb").read()
    osegs, trailer = segments(orig)
    small = run(["cjpeg", "-quality", "40"], run(["djpeg", "-scale", "1/8", path]))
    ssegs, _ = segments(small)
    meta = [s for s in osegs if is_meta(s[0])]
    pixels = [s for s in ssegs if not is_meta(s[0]) and s[0] != 0xD8]
    return join([osegs[0]] + meta + pixels, trailer)


def exif_orientation(value, big_endian=True):
    """A minimal Exif APP1 holding Orientation alone."""
    e = ">" if big_endian else "<"
    tiff = (b"MM" if big_endian else b"II") + struct.pack(e + "HI", 42, 8)
    tiff += struct.pack(e + "H", 1) + struct.pack(e + "HHIHH", 0x112, 3, 1, value, 0)
    tiff += struct.pack(e + "I", 0)
    return app(0xE1, b"Exif\0\0" + tiff)


def with_segment(jpeg, seg, after=1):
    segs, trailer = segments(jpeg)
    return join(segs[:after] + [seg] + segs[after:], trailer)


def set_sof_size(jpeg, w, h):
    segs, trailer = segments(jpeg)
    out = []
    for m, s in segs:
        if 0xC0 <= m <= 0xCF and m not in (0xC4, 0xC8, 0xCC):
            s = s[:5] + struct.pack(">HH", h, w) + s[9:]
        out.append((m, s))
    return join(out, trailer)


def dnl(jpeg):
    """Height 0 in SOF and a DNL segment after the scan giving it."""
    segs, trailer = segments(jpeg)
    out, height = [], 0
    for m, s in segs:
        if m == 0xC0:
            height = s[5] << 8 | s[6]
            s = s[:5] + b"\0\0" + s[7:]
        if m == 0xD9:
            out.append((0xDC, b"\xFF\xDC\x00\x04" + struct.pack(">H", height)))
        out.append((m, s))
    return join(out, trailer)


def fill_bytes(jpeg):
    segs, trailer = segments(jpeg)
    return join([(m, (b"\xFF\xFF\xFF" if m != 0xD8 else b"") + s) for m, s in segs], trailer)


def stray_bytes(jpeg):
    segs, trailer = segments(jpeg)
    return join([(m, s + (b"\x00junk" if m == 0xE0 else b"")) for m, s in segs], trailer)


def jfif_thumbnail():
    base = tiny()
    segs, trailer = segments(base)
    thumb = bytes(range(256))[:2 * 2 * 3]
    jfif = app(0xE0, b"JFIF\0\x01\x02\x00\x00\x01\x00\x01\x02\x02" + thumb)
    jfxx = app(0xE0, b"JFXX\0\x13" + tiny(8, 8))
    return join([segs[0], jfif, jfxx] + [s for s in segs[1:] if s[0] != 0xE0], trailer)


def exiftool(jpeg, *args):
    tmp = os.path.join(CORPUS, ".tmp.jpg")
    open(tmp, "wb").write(jpeg)
    run(["exiftool", "-q", "-overwrite_original", *args, tmp])
    data = open(tmp, "rb").read()
    os.remove(tmp)
    return data


def cmyk():
    if not shutil.which("convert"):
        return None
    return run(["convert", "ppm:-", "-colorspace", "CMYK", "-quality", "50", "jpeg:-"], ppm(16, 16))


def jpeg_edge_cases():
    t = tiny()
    cases = {
        "tiny-baseline.jpg": t,
        "tiny-progressive.jpg": tiny(32, 24, "-progressive"),
        "tiny-arithmetic.jpg": tiny(32, 24, "-arithmetic"),
        "tiny-arith-progressive.jpg": tiny(32, 24, "-arithmetic", "-progressive"),
        "tiny-restart.jpg": tiny(48, 32, "-restart", "1B"),
        "tiny-gray.jpg": tiny(16, 16, "-grayscale"),
        "tiny-444.jpg": tiny(24, 16, "-sample", "1x1"),
        "tiny-odd-size.jpg": tiny(30, 20),
        "tiny-dnl.jpg": dnl(t),
        "tiny-fill-bytes.jpg": fill_bytes(t),
        "tiny-stray-bytes.jpg": stray_bytes(t),
        "tiny-trailer.jpg": t + b"\xFF\xD8trailing maker data\0\xFF\xD9",
        "tiny-no-eoi.jpg": t[:-2],
        "tiny-truncated-scan.jpg": t[:len(t) - 40],
        "tiny-truncated-header.jpg": t[:30],
        "soi-only.jpg": b"\xFF\xD8",
        "tiny-jfif-thumbnail.jpg": jfif_thumbnail(),
        "tiny-orient6.jpg": with_segment(t, exif_orientation(6)),
        "tiny-orient8-intel.jpg": with_segment(t, exif_orientation(8, False)),
        "odd-orient6.jpg": with_segment(tiny(30, 20), exif_orientation(6)),
        "forged-huge-orient6.jpg": set_sof_size(with_segment(t, exif_orientation(6)), 65535, 65535),
        "zero-width.jpg": set_sof_size(t, 0, 24),
    }
    c = cmyk()
    if c:
        cases["tiny-cmyk-adobe.jpg"] = c
    return cases


def inspect_edge_cases():
    t = tiny()
    return {
        "tiny-exif-text.jpg": exiftool(
            t, "-ImageDescription=Een beschrijving", "-Artist=Naam Achternaam",
            "-XPComment=Opmerking \u00e9\u00e9n", "-XPTitle=Titel",
            "-UserComment=Gebruikers opmerking", "-DateTimeOriginal=2024:03:14 16:02:11",
            "-Orientation#=6", "-GPSLatitude=52.15", "-GPSLatitudeRef=N",
            "-SerialNumber=123456", "-Make=Maker", "-Model=Model"),
        "tiny-xmp-iptc.jpg": exiftool(
            t, "-XMP-dc:Description=XMP caption", "-XMP-dc:Title=XMP titel",
            "-IPTC:Caption-Abstract=IPTC caption", "-IPTC:Headline=Kop",
            "-IPTC:By-line=Fotograaf", "-Comment=een commentaar"),
        "tiny-latin1.jpg": exiftool(t, "-charset", "exif=latin", "-ImageDescription=caf\u00e9 au lait"),
        "tiny-camera-boilerplate.jpg": exiftool(t, "-ImageDescription=OLYMPUS DIGITAL CAMERA"),
    }


SIDECARS = {
    "plain.txt": "Een onderschrift op de eerste regel.\nEn het verhaal eronder.\n",
    "english.txt": "Title: The click\nCaption: Heard for the first time.\nTags: click, Listening; school\n"
                   "Participant: p7\nCredit: anonymous\nConsent: public\nGuardian-Consent: yes\n"
                   "Consent-Until: 2030-12-31\n\nThe story.\n",
    "dutch-crlf.txt": "Titel: De klik\r\nOnderschrift: Gehoord.\r\nToestemming: intern\r\n\r\nVerhaal.\r\n",
    "bom.txt": "\ufeffOnderschrift: met BOM\n\nverhaal\n",
    "nfd.txt": "Onderschrift: cafe\u0301 en clie\u0308nt\nTrefwoorden: Cliënt, E\u0301E\u0301N\n",
    "story-header.txt": "Verhaal: begin van het verhaal\nOnbekend: geen sleutel\n\nrest\n",
    "unknown-consent.txt": "Toestemming: misschien\n",
    "bad-date.txt": "Toestemming-tot: 2024-13-40\n",
    "bad-guardian.txt": "Toestemming-ouder: soms\n",
    "empty.txt": "",
    "blank-lines.txt": "\n\n   \n",
    "only-tags.txt": "Trefwoorden: ,,;  ,\n",
    # JSON caption files and a project file (the target tries every parser)
    "json-dutch.json": '{"titel": "De klik", "trefwoorden": ["klik", "luisteren"], '
                       '"toestemming": "poster", "toestemming-ouder": true, '
                       '"verhaal": "Regel.\\nNog een."}',
    "json-english.json": '{"Title": "Home", "Tags": "a, b", "Guardian-Consent": "no", '
                         '"Credit": null, "Project": "Zomerkamp 2025"}',
    "json-bad.json": '{"onbekend": 1, "titel": ["x"]}',
    "project.txt": "Project: Cli\u00ebntfeedback 2025\nTrefwoorden: feedback\n"
                   "Toestemming: intern\n",
}
SIDECAR_BYTES = {
    "latin1.txt": "Onderschrift: caf\u00e9\n".encode("latin-1"),
    "utf16.txt": "Onderschrift: x\n".encode("utf-16"),
    "nul.txt": b"Onderschrift: a\0b\n",
    "overlong.txt": b"Onderschrift: \xc0\xaf\n",
    "surrogate.txt": b"Onderschrift: \xed\xa0\x80\n",
}


def clear(target):
    """Removes the made seeds of a target; found-* files (inputs the fuzzer
    found, kept for their coverage) stay."""
    d = os.path.join(CORPUS, target)
    for f in glob.glob(os.path.join(d, "*")):
        if not os.path.basename(f).startswith("found-"):
            os.remove(f)


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, name), "wb").write(data)


SPECS = {
    "readme.spec": "# poster voor de open dag\nTitel: Cli\u00ebntfeedback in beeld\n"
                   "Ondertitel: Wat jongeren ons lieten zien\nPapier: A2\nRichting: liggend\n"
                   "Kolommen: 3\n\n12\n4: Mijn eigen plek, mijn regels.\n7\n",
    "english-crlf.spec": "\ufeffTitle: Open day\r\nSubtitle: x\r\nPaper: a0\r\n"
                         "Orientation: portrait\r\nColumns: 12\r\n1\r\n2: caption: with colon\r\n",
    "twice.spec": "Titel: a\nTitel: b\n",
    "same-entry.spec": "3\n3\n",
    "bad-paper.spec": "Papier: A5\n",
    "bad-columns.spec": "Kolommen: 13\n",
    "zero-entry.spec": "0\n",
    "huge-entry.spec": "99999999999999999999\n",
    "empty-caption.spec": "5:\n",
    "no-newline.spec": "Titel: zonder einde",
    "empty.spec": "",
}
SPEC_BYTES = {
    "latin1.spec": "Titel: caf\u00e9\n".encode("latin-1"),
    "nul.spec": b"Titel: a\0b\n1\n",
    "long-line.spec": b"Titel: " + b"x" * 9000 + b"\n",
}


def zip_bytes(members, compression=None):
    """A zip of (name, bytes) members; a ZipInfo may stand for the name."""
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression or zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            if isinstance(name, str):   # a fixed time: the same seeds each run
                name = zipfile.ZipInfo(name, date_time=(2024, 3, 14, 16, 2, 10))
                name.compress_type = compression or zipfile.ZIP_DEFLATED
            z.writestr(name, data)
    return buf.getvalue()


def zip_info(name, mode):
    import zipfile
    info = zipfile.ZipInfo(name, date_time=(2024, 3, 14, 16, 2, 10))
    info.external_attr = mode << 16
    info.create_system = 3
    return info


def zip_edge_cases():
    import zipfile
    photo = tiny(16, 16)
    caption = "Onderschrift: uit een zip\nToestemming: poster\n".encode()
    plain = zip_bytes([("foto.jpg", photo), ("foto.txt", caption),
                       ("map/tweede.jpg", tiny(8, 8)), ("map/tweede.json", b'{"titel": "x"}')])
    encrypted = bytearray(zip_bytes([("foto.jpg", photo)], zipfile.ZIP_STORED))
    encrypted[6] |= 1                                  # local header: encrypted
    cd = encrypted.rfind(b"PK\x01\x02")
    encrypted[cd + 8] |= 1                             # central directory too
    return {
        "plain.zip": plain,
        "stored.zip": zip_bytes([("foto.jpg", photo), ("foto.txt", caption)], zipfile.ZIP_STORED),
        "dotdot.zip": zip_bytes([("../buiten.jpg", photo), ("a/../../b.jpg", photo), ("ok.jpg", photo)]),
        "absolute.zip": zip_bytes([("/etc/foto.jpg", photo), ("C:/foto.jpg", photo), ("\\x.jpg", photo)]),
        "symlink.zip": zip_bytes([(zip_info("link.jpg", 0o120777), b"/etc/passwd"), ("foto.jpg", photo)]),
        "folders.zip": zip_bytes([(zip_info("map/", 0o040755), b""), ("map/foto.jpg", photo)]),
        "macos.zip": zip_bytes([("__MACOSX/._foto.jpg", b"\0\5\x16\7"), (".DS_Store", b"Bud1"),
                                ("foto.jpg", photo)]),
        "bomb-member.zip": zip_bytes([("nul.jpg", b"\xFF\xD8\xFF" + bytes(8 << 20))]),
        "control-name.zip": zip_bytes([("foto\n.jpg", photo), ("foto\x1b[31m.jpg", photo)]),
        "latin1-caption.zip": zip_bytes([("f.jpg", photo), ("f.txt", "Onderschrift: caf\u00e9".encode("latin-1"))]),
        "nested.zip": zip_bytes([("binnen.zip", plain), ("foto.jpg", photo)]),
        "encrypted.zip": bytes(encrypted),
        "empty.zip": b"PK\x05\x06" + bytes(18),
        "truncated.zip": plain[:len(plain) // 2],
        "zip64.zip": _zip64(photo),
    }


def _zip64(photo):
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("foto.jpg", date_time=(2024, 3, 14, 16, 2, 10))
        with z.open(info, "w", force_zip64=True) as f:
            f.write(photo)
    return buf.getvalue()


def main():
    photos = sorted(glob.glob(os.path.join(SAMPLES, "**", "*.[jJ][pP][gG]"), recursive=True))
    if len(photos) < 9:
        sys.exit("run `make sample-media` first")
    for target in ("jpeg", "inspect"):
        clear(target)
    for p in photos:
        name = "sample-" + os.path.basename(p).lower()
        small = scaled_sample(p)
        write("jpeg", name, small)
        write("inspect", name, small)
    for name, data in jpeg_edge_cases().items():
        write("jpeg", name, data)
    for name, data in inspect_edge_cases().items():
        write("inspect", name, data)
        write("jpeg", name, data)
    for name in ("tiny-trailer.jpg", "tiny-jfif-thumbnail.jpg", "tiny-orient6.jpg"):
        write("inspect", name, jpeg_edge_cases()[name])
    clear("sidecar")
    for p in sorted(glob.glob(os.path.join(SAMPLES, "**", "*.txt"), recursive=True)):
        write("sidecar", "sample-" + os.path.basename(p), open(p, "rb").read())
    for name, text in SIDECARS.items():
        write("sidecar", name, text.encode("utf-8"))
    for name, data in SIDECAR_BYTES.items():
        write("sidecar", name, data)
    clear("zip")
    for name, data in zip_edge_cases().items():
        write("zip", name, data)
    clear("spec")
    for name, text in SPECS.items():
        write("spec", name, text.encode("utf-8"))
    for name, data in SPEC_BYTES.items():
        write("spec", name, data)


if __name__ == "__main__":
    main()
