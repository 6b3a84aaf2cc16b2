import { minorToDecimal } from '$lib/money';
import type { Address, LabelInput } from './pdf-label';
import type { Label, LabelProvider } from './provider';
import { receptionFromSendcloud, type Reception } from './tracking';

/**
 * Return labels from Sendcloud's Returns API (v3): the return is validated (no carrier charge), created, waited on
 * until the carrier has announced it, then its label PDF is fetched. Authentication is HTTP Basic with the API
 * integration's public key and secret key. Every request has a timeout; every failure is a SendcloudError that
 * says whether trying again can help (`retryable`) and, for what Sendcloud rejects, which field in words.
 *
 * Sendcloud's webhooks for standalone returns are not guaranteed (its docs promise return-parcel updates only
 * when the outgoing shipment was made through an API shop), so `getReturn` is the polling path for tracking.
 */

export const SENDCLOUD_API_BASE = 'https://panel.sendcloud.sc/api/v3';

export interface SendcloudConfig {
	publicKey: string;
	secretKey: string;
	/** e.g. https://panel.sendcloud.sc/api/v3, or the fake's URL */
	apiBase: string;
	/** Per request; 10 s when unset. */
	timeoutMs?: number;
	/** The return shipping option (`ship_with.shipping_option_code`, from Sendcloud's Shipping options API). */
	shippingOptionCode?: string;
	/** The carrier contract id, required by Sendcloud when the account has more than one for the carrier. */
	contractId?: number;
	brandId?: number;
	/** The parcel weight when the request gives none; 1 kg when unset. */
	defaultWeightKg?: number;
	/** How long to wait for the carrier to announce a created return (its label and tracking number); 15 s. */
	announceWaitMs?: number;
	pollIntervalMs?: number;
}

/**
 * What Sendcloud needs beyond the built-in label's input, all optional: a request with none of it is a LabelInput.
 * Carriers use the email and phone to notify the sender; some need the house number apart from the street.
 */
export interface SendcloudAddress extends Address {
	companyName?: string | null;
	houseNumber?: string | null;
	email?: string | null;
	phone?: string | null;
	/** ISO 3166-2, required by Sendcloud for some countries (US, CA, IT, AU). */
	stateProvinceCode?: string | null;
}

export interface SendcloudItem {
	description: string;
	quantity: number;
	sku?: string;
	/** Integer minor units, as everywhere in Retour. */
	unitPrice?: { amount: number; currency: string };
	weightKg?: number;
	/** Harmonized System code and country of origin: required for returns from outside the EU. */
	hsCode?: string;
	originCountry?: string;
}

export interface SendcloudLabelInput extends LabelInput {
	from: SendcloudAddress;
	to: SendcloudAddress;
	/** The parcel's weight; else the items' weights summed; else the configured default. */
	weightKg?: number;
	/** The parcel's contents as items; else read from `contents` ("2 × Chemise lin" → quantity 2). */
	items?: SendcloudItem[];
}

export interface SendcloudReturnStatus {
	externalId: string;
	parcelId: string | null;
	trackingNumber: string | null;
	trackingUrl: string | null;
	carrier: string | null;
	/** The latest status of the parcel as Sendcloud words it ("Delivered"); null before any. */
	parcelStatus: string | null;
	reception: Reception | null;
	/** True once the carrier has announced the parcel: its label can be downloaded. */
	announced: boolean;
	isCancellable: boolean;
	/** Carrier announcement errors, in Sendcloud's words. */
	errors: string[];
	createdAt: Date | null;
	deliveredAt: Date | null;
}

export class SendcloudError extends Error {
	override readonly name = 'SendcloudError';
	constructor(
		message: string,
		/** The HTTP status Sendcloud answered; null when it did not answer (timeout, network) or was not asked. */
		readonly status: number | null,
		/** Sendcloud's error code when it gave one ("invalid", "required", …), else Retour's ("timeout", "network", …). */
		readonly code: string,
		/** True when the same request may succeed later (429, 5xx, timeouts, network); false when it needs a fix. */
		readonly retryable: boolean,
		readonly extra: { field?: string | null; externalId?: string | null; retryAfterMs?: number | null } = {}
	) {
		super(message);
	}
	/** The request field Sendcloud rejected, e.g. "from_address.postal_code". */
	get field(): string | null {
		return this.extra.field ?? null;
	}
	/** Set when the return was created before the failure: resume with `labelFor` instead of creating it again. */
	get externalId(): string | null {
		return this.extra.externalId ?? null;
	}
	get retryAfterMs(): number | null {
		return this.extra.retryAfterMs ?? null;
	}
}

