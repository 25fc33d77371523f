#!/usr/bin/env python3
"""Re-makes the committed seed corpus tests/fuzz/corpus/image/.

Run from the repository root:
    python3 tests/fuzz/make_image_seeds.py

PNGs are written here with zlib (every colour type and depth, palette with
transparency, interlaced, with iCCP and text chunks, truncated). HEIC and
AVIF seeds are encoded from one of them with heif-enc (libheif-examples) when
it is installed. A few tiny JPEGs are copied from the jpeg seeds (greyscale,
Adobe CMYK, progressive, arithmetic, truncated, a forged huge size). The
seeds are committed, so `make check` needs none of this.
"""
import os
import shutil
import struct
import subprocess
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus", "image")
JPEG_SEEDS = os.path.join(ROOT, "tests", "fuzz", "corpus", "jpeg")


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def samples(x, y, colour_type, depth):
    """One pixel of a small gradient scene, as PNG samples."""
    r, g, b, a = (x * 40) % 256, (y * 50) % 256, ((x + y) * 20) % 256, 255 if x < 3 else 90
    per = {0: [g], 2: [r, g, b], 3: [(x + y) % 4], 4: [g, a], 6: [r, g, b, a]}[colour_type]
    if depth == 16:
        return b"".join(struct.pack(">H", v * 257) for v in per)
    if depth < 8:  # one sample per byte for this small seed; packed below
        return bytes(v >> (8 - depth) for v in per)
    return bytes(per)


def pack_low_depth(row, depth):
    out, acc, bits = bytearray(), 0, 0
    for v in row:
        acc = (acc << depth) | v
        bits += depth
        if bits == 8:
            out.append(acc)
            acc, bits = 0, 0
    if bits:
        out.append(acc << (8 - bits))
    return bytes(out)


def png(w, h, colour_type, depth, extra=b"", interlace=0):
    raw = bytearray()
    for y in range(h):
        row = b"".join(samples(x, y, colour_type, depth) for x in range(w))
        if depth < 8:
            row = pack_low_depth(row, depth)
        raw += b"\0" + row
    if interlace:  # not a real Adam7 layout: libpng must refuse it cleanly
        raw = raw[: len(raw) // 2]
    ihdr = struct.pack(">IIBBBBB", w, h, depth, colour_type, 0, 0, interlace)
    plte = b""
    if colour_type == 3:
        plte = chunk(b"PLTE", bytes([0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 0]))
        plte += chunk(b"tRNS", bytes([255, 128]))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + plte + extra +
            chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b""))


def icc_profile():
    size = 144 + 16
    p = bytearray(size)
    struct.pack_into(">I", p, 0, size)
    p[8], p[9] = 2, 0x10
    p[12:16], p[16:20], p[20:24], p[36:40] = b"mntr", b"RGB ", b"XYZ ", b"acsp"
    p[68:80] = bytes([0, 0, 0xF6, 0xD6, 0, 1, 0, 0, 0, 0, 0xD3, 0x2D])
    struct.pack_into(">I", p, 128, 1)
    p[132:136] = b"desc"
    struct.pack_into(">II", p, 136, 144, 16)
    p[144:148] = b"desc"
    return bytes(p)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    text = chunk(b"tEXt", b"Comment\0PV-GEHEIM") + chunk(b"eXIf", b"MM\0*\0\0\0\x08")
    iccp = chunk(b"iCCP", b"test\0\0" + zlib.compress(icc_profile()))
    write("rgb8.png", png(8, 6, 2, 8))
    write("rgba8-text.png", png(8, 6, 6, 8, text))
    write("rgb16-icc.png", png(8, 6, 2, 16, iccp))
    write("grey16.png", png(7, 5, 0, 16))
    write("grey2.png", png(9, 4, 0, 2))
    write("grey-alpha.png", png(6, 6, 4, 8))
    write("palette-trns.png", png(8, 8, 3, 2))
    write("bad-interlace.png", png(8, 8, 2, 8, interlace=1))
    whole = png(16, 16, 6, 8)
    write("truncated.png", whole[: len(whole) - 30])
    write("huge-header.png", b"\x89PNG\r\n\x1a\n" +
          chunk(b"IHDR", struct.pack(">IIBBBBB", 65535, 65535, 16, 6, 0, 0, 0)) +
          chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))
    if shutil.which("heif-enc"):
        big = os.path.join(OUT, "tmp-source.png")
        with open(big, "wb") as f:
            f.write(png(32, 24, 2, 8))
        for name, args in (("small.heic", []), ("small.avif", ["-A"])):
            subprocess.run(["heif-enc", "-q", "30", *args, "-o", os.path.join(OUT, name), big],
                           check=True, stdout=subprocess.DEVNULL)
        os.remove(big)
    else:
        print("heif-enc not installed: no HEIC/AVIF seeds", file=sys.stderr)
    for name in ("tiny-baseline.jpg", "tiny-gray.jpg", "tiny-cmyk-adobe.jpg",
                 "tiny-progressive.jpg", "tiny-arithmetic.jpg", "tiny-truncated-scan.jpg",
                 "tiny-orient6.jpg", "forged-huge-orient6.jpg"):
        shutil.copy(os.path.join(JPEG_SEEDS, name), os.path.join(OUT, name))


if __name__ == "__main__":
    main()
