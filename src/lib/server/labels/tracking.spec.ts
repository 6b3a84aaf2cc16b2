import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSendcloudWebhook, receptionFromSendcloud, verifySendcloudWebhook } from './tracking';

describe('receptionFromSendcloud', () => {
	it.each([
		// Sentences, as webhooks and status_history word them.
		['Ready to send', null],
		['Being announced', null],
		['Announced', null],
		['Announced: not collected', null],
		['Announcement failed', null],
		['Cancellation requested', null],
		['Cancelled', null],
		['Unknown status - check carrier track & trace page for more insights', null],
		['Shipment picked up by driver', 'in_transit'],
		['En route to sorting center', 'in_transit'],
		['At sorting centre', 'in_transit'],
		['At customs', 'in_transit'],
		['Parcel en route', 'in_transit'],
		['Driver en route', 'in_transit'],
		['Delivery attempt failed', 'in_transit'],
		['Awaiting customer pickup', 'in_transit'],
		['Delivered', 'received'],
		['Shipment collected by customer', 'received'],
		['Exception', 'lost'],
		['Unable to deliver', 'lost'],
		['Returned to sender', 'lost'],
		['Refused by recipient', 'lost'],
		// Slugs, as the Returns API's parent_parcel_status filter words them.
		['announced-uncollected', null],
		['picked-up-by-driver', 'in_transit'],
		['shipment-on-route', 'in_transit'],
		['collected-by-customer', 'received'],
		['undeliverable', 'lost'],
		// Case and spacing do not matter; what Sendcloud does not document changes nothing.
		['  DELIVERED ', 'received'],
		['Teleported', null],
		['', null]
	] as const)('%j → %s', (status, reception) => {
		expect(receptionFromSendcloud(status)).toBe(reception);
	});
});

describe('verifySendcloudWebhook', () => {
	// Sendcloud's documented example: HMAC-SHA256 of '{"key": "value"}' with the secret "secretkey".
	const body = '{"key": "value"}';
	const signature = '1eed4b3d41f4653ac64fd56f1bf1cbfd349e4482cbc11dff7134bd93e5da4b0a';

	it('accepts the signature Sendcloud documents for its example', () => {
		expect(verifySendcloudWebhook(body, signature, 'secretkey')).toBe(true);
		expect(verifySendcloudWebhook(body, ` ${signature.toUpperCase()} `, 'secretkey')).toBe(true);
	});

	it('refuses a tampered body, another secret, and a missing or malformed signature', () => {
		expect(verifySendcloudWebhook('{"key": "valuf"}', signature, 'secretkey')).toBe(false);
		expect(verifySendcloudWebhook(JSON.stringify({ key: 'value' }), signature, 'secretkey')).toBe(false); // re-serialised: not the bytes signed
		expect(verifySendcloudWebhook(body, signature, 'another-secret')).toBe(false);
		expect(verifySendcloudWebhook(body, null, 'secretkey')).toBe(false);
		expect(verifySendcloudWebhook(body, signature.slice(0, 63), 'secretkey')).toBe(false);
		expect(verifySendcloudWebhook(body, `sha256=${signature}`, 'secretkey')).toBe(false);
		expect(verifySendcloudWebhook(body, 'z'.repeat(64), 'secretkey')).toBe(false);
		expect(verifySendcloudWebhook(body, createHmac('sha256', '').update(body).digest('hex'), '')).toBe(false);
	});
});

describe('parseSendcloudWebhook', () => {
	// Trimmed from Sendcloud's documented ParcelStatusChanged example.
	const example = {
		action: 'parcel_status_changed',
		timestamp: 1_525_271_885_993,
		carrier_status_change_timestamp: 1_525_271_800_000,
		parcel: {
			id: 1,
			name: 'Mr Bob',
			city: 'Eindhoven',
			postal_code: '5611 EM',
			tracking_number: '3SYZXG132912330',
			status: { id: 11, message: 'Delivered' },
			order_number: 'R-7K2P-9QXA'
		}
	};

	it("reads the parcel, its status in Sendcloud's words, its tracking number and when the carrier saw the change", () => {
		expect(parseSendcloudWebhook(JSON.stringify(example))).toEqual({
			parcelId: '1',
			status: 'Delivered',
			trackingNumber: '3SYZXG132912330',
			at: new Date(1_525_271_800_000),
			orderNumber: 'R-7K2P-9QXA'
		});
	});

	it("falls back on Sendcloud's own timestamp, in milliseconds or seconds, and on the status id", () => {
		const noCarrierTime = { ...example, carrier_status_change_timestamp: null, timestamp: 1_525_271_885 };
		expect(parseSendcloudWebhook(JSON.stringify(noCarrierTime))?.at).toEqual(new Date(1_525_271_885_000));
		const idOnly = { ...example, parcel: { ...example.parcel, status: { id: 11 }, tracking_number: '' } };
		expect(parseSendcloudWebhook(JSON.stringify(idOnly))).toMatchObject({ status: '11', trackingNumber: null });
	});

	it('ignores other actions and bodies that are not a parcel status change', () => {
		expect(parseSendcloudWebhook(JSON.stringify({ action: 'integration_connected', timestamp: 1, integration: { id: 1 } }))).toBeNull();
		expect(parseSendcloudWebhook(JSON.stringify({ action: 'return_created', timestamp: 1, data: { id: 42 } }))).toBeNull();
		expect(parseSendcloudWebhook(JSON.stringify({ ...example, parcel: { ...example.parcel, status: undefined } }))).toBeNull();
		expect(parseSendcloudWebhook(JSON.stringify({ ...example, timestamp: 'soon', carrier_status_change_timestamp: undefined }))).toBeNull();
		expect(parseSendcloudWebhook('not json')).toBeNull();
		expect(parseSendcloudWebhook('[]')).toBeNull();
	});
});
