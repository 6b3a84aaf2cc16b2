import type { RequestHandler } from './$types';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db';
import { log } from '$lib/server/log';
import { verifyStripeEvent } from '$lib/server/refunds/stripe';
import { applyStripeEvent } from '$lib/server/refunds/webhook';

const json = (status: number, body: unknown) =>
	new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * Stripe's events (refund.updated, refund.failed, charge.refunded, checkout.session.completed). The signature is
 * checked against STRIPE_WEBHOOK_SECRET on the raw body; each event applies once, whatever Stripe redelivers.
 * Anything but a 2xx makes Stripe retry, so only a bad signature (never valid) and our own failures are errors.
 */
export const POST: RequestHandler = async ({ request }) => {
	const secret = readConfig().stripe?.webhookSecret;
	if (!secret) {
		return json(503, { error: { code: 'not_configured', message: 'STRIPE_WEBHOOK_SECRET is not set on this Retour: it cannot check Stripe events.' } });
	}
	const payload = await request.text();
	const event = verifyStripeEvent(payload, request.headers.get('stripe-signature'), secret);
	if (!event.ok) return json(400, { error: { code: 'invalid_signature', message: event.message } });
	try {
		const outcome = await applyStripeEvent(db(), event.event);
		return json(200, { received: true, outcome });
	} catch (error) {
		log.error({ err: error, eventId: event.event.id, type: event.event.type }, 'applying a Stripe event failed');
		return json(500, { error: { code: 'internal_error', message: 'The event was not applied; Stripe will send it again.' } });
	}
};
