import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { sendcloudStatusSlug } from './tracking';

/**
 * A local stand-in for the part of Sendcloud's API v3 that Retour uses, for tests: the Returns API (validate,
 * create, retrieve, cancel), the parcel label document, and the signed `parcel_status_changed` webhook. It checks
 * HTTP Basic auth and validates returns as Sendcloud documents them, answering errors in Sendcloud's shape
 * (`{errors: [{field, code, message}]}`). Outages and slowness are scripted per path; every request is recorded.
 *
 * The base URL ends in /api/v3 like the real one. Return ids and parcel ids are deliberately different numbers,
 * as they are at Sendcloud, so code that confuses them fails here.
 */

export type FakeFate = { kind: 'error'; status: number; body?: unknown } | { kind: 'slow'; ms: number };

export interface FakeStatusChange {
	id: number;
	message: string;
	at: Date;
}

export interface FakeReturn {
	id: number;
	parcelId: number;
	/** The request body it was created from. */
	request: Record<string, unknown>;
	trackingNumber: string;
	trackingUrl: string;
	carrier: string;
	createdAt: Date;
	/** The parcel's current status, as Sendcloud words it ("Announced", "Delivered"). */
	status: string;
	history: FakeStatusChange[];
	/** How many more GETs answer it unannounced (no label or tracking number) before the carrier "announces" it. */
	pendingPolls: number;
}

export interface FakeSendcloud {
	/** The apiBase to configure. */
	url: string;
	publicKey: string;
	secretKey: string;
	readonly returns: FakeReturn[];
	/** Paths are relative to `url`; status 0 when the client gave up before the answer. */
	readonly requests: { method: string; path: string; body: unknown; status: number }[];
	/**
	 * The next requests whose path starts with `pathPrefix` (optionally preceded by a method: "POST /returns") meet
	 * these fates in turn, before authentication: an HTTP error, or a delay before the normal answer.
	 */
	script(pathPrefix: string, ...fates: FakeFate[]): void;
	/** Moves a return's parcel to a tracking status and POSTs Sendcloud's signed webhook to `webhookUrl` if given; returns the receiver's status. */
	advance(externalId: string, status: string, webhookUrl?: string): Promise<number | null>;
	close(): Promise<void>;
}

/**
 * The parcel statuses Sendcloud documents, with an id each for the webhook's `status.id` (Sendcloud's own ids where
 * integrations show them, e.g. 11 Delivered; the docs do not list them). Accepted by words or slug.
 */
const STATUSES: [number, string][] = [
	[1000, 'Ready to send'],
	[1001, 'Being announced'],
	[1002, 'Announcement failed'],
	[1, 'Announced'],
	[13, 'Announced: not collected'],
	[15, 'Error collecting'],
	[22, 'Shipment picked up by driver'],
	[3, 'En route to sorting center'],
	[62990, 'At sorting centre'],
	[7, 'Being sorted'],
	[5, 'Sorted'],
	[6, 'Not sorted'],
	[62989, 'At customs'],
	[91, 'Parcel en route'],
	[92, 'Driver en route'],
	[4, 'Delivery delayed'],
	[8, 'Delivery attempt failed'],
	[12, 'Awaiting customer pickup'],
	[11, 'Delivered'],
	[93, 'Shipment collected by customer'],
	[80, 'Unable to deliver'],
	[62991, 'Refused by recipient'],
	[62992, 'Returned to sender'],
	[62996, 'Exception'],
	[62997, 'Address invalid'],
	[1999, 'Cancellation requested'],
	[1998, 'Cancelled upstream'],
	[2000, 'Cancelled']
];
const STATUS_BY_SLUG = new Map(STATUSES.map(([id, message]) => [sendcloudStatusSlug(message), { id, message }]));
const CANCELLABLE = new Set(['Ready to send', 'Being announced', 'Announced', 'Announced: not collected']);

const EU = new Set('AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE'.split(' '));
const POSTAL_CODES: Record<string, RegExp> = {
	FR: /^\d{5}$/,
	DE: /^\d{5}$/,
	ES: /^\d{5}$/,
	IT: /^\d{5}$/,
	NL: /^\d{4} ?[A-Z]{2}$/i,
	BE: /^\d{4}$/,
	AT: /^\d{4}$/,
	LU: /^(L-)?\d{4}$/i
};
const WEIGHT_UNITS = ['kg', 'g', 'lbs', 'oz'];
const API_PREFIX = '/api/v3';

type ErrorItem = { field: string; code: string; message: string };

