import { parseOrThrow } from '$lib/server/api/errors';
import { apiJsonRoute, jsonResponse } from '$lib/server/api/handler';
import { redemptionInput } from '$lib/server/credit/code';
import { CreditError, redeemCredit } from '$lib/server/credit/ledger';
import type { RequestHandler } from './$types';

/** Spends from a code, once per `Idempotency-Key`: 201 new, 200 (`Idempotent-Replayed: true`) for the same key again. */
export const POST: RequestHandler = apiJsonRoute(async ({ event, sql, shopId, keyId }, body) => {
	const key = event.request.headers.get('idempotency-key');
	if (!key || key.length > 255) {
		throw new CreditError(
			'invalid_idempotency_key',
			key
				? 'The Idempotency-Key header must be at most 255 characters.'
				: 'Send an Idempotency-Key header (your order id, or a UUID per spend): a retry with the same key spends once.'
		);
	}
	const input = parseOrThrow(redemptionInput, body);
	const r = await redeemCredit(sql, { shopId, code: event.params.code!, idempotencyKey: key, ...input }, { kind: 'api', id: keyId });
	const response = jsonResponse({ id: r.redemptionId, code: r.code, amount: r.amount, currency: r.currency, balance: r.balanceAfter }, r.replayed ? 200 : 201);
	if (r.replayed) response.headers.set('idempotent-replayed', 'true');
	return response;
});
