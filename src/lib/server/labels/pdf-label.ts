import bwipjs from 'bwip-js/node';
import {
	PDFDocument,
	StandardFonts,
	fill,
	popGraphicsState,
	pushGraphicsState,
	rectangle,
	rgb,
	setFillingRgbColor,
	type PDFFont,
	type PDFPage
} from 'pdf-lib';
import type { Address } from '../shops/service';

/**
 * The built-in return label: a printable A6 PDF (105 × 148 mm, what label printers and a folded A4 take) with
 * the shop's return address, the customer's address, the RMA in large type, a Code 128 barcode of the RMA for
 * the shop's scanners and a QR code of it for drop-off points and phones, both drawn in vector. Pure: the
 * addresses in, bytes out.
 */

/** The shop's own address type: a label prints the shop's return address and the order's shipping address. */
export type { Address };

export interface LabelInput {
	rma: string;
	shopName: string;
	/** Where the parcel goes: the shop's return address. */
	to: Address;
	/** Who sends it back: the customer. */
	from: Address;
	/** What is inside, in a few words per line ("1 × Jean slim brut W31/L32"). */
	contents?: string[];
	/** The words printed on the label. */
	locale: 'en' | 'fr';
}

const MM = 72 / 25.4;
const A6 = { width: 105 * MM, height: 148 * MM };

const WORDS = {
	en: { title: 'RETURN', to: 'TO', from: 'FROM', contents: 'Contents', scan: 'Scan at drop-off' },
	fr: { title: 'RETOUR', to: 'DESTINATAIRE', from: 'EXPÉDITEUR', contents: 'Contenu', scan: 'À scanner au dépôt' }
} as const;

/**
 * The RMA's barcodes as patterns to draw in vector (sharp at any printer resolution, and ten times faster than
 * embedding images): Code 128 for handheld scanners as bar and space widths, QR for phones and drop-off points
 * as a square of modules.
 */
export function barcodes(rma: string): { code128: number[]; qr: { size: number; dark: boolean[] } } {
	const [bars] = bwipjs.raw({ bcid: 'code128', text: rma }) as unknown as [{ sbs: number[] }];
	// eclevel is a BWIPP option bwip-js passes through (its types do not list it): M survives a scuffed label.
	const qrOptions = { bcid: 'qrcode', text: rma, eclevel: 'M' };
	const [qr] = bwipjs.raw(qrOptions) as unknown as [{ pixs: number[]; pixx: number }];
	return { code128: bars.sbs, qr: { size: qr.pixx, dark: qr.pixs.map((p) => p === 1) } };
}

type Rect = [x: number, y: number, width: number, height: number];

/**
 * Black rectangles as one path and one fill: a QR code is hundreds of modules, and a drawRectangle each (its own
 * graphics state, colour and path) took more time than the rest of the label.
 */
function fillRectangles(page: PDFPage, rects: Rect[]) {
	page.pushOperators(pushGraphicsState(), setFillingRgbColor(0, 0, 0), ...rects.map((r) => rectangle(...r)), fill(), popGraphicsState());
}

function drawCode128(page: PDFPage, widths: number[], x: number, y: number, width: number, height: number) {
	const unit = width / widths.reduce((a, b) => a + b, 0);
	const bars: Rect[] = [];
	let at = x;
	widths.forEach((w, i) => {
		// Bars and spaces alternate, a bar first.
		if (i % 2 === 0) bars.push([at, y, w * unit, height]);
		at += w * unit;
	});
	fillRectangles(page, bars);
}

/** The QR code's dark modules, each row's runs of adjacent modules as one rectangle. */
function drawQr(page: PDFPage, qr: { size: number; dark: boolean[] }, x: number, y: number, side: number) {
	const module = side / (qr.size + 2); // a one-module quiet zone around it
	const runs: Rect[] = [];
	for (let row = 0; row < qr.size; row++) {
		for (let col = 0; col < qr.size; col++) {
			if (!qr.dark[row * qr.size + col]) continue;
			const start = col;
			while (col + 1 < qr.size && qr.dark[row * qr.size + col + 1]) col++;
			runs.push([x + (start + 1) * module, y + side - (row + 2) * module, (col - start + 1) * module, module]);
		}
	}
	fillRectangles(page, runs);
}

