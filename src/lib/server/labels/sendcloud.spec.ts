import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PDFDocument } from 'pdf-lib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSendcloud, type FakeSendcloud } from './fake-sendcloud';
import { returnRequest, SendcloudError, sendcloudConfigFromEnv, sendcloudLabels, type SendcloudConfig, type SendcloudLabelInput } from './sendcloud';
import { parseSendcloudWebhook, receptionFromSendcloud, verifySendcloudWebhook, type SendcloudParcelUpdate } from './tracking';

const input: SendcloudLabelInput = {
	rma: 'R-7K2P-9QXA',
	shopName: 'Maison Lumen',
	to: { name: 'Maison Lumen — Retours', line1: '12 rue des Entrepôts', postalCode: '69007', city: 'Lyon', country: 'FR' },
	from: { name: 'Camille Martin', line1: '3 rue des Lilas', line2: 'Bâtiment B', postalCode: '33000', city: 'Bordeaux', country: 'fr', email: 'camille@example.org' },
	contents: ['2 × Chemise lin (M)', 'Jean slim brut W31/L32'],
	locale: 'fr'
};

let fake: FakeSendcloud;
let config: SendcloudConfig;

beforeEach(async () => {
	fake = await startFakeSendcloud();
	config = { publicKey: fake.publicKey, secretKey: fake.secretKey, apiBase: fake.url, shippingOptionCode: 'colissimo:return/home', timeoutMs: 2_000, pollIntervalMs: 5 };
});
afterEach(() => fake.close());

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<SendcloudError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(SendcloudError);
	return error as SendcloudError;
}

