import type { RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCredit } from '../credit/ledger';
import { createAppTestDatabase, realPostgres, type TestDatabase } from '../db/test-db';
import { createReturn } from '../returns/service';
import { createApiKey } from '../shops/api-keys';
import { createTestShop, insertTestOrder } from '../test-fixtures';
import * as creditRoute from '../../../routes/api/v1/credits/[code]/+server';
import * as redemptionsRoute from '../../../routes/api/v1/credits/[code]/redemptions/+server';

let t: TestDatabase;
let key: string;
let keyId: string;
let otherKey: string;
let shopId: string;
let n = 0;

beforeAll(async () => {
	t = await createAppTestDatabase('s'.repeat(64));
	shopId = (await createTestShop(t.sql, 'api-credits')).id;
	({ key, id: keyId } = await createApiKey(t.sql, shopId, 'checkout', null));
	const other = (await createTestShop(t.sql, 'api-credits-other')).id;
	otherKey = (await createApiKey(t.sql, other, 'other shop', null)).key;
});
afterAll(() => t?.close());

type Handler = (event: RequestEvent) => Response | Promise<Response>;

async function call(
	handler: unknown,
	options: { code: string; method?: string; body?: unknown; auth?: string | null; idempotencyKey?: string }
) {
	const path = `/api/v1/credits/${encodeURIComponent(options.code)}${options.method === 'POST' ? '/redemptions' : ''}`;
	const url = new URL(path, 'https://returns.example.com');
	const headers = new Headers({ 'content-type': 'application/json' });
	const auth = options.auth === undefined ? `Bearer ${key}` : options.auth;
	if (auth) headers.set('authorization', auth);
	if (options.idempotencyKey !== undefined) headers.set('idempotency-key', options.idempotencyKey);
	const request = new Request(url, {
		method: options.method ?? 'GET',
		headers,
		body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
	});
	const response = await (handler as Handler)({ request, url, params: { code: options.code } } as unknown as RequestEvent);
	return { status: response.status, body: await response.json(), headers: response.headers };
}

const get = (code: string, auth?: string | null) => call(creditRoute.GET, { code, auth });
const post = (code: string, body: unknown, idempotencyKey?: string, auth?: string | null) =>
	call(redemptionsRoute.POST, { code, method: 'POST', body, idempotencyKey, auth });

async function credit(amount: number, options: { bonus?: number; expiresAt?: Date | null } = {}) {
	const o = await insertTestOrder(t.sql, shopId, { number: `A${++n}`, lines: [{ title: 'Veste', quantity: 1, unitPrice: amount }] });
	const r = await createReturn(
		t.sql,
		{ shopId, orderId: o.orderId, channel: 'import', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'defective' }] },
		{ kind: 'import' }
	);
	return t.sql.begin((tx) =>
		issueCredit(tx, { shopId, returnId: r.id, customerId: o.customerId, currency: 'EUR', amount, bonus: options.bonus ?? 0, expiresAt: options.expiresAt }, { kind: 'system' })
	);
}

describe('GET /api/v1/credits/{code}', () => {
	it('answers the balance, however the code is typed; 404 for an unknown code or another shop\'s; 401 without a key', async () => {
		const expiresAt = new Date('2031-01-31T23:00:00Z');
		const c = await credit(4000, { bonus: 400, expiresAt });
		const r = await get(c.code);
		expect(r.status).toBe(200);
		expect(r.body).toEqual({ code: c.code, currency: 'EUR', balance: 4400, expiresAt: expiresAt.toISOString() });
		expect(r.headers.get('cache-control')).toBe('no-store');
		expect((await get(c.code.replace(/-/g, ' ').toLowerCase())).body.code).toBe(c.code);

		for (const missing of [await get('ABCD-EFGH-JKLM'), await get('nope'), await get(c.code, `Bearer ${otherKey}`)]) {
			expect(missing.status).toBe(404);
			expect(missing.body.error.code).toBe('credit_not_found');
		}
		const anonymous = await get(c.code, null);
		expect(anonymous.status).toBe(401);
		expect(anonymous.body.error.code).toBe('unauthorized');
	});
});

