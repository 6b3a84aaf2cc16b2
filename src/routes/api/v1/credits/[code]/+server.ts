import { apiRoute, jsonResponse } from '$lib/server/api/handler';
import { CreditError, creditBalance } from '$lib/server/credit/ledger';
import type { RequestHandler } from './$types';

/** What a code can pay now: 0 once it is spent or past its date. */
export const GET: RequestHandler = apiRoute(async ({ event, sql, shopId }) => {
	const credit = await creditBalance(sql, shopId, event.params.code!);
	if (!credit) throw new CreditError('credit_not_found', `This shop has no store credit code ${JSON.stringify(event.params.code)}.`);
	return jsonResponse({ code: credit.code, currency: credit.currency, balance: credit.balance, expiresAt: credit.expiresAt });
});
