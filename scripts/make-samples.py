#!/usr/bin/env python3
"""Writes samples/: small documents in many formats, made by hand so that they carry no third-party
content. Run from the repository root: python3 scripts/make-samples.py. Uses only the standard library.
The one JPEG is the synthetic photo of the vision test fixture (pipeline/src/test/resources/models/
tiny-gemma4-vision/images/photo.jpg): the standard library has no JPEG encoder."""
import hashlib
import io
import os
import struct
import zlib
import zipfile
from email.message import EmailMessage

OUT = "samples"

REPORT = """Annual Report of the Riverside Community Library

The Riverside Community Library served more visitors this year than in any year since it opened in 1987. Total visits rose to 84,000, an increase of twelve percent over the previous year, driven mainly by the new evening opening hours and the children's reading programme.

The library lent 61,500 items, of which 18,200 were electronic books and audiobooks. Digital lending grew by thirty percent, while printed book loans remained stable. The board considers this a sign that readers use both formats rather than replacing one with the other.

The most important project of the year was the renovation of the reading room. The old heating system was replaced with heat pumps, the windows were insulated, and the lighting was changed to LED lamps. The energy consumption of the building fell by almost forty percent, which will save about 9,000 euros per year.

Volunteers remain the backbone of the library. Forty-two volunteers gave more than 3,100 hours of their time, mostly for homework help, language cafés and the delivery service for readers who cannot leave their homes.

For the coming year the board plans to extend the opening hours on Saturdays, to add a small collection of tools and games that can be borrowed, and to start a local history project that will digitise old photographs donated by residents."""

MINUTES = """Minutes of the Parents' Council Meeting, 14 March

Present were eleven members of the council, the head teacher and two guests from the municipal transport office.

The first item was the safety of the route to school. Parents reported that cars drive too fast on Mill Street in the morning. The transport office agreed to install a speed display and to examine a thirty kilometre per hour limit near the school entrance. A decision is expected before the summer holidays.

The second item was the school garden. The council approved a budget of 600 euros for seeds, tools and a rain barrel. Class four will be responsible for watering during the spring, and families have volunteered to look after the garden during the holidays.

The third item was the spring festival. It will take place on the last Saturday of May. The council needs volunteers for the cake stand, the games and cleaning up afterwards. A sign-up list will be sent to all families next week.

Under any other business, a parent asked whether the school could offer more after-school sport. The head teacher said that the gym is free on Wednesday afternoons and that she would ask the local football club to run a weekly training session.

The next meeting will be held on 9 May at seven in the evening in the school library."""

LETTER = """Dear Ms. Okafor,

Thank you for your letter of 2 February about the heating costs in your flat. We have checked the meter readings for the last three years and found that the meter in your flat was replaced in October, but the new meter number was not entered in our billing system. Because of this mistake, your last bill was based on an estimate instead of the real consumption.

We have corrected the bill. Your actual consumption was 4,120 kilowatt hours, not the estimated 6,800 kilowatt hours, so you paid 312 euros too much. The amount will be transferred to your bank account within ten working days.

We apologise for the inconvenience. To avoid similar problems in the future, every meter exchange is now checked by a second member of staff before the bill is produced.

If you have further questions, you can reach our customer service from Monday to Friday between eight and six.

Yours sincerely,
Daniel Brandt
Customer Service, Northside Housing Cooperative"""

BEES = """Why Bees Matter to Farmers

Around three quarters of the world's most important food crops depend at least in part on pollination by animals, and bees are the most important pollinators among them. Apples, almonds, cherries, strawberries and many vegetables give much smaller harvests when bees are missing.

Wild bees are often more effective pollinators than honey bees. Bumblebees, for example, fly in cold and windy weather when honey bees stay in their hives, and some solitary bees visit flowers that honey bees ignore. A farm that supports many kinds of bees therefore has more reliable harvests.

Farmers can help bees in simple ways. Strips of wild flowers along the edges of fields provide food after the crops have stopped flowering. Hedges and old walls give nesting places, and bare patches of sandy soil are where many solitary bees dig their nests. Spraying pesticides in the evening, when bees are not flying, reduces harm.

Studies from several countries show that these measures pay off. Fields next to flower strips often yield more fruit and seeds, and the cost of the strips is small compared with the value of a better harvest."""