export async function startFakeSendcloud(options: { publicKey?: string; secretKey?: string; announceAfterPolls?: number } = {}): Promise<FakeSendcloud> {
	const publicKey = options.publicKey ?? 'fake-public-key';
	const secretKey = options.secretKey ?? 'fake-secret-key';
	const expectedAuth = `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`;
	const returns: FakeReturn[] = [];
	const requests: FakeSendcloud['requests'] = [];
	const scripts: { prefix: string; fates: FakeFate[] }[] = [];
	const timers = new Set<NodeJS.Timeout>();
	let nextReturn = 7001;
	let nextParcel = 90_001;
	let url = '';

	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			let body: unknown = null;
			let badJson = false;
			if (raw.trim() !== '') {
				try {
					body = JSON.parse(raw);
				} catch {
					body = raw;
					badJson = true;
				}
			}
			const method = req.method ?? 'GET';
			const fullPath = (req.url ?? '/').split('?')[0];
			const path = fullPath.startsWith(API_PREFIX) ? fullPath.slice(API_PREFIX.length) || '/' : fullPath;
			const record = { method, path, body, status: 0 };
			requests.push(record);
			const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
				if (res.destroyed || res.writableEnded) return;
				record.status = status;
				if (payload instanceof Uint8Array) {
					res.writeHead(status, { 'content-type': 'application/pdf', 'content-length': payload.byteLength, ...headers });
					return res.end(payload);
				}
				const text = payload === undefined ? '' : JSON.stringify(payload);
				res.writeHead(status, { 'content-type': 'application/json', ...headers });
				res.end(text);
			};

			const handle = () => {
				if (res.destroyed) return;
				if (!fullPath.startsWith(`${API_PREFIX}/`)) return send(404, { detail: 'Not found.' });
				if (req.headers.authorization !== expectedAuth) {
					return send(401, { errors: [{ code: 'authentication_failed', message: 'Invalid username/password.' }] }, { 'www-authenticate': 'Basic realm="api"' });
				}
				if (badJson) return send(400, { errors: [{ field: 'non_field_errors', code: 'invalid', message: 'JSON parse error.' }] });
				route(method, path, body, send).catch((error) => send(500, { errors: [{ code: 'server_error', message: String(error) }] }));
			};

			const fate = nextFate(method, path);
			if (!fate) return handle();
			if (fate.kind === 'error') {
				const payload = fate.body ?? { errors: [{ code: fate.status === 429 ? 'throttled' : 'server_error', message: `Scripted ${fate.status}.` }] };
				return send(fate.status, payload, fate.status === 429 ? { 'retry-after': '1' } : {});
			}
			const timer = setTimeout(() => {
				timers.delete(timer);
				handle();
			}, fate.ms);
			timers.add(timer);
		});
	});

	function nextFate(method: string, path: string): FakeFate | undefined {
		for (const s of scripts) {
			const [m, p] = /^[A-Z]+ /.test(s.prefix) ? [s.prefix.split(' ')[0], s.prefix.slice(s.prefix.indexOf(' ') + 1)] : [null, s.prefix];
			if (s.fates.length && (m === null || m === method) && path.startsWith(p)) return s.fates.shift();
		}
		return undefined;
	}

	async function route(method: string, path: string, body: unknown, send: (status: number, payload: unknown, headers?: Record<string, string>) => void) {
		let m: RegExpExecArray | null;
		if (method === 'POST' && path === '/returns/validate') {
			const errors = validateReturn(body);
			return errors.length ? send(400, { errors }) : send(200, body);
		}
		if (method === 'POST' && (path === '/returns' || path === '/returns/announce-synchronously')) {
			const errors = validateReturn(body);
			if (errors.length) return send(400, { errors });
			const created = createReturn(body as Record<string, unknown>);
			return send(201, { return_id: created.id, parcel_id: created.parcelId, multi_collo_ids: [] });
		}
		if (method === 'GET' && (m = /^\/returns\/(\d+)$/.exec(path))) {
			const r = returns.find((x) => x.id === Number(m![1]));
			if (!r) return send(404, { detail: 'Not found.' });
			if (r.pendingPolls > 0) r.pendingPolls--;
			else if (r.status === 'Ready to send') move(r, 'Announced');
			return send(200, returnObject(r));
		}
		if (method === 'PATCH' && (m = /^\/returns\/(\d+)\/cancel$/.exec(path))) {
			const r = returns.find((x) => x.id === Number(m![1]));
			if (!r) return send(404, { detail: 'Not found.' });
			if (!CANCELLABLE.has(r.status)) return send(409, { errors: [{ field: 'returns', code: 409, message: 'Return is not cancellable.' }] });
			move(r, 'Cancellation requested');
			move(r, 'Cancelled');
			return send(202, { message: 'Cancellation requested successfully' });
		}
		if (method === 'GET' && (m = /^\/parcels\/(\d+)\/documents\/label$/.exec(path))) {
			const r = returns.find((x) => x.parcelId === Number(m![1]));
			if (!r) return send(404, { errors: [{ code: 'not_found', message: 'Parcel not found.' }] });
			if (!r.history.some((h) => h.message === 'Announced')) return send(404, { errors: [{ code: 'not_found', message: 'The label is not available yet.' }] });
			return send(200, await labelPdf(r));
		}
		send(404, { detail: 'Not found.' });
	}

	function createReturn(request: Record<string, unknown>): FakeReturn {
		const shipWith = request.ship_with as Record<string, unknown>;
		const code = String(shipWith.shipping_option_code ?? shipWith.shipping_product_code);
		const carrier = code.split(':')[0];
		const n = returns.length + 1;
		const trackingNumber = `3SFAKE${String(n).padStart(8, '0')}`;
		const from = request.from_address as Record<string, string>;
		const to = request.to_address as Record<string, string>;
		const createdAt = new Date();
		const trackingUrl =
			`https://tracking.eu-central-1-0.sendcloud.sc/forward?carrier=${encodeURIComponent(carrier)}&code=${trackingNumber}` +
			`&destination=${to.country_code}&lang=en-gb&source=${from.country_code}&type=parcel&verification=${encodeURIComponent(to.postal_code)}&created_at=${createdAt.toISOString().slice(0, 10)}`;
		const r: FakeReturn = {
			id: nextReturn++,
			parcelId: nextParcel++,
			request,
			trackingNumber,
			trackingUrl,
			carrier,
			createdAt,
			status: 'Ready to send',
			history: [{ id: 1000, message: 'Ready to send', at: createdAt }],
			pendingPolls: options.announceAfterPolls ?? 0
		};
		if (r.pendingPolls === 0) move(r, 'Announced');
		returns.push(r);
		return r;
	}

	function move(r: FakeReturn, status: string): FakeStatusChange {
		const known = STATUS_BY_SLUG.get(sendcloudStatusSlug(status));
		if (!known) throw new Error(`Fake Sendcloud: unknown parcel status "${status}" (known: ${STATUSES.map((s) => s[1]).join(', ')})`);
		// Strictly later than the previous change, so the history has an order.
		const last = r.history.at(-1)?.at.getTime() ?? 0;
		const change = { ...known, at: new Date(Math.max(Date.now(), last + 1)) };
		r.history.push(change);
		r.status = known.message;
		return change;
	}

	function returnObject(r: FakeReturn): Record<string, unknown> {
		const announced = r.history.some((h) => h.message === 'Announced');
		const labelUrl = `${url}/parcels/${r.parcelId}/documents/label`;
		const delivered = r.history.find((h) => h.message === 'Delivered' || h.message === 'Shipment collected by customer');
		const q = r.request;
		const shipWith = q.ship_with as Record<string, unknown>;
		return {
			from_address: q.from_address,
			to_address: q.to_address,
			shipping_product: { code: `${r.carrier}:return` },
			shipping_option: { code: (shipWith.shipping_option_code as string | undefined) ?? null },
			dimensions: q.dimensions ?? null,
			weight: q.weight,
			collo_count: q.collo_count ?? 1,
			parcel_items: q.parcel_items ?? [],
			send_tracking_emails: q.send_tracking_emails ?? false,
			brand_id: q.brand_id ?? null,
			label_url: announced ? labelUrl : null,
			label: announced ? { normal_printer: Array(4).fill(`${labelUrl}?paper_size=a4`), label_printer: labelUrl } : null,
			label_cost: { value: 4.95, currency: 'EUR' },
			insurance: false,
			tracking_number: announced ? r.trackingNumber : null,
			tracking_url: announced ? r.trackingUrl : null,
			is_cancellable: CANCELLABLE.has(r.status),
			status_history: r.history.map((h, i) => ({
				carrier_update_timestamp: h.at.toISOString(),
				parcel_status_history_id: String(i + 1),
				parent_status: h.message,
				carrier_code: r.carrier,
				carrier_message: h.message
			})),
			created_at: r.createdAt.toISOString(),
			delivered_at: delivered ? delivered.at.getTime() : null,
			delivered_at_iso: delivered ? delivered.at.toISOString() : null,
			reason: null,
			refund: null,
			return_fee: null,
			order_number: q.order_number ?? '',
			contract: shipWith.contract ?? null,
			customs_invoice_nr: q.customs_invoice_nr ?? null,
			customs_shipment_type: null,
			delivery_option: q.delivery_option ?? null,
			images: [],
			status: 'open',
			customs_information: q.customs_information ?? null,
			errors: []
		};
	}

	function validateReturn(body: unknown): ErrorItem[] {
		if (!isRecord(body)) return [{ field: 'non_field_errors', code: 'invalid', message: 'Invalid data. Expected a dictionary.' }];
		const errors: ErrorItem[] = [];
		const required = (field: string) => errors.push({ field, code: 'required', message: 'This field is required.' });
		for (const field of ['from_address', 'to_address']) {
			const a = body[field];
			if (!isRecord(a)) {
				required(field);
				continue;
			}
			for (const f of ['name', 'address_line_1', 'postal_code', 'city', 'country_code']) if (!filled(a[f])) required(`${field}.${f}`);
			const country = typeof a.country_code === 'string' ? a.country_code : '';
			if (filled(country) && !/^[A-Z]{2}$/.test(country)) errors.push({ field: `${field}.country_code`, code: 'invalid_choice', message: `"${country}" is not a valid choice.` });
			const postal = POSTAL_CODES[country];
			if (postal && filled(a.postal_code) && !postal.test(String(a.postal_code).trim())) {
				errors.push({ field: `${field}.postal_code`, code: 'invalid', message: 'The postal code you provided is invalid.' });
			}
			if (filled(a.email) && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(a.email))) errors.push({ field: `${field}.email`, code: 'invalid', message: 'Enter a valid email address.' });
		}
		const shipWith = body.ship_with;
		if (!isRecord(shipWith)) required('ship_with');
		else {
			const type = shipWith.type ?? 'shipping_product_code';
			if (type !== 'shipping_option_code' && type !== 'shipping_product_code') errors.push({ field: 'ship_with.type', code: 'invalid_choice', message: `"${String(type)}" is not a valid choice.` });
			else if (!filled(shipWith[type])) required(`ship_with.${type}`);
			else if (!/^[a-z0-9_]+:\S+$/.test(String(shipWith[type]))) errors.push({ field: `ship_with.${type}`, code: 'invalid', message: `Unknown ${type.replace(/_/g, ' ')} "${String(shipWith[type])}".` });
		}
		const weight = body.weight;
		if (!isRecord(weight)) required('weight');
		else {
			if (typeof weight.value !== 'number' || !(weight.value > 0)) errors.push({ field: 'weight.value', code: 'min_value', message: 'Ensure this value is greater than 0.' });
			if (!WEIGHT_UNITS.includes(String(weight.unit))) errors.push({ field: 'weight.unit', code: 'invalid_choice', message: `"${String(weight.unit)}" is not a valid choice.` });
		}
		if (body.collo_count !== undefined && !(Number.isInteger(body.collo_count) && (body.collo_count as number) >= 1)) {
			errors.push({ field: 'collo_count', code: 'min_value', message: 'Ensure this value is greater than or equal to 1.' });
		}
		const from = isRecord(body.from_address) ? String(body.from_address.country_code ?? '') : '';
		const outsideEu = /^[A-Z]{2}$/.test(from) && !EU.has(from);
		const items = body.parcel_items;
		if (items !== undefined && !Array.isArray(items)) errors.push({ field: 'parcel_items', code: 'not_a_list', message: 'Expected a list of items.' });
		else if (outsideEu && (!Array.isArray(items) || items.length === 0)) errors.push({ field: 'parcel_items', code: 'required', message: 'This field is required for returns from outside the EU.' });
		if (Array.isArray(items)) {
			items.forEach((item, i) => {
				if (!isRecord(item)) return errors.push({ field: `parcel_items.${i}`, code: 'invalid', message: 'Invalid data. Expected a dictionary.' });
				if (!(Number.isInteger(item.quantity) && (item.quantity as number) >= 1)) errors.push({ field: `parcel_items.${i}.quantity`, code: 'min_value', message: 'Ensure this value is greater than or equal to 1.' });
				if (outsideEu) for (const f of ['hs_code', 'origin_country']) if (!filled(item[f])) errors.push({ field: `parcel_items.${i}.${f}`, code: 'required', message: "This field is required if it's an international return." });
			});
		}
		if (outsideEu && !filled(body.customs_invoice_nr)) errors.push({ field: 'customs_invoice_nr', code: 'required', message: "This field is required if it's an international return." });
		const reference = body.external_reference;
		if (filled(reference) && returns.some((r) => r.request.external_reference === reference && r.status !== 'Cancelled')) {
			errors.push({ field: 'external_reference', code: 'invalid', message: 'External reference has already been used in another return.' });
		}
		return errors;
	}

	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${API_PREFIX}`;

	return {
		url,
		publicKey,
		secretKey,
		returns,
		requests,
		script(pathPrefix, ...fates) {
			const existing = scripts.find((s) => s.prefix === pathPrefix);
			if (existing) existing.fates.push(...fates);
			else scripts.push({ prefix: pathPrefix, fates: [...fates] });
		},
		async advance(externalId, status, webhookUrl) {
			const r = returns.find((x) => String(x.id) === String(externalId));
			if (!r) throw new Error(`Fake Sendcloud: no return ${externalId}`);
			const change = move(r, status);
			if (!webhookUrl) return null;
			const rawBody = JSON.stringify(parcelStatusChanged(r, change));
			const signature = createHmac('sha256', secretKey).update(rawBody, 'utf8').digest('hex');
			const response = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'sendcloud-signature': signature }, body: rawBody });
			await response.arrayBuffer();
			return response.status;
		},
		async close() {
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}

/** The `parcel_status_changed` webhook body, as Sendcloud documents it; for a return, the parcel goes to the shop. */
function parcelStatusChanged(r: FakeReturn, change: FakeStatusChange): Record<string, unknown> {
	const to = r.request.to_address as Record<string, string>;
	const weight = r.request.weight as { value: number; unit: string };
	const labelUrl = `/parcels/${r.parcelId}/documents/label`;
	return {
		action: 'parcel_status_changed',
		timestamp: Date.now(),
		carrier_status_change_timestamp: change.at.getTime(),
		parcel: {
			id: r.parcelId,
			name: to.name,
			company_name: to.company_name ?? '',
			address: [to.address_line_1, to.house_number].filter(Boolean).join(' '),
			address_divided: { street: to.address_line_1, house_number: to.house_number ?? '' },
			city: to.city,
			postal_code: to.postal_code,
			telephone: to.phone_number ?? '',
			email: to.email ?? '',
			date_created: r.createdAt.toISOString().slice(0, 19),
			tracking_number: r.trackingNumber,
			weight: (weight.unit === 'g' ? weight.value / 1000 : weight.value).toFixed(3),
			label: { normal_printer: [`${labelUrl}?paper_size=a4`], label_printer: labelUrl },
			customs_declaration: {},
			status: { id: change.id, message: change.message },
			data: {},
			country: { iso_2: to.country_code },
			shipment: { id: 1, name: String((r.request.ship_with as Record<string, unknown>).shipping_option_code ?? '') },
			order_number: String(r.request.order_number ?? ''),
			shipment_uuid: `00000000-0000-4000-8000-${String(r.parcelId).padStart(12, '0')}`,
			external_order_id: String(r.request.order_number ?? ''),
			external_shipment_id: String(r.request.external_reference ?? '')
		}
	};
}

/** A one-page A6 label with the carrier, the tracking number and both addresses, like a carrier's. */
async function labelPdf(r: FakeReturn): Promise<Uint8Array> {
	const pdf = await PDFDocument.create();
	pdf.setTitle(`Return label ${r.trackingNumber}`);
	pdf.setSubject(r.trackingNumber);
	pdf.setCreator('Fake Sendcloud');
	pdf.setCreationDate(new Date(0));
	pdf.setModificationDate(new Date(0));
	const page = pdf.addPage([297.64, 419.53]);
	const font = await pdf.embedFont(StandardFonts.Helvetica);
	const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
	const latin = (s: unknown) => String(s ?? '').replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
	let y = 390;
	const line = (s: unknown, size = 10, f = font) => {
		page.drawText(latin(s), { x: 18, y, size, font: f });
		y -= size * 1.4;
	};
	const address = (a: Record<string, string>) => {
		line(a.name, 10, bold);
		line([a.address_line_1, a.house_number].filter(Boolean).join(' '));
		if (a.address_line_2) line(a.address_line_2);
		line(`${a.postal_code} ${a.city} ${a.country_code}`);
	};
	line(r.carrier.toUpperCase(), 16, bold);
	line(r.trackingNumber, 14, bold);
	y -= 8;
	line('TO', 7, bold);
	address(r.request.to_address as Record<string, string>);
	y -= 8;
	line('FROM', 7, bold);
	address(r.request.from_address as Record<string, string>);
	y -= 8;
	line(`Ref. ${latin(r.request.external_reference)}`, 9);
	return pdf.save();
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function filled(value: unknown): boolean {
	return typeof value === 'string' ? value.trim() !== '' : value !== undefined && value !== null;
}
