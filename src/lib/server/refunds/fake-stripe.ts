import { createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve as resolvePath } from 'node:path';

/**
 * A local stand-in for the part of Stripe's v1 HTTP API that Retour uses (refunds, Checkout Sessions, and the
 * payment intents and charges behind them), for tests that drive the real `stripe` SDK:
 * `new Stripe(fake.apiKey, { host: fake.host, port: fake.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false })`.
 *
 * It keeps Stripe's idempotency rules (https://docs.stripe.com/api/idempotent_requests): the first result of a POST
 * is saved under its Idempotency-Key (scoped to the API key) once execution begins, including 500s, and replayed with
 * `Idempotent-Replayed: true`; the same key with other parameters or on another endpoint is a 400 idempotency_error;
 * a key whose first request is still running is a 409 `idempotency_key_in_use`; parameter errors are not saved.
 * Scripted fates make a request fail the way networks and servers do (see {@link Fate}).
 *
 * Mind the SDK: stripe-node puts an Idempotency-Key on every POST and retries a closed connection (ECONNRESET) once
 * even with `maxNetworkRetries: 0`. One `drop` is therefore invisible to the app (the retry replays the saved
 * result); script two to make the SDK throw StripeConnectionError.
 */

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export type Fate =
	/** Stripe answers an api_error without executing; for a request that would have executed, the 500 is saved under its key. */
	| { kind: 'error'; status: 500 | 502 | 503 }
	/** Executes at once (the refund exists), but answers after `ms`; the key stays in use (409) until then. */
	| { kind: 'slow'; ms: number }
	/** Executes and saves the result, then destroys the socket without answering. */
	| { kind: 'drop' };

export interface FakeRequest {
	method: string;
	path: string;
	query: FormObject;
	idempotencyKey: string | null;
	/** The form body, nested as Stripe reads it: `metadata[x]` → `{ metadata: { x } }`, `line_items[0][…]` → an array. */
	body: FormObject;
	/** The status the fake answered (or would have, for a dropped request); 0 until decided. */
	status: number;
	replayed: boolean;
	fate: Fate['kind'] | null;
}

export type RefundReason = 'duplicate' | 'fraudulent' | 'requested_by_customer';

export interface StripeRefund {
	id: string;
	object: 'refund';
	amount: number;
	balance_transaction: string | null;
	charge: string;
	created: number;
	currency: string;
	description: string | null;
	destination_details: { type: 'card'; card: { type: 'refund' | 'reversal' } };
	failure_balance_transaction?: string;
	failure_reason?: string;
	metadata: Record<string, string>;
	payment_intent: string | null;
	reason: RefundReason | null;
	receipt_number: string | null;
	source_transfer_reversal: string | null;
	status: 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';
	transfer_reversal: string | null;
}

export interface StripeCheckoutLineItem {
	currency: string;
	unit_amount: number;
	quantity: number;
	name: string;
}

export interface StripeCheckoutSession {
	id: string;
	object: 'checkout.session';
	after_expiration: null;
	allow_promotion_codes: boolean | null;
	amount_subtotal: number;
	amount_total: number;
	automatic_tax: { enabled: boolean; liability: null; status: null };
	billing_address_collection: string | null;
	cancel_url: string | null;
	client_reference_id: string | null;
	client_secret: null;
	consent: null;
	consent_collection: null;
	created: number;
	currency: string;
	custom_fields: unknown[];
	custom_text: { after_submit: null; shipping_address: null; submit: null; terms_of_service_acceptance: null };
	customer: string | null;
	customer_creation: 'if_required' | 'always' | null;
	customer_details: { email: string | null; name: string | null; phone: string | null; address: null; tax_exempt: 'none'; tax_ids: unknown[] } | null;
	customer_email: string | null;
	expires_at: number;
	invoice: null;
	livemode: false;
	locale: string | null;
	metadata: Record<string, string>;
	mode: 'payment';
	payment_intent: string | null;
	payment_link: null;
	payment_method_collection: 'if_required' | 'always' | null;
	payment_method_options: Record<string, unknown>;
	payment_method_types: string[];
	payment_status: 'paid' | 'unpaid' | 'no_payment_required';
	phone_number_collection: { enabled: boolean };
	recovered_from: null;
	setup_intent: null;
	shipping_address_collection: null;
	shipping_cost: null;
	shipping_details: null;
	shipping_options: unknown[];
	status: 'open' | 'complete' | 'expired';
	submit_type: string | null;
	subscription: null;
	success_url: string | null;
	total_details: { amount_discount: number; amount_shipping: number; amount_tax: number };
	ui_mode: 'hosted';
	url: string | null;
}

export interface StripePaymentIntent {
	id: string;
	object: 'payment_intent';
	amount: number;
	amount_capturable: number;
	amount_received: number;
	capture_method: 'automatic' | 'automatic_async' | 'manual';
	client_secret: string;
	confirmation_method: 'automatic' | 'manual';
	created: number;
	currency: string;
	customer: string | null;
	description: string | null;
	latest_charge: string;
	livemode: false;
	metadata: Record<string, string>;
	payment_method: string;
	payment_method_types: string[];
	status: 'succeeded';
}

export interface StripeCharge {
	id: string;
	object: 'charge';
	amount: number;
	amount_captured: number;
	amount_refunded: number;
	balance_transaction: string;
	captured: boolean;
	created: number;
	currency: string;
	customer: string | null;
	description: string | null;
	disputed: boolean;
	livemode: false;
	metadata: Record<string, string>;
	paid: boolean;
	payment_intent: string;
	payment_method: string;
	refunded: boolean;
	status: 'succeeded';
}

