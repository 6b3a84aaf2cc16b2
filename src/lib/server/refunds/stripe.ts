import Stripe from 'stripe';

export interface StripeSettings {
	secretKey: string;
	/** Another host for the API (the tests' fake): `http://127.0.0.1:12111`. */
	apiBase?: string;
	/** How long one call may take before it is taken as lost (and retried with the same idempotency key). */
	timeoutMs?: number;
}

/** What the refunds service uses of Stripe: refunds and Checkout Sessions. */
export type StripeApi = Pick<Stripe, 'refunds' | 'checkout'>;

/** The official SDK, without its own retries: the job queue retries, with the same idempotency key. */
export function createStripe(settings: StripeSettings): Stripe {
	const base = settings.apiBase ? new URL(settings.apiBase) : null;
	return new Stripe(settings.secretKey, {
		...(base
			? {
					host: base.hostname,
					port: Number(base.port) || (base.protocol === 'https:' ? 443 : 80),
					protocol: base.protocol === 'https:' ? 'https' : 'http'
				}
			: {}),
		maxNetworkRetries: 0,
		telemetry: false,
		timeout: settings.timeoutMs ?? 20_000,
		appInfo: { name: 'Retour' }
	});
}

/** How a Stripe failure is handled: `retry` with the same key, `new_key` (Stripe keeps a 500 under its key), or `final`. */
export type FailureKind = 'retry' | 'new_key' | 'final';

export function classifyStripeError(error: unknown): { kind: FailureKind; code: string; message: string } {
	const e = error as { type?: string; statusCode?: number; code?: string; message?: string };
	const message = e?.message ?? String(error);
	switch (e?.type) {
		case 'StripeConnectionError':
			// No answer: the refund may exist. The same key either replays it or makes it now.
			return { kind: 'retry', code: 'stripe_unreachable', message };
		case 'StripeRateLimitError':
			return { kind: 'retry', code: 'rate_limited', message };
		case 'StripeAPIError':
			return (e.statusCode ?? 500) >= 500
				? { kind: 'new_key', code: e.code ?? `stripe_${e.statusCode ?? 500}`, message }
				: { kind: 'final', code: e.code ?? 'api_error', message };
		case 'StripeAuthenticationError':
		case 'StripePermissionError':
			return { kind: 'final', code: e.code ?? 'stripe_key_refused', message: `Stripe refused the API key: ${message}` };
		default:
			if (e?.statusCode && e.statusCode >= 500) return { kind: 'new_key', code: e.code ?? `stripe_${e.statusCode}`, message };
			return { kind: 'final', code: e?.code ?? 'refund_refused', message };
	}
}

// Checking a signature needs no API key: Stripe's helper works offline.
const verifier = new Stripe('sk_test_signature_check_only', { telemetry: false });

/** Checks a webhook's Stripe-Signature header (HMAC of the raw body, five minutes' tolerance) and parses it. */
export function verifyStripeEvent(
	payload: string,
	signature: string | null,
	secret: string
): { ok: true; event: Stripe.Event } | { ok: false; message: string } {
	if (!signature) return { ok: false, message: 'The Stripe-Signature header is missing.' };
	try {
		return { ok: true, event: verifier.webhooks.constructEvent(payload, signature, secret) as Stripe.Event };
	} catch (error) {
		return { ok: false, message: `The Stripe signature does not match: ${(error as Error).message}` };
	}
}