export type SendcloudLabels = LabelProvider & {
	/** A return's tracking and label state (`GET /returns/{id}`), for polling when no webhook comes. */
	getReturn(id: string): Promise<SendcloudReturnStatus>;
	/** The label of a return already created: waits for its announcement, then fetches the PDF. */
	labelFor(externalId: string): Promise<Label>;
};

/** Null when Sendcloud is not configured (both keys unset): the built-in label is used then. */
export function sendcloudConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SendcloudConfig | null {
	const publicKey = env.SENDCLOUD_PUBLIC_KEY?.trim() || undefined;
	const secretKey = env.SENDCLOUD_SECRET_KEY?.trim() || undefined;
	if (!publicKey && !secretKey) return null;
	if (!publicKey || !secretKey) {
		throw new Error('SENDCLOUD_PUBLIC_KEY and SENDCLOUD_SECRET_KEY go together: set both (Sendcloud → Settings → Integrations → Sendcloud API) or neither.');
	}
	const number = (name: string): number | undefined => {
		const raw = env[name]?.trim();
		if (!raw) return undefined;
		const value = Number(raw);
		if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}".`);
		return value;
	};
	return {
		publicKey,
		secretKey,
		apiBase: (env.SENDCLOUD_API_BASE?.trim() || SENDCLOUD_API_BASE).replace(/\/+$/, ''),
		timeoutMs: number('SENDCLOUD_TIMEOUT_MS'),
		shippingOptionCode: env.SENDCLOUD_SHIPPING_OPTION_CODE?.trim() || undefined,
		contractId: number('SENDCLOUD_CONTRACT_ID'),
		brandId: number('SENDCLOUD_BRAND_ID'),
		defaultWeightKg: number('SENDCLOUD_DEFAULT_WEIGHT_KG')
	};
}

const CANCELLED = new Set(['cancelled', 'cancellation requested', 'cancelled upstream', 'submitting cancellation request']);

