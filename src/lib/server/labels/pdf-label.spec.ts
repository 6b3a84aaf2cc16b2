import zlib from 'node:zlib';
import { PDFDocument, PDFRawStream } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { barcodes, renderLabelPdf, type LabelInput } from './pdf-label';

const input: LabelInput = {
	rma: 'R-7K2P-9QXA',
	shopName: 'Maison Lumen',
	to: { name: 'Maison Lumen — Retours', line1: '12 rue des Entrepôts', postalCode: '69007', city: 'Lyon', country: 'FR' },
	from: { name: 'Camille Martin', line1: '3 rue des Lilas', line2: 'Bâtiment B', postalCode: '33000', city: 'Bordeaux', country: 'FR' },
	contents: ['1 × Jean slim brut (W31 / L32)'],
	locale: 'fr'
};

/** The page's drawing operators, inflated. */
async function pageText(bytes: Uint8Array): Promise<string> {
	const pdf = await PDFDocument.load(bytes);
	const contents = pdf.getPage(0).node.Contents();
	const streams = contents && 'asArray' in contents ? contents.asArray() : [contents];
	return streams
		.map((ref) => pdf.context.lookup(ref as never) as PDFRawStream)
		.map((s) => zlib.inflateSync(Buffer.from(s.getContents())).toString('latin1'))
		.join('\n');
}
/** Text drawn with a standard font is a hex string of its WinAnsi bytes. */
const hex = (s: string) => `<${Buffer.from(s, 'latin1').toString('hex').toUpperCase()}>`;

describe('the built-in return label', () => {
	it('is a one-page A6 PDF with both addresses, the RMA in words, as a Code 128 barcode and as a QR code', async () => {
		const bytes = await renderLabelPdf(input);
		const pdf = await PDFDocument.load(bytes);
		expect(pdf.getPageCount()).toBe(1);
		const { width, height } = pdf.getPage(0).getSize();
		expect([Math.round((width * 25.4) / 72), Math.round((height * 25.4) / 72)]).toEqual([105, 148]);
		expect(pdf.getTitle()).toBe('RETOUR R-7K2P-9QXA');
		const text = await pageText(bytes);
		for (const line of ['R-7K2P-9QXA', 'DESTINATAIRE', 'Maison Lumen — Retours'.replace('—', '\x97'), '69007 Lyon', 'Camille Martin', 'Bâtiment B', '33000 Bordeaux', '1 × Jean slim brut (W31 / L32)']) {
			expect(text, line).toContain(hex(line));
		}
		// The barcodes, drawn in vector: read back from the page's rectangles, they are the RMA's Code 128 and QR code.
		const { code128, qr } = barcodes(input.rma);
		expect(code128.length).toBeGreaterThan(50);
		expect(qr.size).toBe(21);
		const rects = [...text.matchAll(/([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re\n/g)].map((m) => m.slice(1, 5).map(Number));
		const barHeight = Math.max(...rects.map((r) => r[3]));
		const bars = rects.filter((r) => r[3] === barHeight).sort((a, b) => a[0] - b[0]);
		const unit = bars[0][2] / code128[0];
		const drawn = bars.flatMap(([x, , w], i) => (i + 1 < bars.length ? [w / unit, (bars[i + 1][0] - x - w) / unit] : [w / unit]));
		expect(drawn.map(Math.round)).toEqual(code128);
		const modules = rects.filter((r) => r[3] !== barHeight);
		const side = modules[0][3];
		const left = Math.min(...modules.map((r) => r[0]));
		const top = Math.max(...modules.map((r) => r[1]));
		const grid = Array<boolean>(qr.size * qr.size).fill(false);
		for (const [x, y, w, h] of modules) {
			expect(h).toBe(side);
			const row = Math.round((top - y) / side);
			const from = Math.round((x - left) / side);
			for (let col = from; col < from + Math.round(w / side); col++) grid[row * qr.size + col] = true;
		}
		expect(grid).toEqual(qr.dark);
		expect(modules.length).toBeLessThan(qr.dark.filter(Boolean).length * 0.6); // runs of modules, not one each
	});

	it('is the same file for the same return, and another for another RMA', async () => {
		const a = Buffer.from(await renderLabelPdf(input));
		expect(Buffer.from(await renderLabelPdf(input)).equals(a)).toBe(true);
		expect(Buffer.from(await renderLabelPdf({ ...input, rma: 'R-0000-0001' })).equals(a)).toBe(false);
	});

	it('prints in English, and never fails on a name its font cannot draw or a line too long for the label', async () => {
		const bytes = await renderLabelPdf({
			...input,
			locale: 'en',
			from: { ...input.from, name: 'Łukasz Żółć 李雷', line1: 'A very long street name that goes on and on well past the edge of a small label, 1234' }
		});
		const text = await pageText(bytes);
		expect(text).toContain(hex('TO'));
		expect(text).toContain(hex('FROM'));
		expect(text).toContain(hex('?ukasz ?ó?? ??'));
		expect(text).toContain('85> Tj'); // the long line ends in an ellipsis
	});
});