export interface FakeStripe {
	/** http://127.0.0.1:<port> */
	url: string;
	host: string;
	port: number;
	/** The key it accepts (Bearer sk_test_…); others get Stripe's 401. */
	apiKey: string;
	/** whsec_… */
	webhookSecret: string;
	/** When set, paying on the fake's checkout page first delivers `checkout.session.completed` here (awaited before the redirect). */
	webhookUrl: string | null;
	/** A paid PaymentIntent with its Charge, as a shop's order would have. */
	addPayment(input: { amount: number; currency: string; id?: string; metadata?: Record<string, string> }): { paymentIntentId: string; chargeId: string };
	/** Every request received, in order. */
	readonly requests: FakeRequest[];
	/** Refund objects made so far (as Stripe would return them now), oldest first. */
	readonly refunds: StripeRefund[];
	readonly checkoutSessions: StripeCheckoutSession[];
	/**
	 * Scripts the fate of the next requests to `path`, in order. A bare path ('/v1/refunds') means its POSTs;
	 * prefix a method for others ('GET /v1/refunds'). A fate is used up by the next such request that gets past
	 * authentication, whatever it turns out to be (a new execution, a replay, a 409 or a 400).
	 */
	script(path: string, ...fates: Fate[]): void;
	/** Builds a signed event and POSTs it to `url` like Stripe does; returns what the receiver answered. */
	deliver(url: string, type: string, object: Record<string, unknown>, options?: { eventId?: string; created?: number }): Promise<{ status: number; body: string; eventId: string }>;
	/** Builds the event and its Stripe-Signature header without sending (for tests that POST themselves). */
	signedEvent(type: string, object: Record<string, unknown>, options?: { eventId?: string; timestamp?: number; created?: number }): { payload: string; signature: string; eventId: string };
	/** Marks a refund as failed later (as a bank would), returning the updated refund; the charge gets the amount back. */
	failRefund(refundId: string, reason?: string): StripeRefund;
	/** Completes a Checkout Session: paid, with a PaymentIntent and Charge; returns the session. */
	completeCheckoutSession(id: string): StripeCheckoutSession;
	close(): Promise<void>;
}

/** The API version stripe-node 23.1 pins; events carry it as their `api_version`. */
export const FAKE_API_VERSION = '2026-10-28.endive';