export function sendcloudLabels(config: SendcloudConfig, options: { fetch?: typeof fetch } = {}): SendcloudLabels {
	const doFetch = options.fetch ?? globalThis.fetch;
	const base = config.apiBase.replace(/\/+$/, '');
	const timeoutMs = config.timeoutMs ?? 10_000;
	const authorization = `Basic ${Buffer.from(`${config.publicKey}:${config.secretKey}`).toString('base64')}`;

	async function request(method: string, path: string, init: { body?: unknown; accept?: string } = {}): Promise<{ status: number; type: string; bytes: Uint8Array }> {
		const what = `${method} ${path}`;
		const headers: Record<string, string> = { authorization, accept: init.accept ?? 'application/json', 'user-agent': 'Retour (returns portal)' };
		if (init.body !== undefined) headers['content-type'] = 'application/json';
		try {
			const response = await doFetch(`${base}${path}`, {
				method,
				headers,
				body: init.body === undefined ? undefined : JSON.stringify(init.body),
				signal: AbortSignal.timeout(timeoutMs)
			});
			// Read under the same timeout: a body that stalls is as bad as no answer.
			const bytes = new Uint8Array(await response.arrayBuffer());
			if (!response.ok) throw errorFromResponse(response.status, bytes, what, response.headers.get('retry-after'));
			return { status: response.status, type: response.headers.get('content-type') ?? '', bytes };
		} catch (error) {
			if (error instanceof SendcloudError) throw error;
			const name = (error as { name?: string }).name;
			if (name === 'TimeoutError' || name === 'AbortError') {
				throw new SendcloudError(`Sendcloud did not answer within ${formatSeconds(timeoutMs)} (${what}); try again later.`, null, 'timeout', true);
			}
			const cause = (error as { cause?: { code?: string; message?: string } }).cause;
			const reason = cause?.code ?? cause?.message ?? (error as Error).message;
			throw new SendcloudError(`Could not reach Sendcloud at ${base} (${what}): ${reason}; try again later.`, null, 'network', true);
		}
	}

	async function json(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
		const answer = await request(method, path, { body });
		return parseJson(answer.bytes) ?? {};
	}

	async function getReturn(id: string): Promise<SendcloudReturnStatus> {
		const returnId = checkedId(id);
		return returnStatus(returnId, await json('GET', `/returns/${returnId}`));
	}

	/** Waits for the carrier's announcement, then downloads the label as a PDF. */
	async function labelFor(externalId: string, knownParcelId?: string): Promise<Label> {
		const returnId = checkedId(externalId);
		const attach = (error: unknown) =>
			error instanceof SendcloudError && !error.externalId ? new SendcloudError(error.message, error.status, error.code, error.retryable, { ...error.extra, externalId: returnId }) : error;
		try {
			const deadline = Date.now() + (config.announceWaitMs ?? 15_000);
			let state = await getReturn(returnId);
			while (!state.announced || !state.trackingNumber) {
				if (state.errors.length || state.parcelStatus?.toLowerCase() === 'announcement failed') {
					throw new SendcloudError(
						`The carrier refused return ${returnId}: ${state.errors.join('; ') || 'announcement failed'}. Correct the addresses or the shipping option, cancel this return in Sendcloud and create the label again.`,
						null,
						'announcement_failed',
						false
					);
				}
				if (Date.now() >= deadline) {
					throw new SendcloudError(
						`Sendcloud created return ${returnId} but the carrier has not announced it yet (no label or tracking number); fetch its label again later.`,
						null,
						'not_announced',
						true
					);
				}
				await sleep(config.pollIntervalMs ?? 1_000);
				state = await getReturn(returnId);
			}
			const parcelId = knownParcelId ?? state.parcelId;
			if (!parcelId) throw new SendcloudError(`Sendcloud gave no parcel for return ${returnId}, so its label cannot be downloaded.`, null, 'no_parcel', false);
			const document = await request('GET', `/parcels/${parcelId}/documents/label`, { accept: 'application/pdf' });
			if (!isPdf(document.bytes)) {
				throw new SendcloudError(
					`Sendcloud sent the label of return ${returnId} as ${document.type || 'something other than a PDF'}: this carrier's labels cannot be converted; choose a shipping option with PDF labels (SENDCLOUD_SHIPPING_OPTION_CODE).`,
					document.status,
					'not_pdf',
					false
				);
			}
			return {
				provider: 'sendcloud',
				format: 'pdf',
				bytes: document.bytes,
				trackingNumber: state.trackingNumber,
				trackingUrl: state.trackingUrl,
				carrier: state.carrier,
				externalId: returnId
			};
		} catch (error) {
			throw attach(error);
		}
	}

	return {
		name: 'sendcloud',
		getReturn,
		labelFor: (externalId) => labelFor(externalId),

		async createLabel(input: SendcloudLabelInput): Promise<Label> {
			if (!config.shippingOptionCode) {
				throw new SendcloudError(
					'No Sendcloud shipping option is configured for returns: set SENDCLOUD_SHIPPING_OPTION_CODE to a return shipping option code from your Sendcloud account (e.g. "postnl:return/…").',
					null,
					'not_configured',
					false
				);
			}
			const body = returnRequest(input, config);
			let created: Record<string, unknown>;
			try {
				// Validation first: it costs nothing, while a created return can be charged by the carrier.
				await json('POST', '/returns/validate', body);
				created = await json('POST', '/returns', body);
			} catch (error) {
				if (error instanceof SendcloudError && isDuplicateReference(error)) {
					throw new SendcloudError(
						`Sendcloud already has a return for ${input.rma} (its external reference is taken), probably from an earlier attempt whose answer was lost. Find it in Sendcloud's returns overview and cancel it before trying again, or use its label.`,
						error.status,
						'duplicate_return',
						false,
						{ field: 'external_reference' }
					);
				}
				throw error;
			}
			const returnId = idText(created.return_id);
			if (!returnId) throw new SendcloudError(`Sendcloud created a return for ${input.rma} but did not say its id.`, 201, 'bad_response', false);
			return labelFor(returnId, idText(created.parcel_id) ?? undefined);
		},

		async cancelLabel(externalId: string): Promise<void> {
			const returnId = checkedId(externalId);
			try {
				await request('PATCH', `/returns/${returnId}/cancel`);
			} catch (error) {
				if (!(error instanceof SendcloudError) || error.status !== 409) throw error;
				// Not cancellable: fine when it is because it was cancelled already (a retried job).
				const state = await getReturn(returnId);
				if (state.parcelStatus && CANCELLED.has(state.parcelStatus.toLowerCase())) return;
				throw new SendcloudError(
					`Sendcloud cannot cancel return ${returnId}${state.parcelStatus ? ` (its parcel is "${state.parcelStatus}")` : ''}: the parcel has probably been handed to the carrier, or the carrier does not take cancellations.`,
					409,
					'not_cancellable',
					false,
					{ externalId: returnId }
				);
			}
		}
	};
}