describe('the Sendcloud label provider', () => {
	it('validates, then creates the return and hands back its carrier label as a PDF with tracking', async () => {
		const label = await sendcloudLabels(config).createLabel(input);

		const [created] = fake.returns;
		expect(label).toMatchObject({
			provider: 'sendcloud',
			format: 'pdf',
			trackingNumber: created.trackingNumber,
			carrier: 'colissimo',
			externalId: String(created.id)
		});
		expect(label.externalId).not.toBe(String(created.parcelId));
		expect(label.trackingUrl).toContain(`code=${created.trackingNumber}`);
		expect(Buffer.from(label.bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
		expect((await PDFDocument.load(label.bytes)).getSubject()).toBe(created.trackingNumber);

		expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'POST /returns/validate 200',
			'POST /returns 201',
			`GET /returns/${created.id} 200`,
			`GET /parcels/${created.parcelId}/documents/label 200`
		]);
		const [validated, sent] = fake.requests;
		expect(validated.body).toEqual(sent.body);
		expect(sent.body).toEqual({
			from_address: {
				name: 'Camille Martin',
				address_line_1: '3 rue des Lilas',
				address_line_2: 'Bâtiment B',
				postal_code: '33000',
				city: 'Bordeaux',
				country_code: 'FR',
				email: 'camille@example.org'
			},
			to_address: { name: 'Maison Lumen — Retours', company_name: 'Maison Lumen', address_line_1: '12 rue des Entrepôts', postal_code: '69007', city: 'Lyon', country_code: 'FR' },
			ship_with: { type: 'shipping_option_code', shipping_option_code: 'colissimo:return/home' },
			weight: { value: 1, unit: 'kg' },
			collo_count: 1,
			parcel_items: [
				{ description: 'Chemise lin (M)', quantity: 2 },
				{ description: 'Jean slim brut W31/L32', quantity: 1 }
			],
			send_tracking_emails: false,
			order_number: 'R-7K2P-9QXA',
			external_reference: 'R-7K2P-9QXA',
			delivery_option: 'drop_off_point'
		});
	});

	it("carries the items' prices in major units by the currency's exponent, and their weights as the parcel's", () => {
		const body = returnRequest(
			{
				...input,
				items: [
					{ description: 'Yukata', quantity: 1, unitPrice: { amount: 8900, currency: 'JPY' }, weightKg: 0.4 },
					{ description: 'Chemise', quantity: 2, unitPrice: { amount: 8900, currency: 'eur' }, weightKg: 0.25, hsCode: '6205.20', originCountry: 'pt' }
				]
			},
			{ ...config, contractId: 517, brandId: 3 }
		);
		expect(body.parcel_items).toEqual([
			{ description: 'Yukata', quantity: 1, weight: { value: 0.4, unit: 'kg' }, price: { value: 8900, currency: 'JPY' } },
			{ description: 'Chemise', quantity: 2, weight: { value: 0.25, unit: 'kg' }, price: { value: 89, currency: 'EUR' }, hs_code: '6205.20', origin_country: 'PT' }
		]);
		expect(body).toMatchObject({ weight: { value: 0.9, unit: 'kg' }, ship_with: { contract: 517 }, brand_id: 3 });
	});

	it('names the field Sendcloud rejects, in words, and creates nothing', async () => {
		const error = await failure(sendcloudLabels(config).createLabel({ ...input, from: { ...input.from, postalCode: '3300' } }));
		expect(error).toMatchObject({ status: 400, code: 'invalid', retryable: false, field: 'from_address.postal_code' });
		expect(error.message).toContain("the customer's address: postal code (from_address.postal_code): The postal code you provided is invalid.");
		expect(fake.returns).toHaveLength(0);
		expect(fake.requests.map((r) => r.path)).toEqual(['/returns/validate']);
	});

	it('asks for the parcel contents of a return from outside the EU', async () => {
		const error = await failure(sendcloudLabels(config).createLabel({ ...input, contents: [], from: { ...input.from, postalCode: '10001', city: 'New York', country: 'US' } }));
		expect(error.retryable).toBe(false);
		expect(error.message).toContain('the parcel contents (parcel_items)');
		expect(error.message).toContain('the customs invoice number (customs_invoice_nr)');
	});

	it('says a 503 or a 429 may pass on a later try', async () => {
		fake.script('/returns/validate', { kind: 'error', status: 503 }, { kind: 'error', status: 429 });
		const labels = sendcloudLabels(config);
		expect(await failure(labels.createLabel(input))).toMatchObject({ status: 503, retryable: true });
		const limited = await failure(labels.createLabel(input));
		expect(limited).toMatchObject({ status: 429, retryable: true, retryAfterMs: 1000 });
		expect(fake.returns).toHaveLength(0);
	});

	it('gives up on an answer slower than its timeout, as a retryable timeout', async () => {
		fake.script('/returns/validate', { kind: 'slow', ms: 1_500 });
		const started = Date.now();
		const error = await failure(sendcloudLabels({ ...config, timeoutMs: 150 }).createLabel(input));
		expect(Date.now() - started).toBeLessThan(1_000);
		expect(error).toMatchObject({ status: null, code: 'timeout', retryable: true });
		expect(error.message).toContain('did not answer within 150 ms');
	});

	it('says an unreachable Sendcloud may be reached on a later try', async () => {
		await fake.close();
		const error = await failure(sendcloudLabels(config).createLabel(input));
		expect(error).toMatchObject({ status: null, code: 'network', retryable: true });
		fake = await startFakeSendcloud(); // for afterEach
	});

	it('says the API keys are wrong when Sendcloud answers 401', async () => {
		const error = await failure(sendcloudLabels({ ...config, secretKey: 'not-the-secret' }).createLabel(input));
		expect(error).toMatchObject({ status: 401, retryable: false });
		expect(error.message).toMatch(/refused the API keys.*SENDCLOUD_PUBLIC_KEY and SENDCLOUD_SECRET_KEY/);
		expect(fake.returns).toHaveLength(0);
	});

	it('asks for a shipping option before calling Sendcloud', async () => {
		const error = await failure(sendcloudLabels({ ...config, shippingOptionCode: undefined }).createLabel(input));
		expect(error).toMatchObject({ code: 'not_configured', retryable: false });
		expect(error.message).toContain('SENDCLOUD_SHIPPING_OPTION_CODE');
		expect(fake.requests).toHaveLength(0);
	});

	it('refuses a second return for the same RMA, saying where the first one is', async () => {
		const labels = sendcloudLabels(config);
		await labels.createLabel(input);
		const error = await failure(labels.createLabel(input));
		expect(error).toMatchObject({ code: 'duplicate_return', retryable: false, field: 'external_reference' });
		expect(error.message).toContain('Sendcloud already has a return for R-7K2P-9QXA');
		expect(fake.returns).toHaveLength(1);
	});

	it('waits for the carrier to announce the return before fetching its label', async () => {
		await fake.close();
		fake = await startFakeSendcloud({ announceAfterPolls: 3 });
		const label = await sendcloudLabels({ ...config, apiBase: fake.url }).createLabel(input);
		expect(label.trackingNumber).toBe(fake.returns[0].trackingNumber);
		expect(fake.requests.filter((r) => r.path === `/returns/${fake.returns[0].id}`)).toHaveLength(4);
	});

	it('when the announcement is late, says so with the return id, and fetches the label later with labelFor', async () => {
		await fake.close();
		fake = await startFakeSendcloud({ announceAfterPolls: 3 });
		const impatient = sendcloudLabels({ ...config, apiBase: fake.url, announceWaitMs: 0 });
		const error = await failure(impatient.createLabel(input));
		expect(error).toMatchObject({ code: 'not_announced', retryable: true, externalId: String(fake.returns[0].id) });

		const label = await sendcloudLabels({ ...config, apiBase: fake.url }).labelFor(error.externalId!);
		expect(label).toMatchObject({ externalId: String(fake.returns[0].id), trackingNumber: fake.returns[0].trackingNumber });
		expect(fake.returns).toHaveLength(1);
	});

	it('cancels an unused label, again without complaint, and refuses once the parcel travels', async () => {
		const labels = sendcloudLabels(config);
		const label = await labels.createLabel(input);
		await labels.cancelLabel!(label.externalId!);
		expect(fake.returns[0].status).toBe('Cancelled');
		expect(fake.requests.at(-1)).toMatchObject({ method: 'PATCH', path: `/returns/${label.externalId}/cancel`, status: 202 });
		await labels.cancelLabel!(label.externalId!); // a retried job

		const travelling = await labels.createLabel({ ...input, rma: 'R-2' });
		await fake.advance(travelling.externalId!, 'Shipment picked up by driver');
		const error = await failure(labels.cancelLabel!(travelling.externalId!));
		expect(error).toMatchObject({ status: 409, code: 'not_cancellable', retryable: false });
		expect(error.message).toContain('"Shipment picked up by driver"');
	});

	it("reads a return's tracking as Retour's reception", async () => {
		const labels = sendcloudLabels(config);
		const label = await labels.createLabel(input);
		expect(await labels.getReturn(label.externalId!)).toMatchObject({ parcelStatus: 'Announced', reception: null, announced: true, isCancellable: true, carrier: 'colissimo' });
		await fake.advance(label.externalId!, 'Parcel en route');
		expect(await labels.getReturn(label.externalId!)).toMatchObject({ reception: 'in_transit', isCancellable: false, deliveredAt: null });
		await fake.advance(label.externalId!, 'delivered');
		const delivered = await labels.getReturn(label.externalId!);
		expect(delivered).toMatchObject({ parcelStatus: 'Delivered', reception: 'received', trackingNumber: label.trackingNumber, parcelId: String(fake.returns[0].parcelId) });
		expect(delivered.deliveredAt).toBeInstanceOf(Date);
		expect((await failure(labels.getReturn('999999'))).status).toBe(404);
	});
});