GERMAN = """Der Rhein als Wasserstraße

Der Rhein ist eine der wichtigsten Wasserstraßen Europas. Er verbindet die Schweiz, Frankreich, Deutschland und die Niederlande mit der Nordsee. Jedes Jahr werden auf dem Rhein mehr als 150 Millionen Tonnen Güter transportiert, vor allem Kohle, Erz, Getreide, Chemikalien und Container.

In trockenen Sommern sinkt der Wasserstand des Rheins jedoch stark. Bei Kaub, einer der flachsten Stellen, können die Schiffe dann nur noch einen Teil ihrer Ladung tragen. Im Jahr 2018 mussten viele Unternehmen deshalb auf Lastwagen und Bahn ausweichen, und die Preise für Heizöl und Benzin stiegen in Süddeutschland deutlich.

Die Bundesregierung plant, die Fahrrinne am Mittelrhein zu vertiefen, damit die Schiffe auch bei niedrigem Wasser mehr laden können. Umweltverbände warnen jedoch vor Schäden für Fische und Uferlandschaften und fordern, zuerst die Häfen und die Bahnverbindungen besser zu nutzen.

Fachleute sind sich einig, dass der Klimawandel längere Trockenperioden bringen wird. Die Binnenschifffahrt muss sich deshalb anpassen, zum Beispiel mit flacheren Schiffen, die auch bei wenig Wasser fahren können."""

GARDEN = """# Balcony Vegetable Garden: A Short Guide

Growing vegetables on a balcony is easier than many people think. With a few pots, good soil and a sunny spot, a small balcony can give fresh herbs, tomatoes and salad from May to October.

## Choosing the place

Most vegetables need at least six hours of sun per day. A balcony facing south or west is ideal. On a north-facing balcony, salads, spinach, mint and parsley still grow well, because they tolerate shade.

## Pots and soil

- Use pots with holes in the bottom, so that water can drain.
- Tomatoes and courgettes need large pots of at least twenty litres.
- Buy peat-free vegetable soil and add some compost every spring.

## Watering

Pots dry out much faster than garden beds. In summer, water every morning, and on hot days also in the evening. A saucer under each pot keeps a small reserve of water, but do not let the roots stand in water for days.

## What to grow first

Beginners have the best results with cherry tomatoes, radishes, lettuce, chives and basil. They grow quickly, need little care, and show results within a few weeks."""

CLIMATE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Cycling in the City</title></head>
<body>
<h1>Cycling in the City: Results of the Pilot Project</h1>
<p>In April the city opened three protected bicycle lanes on its busiest streets as a one-year pilot project. The lanes are separated from car traffic by low concrete kerbs and flexible posts.</p>
<p>Automatic counters show that the number of cyclists on the three streets has doubled since the lanes opened. The increase is largest among women, older people and parents with children, groups that said in surveys that they had felt unsafe cycling in mixed traffic.</p>
<h2>Effects on traffic</h2>
<p>Car traffic on the three streets fell by fifteen percent, while travel times for buses stayed almost the same. Shop owners had feared fewer customers, but a survey of sixty shops found that most reported stable or slightly higher sales.</p>
<h2>Next steps</h2>
<ul>
<li>The city council will vote in November on making the lanes permanent.</li>
<li>Two further streets are being studied for protected lanes.</li>
<li>More bicycle parking will be built at the central station.</li>
</ul>
<p>The pilot project cost 1.2 million euros, most of it paid by a national programme for sustainable transport.</p>
</body></html>"""


def pdf_bytes(title, paragraphs):
    """A minimal but valid PDF 1.4 with one text page per call (Helvetica, wrapped by hand)."""
    lines = [title, ""]
    for p in paragraphs:
        words, line = p.split(), ""
        for w in words:
            if len(line) + len(w) + 1 > 90:
                lines.append(line)
                line = w
            else:
                line = (line + " " + w).strip()
        lines.append(line)
        lines.append("")
    def esc(s):
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = "BT /F1 10 Tf 50 800 Td 13 TL\n" + "".join("(%s) '\n" % esc(l) for l in lines) + "ET\n"
    content_bytes = content.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content_bytes) + content_bytes + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (%s) /Producer (nightshift samples) >>" % esc(title).encode("latin-1"),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def docx_bytes(text):
    paras = text.split("\n\n")
    body = "".join(
        '<w:p>%s<w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>'
        % ('<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>' if i == 0 else "", xml_escape(p.replace("\n", " ")))
        for i, p in enumerate(paras))
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>%s</w:body></w:document>' % body,
    }
    return zip_bytes(files)


def odt_bytes(text):
    paras = text.split("\n\n")
    body = "".join(
        ('<text:h text:outline-level="1">%s</text:h>' if i == 0 else "<text:p>%s</text:p>") % xml_escape(p.replace("\n", " "))
        for i, p in enumerate(paras))
    files = {
        "mimetype": "application/vnd.oasis.opendocument.text",
        "META-INF/manifest.xml": '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
        "content.xml": '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text>%s</office:text></office:body></office:document-content>' % body,
    }
    return zip_bytes(files, stored_first="mimetype")


def png_bytes(width, height, pixel):
    """An 8-bit RGB PNG; pixel(x, y) -> (r, g, b)."""
    rows = b"".join(b"\x00" + bytes(c for x in range(width) for c in pixel(x, y)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def chart_png():
    """A bar chart of four quarters' tonnage on a light grid: what a report's figure looks like."""
    bars = [(40, 110), (100, 150), (160, 90), (220, 170)]  # (left, height)

    def pixel(x, y):
        for left, h in bars:
            if left <= x < left + 40 and 190 - h <= y < 190:
                return (40, 90, 160)
        if y == 190 or x == 20:
            return (0, 0, 0)
        if y % 40 == 30:
            return (220, 220, 220)
        return (255, 255, 255)

    return png_bytes(288, 208, pixel)


PHOTO = os.path.join("pipeline", "src", "test", "resources", "models", "tiny-gemma4-vision", "images", "photo.jpg")

PORT = """Port Tonnage, First Half

