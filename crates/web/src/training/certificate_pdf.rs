//! A certificate as a one-page A4 PDF in the holder's language. The fonts
//! (DejaVu, free licence in assets/fonts) are embedded and subset, so
//! å, ä and ö print and copy out as themselves in any reader.

use std::sync::OnceLock;

use printpdf::{
    Color, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rgb,
    TextItem,
};
use tukiverkko_domain::Language;

use crate::i18n::{t, t_args};

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Parsed once: parsing a font face takes longer than laying out the page.
fn fonts() -> &'static (ParsedFont, ParsedFont) {
    static FONTS: OnceLock<(ParsedFont, ParsedFont)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let parse = |bytes| ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).expect("the bundled font parses");
        (parse(REGULAR), parse(BOLD))
    })
}

/// What the certificate states, already in the holder's language.
pub struct CertificateText {
    pub lang: Language,
    pub holder: String,
    pub training: String,
    pub method: Option<String>,
    pub issued_on: String,
    pub code: String,
    /// Where anyone can check the code: the public verification page.
    pub verify_url: String,
}

/// Splits text into lines of at most `width` characters at spaces; a
/// longer word keeps a line of its own.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

struct Writer {
    ops: Vec<Op>,
    regular: PdfFontHandle,
    bold: PdfFontHandle,
    /// Baseline of the next line, from the bottom of the page.
    y: f32,
}

impl Writer {
    fn text(&mut self, text: &str, size: f32, bold: bool, width: usize) {
        for line in wrap(text, width) {
            self.ops.extend([
                Op::StartTextSection,
                Op::SetTextCursor { pos: Point::new(Mm(25.0), Mm(self.y)) },
                Op::SetFont { font: if bold { self.bold.clone() } else { self.regular.clone() }, size: Pt(size) },
                Op::ShowText { items: vec![TextItem::Text(line)] },
                Op::EndTextSection,
            ]);
            self.y -= size * 0.3528 * 1.45;
        }
    }

    fn gap(&mut self, mm: f32) {
        self.y -= mm;
    }
}

fn frame() -> Vec<Op> {
    let corner = |x, y| LinePoint { p: Point::new(Mm(x), Mm(y)), bezier: false };
    vec![
        Op::SetOutlineColor { col: Color::Rgb(Rgb::new(0.0, 0.325, 0.624, None)) },
        Op::SetOutlineThickness { pt: Pt(2.0) },
        Op::DrawLine {
            line: Line {
                points: vec![corner(15.0, 15.0), corner(195.0, 15.0), corner(195.0, 282.0), corner(15.0, 282.0)],
                is_closed: true,
            },
        },
    ]
}

/// The certificate's PDF bytes.
pub fn render(c: &CertificateText) -> Vec<u8> {
    let (regular, bold) = fonts();
    let title = t(c.lang, "certificate-heading");
    let mut doc = PdfDocument::new(&title);
    let mut w = Writer {
        ops: frame(),
        regular: PdfFontHandle::External(doc.add_font(regular)),
        bold: PdfFontHandle::External(doc.add_font(bold)),
        y: 245.0,
    };
    let lang = c.lang;
    w.text(&title, 28.0, true, 30);
    w.gap(14.0);
    w.text(&t(lang, "certificate-pdf-certifies"), 13.0, false, 70);
    w.gap(3.0);
    w.text(&c.holder, 22.0, true, 36);
    w.gap(6.0);
    w.text(&t(lang, "certificate-pdf-completed"), 13.0, false, 70);
    w.gap(3.0);
    w.text(&c.training, 17.0, true, 46);
    if let Some(method) = &c.method {
        w.gap(2.0);
        w.text(&t_args(lang, "certificate-pdf-method", &[("method", method.to_string())]), 13.0, false, 70);
    }
    w.gap(12.0);
    w.text(&format!("{}: {}", t(lang, "certificate-issued"), c.issued_on), 13.0, false, 70);
    w.y = 60.0;
    w.text(&format!("{}: {}", t(lang, "certificate-code"), c.code), 13.0, true, 70);
    w.text(&t(lang, "certificate-pdf-verify"), 11.0, false, 80);
    w.text(&c.verify_url, 11.0, false, 80);
    doc.metadata.info.document_title = title;
    doc.metadata.info.creator = "tukiverkko".into();
    let page = PdfPage::new(Mm(210.0), Mm(297.0), w.ops);
    doc.with_pages(vec![page]).save(&PdfSaveOptions::default(), &mut Vec::new())
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_at_spaces_and_keeps_long_words_whole() {
        assert_eq!(wrap("Lapset puheeksi -menetelmän perusteet", 16), ["Lapset puheeksi", "-menetelmän", "perusteet"]);
        assert_eq!(wrap("Lastensuojelusijaishuolto", 10), ["Lastensuojelusijaishuolto"]);
        assert!(wrap("   ", 10).is_empty());
    }
}
