import { describe, expect, it } from 'vitest';
import { classifyStripeError, createStripe, verifyStripeEvent } from './stripe';
import { signatureHeader } from './fake-stripe';

describe('classifyStripeError', () => {
	it('retries with the same key when Stripe did not answer, with a new one after a 500 it keeps', () => {
		expect(classifyStripeError({ type: 'StripeConnectionError', message: 'socket hang up' }).kind).toBe('retry');
		expect(classifyStripeError({ type: 'StripeRateLimitError', statusCode: 429, message: 'slow down' }).kind).toBe('retry');
		expect(classifyStripeError({ type: 'StripeAPIError', statusCode: 500, message: 'oops' }).kind).toBe('new_key');
		expect(classifyStripeError({ type: 'StripeAPIError', statusCode: 503, message: 'oops' }).kind).toBe('new_key');
	});

	it('stops on a refusal, keeping Stripe’s code and words', () => {
		expect(classifyStripeError({ type: 'StripeInvalidRequestError', statusCode: 400, code: 'charge_already_refunded', message: 'Charge ch_1 has already been refunded.' })).toEqual({
			kind: 'final',
			code: 'charge_already_refunded',
			message: 'Charge ch_1 has already been refunded.'
		});
		expect(classifyStripeError({ type: 'StripeAuthenticationError', statusCode: 401, message: 'Invalid API Key' })).toMatchObject({ kind: 'final', message: /refused the API key/ });
	});
});

describe('createStripe', () => {
	it('points the SDK at STRIPE_API_BASE', () => {
		const stripe = createStripe({ secretKey: 'sk_test_x', apiBase: 'http://127.0.0.1:12111' }) as unknown as { getApiField(k: string): unknown };
		expect([stripe.getApiField('host'), stripe.getApiField('port'), stripe.getApiField('protocol')]).toEqual(['127.0.0.1', 12111, 'http']);
	});
});

describe('verifyStripeEvent', () => {
	const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'refund.updated', data: { object: {} } });
	const now = Math.floor(Date.now() / 1000);
	it('accepts Stripe’s signature and refuses anything else', () => {
		expect(verifyStripeEvent(payload, signatureHeader(payload, 'whsec_a', now), 'whsec_a')).toMatchObject({ ok: true, event: { id: 'evt_1' } });
		expect(verifyStripeEvent(payload, signatureHeader(payload, 'whsec_b', now), 'whsec_a').ok).toBe(false);
		expect(verifyStripeEvent(payload, signatureHeader(payload, 'whsec_a', now - 3600), 'whsec_a').ok).toBe(false); // a replay an hour later
		expect(verifyStripeEvent(payload, null, 'whsec_a')).toEqual({ ok: false, message: 'The Stripe-Signature header is missing.' });
	});
});
