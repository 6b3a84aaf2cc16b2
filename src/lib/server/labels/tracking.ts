import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Sendcloud's tracking of a return parcel, read as Retour's reception states (Solidus's reception machine:
 * awaiting → in_transit → received, or lost). Pure: statuses and webhook bodies in, decisions out.
 *
 * Sendcloud words a parcel's status three ways: as a sentence in webhooks (`parcel.status.message`, e.g.
 * "Announced: not collected") and in a return's `status_history[].parent_status`, and as a slug in the Returns
 * API's `parent_parcel_status` filter (e.g. "announced-uncollected"). All of them are normalised to a slug first.
 */

export type Reception = 'in_transit' | 'received' | 'lost';

/**
 * Every status Sendcloud documents, slug of its sentence and its filter slug alike. A return parcel travels from
 * the customer to the shop, so "delivered" means the shop has it; "awaiting customer pickup" means it waits at a
 * service point for the shop to collect, still on its way; "returned to sender" goes back to the customer, so it
 * will not arrive. Null: nothing about the parcel's journey to record (label made, announced, cancelled, unknown).
 */
const RECEPTION: Record<string, Reception | null> = {
	// The label exists; the parcel has not moved.
	'ready-to-send': null,
	'ready-to-ship': null,
	'being-announced': null,
	announcing: null,
	announced: null,
	'announced-not-collected': null,
	'announced-uncollected': null,
	'announcement-failed': null,
	'no-label': null,
	'error-collecting': null,
	'collect-error': null,
	'address-invalid': null,
	// Cancelled labels never travel.
	'cancellation-requested': null,
	'cancellation-request': null,
	cancelling: null,
	'submitting-cancellation-request': null,
	'cancelling-upstream': null,
	'cancelled-upstream': null,
	cancelled: null,
	unknown: null,
	// Undocumented beyond its name: whether the parcel reached the shop is not certain, so a person decides.
	'delivery-forced': null,

	// On its way to the shop.
	'en-route-to-sorting-center': 'in_transit',
	'to-sorting': 'in_transit',
	'shipment-picked-up-by-driver': 'in_transit',
	'picked-up-by-driver': 'in_transit',
	'at-sorting-centre': 'in_transit',
	'at-sorting-center': 'in_transit',
	'being-sorted': 'in_transit',
	sorting: 'in_transit',
	sorted: 'in_transit',
	'not-sorted': 'in_transit',
	unsorted: 'in_transit',
	unsorted2: 'in_transit',
	'at-customs': 'in_transit',
	'parcel-en-route': 'in_transit',
	'shipment-on-route': 'in_transit',
	'driver-en-route': 'in_transit',
	'driver-on-route': 'in_transit',
	'delivery-delayed': 'in_transit',
	delayed: 'in_transit',
	'delivery-date-changed': 'in_transit',
	'delivery-method-changed': 'in_transit',
	'delivery-address-changed': 'in_transit',
	'delivery-attempt-failed': 'in_transit',
	'delivery-failed': 'in_transit',
	'awaiting-customer-pickup': 'in_transit',

	// At the shop.
	delivered: 'received',
	'shipment-collected-by-customer': 'received',
	'collected-by-customer': 'received',

	// Will not reach the shop: Sendcloud's "exception" covers lost, damaged and destroyed parcels.
	exception: 'lost',
	'unable-to-deliver': 'lost',
	undeliverable: 'lost',
	'returned-to-sender': 'lost',
	'refused-by-recipient': 'lost'
};

/** "Announced: not collected" → "announced-not-collected"; "At sorting centre" → "at-sorting-centre". */
export function sendcloudStatusSlug(status: string): string {
	return status
		.normalize('NFKD')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
}

/** What a Sendcloud parcel status means for the return's reception; null when there is nothing to change. */
export function receptionFromSendcloud(status: string): Reception | null {
	const slug = sendcloudStatusSlug(status);
	// "Unknown status - check carrier track & trace page for more insights"
	if (slug.startsWith('unknown')) return null;
	return RECEPTION[slug] ?? null;
}

/**
 * Sendcloud signs each webhook with HMAC-SHA256 of the raw body, keyed with the integration's secret key, as hex in
 * the `Sendcloud-Signature` header. The body must be the bytes as received: re-serialised JSON would not match.
 */
export function verifySendcloudWebhook(rawBody: string, signatureHeader: string | null, secretKey: string): boolean {
	const given = signatureHeader?.trim() ?? '';
	if (!secretKey || !/^[0-9a-f]{64}$/i.test(given)) return false;
	const expected = createHmac('sha256', secretKey).update(rawBody, 'utf8').digest();
	return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

export interface SendcloudParcelUpdate {
	/**
	 * Sendcloud's id of the parcel, which is not the return's id (Label.externalId): the webhook names the parcel
	 * only. Match the update to its label on `trackingNumber`.
	 */
	parcelId: string;
	/** The status as Sendcloud words it ("Delivered"), for receptionFromSendcloud. */
	status: string;
	trackingNumber: string | null;
	/** When the status changed: at the carrier when Sendcloud knows it, else when Sendcloud recorded it. */
	at: Date;
	/** The parcel's order number, which Retour sets to the RMA. */
	orderNumber: string | null;
}

/**
 * Reads Sendcloud's `parcel_status_changed` webhook. Null for other actions (integration_connected, return_created,
 * …) and for bodies that are not such a webhook. Webhooks can arrive out of order: keep the latest `at`.
 */
export function parseSendcloudWebhook(rawBody: string): SendcloudParcelUpdate | null {
	let payload: unknown;
	try {
		payload = JSON.parse(rawBody);
	} catch {
		return null;
	}
	if (!isRecord(payload) || payload.action !== 'parcel_status_changed' || !isRecord(payload.parcel)) return null;
	const parcel = payload.parcel;
	const parcelId = idText(parcel.id);
	const status = isRecord(parcel.status) ? (text(parcel.status.message) ?? idText(parcel.status.id)) : null;
	const at = timestamp(payload.carrier_status_change_timestamp) ?? timestamp(payload.timestamp);
	if (!parcelId || !status || !at) return null;
	return { parcelId, status, trackingNumber: text(parcel.tracking_number), at, orderNumber: text(parcel.order_number) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function idText(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return text(value);
}

/** Sendcloud documents "a unix timestamp"; its examples are in milliseconds. Seconds are taken too. */
function timestamp(value: unknown): Date | null {
	if (typeof value === 'number' && Number.isFinite(value) && value > 0) return new Date(value < 1e11 ? value * 1000 : value);
	if (typeof value === 'string' && value.trim() !== '') {
		const date = new Date(value);
		return Number.isNaN(date.getTime()) ? null : date;
	}
	return null;
}
