import bwipjs from 'bwip-js/node';

/** The RMA as a QR code in SVG, for the customer's phone at a drop-off point (the same code the PDF prints). */
export function qrSvg(rma: string): string {
	if (!/^R-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(rma)) throw new Error(`"${rma}" is not an RMA`);
	// eclevel is a BWIPP option bwip-js passes through (its types do not list it).
	return bwipjs.toSVG({ bcid: 'qrcode', text: rma, eclevel: 'M', paddingwidth: 2, paddingheight: 2 } as Parameters<typeof bwipjs.toSVG>[0]);
}