/** The body of `POST /returns` and `/returns/validate`. */
export function returnRequest(input: SendcloudLabelInput, config: SendcloudConfig): Record<string, unknown> {
	const items = input.items ?? itemsFromContents(input.contents ?? []);
	const itemsWeight = input.items?.every((i) => i.weightKg) ? input.items.reduce((sum, i) => sum + (i.weightKg ?? 0) * i.quantity, 0) : 0;
	const weightKg = input.weightKg ?? (itemsWeight > 0 ? itemsWeight : (config.defaultWeightKg ?? 1));
	return {
		from_address: address(input.from),
		to_address: address({ ...input.to, companyName: input.to.companyName ?? input.shopName }),
		ship_with: { type: 'shipping_option_code', shipping_option_code: config.shippingOptionCode, ...(config.contractId ? { contract: config.contractId } : {}) },
		weight: { value: Math.round(weightKg * 1000) / 1000, unit: 'kg' },
		collo_count: 1,
		...(items.length ? { parcel_items: items.map(parcelItem) } : {}),
		// Retour tells the customer itself, in the shop's words.
		send_tracking_emails: false,
		...(config.brandId ? { brand_id: config.brandId } : {}),
		order_number: input.rma,
		external_reference: input.rma,
		delivery_option: 'drop_off_point'
	};
}

function address(a: SendcloudAddress): Record<string, string> {
	const fields: Record<string, string | null | undefined> = {
		name: a.name,
		company_name: a.companyName,
		address_line_1: a.line1,
		address_line_2: a.line2,
		house_number: a.houseNumber,
		postal_code: a.postalCode,
		city: a.city,
		country_code: a.country?.toUpperCase(),
		state_province_code: a.stateProvinceCode,
		email: a.email,
		phone_number: a.phone
	};
	return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== '').map(([k, v]) => [k, v.trim()]));
}

function parcelItem(item: SendcloudItem): Record<string, unknown> {
	return {
		description: item.description,
		quantity: item.quantity,
		...(item.sku ? { sku: item.sku } : {}),
		...(item.weightKg ? { weight: { value: item.weightKg, unit: 'kg' } } : {}),
		...(item.unitPrice ? { price: { value: Number(minorToDecimal(item.unitPrice.amount, item.unitPrice.currency)), currency: item.unitPrice.currency.toUpperCase() } } : {}),
		...(item.hsCode ? { hs_code: item.hsCode } : {}),
		...(item.originCountry ? { origin_country: item.originCountry.toUpperCase() } : {})
	};
}

/** "2 × Chemise lin (M)" → 2 of "Chemise lin (M)"; a line without a count is one item. */
export function itemsFromContents(contents: string[]): SendcloudItem[] {
	return contents
		.map((line) => line.trim())
		.filter(Boolean)
		.map((line) => {
			const counted = /^(\d+)\s*[×x*]\s*(.+)$/iu.exec(line);
			return counted ? { description: counted[2].trim(), quantity: Number(counted[1]) } : { description: line, quantity: 1 };
		});
}