describe("Sendcloud's tracking webhook, end to end", () => {
	/** A receiver as Retour's webhook route would be: verify on the raw body, then parse. */
	async function startReceiver(secretKey: string) {
		const received: SendcloudParcelUpdate[] = [];
		const server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				const signature = req.headers['sendcloud-signature'];
				if (!verifySendcloudWebhook(raw, typeof signature === 'string' ? signature : null, secretKey)) {
					res.writeHead(401).end();
					return;
				}
				const update = parseSendcloudWebhook(raw);
				if (update) received.push(update);
				res.writeHead(update ? 200 : 400).end();
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return {
			url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/sendcloud`,
			received,
			close: () => new Promise<void>((resolve) => server.close(() => resolve()))
		};
	}

	it("delivers signed status changes that match the label by tracking number and read as Retour's reception", async () => {
		const label = await sendcloudLabels(config).createLabel(input);
		const receiver = await startReceiver(fake.secretKey);
		try {
			expect(await fake.advance(label.externalId!, 'Shipment picked up by driver', receiver.url)).toBe(200);
			expect(await fake.advance(label.externalId!, 'Delivered', receiver.url)).toBe(200);
			expect(receiver.received.map((u) => [u.trackingNumber, u.status, receptionFromSendcloud(u.status)])).toEqual([
				[label.trackingNumber, 'Shipment picked up by driver', 'in_transit'],
				[label.trackingNumber, 'Delivered', 'received']
			]);
			expect(receiver.received[1]).toMatchObject({ parcelId: String(fake.returns[0].parcelId), orderNumber: input.rma });
			expect(receiver.received[1].at.getTime()).toBeGreaterThan(receiver.received[0].at.getTime());
		} finally {
			await receiver.close();
		}
	});

	it('is refused by a receiver that holds another secret', async () => {
		const label = await sendcloudLabels(config).createLabel(input);
		const receiver = await startReceiver('someone-elses-secret');
		try {
			expect(await fake.advance(label.externalId!, 'Delivered', receiver.url)).toBe(401);
			expect(receiver.received).toEqual([]);
		} finally {
			await receiver.close();
		}
	});
});

describe('sendcloudConfigFromEnv', () => {
	it("is null without keys, defaults to Sendcloud's production API, and reads the options", () => {
		expect(sendcloudConfigFromEnv({})).toBeNull();
		expect(sendcloudConfigFromEnv({ SENDCLOUD_PUBLIC_KEY: 'pk', SENDCLOUD_SECRET_KEY: 'sk' })).toMatchObject({
			publicKey: 'pk',
			secretKey: 'sk',
			apiBase: 'https://panel.sendcloud.sc/api/v3'
		});
		expect(
			sendcloudConfigFromEnv({
				SENDCLOUD_PUBLIC_KEY: 'pk',
				SENDCLOUD_SECRET_KEY: 'sk',
				SENDCLOUD_API_BASE: 'http://127.0.0.1:9/api/v3/',
				SENDCLOUD_SHIPPING_OPTION_CODE: 'postnl:return/small',
				SENDCLOUD_CONTRACT_ID: '517',
				SENDCLOUD_TIMEOUT_MS: '5000'
			})
		).toMatchObject({ apiBase: 'http://127.0.0.1:9/api/v3', shippingOptionCode: 'postnl:return/small', contractId: 517, timeoutMs: 5000 });
	});

	it('refuses one key without the other, and a weight that is not a number', () => {
		expect(() => sendcloudConfigFromEnv({ SENDCLOUD_PUBLIC_KEY: 'pk' })).toThrow(/go together/);
		expect(() => sendcloudConfigFromEnv({ SENDCLOUD_PUBLIC_KEY: 'pk', SENDCLOUD_SECRET_KEY: 'sk', SENDCLOUD_DEFAULT_WEIGHT_KG: 'heavy' })).toThrow(/SENDCLOUD_DEFAULT_WEIGHT_KG/);
	});
});
