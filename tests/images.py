"""Small real images for upload tests: photos are decoded and written afresh, so bytes that only look like one
are refused."""
import io
import zlib

from PIL import Image


def image(kind: str = "PNG", size: tuple[int, int] = (40, 30), colour=(30, 60, 200), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind, **save)
    return out.getvalue()


def declaring(kind: str, size: tuple[int, int]) -> bytes:
    """A small image whose header declares `size`: what a decompression bomb looks like until it is decoded."""
    width, height = size
    data = bytearray(image(kind, (16, 16)))
    if kind == "PNG":   # IHDR: width, height, then its CRC over type and data
        data[16:24] = width.to_bytes(4, "big") + height.to_bytes(4, "big")
        data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    elif kind == "JPEG":   # SOF0: length, precision, height, width
        at = data.index(b"\xff\xc0")
        data[at + 5:at + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    else:   # WebP's VP8 frame header: width, height after the start code
        at = data.index(b"\x9d\x01\x2a")
        data[at + 3:at + 7] = width.to_bytes(2, "little") + height.to_bytes(2, "little")
    return bytes(data)
