import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { log } from '$lib/server/log';
import { applyTrackingUpdate } from '$lib/server/labels/service';
import { parseSendcloudWebhook, receptionFromSendcloud, verifySendcloudWebhook } from '$lib/server/labels/tracking';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Sendcloud's parcel status changes: the return's parcel moves to in transit, received or lost. */
export const POST: RequestHandler = async ({ request }) => {
	const secret = process.env.SENDCLOUD_SECRET_KEY?.trim();
	if (!secret) return json(503, { error: { code: 'not_configured', message: 'SENDCLOUD_SECRET_KEY is not set on this Retour.' } });
	const body = await request.text();
	if (!verifySendcloudWebhook(body, request.headers.get('sendcloud-signature'), secret)) {
		return json(401, { error: { code: 'invalid_signature', message: 'The Sendcloud-Signature header does not match the body.' } });
	}
	const update = parseSendcloudWebhook(body);
	const reception = update && receptionFromSendcloud(update.status);
	if (!update || !reception) return json(200, { received: true, outcome: 'ignored' });
	try {
		const outcome = await applyTrackingUpdate(db(), {
			trackingNumber: update.trackingNumber,
			rma: update.orderNumber,
			reception,
			carrierStatus: update.status,
			at: update.at
		});
		return json(200, { received: true, outcome });
	} catch (error) {
		log.error({ err: error, parcel: update.parcelId }, 'applying a Sendcloud update failed');
		return json(500, { error: { code: 'internal_error', message: 'The update was not applied; Sendcloud will send it again.' } });
	}
};
