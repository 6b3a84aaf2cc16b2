import { renderLabelPdf, type LabelInput } from './pdf-label';

/**
 * Where return labels come from. The built-in provider prints the shop's own label (no carrier account needed:
 * the customer drops the parcel at the shop's drop-off points, which scan its barcode or QR code); a carrier
 * client (Sendcloud's Returns API, issue 5) answers the same interface with the carrier's label and tracking.
 */
export interface Label {
	provider: string;
	format: 'pdf';
	bytes: Uint8Array;
	/** The carrier's tracking number, when a carrier made the label. */
	trackingNumber: string | null;
	/** Where the customer follows the parcel, when the carrier gives one. */
	trackingUrl: string | null;
	carrier: string | null;
	/** The carrier's id for the return (Sendcloud's return id), to cancel it and to match tracking updates. */
	externalId: string | null;
}

export interface LabelProvider {
	readonly name: string;
	createLabel(request: LabelInput): Promise<Label>;
	/** Cancels a carrier label that was not used (a cancelled return); the built-in one needs nothing. */
	cancelLabel?(externalId: string): Promise<void>;
	/** The label of a carrier return made earlier (a retry after its answer was lost or the label was not ready). */
	labelFor?(externalId: string): Promise<Label>;
}

export const builtinLabels: LabelProvider = {
	name: 'builtin',
	async createLabel(request) {
		return { provider: 'builtin', format: 'pdf', bytes: await renderLabelPdf(request), trackingNumber: null, trackingUrl: null, carrier: null, externalId: null };
	}
};