The port handled 2.1 million tonnes in the first half of the year, eight percent more than a year earlier. Container traffic grew fastest, while bulk grain fell after the poor harvest.

The chart below shows the tonnage of each quarter; the photograph shows the new crane on the east quay, which entered service in March and shortened the average stay of a container ship by five hours."""


def docx_with_pictures(text, pictures):
    """A DOCX whose body is text and whose word/media holds pictures, each shown in the text."""
    paras = text.split("\n\n")
    body = "".join(
        '<w:p>%s<w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>'
        % ('<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>' if i == 0 else "", xml_escape(p.replace("\n", " ")))
        for i, p in enumerate(paras))
    rels = ""
    for n, (name, _) in enumerate(pictures, start=1):
        rels += ('<Relationship Id="rIdPic%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
                 'Target="media/%s"/>' % (n, name))
        body += ('<w:p><w:r><w:drawing><wp:inline><wp:extent cx="2743200" cy="1828800"/><wp:docPr id="%d" name="%s"/>'
                 '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
                 '<pic:nvPicPr><pic:cNvPr id="%d" name="%s"/><pic:cNvPicPr/></pic:nvPicPr>'
                 '<pic:blipFill><a:blip r:embed="rIdPic%d"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic>'
                 '</wp:inline></w:drawing></w:r></w:p>' % (n, name, n, name, n))
    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
          'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
          'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"')
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Default Extension="jpg" ContentType="image/jpeg"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/_rels/document.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">%s</Relationships>' % rels,
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document %s><w:body>%s</w:body></w:document>' % (ns, body),
    }
    for name, data in pictures:
        files["word/media/" + name] = data
    return zip_bytes(files)


def zip_bytes(files, stored_first=None):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if name == stored_first else zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def write(name, data):
    path = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def main():
    paras = REPORT.split("\n\n")
    write("reports/library-annual-report.pdf", pdf_bytes(paras[0], paras[1:]))
    write("reports/parents-council-minutes.docx", docx_bytes(MINUTES))
    write("reports/bees-and-farmers.odt", odt_bytes(BEES))
    write("web/cycling-pilot.html", CLIMATE_HTML)
    write("notes/balcony-garden.md", GARDEN)
    write("letters/heating-bill-correction.txt", LETTER)
    write("de/rhein-wasserstrasse.txt", GERMAN)

    msg = EmailMessage()
    msg["From"] = "Amira Haddad <amira@example.org>"
    msg["To"] = "board@example.org"
    msg["Subject"] = "Minutes of the parents' council, and next steps"
    msg["Date"] = "Fri, 15 Mar 2026 09:12:00 +0100"
    msg.set_content("Dear board members,\n\nplease find attached the minutes of yesterday's meeting of the parents' "
                    "council. The most urgent point is the speed limit on Mill Street: the transport office will "
                    "decide before the summer holidays, and a letter of support from the board would help.\n\n"
                    "Could we also discuss the budget for the school garden at our next board meeting?\n\n"
                    "Best regards,\nAmira")
    msg.add_attachment(MINUTES.encode("utf-8"), maintype="text", subtype="plain", filename="minutes-14-march.txt")
    write("mail/council-minutes.eml", bytes(msg))

    write("archive/two-documents.zip", zip_bytes({
        "bees-and-farmers.txt": BEES,
        "letters/heating-bill-correction.txt": LETTER,
    }))

    memo = ("Memo: Office move in June. The accounting team will move from the third floor to the new offices in "
            "the east wing on 12 June. Please pack your desks by Friday, 9 June; boxes are available at the reception. "
            "The network and telephones will be switched over during the weekend, so that everyone can work "
            "normally on Monday. Printers stay where they are. Questions go to the facilities team.")
    write("notes/office-move-memo.rtf", "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs24 "
          + memo.replace(". ", ".\\par ") + "}")

    # A PDF header and catalog followed by noise: PDFBox cannot find any page tree.
    noise = b"".join(hashlib.sha256(b"nightshift-%d" % i).digest() for i in range(100))
    write("broken/corrupt-report.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + noise)
    write("broken/empty.txt", b"")
    with open(PHOTO, "rb") as f:
        photo = f.read()
    chart = chart_png()
    write("pictures/quarterly-tonnage-chart.png", chart)
    write("pictures/east-quay-crane.jpg", photo)
    write("reports/port-tonnage.docx", docx_with_pictures(PORT, [("tonnage-chart.png", chart), ("crane.jpg", photo)]))


if __name__ == "__main__":
    main()