describe('POST /api/v1/credits/{code}/redemptions', () => {
	it('spends: 201 the first time, 200 with the same body and Idempotent-Replayed for the same key', async () => {
		const c = await credit(5000);
		const first = await post(c.code, { amount: 1250, currency: 'EUR', reference: '#10423' }, 'order-10423');
		expect(first.status).toBe(201);
		expect(first.body).toEqual({ id: expect.any(Number), code: c.code, amount: 1250, currency: 'EUR', balance: 3750 });
		expect(first.headers.get('idempotent-replayed')).toBeNull();

		const again = await post(c.code, { amount: 1250, currency: 'EUR', reference: '#10423' }, 'order-10423');
		expect(again.status).toBe(200);
		expect(again.body).toEqual(first.body);
		expect(again.headers.get('idempotent-replayed')).toBe('true');

		expect((await get(c.code)).body.balance).toBe(3750);
		const entries = await t.sql`select kind, amount, idempotency_key, reference, actor_kind, actor_id from credit_entries where credit_code_id = ${c.codeId} order by id`;
		expect(entries.filter((e) => e.kind === 'spent')).toEqual([
			{ kind: 'spent', amount: -1250, idempotency_key: 'order-10423', reference: '#10423', actor_kind: 'api', actor_id: keyId }
		]);
	});

	it('409 for the same key with another amount', async () => {
		const c = await credit(5000);
		await post(c.code, { amount: 1000, currency: 'EUR' }, 'k1');
		const r = await post(c.code, { amount: 2000, currency: 'EUR' }, 'k1');
		expect(r.status).toBe(409);
		expect(r.body.error.code).toBe('idempotency_conflict');
		expect((await get(c.code)).body.balance).toBe(4000);
	});

	it('422 beyond the balance (saying what is left), for an expired code and for another currency', async () => {
		const c = await credit(2000);
		const over = await post(c.code, { amount: 2001, currency: 'EUR' }, 'over');
		expect(over.status).toBe(422);
		expect(over.body.error).toEqual({
			code: 'insufficient_balance',
			message: expect.stringContaining('Only €20.00 is left on this code'),
			fields: [{ path: 'amount', message: expect.stringContaining('€20.00') }]
		});
		const usd = await post(c.code, { amount: 100, currency: 'USD' }, 'usd');
		expect(usd.status).toBe(422);
		expect(usd.body.error.code).toBe('currency_mismatch');

		const expired = await credit(2000, { expiresAt: new Date(Date.now() - 1000) });
		const late = await post(expired.code, { amount: 100, currency: 'EUR' }, 'late');
		expect(late.status).toBe(422);
		expect(late.body.error.code).toBe('credit_expired');
		expect((await get(expired.code)).body.balance).toBe(0);

		const [{ spent }] = await t.sql`select count(*)::int as spent from credit_entries where kind = 'spent' and credit_code_id in ${t.sql([c.codeId, expired.codeId])}`;
		expect(spent).toBe(0);
	});

	it('400 without an Idempotency-Key or with bad JSON; 422 naming each bad field; 404 for an unknown code', async () => {
		const c = await credit(2000);
		const noKey = await post(c.code, { amount: 100, currency: 'EUR' });
		expect(noKey.status).toBe(400);
		expect(noKey.body.error.code).toBe('invalid_idempotency_key');
		expect(noKey.body.error.message).toMatch(/Idempotency-Key header/);
		expect((await post(c.code, { amount: 100, currency: 'EUR' }, 'x'.repeat(256))).status).toBe(400);
		const broken = await post(c.code, '{"amount": ', 'k');
		expect(broken.status).toBe(400);
		expect(broken.body.error.code).toBe('invalid_json');

		const invalid = await post(c.code, { amount: 12.5, currency: 'eur', idempotencyKey: 'k' }, 'k');
		expect(invalid.status).toBe(422);
		expect(invalid.body.error.code).toBe('validation_failed');
		expect(invalid.body.error.fields).toEqual([
			{ path: 'amount', message: expect.stringContaining('integer of minor units') },
			{ path: 'currency', message: expect.stringContaining('ISO 4217') },
			{ path: 'idempotencyKey', message: 'is not a known field (check its spelling)' }
		]);
		for (const amount of [0, -100, '100']) {
			const r = await post(c.code, { amount, currency: 'EUR' }, 'k');
			expect(r.status, String(amount)).toBe(422);
			expect(r.body.error.fields[0].path).toBe('amount');
		}

		const unknown = await post('ABCD-EFGH-JKLM', { amount: 100, currency: 'EUR' }, 'k');
		expect(unknown.status).toBe(404);
		expect(unknown.body.error.code).toBe('credit_not_found');
		expect((await post(c.code, { amount: 100, currency: 'EUR' }, 'k', `Bearer ${otherKey}`)).status).toBe(404);
		expect((await post(c.code, { amount: 100, currency: 'EUR' }, 'k', null)).status).toBe(401);
		expect((await get(c.code)).body.balance).toBe(2000);
	});

	it.runIf(realPostgres)('on PostgreSQL: two redemptions at once beyond the balance get one 201 and one 422', async () => {
		for (let round = 0; round < 3; round++) {
			const c = await credit(10000);
			const results = await Promise.all([
				post(c.code, { amount: 6000, currency: 'EUR' }, `checkout-a-${round}`),
				post(c.code, { amount: 6000, currency: 'EUR' }, `checkout-b-${round}`)
			]);
			expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
			expect(results.find((r) => r.status === 422)!.body.error.code).toBe('insufficient_balance');
			expect((await get(c.code)).body.balance).toBe(4000);
		}
	});
});