export async function renderLabelPdf(input: LabelInput): Promise<Uint8Array> {
	const w = WORDS[input.locale];
	const codes = barcodes(input.rma);
	const pdf = await PDFDocument.create();
	pdf.setTitle(`${w.title} ${input.rma}`);
	pdf.setSubject(input.rma);
	pdf.setCreator('Retour');
	pdf.setCreationDate(new Date(0)); // the same label twice is the same file
	pdf.setModificationDate(new Date(0));
	const page = pdf.addPage([A6.width, A6.height]);
	const [regular, bold] = await Promise.all([pdf.embedFont(StandardFonts.Helvetica), pdf.embedFont(StandardFonts.HelveticaBold)]);
	const margin = 6 * MM;
	let y = A6.height - margin;

	const text = (value: string, size: number, font: PDFFont = regular, x = margin) => {
		y -= size * 1.25;
		page.drawText(clipToWidth(value, font, size, A6.width - x - margin), { x, y, size, font, color: rgb(0, 0, 0) });
	};

	// Header: the word RETURN and the shop.
	text(`${w.title} · ${input.shopName}`, 11, bold);
	y -= 2 * MM;
	rule(page, y, margin);

	// To: large, it is what the carrier reads.
	y -= 2 * MM;
	text(w.to, 7, bold);
	for (const line of addressLines(input.to)) text(line, line === input.to.name ? 13 : 11, line === input.to.name ? bold : regular);
	y -= 2 * MM;
	text(w.from, 7, bold);
	for (const line of addressLines(input.from)) text(line, 8);
	y -= 2 * MM;
	rule(page, y, margin);

	// The RMA, its Code 128 barcode, then the QR code beside the contents.
	y -= 2 * MM;
	text(input.rma, 20, bold);
	const barWidth = A6.width - 2 * margin;
	const barHeight = 16 * MM;
	y -= barHeight + 2 * MM;
	drawCode128(page, codes.code128, margin, y, barWidth, barHeight);

	const qrSize = 30 * MM;
	const qrTop = y - 3 * MM;
	drawQr(page, codes.qr, A6.width - margin - qrSize, qrTop - qrSize, qrSize);
	page.drawText(w.scan, { x: A6.width - margin - qrSize, y: qrTop - qrSize - 9, size: 7, font: regular });
	y = qrTop;
	if (input.contents?.length) {
		const width = A6.width - 3 * margin - qrSize;
		y -= 7 * 1.25;
		page.drawText(w.contents, { x: margin, y, size: 7, font: bold });
		for (const line of input.contents.slice(0, 8)) {
			y -= 8 * 1.25;
			page.drawText(clipToWidth(line, regular, 8, width), { x: margin, y, size: 8, font: regular });
		}
	}
	return pdf.save();
}

function addressLines(a: Address): string[] {
	return [a.name, a.line1, a.line2 ?? '', `${a.postalCode} ${a.city}`, a.country].filter((l) => l.trim() !== '');
}

function rule(page: PDFPage, y: number, margin: number) {
	page.drawLine({ start: { x: margin, y }, end: { x: A6.width - margin, y }, thickness: 0.8, color: rgb(0, 0, 0) });
}

const characterSets = new WeakMap<PDFFont, Set<number>>();

/** Cut to the width with an ellipsis; characters the standard font cannot draw become "?". */
function clipToWidth(value: string, font: PDFFont, size: number, width: number): string {
	let drawable = characterSets.get(font);
	if (!drawable) characterSets.set(font, (drawable = new Set(font.getCharacterSet())));
	let s = [...value].map((c) => (drawable.has(c.codePointAt(0)!) ? c : '?')).join('');
	if (font.widthOfTextAtSize(s, size) <= width) return s;
	while (s.length > 1 && font.widthOfTextAtSize(s + '…', size) > width) s = s.slice(0, -1);
	return s + '…';
}