export async function startFakeStripe(options: { apiKey?: string; webhookSecret?: string; openapiDir?: string | null } = {}): Promise<FakeStripe> {
	const apiKey = options.apiKey ?? `sk_test_fake${token(24)}`;
	const webhookSecret = options.webhookSecret ?? `whsec_${token(32)}`;
	const openapiDir = options.openapiDir === undefined ? defaultOpenapiDir() : options.openapiDir;

	const requests: FakeRequest[] = [];
	const refunds: StripeRefund[] = [];
	const sessions: StripeCheckoutSession[] = [];
	const lineItems = new Map<string, StripeCheckoutLineItem[]>();
	const paymentIntentMetadata = new Map<string, Record<string, string>>();
	const paymentIntents = new Map<string, StripePaymentIntent>();
	const charges = new Map<string, StripeCharge>();
	const idempotency = new Map<string, IdempotencySlot>();
	const fates = new Map<string, Fate[]>();
	const timers = new Set<NodeJS.Timeout>();
	let baseUrl = '';

	function addPayment(input: { amount: number; currency: string; id?: string; metadata?: Record<string, string> }) {
		if (!Number.isInteger(input.amount) || input.amount < 1) throw new Error(`addPayment: amount must be a positive integer in minor units, got ${input.amount}`);
		const created = now();
		const currency = input.currency.toLowerCase();
		const paymentIntentId = input.id ?? stripeId('pi_');
		if (paymentIntents.has(paymentIntentId)) throw new Error(`addPayment: ${paymentIntentId} exists already`);
		const chargeId = stripeId('ch_');
		const paymentMethod = stripeId('pm_');
		charges.set(chargeId, {
			id: chargeId,
			object: 'charge',
			amount: input.amount,
			amount_captured: input.amount,
			amount_refunded: 0,
			balance_transaction: stripeId('txn_'),
			captured: true,
			created,
			currency,
			customer: null,
			description: null,
			disputed: false,
			livemode: false,
			metadata: {},
			paid: true,
			payment_intent: paymentIntentId,
			payment_method: paymentMethod,
			refunded: false,
			status: 'succeeded'
		});
		paymentIntents.set(paymentIntentId, {
			id: paymentIntentId,
			object: 'payment_intent',
			amount: input.amount,
			amount_capturable: 0,
			amount_received: input.amount,
			capture_method: 'automatic_async',
			client_secret: `${paymentIntentId}_secret_${token(25)}`,
			confirmation_method: 'automatic',
			created,
			currency,
			customer: null,
			description: null,
			latest_charge: chargeId,
			livemode: false,
			metadata: { ...input.metadata },
			payment_method: paymentMethod,
			payment_method_types: ['card'],
			status: 'succeeded'
		});
		return { paymentIntentId, chargeId };
	}

	function completeCheckoutSession(id: string): StripeCheckoutSession {
		const session = sessions.find((s) => s.id === id);
		if (!session) throw new Error(`completeCheckoutSession: no such checkout session ${id}`);
		if (session.status !== 'open') throw new Error(`completeCheckoutSession: ${id} is ${session.status}, not open`);
		const { paymentIntentId } = addPayment({ amount: session.amount_total, currency: session.currency, metadata: paymentIntentMetadata.get(id) });
		session.payment_intent = paymentIntentId;
		session.payment_status = 'paid';
		session.status = 'complete';
		session.customer_details = { email: session.customer_email ?? 'customer@example.com', name: null, phone: null, address: null, tax_exempt: 'none', tax_ids: [] };
		return session;
	}
	function failRefund(refundId: string, reason = 'expired_or_canceled_card'): StripeRefund {
		const refund = refunds.find((r) => r.id === refundId);
		if (!refund) throw new Error(`failRefund: no such refund ${refundId}`);
		if (refund.status !== 'succeeded' && refund.status !== 'pending') throw new Error(`failRefund: ${refundId} is ${refund.status}`);
		refund.status = 'failed';
		refund.failure_reason = reason;
		refund.failure_balance_transaction = stripeId('txn_');
		// The money comes back to the merchant's balance: the charge is refundable again by that much.
		const charge = charges.get(refund.charge);
		if (charge) {
			charge.amount_refunded -= refund.amount;
			charge.refunded = charge.amount_refunded >= charge.amount;
		}
		return refund;
	}

	function signedEvent(type: string, object: Record<string, unknown>, opts: { eventId?: string; timestamp?: number; created?: number } = {}) {
		const timestamp = opts.timestamp ?? now();
		const eventId = opts.eventId ?? stripeId('evt_');
		const event = {
			id: eventId,
			object: 'event',
			api_version: FAKE_API_VERSION,
			created: opts.created ?? timestamp,
			data: { object: structuredClone(object) },
			livemode: false,
			pending_webhooks: 1,
			request: { id: null, idempotency_key: null },
			type
		};
		const payload = JSON.stringify(event, null, 2);
		return { payload, signature: signatureHeader(payload, webhookSecret, timestamp), eventId };
	}

	async function deliver(url: string, type: string, object: Record<string, unknown>, opts: { eventId?: string; created?: number } = {}) {
		const { payload, signature, eventId } = signedEvent(type, object, opts);
		const answer = await postJson(url, payload, {
			'content-type': 'application/json; charset=utf-8',
			'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
			'stripe-signature': signature
		});
		return { ...answer, eventId };
	}

	// --- the API's endpoints -------------------------------------------------------------------------------

	function chargeOf(input: FormObject): { charge: StripeCharge; paymentIntent: string | null } {
		const pi = str(input.payment_intent);
		if (pi !== undefined) {
			const paymentIntent = paymentIntents.get(pi);
			if (!paymentIntent) throw missing('payment_intent', pi, 'payment_intent');
			const charge = charges.get(paymentIntent.latest_charge);
			if (!charge) throw missing('payment_intent', pi, 'payment_intent');
			const chargeParam = str(input.charge);
			if (chargeParam !== undefined && chargeParam !== charge.id) throw invalid(`The charge ${chargeParam} does not belong to the PaymentIntent ${pi}.`, 'charge');
			return { charge, paymentIntent: pi };
		}
		const chargeId = str(input.charge) ?? '';
		const charge = charges.get(chargeId);
		if (!charge) throw missing('charge', chargeId, 'charge');
		return { charge, paymentIntent: charge.payment_intent };
	}

	const routes: Route[] = [
		{
			method: 'POST',
			pattern: /^\/v1\/refunds$/,
			operation: '/v1/refunds',
			validate(input) {
				if (str(input.payment_intent) === undefined && str(input.charge) === undefined) {
					throw new ApiFailure(400, { type: 'invalid_request_error', code: 'parameter_missing', message: 'One of the following params should be provided for this request: payment_intent or charge.' });
				}
				if (input.amount !== undefined) positiveInteger(input.amount, 'amount');
				if (input.reason !== undefined) oneOf(input.reason, 'reason', ['duplicate', 'fraudulent', 'requested_by_customer']);
				metadataOf(input.metadata, 'metadata');
			},
			run(input) {
				const { charge, paymentIntent } = chargeOf(input);
				const remaining = charge.amount - charge.amount_refunded;
				if (remaining <= 0) {
					throw new ApiFailure(400, { type: 'invalid_request_error', code: 'charge_already_refunded', message: `Charge ${charge.id} has already been refunded.`, doc_url: docUrl('charge_already_refunded') });
				}
				const amount = input.amount === undefined ? remaining : positiveInteger(input.amount, 'amount');
				if (amount > remaining) {
					// Stripe answers this one without an error code (param "amount" only).
					throw new ApiFailure(400, {
						type: 'invalid_request_error',
						param: 'amount',
						message: `Refund amount (${money(amount, charge.currency)}) is greater than unrefunded amount on charge (${money(remaining, charge.currency)})`
					});
				}
				charge.amount_refunded += amount;
				charge.refunded = charge.amount_refunded >= charge.amount;
				const refund: StripeRefund = {
					id: stripeId('re_'),
					object: 'refund',
					amount,
					balance_transaction: stripeId('txn_'),
					charge: charge.id,
					created: now(),
					currency: charge.currency,
					description: null,
					destination_details: { type: 'card', card: { type: 'refund' } },
					metadata: metadataOf(input.metadata, 'metadata'),
					payment_intent: paymentIntent,
					reason: (str(input.reason) as RefundReason | undefined) ?? null,
					receipt_number: null,
					source_transfer_reversal: null,
					status: 'succeeded',
					transfer_reversal: null
				};
				refunds.push(refund);
				return refund;
			}
		},
		{
			method: 'GET',
			pattern: /^\/v1\/refunds$/,
			operation: '/v1/refunds',
			run(query) {
				let found = refunds;
				const pi = str(query.payment_intent);
				if (pi !== undefined) {
					if (!paymentIntents.has(pi)) throw missing('payment_intent', pi, 'payment_intent');
					found = found.filter((r) => r.payment_intent === pi);
				}
				const charge = str(query.charge);
				if (charge !== undefined) {
					if (!charges.has(charge)) throw missing('charge', charge, 'charge');
					found = found.filter((r) => r.charge === charge);
				}
				return page(found, query, '/v1/refunds', 'refund');
			}
		},
		{
			method: 'GET',
			pattern: /^\/v1\/refunds\/([^/]+)$/,
			operation: '/v1/refunds/{refund}',
			run(_query, [id]) {
				const refund = refunds.find((r) => r.id === id);
				if (!refund) throw missing('refund', id, 'id', 404);
				return refund;
			}
		},
		{
			method: 'POST',
			pattern: /^\/v1\/refunds\/([^/]+)$/,
			operation: '/v1/refunds/{refund}',
			validate(input) {
				metadataOf(input.metadata, 'metadata');
			},
			run(input, [id]) {
				const refund = refunds.find((r) => r.id === id);
				if (!refund) throw missing('refund', id, 'id', 404);
				if (input.metadata === '') refund.metadata = {};
				for (const [key, value] of Object.entries(metadataOf(input.metadata, 'metadata'))) {
					if (value === '') delete refund.metadata[key];
					else refund.metadata[key] = value;
				}
				return refund;
			}
		},
		{
			method: 'POST',
			pattern: /^\/v1\/checkout\/sessions$/,
			operation: '/v1/checkout/sessions',
			validate(input) {
				const mode = str(input.mode);
				if (mode === undefined) throw missingParam('mode');
				if (mode !== 'payment') throw invalid(`This fake Stripe supports only mode=payment, not ${mode}.`, 'mode');
				checkoutLineItems(input.line_items);
				metadataOf(input.metadata, 'metadata');
				if (input.payment_intent_data !== undefined) {
					if (!isObject(input.payment_intent_data)) throw invalid(`Invalid object`, 'payment_intent_data');
					metadataOf(input.payment_intent_data.metadata, 'payment_intent_data[metadata]');
				}
				for (const name of ['success_url', 'cancel_url', 'customer_email', 'client_reference_id']) {
					if (input[name] !== undefined && typeof input[name] !== 'string') throw invalid(`Invalid string: ${JSON.stringify(input[name])}`, name);
				}
			},
			run(input) {
				const customer = str(input.customer);
				if (customer !== undefined) throw missing('customer', customer, 'customer');
				const items = checkoutLineItems(input.line_items);
				const amount = items.reduce((sum, item) => sum + item.unit_amount * item.quantity, 0);
				const created = now();
				const id = `cs_test_a1${token(56)}`;
				const session: StripeCheckoutSession = {
					id,
					object: 'checkout.session',
					after_expiration: null,
					allow_promotion_codes: null,
					amount_subtotal: amount,
					amount_total: amount,
					automatic_tax: { enabled: false, liability: null, status: null },
					billing_address_collection: null,
					cancel_url: str(input.cancel_url) ?? null,
					client_reference_id: str(input.client_reference_id) ?? null,
					client_secret: null,
					consent: null,
					consent_collection: null,
					created,
					currency: items[0].currency,
					custom_fields: [],
					custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
					customer: null,
					customer_creation: 'if_required',
					customer_details: null,
					customer_email: str(input.customer_email) ?? null,
					expires_at: created + 24 * 3600,
					invoice: null,
					livemode: false,
					locale: str(input.locale) ?? null,
					metadata: metadataOf(input.metadata, 'metadata'),
					mode: 'payment',
					payment_intent: null,
					payment_link: null,
					payment_method_collection: 'if_required',
					payment_method_options: {},
					payment_method_types: ['card'],
					payment_status: 'unpaid',
					phone_number_collection: { enabled: false },
					recovered_from: null,
					setup_intent: null,
					shipping_address_collection: null,
					shipping_cost: null,
					shipping_details: null,
					shipping_options: [],
					status: 'open',
					submit_type: null,
					subscription: null,
					success_url: str(input.success_url) ?? null,
					total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
					ui_mode: 'hosted',
					url: `${baseUrl}/checkout/${id}`
				};
				sessions.push(session);
				lineItems.set(id, items);
				const pid = input.payment_intent_data;
				paymentIntentMetadata.set(id, isObject(pid) ? metadataOf(pid.metadata, 'payment_intent_data[metadata]') : {});
				return session;
			}
		},
		{
			method: 'GET',
			pattern: /^\/v1\/checkout\/sessions$/,
			operation: '/v1/checkout/sessions',
			run(query) {
				const pi = str(query.payment_intent);
				return page(
					pi === undefined ? sessions : sessions.filter((s) => s.payment_intent === pi),
					query,
					'/v1/checkout/sessions',
					'checkout.session'
				);
			}
		},
		{
			method: 'GET',
			pattern: /^\/v1\/checkout\/sessions\/([^/]+)$/,
			operation: '/v1/checkout/sessions/{session}',
			run(_query, [id]) {
				const session = sessions.find((s) => s.id === id);
				if (!session) throw missing('checkout.session', id, 'session', 404);
				return session;
			}
		},
		{
			method: 'GET',
			pattern: /^\/v1\/payment_intents\/([^/]+)$/,
			operation: '/v1/payment_intents/{intent}',
			run(_query, [id]) {
				const intent = paymentIntents.get(id);
				if (!intent) throw missing('payment_intent', id, 'intent', 404);
				return intent;
			}
		},
		{
			method: 'GET',
			pattern: /^\/v1\/charges\/([^/]+)$/,
			operation: '/v1/charges/{charge}',
			run(_query, [id]) {
				const charge = charges.get(id);
				if (!charge) throw missing('charge', id, 'charge', 404);
				return charge;
			}
		}
	];

	// --- HTTP ------------------------------------------------------------------------------------------------

	async function handle(req: IncomingMessage, res: ServerResponse, raw: string) {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const method = req.method ?? 'GET';
		const path = url.pathname;
		const idempotencyKey = header(req, 'idempotency-key');
		const body = method === 'POST' ? parseForm(raw) : {};
		const record: FakeRequest = { method, path, query: parseForm(url.search.slice(1)), idempotencyKey, body, status: 0, replayed: false, fate: null };
		requests.push(record);

		if (!path.startsWith('/v1/')) return servePage(req, res, method, path, record);

		const presented = presentedKey(req);
		if (presented !== apiKey) return answer(res, record, unauthorized(presented));
		const match = matchRoute(routes, method, path);
		if (!match) {
			return answer(res, record, failure(new ApiFailure(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.` })));
		}

		const fateKey = `${method} ${path}`;
		const fate = fates.get(fateKey)?.shift() ?? null;
		record.fate = fate?.kind ?? null;
		const input = method === 'POST' ? body : record.query;

		// Read before looking at the key: nothing may await between that look and taking the key.
		const unknown = await unknownParameter(openapiDir, match.route, input);
		let result: Answer | null = null;
		let slot: IdempotencySlot | null = null;
		const scope = method === 'POST' && idempotencyKey !== null ? `${presented}\n${idempotencyKey}` : null;
		const fingerprint = stableJson(input);
		const earlier = scope === null ? undefined : idempotency.get(scope);
		if (earlier && earlier.result === null) {
			result = failure(
				new ApiFailure(409, {
					type: 'invalid_request_error',
					code: 'idempotency_key_in_use',
					doc_url: docUrl('idempotency_key_in_use'),
					message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${idempotencyKey}. Please try again later.`
				})
			);
		} else if (earlier && (earlier.method !== method || earlier.path !== path)) {
			result = failure(
				new ApiFailure(400, {
					type: 'idempotency_error',
					message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${earlier.method} ${earlier.path}' vs '${method} ${path}'). Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`
				})
			);
		} else if (earlier && earlier.fingerprint !== fingerprint) {
			result = failure(
				new ApiFailure(400, {
					type: 'idempotency_error',
					message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`
				})
			);
		} else if (earlier?.result) {
			result = { ...earlier.result, replayed: true };
		} else {
			try {
				if (unknown !== null) {
					throw new ApiFailure(400, { type: 'invalid_request_error', code: 'parameter_unknown', param: unknown, doc_url: docUrl('parameter_unknown'), message: `Received unknown parameter: ${unknown}` });
				}
				match.route.validate?.(input, match.params);
			} catch (error) {
				if (!(error instanceof ApiFailure)) throw error;
				result = failure(error);
			}
			if (result === null) {
				// Execution begins: from here on the outcome belongs to the key, whatever it is.
				if (scope !== null) {
					slot = { method, path, fingerprint, result: null };
					idempotency.set(scope, slot);
				}
				if (fate?.kind === 'error') {
					result = serverError(fate.status);
				} else {
					try {
						result = { status: 200, body: JSON.stringify(match.route.run(input, match.params), null, 2), replayed: false };
					} catch (error) {
						if (!(error instanceof ApiFailure)) throw error;
						result = failure(error);
					}
				}
			}
		}
		// An outage in front of the idempotency layer: nothing executed, nothing saved.
		if (fate?.kind === 'error' && slot === null) result = serverError(fate.status);

		const settled = result;
		const save = () => {
			if (slot) slot.result = { status: settled.status, body: settled.body };
		};
		if (fate?.kind === 'slow') {
			record.status = settled.status;
			record.replayed = settled.replayed;
			const timer = setTimeout(() => {
				timers.delete(timer);
				save();
				answer(res, record, settled);
			}, fate.ms);
			timers.add(timer);
			return;
		}
		save();
		if (fate?.kind === 'drop') {
			record.status = settled.status;
			record.replayed = settled.replayed;
			req.socket.destroy();
			return;
		}
		answer(res, record, settled);
	}

	function answer(res: ServerResponse, record: FakeRequest, result: Answer) {
		record.status = result.status;
		record.replayed = result.replayed;
		if (res.destroyed || res.writableEnded) return;
		const headers: Record<string, string> = {
			'content-type': 'application/json',
			'request-id': stripeId('req_'),
			'stripe-version': FAKE_API_VERSION,
			'cache-control': 'no-cache, no-store'
		};
		if (record.method === 'POST' && record.idempotencyKey !== null) headers['idempotency-key'] = record.idempotencyKey;
		if (result.replayed) headers['idempotent-replayed'] = 'true';
		res.writeHead(result.status, headers);
		res.end(result.body);
	}

	async function servePage(req: IncomingMessage, res: ServerResponse, method: string, path: string, record: FakeRequest) {
		const html = (status: number, content: string, headers: Record<string, string> = {}) => {
			record.status = status;
			res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
			res.end(content);
		};
		const pay = /^\/checkout\/([^/]+)\/pay$/.exec(path);
		const show = /^\/checkout\/([^/]+)$/.exec(path);
		const session = sessions.find((s) => s.id === (pay ?? show)?.[1]);
		if (!session || (pay && method !== 'POST') || (show && method !== 'GET')) return html(404, page404());
		if (show) return html(200, checkoutPage(session, lineItems.get(session.id) ?? []));
		if (session.status === 'open') {
			completeCheckoutSession(session.id);
			if (fake.webhookUrl) await deliver(fake.webhookUrl, 'checkout.session.completed', session as unknown as Record<string, unknown>);
		}
		if (!session.success_url) return html(200, paidPage());
		// Stripe fills in the {CHECKOUT_SESSION_ID} template variable of success_url.
		return html(303, '', { location: session.success_url.replaceAll('{CHECKOUT_SESSION_ID}', session.id) });
	}

	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
				if (res.headersSent || res.destroyed) return;
				res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { type: 'api_error', message: `Fake Stripe failed: ${error instanceof Error ? error.message : String(error)}` } }));
			});
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	baseUrl = `http://127.0.0.1:${port}`;

	const fake: FakeStripe = {
		url: baseUrl,
		host: '127.0.0.1',
		port,
		apiKey,
		webhookSecret,
		webhookUrl: null,
		addPayment,
		requests,
		refunds,
		checkoutSessions: sessions,
		script(path, ...more) {
			const key = /^[A-Z]+ /.test(path) ? path : `POST ${path}`;
			fates.set(key, [...(fates.get(key) ?? []), ...more]);
		},
		deliver,
		signedEvent,
		failRefund,
		completeCheckoutSession,
		close: () =>
			new Promise<void>((resolve) => {
				for (const timer of timers) clearTimeout(timer);
				timers.clear();
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
	return fake;
}

/** The Stripe-Signature header Stripe sends: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload">`. */
export function signatureHeader(payload: string, secret: string, timestamp: number): string {
	const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
	return `t=${timestamp},v1=${v1}`;
}

/** Parses a form-encoded string the way Stripe reads it: `a[b][0][c]=x` → `{ a: { b: [{ c: 'x' }] } }`. */
export function parseForm(encoded: string): FormObject {
	const root: FormObject = {};
	for (const [name, value] of new URLSearchParams(encoded)) {
		const path = formPath(name);
		let node: FormObject = root;
		path.forEach((segment, i) => {
			const key = segment === '' ? String(Object.keys(node).length) : segment;
			if (i === path.length - 1) {
				node[key] = value;
				return;
			}
			const next = node[key];
			if (!isObject(next)) node[key] = {};
			node = node[key] as FormObject;
		});
	}
	return arraysOf(root) as FormObject;
}

// --- helpers ----------------------------------------------------------------------------------------------------

interface Answer {
	status: number;
	body: string;
	replayed: boolean;
}

interface IdempotencySlot {
	method: string;
	path: string;
	fingerprint: string;
	/** null while the first request is still executing. */
	result: { status: number; body: string } | null;
}

interface Route {
	method: 'GET' | 'POST';
	pattern: RegExp;
	/** The path of the operation in Stripe's OpenAPI description. */
	operation: string;
	/** Parameter checks that happen before execution: their failures are not saved under the idempotency key. */
	validate?(input: FormObject, params: string[]): void;
	run(input: FormObject, params: string[]): unknown;
}

interface StripeErrorBody {
	type: 'invalid_request_error' | 'api_error' | 'idempotency_error';
	message: string;
	code?: string;
	param?: string;
	doc_url?: string;
}

class ApiFailure extends Error {
	constructor(
		readonly status: number,
		readonly error: StripeErrorBody
	) {
		super(error.message);
	}
}

const failure = (error: ApiFailure): Answer => ({ status: error.status, body: JSON.stringify({ error: error.error }, null, 2), replayed: false });

function serverError(status: number): Answer {
	return failure(new ApiFailure(status, { type: 'api_error', message: 'An unknown error occurred while processing your request. Please retry it; if the problem persists, contact us at https://support.stripe.com/.' }));
}

function unauthorized(presented: string | null): Answer {
	// Stripe answers a missing or wrong key with a 401 typed invalid_request_error; the SDK raises StripeAuthenticationError.
	const message =
		presented === null
			? "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/."
			: `Invalid API Key provided: ${redact(presented)}`;
	return failure(new ApiFailure(401, { type: 'invalid_request_error', message }));
}

function redact(key: string): string {
	if (key.length <= 12) return '*'.repeat(key.length);
	return `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}`;
}

function missing(kind: string, id: string, param: string, status = 400): ApiFailure {
	return new ApiFailure(status, { type: 'invalid_request_error', code: 'resource_missing', param, doc_url: docUrl('resource_missing'), message: `No such ${kind}: '${id}'` });
}

function missingParam(param: string): ApiFailure {
	return new ApiFailure(400, { type: 'invalid_request_error', code: 'parameter_missing', param, doc_url: docUrl('parameter_missing'), message: `Missing required param: ${param}.` });
}

function invalid(message: string, param: string, code?: string): ApiFailure {
	return new ApiFailure(400, { type: 'invalid_request_error', message, param, ...(code ? { code, doc_url: docUrl(code) } : {}) });
}

const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}`;

function integer(value: FormValue | undefined, param: string): number {
	if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw invalid(`Invalid integer: ${typeof value === 'string' ? value : JSON.stringify(value)}`, param, 'parameter_invalid_integer');
	return Number(value);
}

function positiveInteger(value: FormValue | undefined, param: string, minimum = 1): number {
	const n = integer(value, param);
	if (n < minimum) throw invalid(`This value must be greater than or equal to ${minimum}.`, param, 'parameter_invalid_integer');
	return n;
}

function oneOf(value: FormValue, param: string, allowed: string[]): string {
	if (typeof value !== 'string' || !allowed.includes(value)) {
		throw invalid(`Invalid ${param}: must be one of ${allowed.slice(0, -1).join(', ')}, or ${allowed[allowed.length - 1]}`, param);
	}
	return value;
}

function metadataOf(value: FormValue | undefined, param: string): Record<string, string> {
	if (value === undefined || value === '') return {};
	// metadata[0]=… parses as an array: its keys are still just keys.
	const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : isObject(value) ? Object.entries(value) : null;
	if (entries === null) throw invalid(`Invalid object`, param);
	const metadata: Record<string, string> = {};
	for (const [key, v] of entries) {
		if (typeof v !== 'string') throw invalid(`Metadata values must be strings: ${param}[${key}]`, `${param}[${key}]`);
		metadata[key] = v;
	}
	return metadata;
}

function checkoutLineItems(value: FormValue | undefined): StripeCheckoutLineItem[] {
	if (value === undefined) throw missingParam('line_items');
	if (!Array.isArray(value) || value.length === 0) throw invalid('Invalid array', 'line_items');
	const items = value.map((item, i): StripeCheckoutLineItem => {
		const at = `line_items[${i}]`;
		if (!isObject(item)) throw invalid('Invalid object', at);
		const price = str(item.price);
		if (price !== undefined) throw missing('price', price, `${at}[price]`);
		const data = item.price_data;
		if (data === undefined) throw missingParam(`${at}[price_data]`);
		if (!isObject(data)) throw invalid('Invalid object', `${at}[price_data]`);
		const currency = str(data.currency);
		if (currency === undefined) throw missingParam(`${at}[price_data][currency]`);
		if (data.unit_amount === undefined) throw missingParam(`${at}[price_data][unit_amount]`);
		const product = data.product_data;
		if (str(data.product) !== undefined) throw missing('product', str(data.product) ?? '', `${at}[price_data][product]`);
		if (!isObject(product) || str(product.name) === undefined) throw missingParam(`${at}[price_data][product_data][name]`);
		if (item.quantity === undefined) throw missingParam(`${at}[quantity]`);
		return {
			currency: currency.toLowerCase(),
			unit_amount: positiveInteger(data.unit_amount, `${at}[price_data][unit_amount]`, 0),
			quantity: positiveInteger(item.quantity, `${at}[quantity]`),
			name: str(product.name) ?? ''
		};
	});
	if (new Set(items.map((i) => i.currency)).size > 1) throw invalid('All line items must use the same currency.', 'line_items');
	return items;
}

function page<T extends { id: string }>(items: T[], query: FormObject, url: string, kind: string) {
	const limit = query.limit === undefined ? 10 : positiveInteger(query.limit, 'limit');
	if (limit > 100) throw invalid('This value must be less than or equal to 100.', 'limit', 'parameter_invalid_integer');
	const newestFirst = [...items].reverse();
	const after = str(query.starting_after);
	const before = str(query.ending_before);
	let data: T[];
	let hasMore: boolean;
	if (after !== undefined) {
		const at = newestFirst.findIndex((item) => item.id === after);
		if (at < 0) throw missing(kind, after, 'starting_after');
		const rest = newestFirst.slice(at + 1);
		data = rest.slice(0, limit);
		hasMore = rest.length > limit;
	} else if (before !== undefined) {
		const at = newestFirst.findIndex((item) => item.id === before);
		if (at < 0) throw missing(kind, before, 'ending_before');
		const rest = newestFirst.slice(0, at);
		data = rest.slice(Math.max(0, rest.length - limit));
		hasMore = rest.length > limit;
	} else {
		data = newestFirst.slice(0, limit);
		hasMore = newestFirst.length > limit;
	}
	return { object: 'list', data, has_more: hasMore, url };
}

function matchRoute(routes: Route[], method: string, path: string): { route: Route; params: string[] } | null {
	for (const route of routes) {
		if (route.method !== method) continue;
		const m = route.pattern.exec(path);
		if (m) return { route, params: m.slice(1).map(decodeURIComponent) };
	}
	return null;
}

function presentedKey(req: IncomingMessage): string | null {
	const authorization = header(req, 'authorization');
	if (authorization === null) return null;
	const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
	if (bearer) return bearer[1];
	// curl -u sk_test_…: sends Basic auth with the key as the user name.
	const basic = /^Basic\s+(\S+)$/i.exec(authorization);
	if (basic) return Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
	return authorization;
}

function header(req: IncomingMessage, name: string): string | null {
	const value = req.headers[name];
	if (value === undefined) return null;
	return Array.isArray(value) ? value.join(', ') : value;
}

const str = (value: FormValue | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

function isObject(value: FormValue | undefined): value is { [key: string]: FormValue } {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formPath(name: string): string[] {
	const open = name.indexOf('[');
	if (open <= 0) return [name];
	const path = [name.slice(0, open)];
	for (const m of name.slice(open).matchAll(/\[([^\]]*)\]/g)) path.push(m[1]);
	return path;
}

/** Turns objects keyed 0..n-1 into arrays, as Stripe reads `line_items[0][…]`. */
function arraysOf(value: FormValue): FormValue {
	if (typeof value === 'string') return value;
	if (Array.isArray(value)) return value.map(arraysOf);
	const keys = Object.keys(value);
	const converted: FormObject = {};
	for (const key of keys) converted[key] = arraysOf(value[key]);
	const indexed = keys.length > 0 && keys.every((key, i) => key === String(i));
	return indexed ? keys.map((key) => converted[key]) : converted;
}

function stableJson(value: FormValue): string {
	if (typeof value === 'string') return JSON.stringify(value);
	if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
	return `{${Object.keys(value)
		.sort()
		.map((key) => `${JSON.stringify(key)}:${stableJson(value[key])}`)
		.join(',')}}`;
}

function money(amount: number, currency: string): string {
	try {
		const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() });
		const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
		return format.format(amount / 10 ** digits);
	} catch {
		return `${amount} ${currency}`;
	}
}

const now = () => Math.floor(Date.now() / 1000);

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function token(length: number): string {
	const bytes = randomBytes(length);
	let out = '';
	for (const byte of bytes) out += ALPHANUMERIC[byte % ALPHANUMERIC.length];
	return out;
}

/** An id as Stripe shapes them: a type prefix, then 24 letters and digits. */
const stripeId = (prefix: string) => `${prefix}3Fake${token(19)}`;

function postJson(url: string, payload: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(url, { method: 'POST', agent: false, headers: { ...headers, 'content-length': String(Buffer.byteLength(payload)) } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', reject);
		});
		req.setTimeout(10_000, () => req.destroy(new Error(`Webhook delivery to ${url} timed out`)));
		req.on('error', reject);
		req.end(payload);
	});
}

// --- pages for browser tests --------------------------------------------------------------------------------------

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function checkoutPage(session: StripeCheckoutSession, items: StripeCheckoutLineItem[]): string {
	const rows = items.map((item) => `<li>${escapeHtml(item.name)} × ${item.quantity} — ${escapeHtml(money(item.unit_amount * item.quantity, item.currency))}</li>`).join('');
	const action =
		session.status === 'open'
			? `<form method="post" action="/checkout/${escapeHtml(session.id)}/pay"><button type="submit">Pay ${escapeHtml(money(session.amount_total, session.currency))}</button></form>`
			: `<p>This checkout session is ${escapeHtml(session.status)}.</p>`;
	const cancel = session.cancel_url ? `<p><a href="${escapeHtml(session.cancel_url)}">Cancel</a></p>` : '';
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fake Stripe Checkout</title></head><body><main><h1>Fake Stripe Checkout</h1><ul>${rows}</ul>${action}${cancel}</main></body></html>`;
}

const paidPage = () => '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Paid</title></head><body><main><h1>Payment complete</h1></main></body></html>';
const page404 = () => '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head><body><main><h1>Not found</h1></main></body></html>';

// --- Stripe's OpenAPI description: unknown parameters -------------------------------------------------------------

interface Schema {
	$ref?: string;
	type?: string;
	properties?: Record<string, Schema>;
	additionalProperties?: boolean | Schema;
	items?: Schema;
	anyOf?: Schema[];
	oneOf?: Schema[];
	required?: string[];
}

interface OpenApiOperation {
	parameters?: { name: string; in: string; schema?: Schema }[];
	requestBody?: { content?: Record<string, { schema?: Schema }> };
}

interface OpenApi {
	paths: Record<string, Record<string, OpenApiOperation>>;
	components: { schemas: Record<string, Schema> };
}

const SPEC_FILE = 'spec3.2022-04-12.json';
const specs = new Map<string, Promise<OpenApi | null>>();

function defaultOpenapiDir(): string | null {
	const dir = resolvePath(process.cwd(), '../shared/stripe-openapi');
	return existsSync(join(dir, SPEC_FILE)) ? dir : null;
}

/** Stripe's OpenAPI description in `dir`, read once per process (it is about 4 MB). */
export function loadStripeSpec(dir: string): Promise<OpenApi | null> {
	let spec = specs.get(dir);
	if (!spec) {
		const file = join(dir, SPEC_FILE);
		spec = existsSync(file) ? readFile(file, 'utf8').then((text) => JSON.parse(text) as OpenApi) : Promise.resolve(null);
		specs.set(dir, spec);
	}
	return spec;
}

async function unknownParameter(dir: string | null, route: Route, input: FormObject): Promise<string | null> {
	if (dir === null) return null;
	const spec = await loadStripeSpec(dir);
	const operation = spec?.paths[route.operation]?.[route.method.toLowerCase()];
	if (!spec || !operation) return null;
	let schema: Schema | undefined;
	if (route.method === 'POST') {
		schema = operation.requestBody?.content?.['application/x-www-form-urlencoded']?.schema;
	} else {
		const properties: Record<string, Schema> = {};
		for (const p of operation.parameters ?? []) if (p.in === 'query') properties[p.name] = p.schema ?? {};
		schema = { type: 'object', properties, additionalProperties: false };
	}
	return schema ? findUnknown(spec, schema, input, '') : null;
}

function deref(spec: OpenApi, schema: Schema): Schema {
	let s = schema;
	for (let i = 0; s.$ref && i < 10; i++) s = spec.components.schemas[s.$ref.replace('#/components/schemas/', '')] ?? {};
	return s;
}

function fits(schema: Schema, value: FormValue): boolean {
	if (Array.isArray(value)) return schema.type === 'array' || schema.type === 'object' || schema.type === undefined;
	if (typeof value === 'object') return schema.type === 'object' || schema.type === undefined;
	return schema.type !== 'object' && schema.type !== 'array';
}

/** The first parameter in `value` that `schema` does not know, named as Stripe names it (`a[b][0][c]`). */
function findUnknown(spec: OpenApi, raw: Schema, value: FormValue, at: string): string | null {
	const schema = deref(spec, raw);
	const branches = schema.anyOf ?? schema.oneOf;
	if (branches) {
		let first: string | null = null;
		for (const branch of branches.map((b) => deref(spec, b))) {
			if (!fits(branch, value)) continue;
			const unknown = findUnknown(spec, branch, value, at);
			if (unknown === null) return null;
			first ??= unknown;
		}
		return first;
	}
	if (typeof value === 'string') return null;
	if (Array.isArray(value) && schema.type === 'array') {
		for (const [i, item] of value.entries()) {
			const unknown = schema.items ? findUnknown(spec, schema.items, item, `${at}[${i}]`) : null;
			if (unknown !== null) return unknown;
		}
		return null;
	}
	const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
	for (const [key, child] of entries) {
		const name = at === '' ? key : `${at}[${key}]`;
		const known = schema.properties?.[key];
		if (known) {
			const unknown = findUnknown(spec, known, child, name);
			if (unknown !== null) return unknown;
		} else if (typeof schema.additionalProperties === 'object') {
			const unknown = findUnknown(spec, schema.additionalProperties, child, name);
			if (unknown !== null) return unknown;
		} else if (schema.properties && schema.additionalProperties !== true) {
			return name;
		}
	}
	return null;
}