function returnStatus(returnId: string, r: Record<string, unknown>): SendcloudReturnStatus {
	const label = record(r.label);
	const labelUrl = text(label?.label_printer) ?? text(r.label_url);
	const history = Array.isArray(r.status_history) ? r.status_history.map(record).filter((h): h is Record<string, unknown> => h !== null) : [];
	// Sorted by time: the list's order is not documented.
	const latest = history
		.map((h, i) => ({ status: text(h.parent_status), at: Date.parse(String(h.carrier_update_timestamp ?? '')), i }))
		.filter((h) => h.status)
		.sort((a, b) => (Number.isNaN(a.at) || Number.isNaN(b.at) ? a.i - b.i : a.at - b.at || a.i - b.i))
		.at(-1);
	const trackingUrl = text(r.tracking_url);
	const errors = Array.isArray(r.errors) ? r.errors.map((e) => errorText(record(e) ?? {}) ?? '').filter(Boolean) : [];
	return {
		externalId: returnId,
		parcelId: labelUrl ? (/\/parcels\/(\d+)\/documents\//.exec(labelUrl)?.[1] ?? null) : null,
		trackingNumber: text(r.tracking_number),
		trackingUrl,
		carrier: carrierOf(r, trackingUrl),
		parcelStatus: latest?.status ?? null,
		reception: latest?.status ? receptionFromSendcloud(latest.status) : null,
		announced: labelUrl !== null,
		isCancellable: r.is_cancellable === true,
		errors,
		createdAt: date(r.created_at),
		deliveredAt: date(r.delivered_at_iso)
	};
}

/** "postnl:standard/return" → "postnl"; else the carrier named in the tracking URL. */
function carrierOf(r: Record<string, unknown>, trackingUrl: string | null): string | null {
	for (const code of [text(record(r.shipping_option)?.code), text(record(r.shipping_product)?.code)]) {
		if (code?.includes(':')) return code.split(':')[0];
	}
	if (!trackingUrl) return null;
	try {
		return new URL(trackingUrl).searchParams.get('carrier');
	} catch {
		return null;
	}
}

/** Sendcloud's request fields in words staff know. */
const FIELD_WORDS: Record<string, string> = {
	from_address: "the customer's address",
	to_address: "the shop's return address",
	name: 'name',
	company_name: 'company name',
	address_line_1: 'street (address line 1)',
	address_line_2: 'address line 2',
	house_number: 'house number',
	postal_code: 'postal code',
	city: 'city',
	country_code: 'country',
	state_province_code: 'state or province',
	email: 'email',
	phone_number: 'phone number',
	ship_with: 'the shipping option (SENDCLOUD_SHIPPING_OPTION_CODE)',
	shipping_option_code: 'code',
	contract: 'contract (SENDCLOUD_CONTRACT_ID)',
	weight: 'the parcel weight',
	parcel_items: 'the parcel contents',
	hs_code: 'HS code',
	origin_country: 'country of origin',
	customs_invoice_nr: 'the customs invoice number',
	external_reference: 'the RMA (external reference)',
	order_number: 'the RMA (order number)',
	brand_id: 'the brand (SENDCLOUD_BRAND_ID)'
};

export function describeField(field: string): string {
	const parts = field.split(/[.[\]/]+/).filter(Boolean);
	const words = parts.map((p) => (/^\d+$/.test(p) ? `item ${Number(p) + 1}` : (FIELD_WORDS[p] ?? p.replace(/_/g, ' '))));
	if (words.length < 2) return words[0] ?? field;
	// "the customer's address" + "postal code" → "the customer's address: postal code"
	return `${words[0]}: ${words.slice(1).join(', ')}`;
}

interface ErrorItem {
	field: string | null;
	code: string | null;
	message: string;
}

/** The shapes Sendcloud answers errors in: `{errors: [{field, code, message}]}`, JSON:API `{errors: [{code, detail, source}]}`, `{error: {code, message}}`, `{detail}`. */
function errorItems(body: Record<string, unknown> | null): ErrorItem[] {
	if (!body) return [];
	if (Array.isArray(body.errors)) {
		return body.errors
			.map(record)
			.filter((e): e is Record<string, unknown> => e !== null)
			.map((e) => {
				const pointer = text(record(e.source)?.pointer);
				return {
					field: text(e.field) ?? (pointer ? pointer.replace(/^\/+/, '').replace(/\//g, '.') : null),
					code: text(e.code) ?? (typeof e.code === 'number' ? String(e.code) : null),
					message: errorText(e) ?? 'rejected'
				};
			});
	}
	const single = record(body.error);
	if (single) return [{ field: text(single.field), code: text(single.code) ?? (typeof single.code === 'number' ? String(single.code) : null), message: errorText(single) ?? 'rejected' }];
	if (typeof body.detail === 'string') return [{ field: null, code: null, message: body.detail }];
	if (Array.isArray(body.detail)) {
		return body.detail.map(record).filter((d): d is Record<string, unknown> => d !== null).map((d) => ({
			field: Array.isArray(d.loc) ? d.loc.filter((p) => p !== 'body').join('.') : null,
			code: text(d.type),
			message: text(d.msg) ?? 'rejected'
		}));
	}
	return [];
}

function errorText(e: Record<string, unknown>): string | null {
	return text(e.message) ?? text(e.detail) ?? text(e.title);
}

function errorFromResponse(status: number, bytes: Uint8Array, what: string, retryAfter: string | null): SendcloudError {
	const items = errorItems(parseJson(bytes));
	const first = items[0];
	const said = items.map((e) => (e.field ? `${describeField(e.field)} (${e.field}): ${e.message}` : e.message)).join('; ');
	if (status === 401) {
		return new SendcloudError(
			'Sendcloud refused the API keys (HTTP 401): check SENDCLOUD_PUBLIC_KEY and SENDCLOUD_SECRET_KEY — the public and secret key of an active Sendcloud API integration (Settings → Integrations).',
			401,
			first?.code ?? 'authentication_failed',
			false
		);
	}
	if (status === 403) {
		return new SendcloudError(`Sendcloud refused access (HTTP 403, ${what})${said ? `: ${said}` : ''}: the API integration is not allowed to manage returns.`, 403, first?.code ?? 'forbidden', false);
	}
	if (status === 408 || status === 429 || status >= 500) {
		const seconds = retryAfter && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : null;
		const why = status === 429 ? 'is limiting the rate of requests' : 'is unavailable';
		return new SendcloudError(`Sendcloud ${why} (HTTP ${status}, ${what}); try again later.`, status, first?.code ?? (status === 429 ? 'rate_limited' : `http_${status}`), true, {
			retryAfterMs: seconds === null ? null : seconds * 1000
		});
	}
	if (status === 404) return new SendcloudError(`Sendcloud does not know ${what.replace(/^\w+ /, '')} (HTTP 404)${said ? `: ${said}` : ''}.`, 404, first?.code ?? 'not_found', false);
	return new SendcloudError(
		`Sendcloud rejected the return (HTTP ${status})${said ? `: ${said}` : ''}${first?.field ? '. Correct it and create the label again.' : '.'}`,
		status,
		first?.code ?? `http_${status}`,
		false,
		{ field: first?.field ?? null }
	);
}

/** Sendcloud's words: "External reference has already been used in another return." */
function isDuplicateReference(error: SendcloudError): boolean {
	if (error.status === null || error.status >= 500) return false;
	return (error.field === 'external_reference' || /external reference/i.test(error.message)) && /already|been used|in use|exists|unique/i.test(error.message);
}

function parseJson(bytes: Uint8Array): Record<string, unknown> | null {
	try {
		return record(JSON.parse(Buffer.from(bytes).toString('utf8')));
	} catch {
		return null;
	}
}

function isPdf(bytes: Uint8Array): boolean {
	return Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';
}

function checkedId(id: string): string {
	const trimmed = String(id).trim();
	if (!/^\d+$/.test(trimmed)) throw new SendcloudError(`"${id}" is not a Sendcloud return id (a number).`, null, 'invalid_id', false);
	return trimmed;
}

function record(value: unknown): Record<string, unknown> | null {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function idText(value: unknown): string | null {
	if (typeof value === 'number' && Number.isInteger(value)) return String(value);
	return text(value);
}

function date(value: unknown): Date | null {
	if (typeof value !== 'string') return null;
	const d = new Date(value);
	return Number.isNaN(d.getTime()) ? null : d;
}

function formatSeconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
