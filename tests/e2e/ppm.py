"""Binary PPM (P6, as pdftoppm and mkcolour --ppm write it) for the tests
that look at pixels (t62-bundle-orientation, t63-cmyk-colour)."""


def read_ppm(path):
    """(width, height, RGB bytes) of a P6 file with maxval 255."""
    data = open(path, "rb").read()
    parts, pos = [], 0
    while len(parts) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        parts.append(data[pos:end])
        pos = end
    return int(parts[1]), int(parts[2]), data[pos + 1:]
