"""Real files of every kind an upload can be, made on the spot: photos from Pillow and
pillow-heif, PDFs from reportlab, and the bad ones people (and attackers) send. Each function
returns bytes and is cached, so a test may call it freely."""

import functools
import io
import struct
import zipfile
import zlib

import pillow_heif
import pypdf
from PIL import ExifTags, Image, ImageCms, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

pillow_heif.register_heif_opener()

# Hà Nội, as a phone writes it into a photo.
GPS_LATITUDE = (21.0, 1.0, 42.0)
GPS_LONGITUDE = (105.0, 50.0, 34.0)


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Samsung"
    exif[ExifTags.Base.Model] = "Galaxy A10"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = GPS_LONGITUDE
    return exif


def document_photo(size: tuple[int, int] = (640, 480), *, noise: int = 12) -> Image.Image:
    """A photographed paper: grey paper with sensor noise, lines of black text, a red stamp."""
    width, height = size
    paper = Image.linear_gradient("L").resize(size).point(lambda v: 150 + v // 3)
    grain = Image.effect_noise(size, noise)
    image = Image.merge("RGB", (Image.blend(paper, grain, 0.3),) * 3)
    draw = ImageDraw.Draw(image)
    font_size = max(8, height // 30)
    for y in range(font_size * 2, height - font_size * 2, font_size * 2):
        draw.text((width // 20, y), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM - Giấy khai sinh",
                  fill=(15, 15, 15), font_size=font_size)
    radius = min(size) // 8
    centre = (width * 3 // 4, height * 3 // 4)
    draw.ellipse((centre[0] - radius, centre[1] - radius, centre[0] + radius,
                  centre[1] + radius), outline=(200, 20, 20), width=max(2, radius // 10))
    return image


def _jpeg(image: Image.Image, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", **params)
    return out.getvalue()


@functools.cache
def jpeg_small() -> bytes:
    return _jpeg(document_photo(), quality=90)


@functools.cache
def jpeg_progressive() -> bytes:
    return _jpeg(document_photo((480, 360)), quality=85, progressive=True)


@functools.cache
def jpeg_with_gps() -> bytes:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return _jpeg(document_photo(), quality=90, exif=exif_with_gps(), icc_profile=srgb,
                 comment=b"Nguyen Van A, 0912345678")


@functools.cache
def jpeg_phone_photo() -> bytes:
    """4000 × 3000, about 4–5 MB, GPS in it: what an ordinary phone sends."""
    return _jpeg(document_photo((4000, 3000), noise=30), quality=93, exif=exif_with_gps())


@functools.cache
def jpeg_rotated() -> bytes:
    """Stored landscape 300 × 200 with a red square top-left; EXIF orientation 6 says "turn
    90° clockwise to show", so it is seen portrait 200 × 300 with the square top-right."""
    image = Image.new("RGB", (300, 200), "white")
    image.paste((255, 0, 0), (0, 0, 40, 40))
    return _jpeg(image, quality=95, exif=exif_with_gps(orientation=6))


@functools.cache
def jpeg_cmyk() -> bytes:
    return _jpeg(document_photo((320, 240)).convert("CMYK"), quality=90)


def _png(image: Image.Image, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", **params)
    return out.getvalue()


def screenshot() -> Image.Image:
    """A phone screenshot of a form: a handful of flat colours, no anti-aliasing."""
    image = Image.new("RGB", (720, 1280), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 720, 120), fill=(0, 82, 155))
    for y in range(200, 1200, 90):
        draw.rectangle((40, y, 680, y + 60), outline=(180, 180, 180), width=2)
        draw.rectangle((60, y + 20, 60 + (y % 400), y + 40), fill=(30, 30, 30))
    draw.rectangle((40, 1180, 680, 1250), fill=(200, 30, 30))
    return image


@functools.cache
def png_screenshot() -> bytes:
    return _png(screenshot())


@functools.cache
def png_photo() -> bytes:
    return _png(document_photo((400, 300), noise=40))


@functools.cache
def png_transparent() -> bytes:
    """A signature on a transparent background: black strokes, everything else alpha 0."""
    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    ImageDraw.Draw(image).line((10, 100, 150, 10, 290, 100), fill=(0, 0, 0, 255), width=6)
    return _png(image)


@functools.cache
def png_with_metadata() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Nguyen Van A")
    return _png(screenshot(), pnginfo=info, exif=exif_with_gps())


@functools.cache
def png_16bit_grey() -> bytes:
    """A 16-bit grey scan: left half black, right half mid-grey (32768 of 65535)."""
    row = struct.pack("<200H", *([0] * 100 + [32768] * 100))
    return _png(Image.frombytes("I;16", (200, 100), row * 100))


@functools.cache
def heic_photo() -> bytes:
    """What an iPhone sends: HEIC, with GPS in its EXIF."""
    out = io.BytesIO()
    document_photo((640, 480)).save(out, format="HEIF", quality=70, exif=exif_with_gps())
    return out.getvalue()


def _pdf(pages: int, **canvas_params) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, **canvas_params)
    for number in range(1, pages + 1):
        pdf.drawString(72, 770, f"Giay xac nhan tinh trang hon nhan - trang {number}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


@functools.cache
def pdf_two_pages() -> bytes:
    return _pdf(2)


@functools.cache
def pdf_encrypted() -> bytes:
    return _pdf(1, encrypt="matkhau")


@functools.cache
def pdf_owner_password_only() -> bytes:
    """Opens without a password but is encrypted all the same (print/copy restrictions)."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(_pdf(1))))
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@functools.cache
def pdf_without_pages() -> bytes:
    out = io.BytesIO()
    pypdf.PdfWriter().write(out)
    return out.getvalue()


def pdf_tail_cut() -> bytes:
    data = pdf_two_pages()
    return data[: len(data) * 2 // 3]


def pdf_middle_cut() -> bytes:
    """Beginning and end kept, the middle lost: the trailer is there, the objects are not."""
    data = pdf_two_pages()
    return data[:300] + data[-400:]


def pdf_header_and_trailer_only() -> bytes:
    return b"%PDF-1.7\n<html><body>Nothing of a PDF in here</body></html>\n%%EOF\n"


def jpeg_truncated() -> bytes:
    data = jpeg_small()
    return data[: len(data) // 2]


def png_truncated() -> bytes:
    data = png_photo()
    return data[: len(data) // 2]


def heic_truncated() -> bytes:
    data = heic_photo()
    return data[: len(data) * 3 // 4]


def text_renamed() -> bytes:
    return "Đơn đề nghị cấp giấy khai sinh\nHọ và tên: Nguyễn Văn A\n".encode()


def html_page() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def windows_program() -> bytes:
    """The start of a Windows executable: "MZ", the DOS stub, a PE header further on."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 46 + (
        b"\x80\x00\x00\x00This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 64)


@functools.cache
def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("giay-khai-sinh.pdf", pdf_two_pages())
    return out.getvalue()


@functools.cache
def gif_image() -> bytes:
    out = io.BytesIO()
    document_photo((120, 90)).save(out, format="GIF")
    return out.getvalue()


@functools.cache
def tiff_scan() -> bytes:
    out = io.BytesIO()
    document_photo((120, 90)).save(out, format="TIFF")
    return out.getvalue()


def svg_image() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@functools.cache
def avif_photo() -> bytes:
    """AVIF shares HEIF's container; it is not among the accepted types."""
    out = io.BytesIO()
    document_photo((64, 48)).save(out, format="AVIF", quality=50)
    return out.getvalue()


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (struct.pack(">I", len(payload)) + kind + payload
            + struct.pack(">I", zlib.crc32(kind + payload)))


@functools.lru_cache(maxsize=4)
def png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit black PNG of width × height: a few hundred KB that would decode into
    width × height bytes of memory."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the packed pixels
    compressor = zlib.compressobj(9)
    block = row * 64
    parts = [compressor.compress(block) for _ in range(height // 64)]
    parts.append(compressor.compress(row * (height % 64)))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", b"".join(parts)) + _png_chunk(b"IEND", b""))
