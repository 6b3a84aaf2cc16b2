import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../db/connect';
import { createTestDatabase, realPostgres, type TestDatabase } from '../db/test-db';
import { listEvents } from '../returns/events';
import { createReturn } from '../returns/service';
import { createTestShop, insertTestOrder } from '../test-fixtures';
import { addWebhookEndpoint } from '../webhooks/service';
import {
	CreditError,
	creditBalance,
	customerCreditBalance,
	expireCredits,
	issueCredit,
	listCreditEntries,
	redeemCredit,
	type CreditErrorCode
} from './ledger';

let t: TestDatabase;
let shopId: string;
let otherShopId: string;
let n = 0;
const staff = { kind: 'staff' as const, id: 'u1' };
const api = { kind: 'api' as const, id: 'key-1' };

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'credit-shop')).id;
	otherShopId = (await createTestShop(t.sql, 'credit-other')).id;
});
afterAll(() => t?.close());

/** A return imported from another system (no policy, no automatic acceptance): only the credit writes anything. */
async function importedReturn(shop = shopId, email?: string) {
	const o = await insertTestOrder(t.sql, shop, { number: `C${++n}`, email, lines: [{ title: 'Jean slim', quantity: 1, unitPrice: 8900 }] });
	const r = await createReturn(
		t.sql,
		{ shopId: shop, orderId: o.orderId, channel: 'import', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'defective', requestedResolution: 'store_credit' }] },
		{ kind: 'import' }
	);
	return { returnId: r.id, customerId: o.customerId };
}

async function issue(options: { amount?: number; bonus?: number; expiresAt?: Date | null; shop?: string; email?: string } = {}) {
	const shop = options.shop ?? shopId;
	const r = await importedReturn(shop, options.email);
	const credit = await t.sql.begin((tx) =>
		issueCredit(tx, { shopId: shop, ...r, currency: 'EUR', amount: options.amount ?? 10000, bonus: options.bonus ?? 0, expiresAt: options.expiresAt }, staff)
	);
	return { ...r, ...credit };
}

async function counts(returnId: string) {
	const [row] = await t.sql<{ codes: number; entries: number; events: number; emails: number; deliveries: number; jobs: number }[]>`
		select
			(select count(*)::int from credit_codes where return_id = ${returnId}) as codes,
			(select count(*)::int from credit_entries where return_id = ${returnId}) as entries,
			(select count(*)::int from return_events where return_id = ${returnId}) as events,
			(select count(*)::int from emails where return_id = ${returnId}) as emails,
			(select count(*)::int from webhook_deliveries where payload->>'returnId' = ${returnId}) as deliveries,
			(select count(*)::int from pgboss.job) as jobs`;
	return row;
}

async function refusal(promise: Promise<unknown>): Promise<CreditError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(CreditError);
	return error as CreditError;
}

const redeem = (code: string, amount: number, idempotencyKey: string, extra: { currency?: string; reference?: string; shop?: string } = {}) =>
	redeemCredit(t.sql, { shopId: extra.shop ?? shopId, code, amount, currency: extra.currency ?? 'EUR', idempotencyKey, reference: extra.reference }, api);

const entriesOf = (code: string) =>
	t.sql<{ kind: string; amount: number; idempotency_key: string | null; reference: string | null; actor_kind: string; actor_id: string | null }[]>`
		select e.kind, e.amount, e.idempotency_key, e.reference, e.actor_kind, e.actor_id
		from credit_entries e join credit_codes c on c.id = e.credit_code_id where c.code = ${code} order by e.id`;

describe('issueCredit', () => {
	it('gives a return one code: a second call returns it and writes nothing', async () => {
		const r = await importedReturn();
		const input = { shopId, ...r, currency: 'EUR', amount: 8900, bonus: 890 };
		const first = await t.sql.begin((tx) => issueCredit(tx, input, staff));
		expect(first).toMatchObject({ issued: true, code: expect.stringMatching(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/) });
		const before = await counts(r.returnId);
		expect(before).toMatchObject({ codes: 1, entries: 2, emails: 1 });

		const second = await t.sql.begin((tx) => issueCredit(tx, { ...input, amount: 5000, bonus: 0 }, staff));
		expect(second).toEqual({ codeId: first.codeId, code: first.code, issued: false });
		expect(await counts(r.returnId)).toEqual(before);
		expect((await creditBalance(t.sql, shopId, first.code))?.balance).toBe(8900 + 890);
	});

	it('writes an issued entry, and a bonus entry only when there is a bonus; the balance is their sum', async () => {
		const withBonus = await issue({ amount: 8900, bonus: 890 });
		expect(await entriesOf(withBonus.code)).toEqual([
			{ kind: 'issued', amount: 8900, idempotency_key: null, reference: null, actor_kind: 'staff', actor_id: 'u1' },
			{ kind: 'bonus', amount: 890, idempotency_key: null, reference: null, actor_kind: 'staff', actor_id: 'u1' }
		]);
		expect(await creditBalance(t.sql, shopId, withBonus.code)).toEqual({
			code: withBonus.code,
			currency: 'EUR',
			balance: 9790,
			issued: 8900,
			bonus: 890,
			spent: 0,
			expired: 0,
			expiresAt: null,
			customerId: withBonus.customerId
		});

		const plain = await issue({ amount: 4500, bonus: 0 });
		expect((await entriesOf(plain.code)).map((e) => e.kind)).toEqual(['issued']);
		await redeem(plain.code, 1200, 'sum-1');
		await redeem(plain.code, 300, 'sum-2');
		const [{ sum }] = await t.sql<{ sum: number }[]>`select sum(amount) as sum from credit_entries where credit_code_id = ${plain.codeId}`;
		expect(sum).toBe(3000);
		expect(await creditBalance(t.sql, shopId, plain.code)).toMatchObject({ balance: sum, issued: 4500, spent: 1500 });
	});

	it('records a masked event, emails the customer once and queues the shop webhook', async () => {
		const hookShop = (await createTestShop(t.sql, `credit-hooks`)).id;
		const endpoint = await addWebhookEndpoint(t.sql, hookShop, { url: 'https://shop.example/hooks', events: ['credit.issued'] });
		const expiresAt = new Date('2030-06-30T21:59:59Z');
		const c = await issue({ shop: hookShop, amount: 8900, bonus: 890, expiresAt, email: 'camille@example.com' });

		const event = (await listEvents(t.sql, hookShop, c.returnId)).find((e) => e.type === 'credit.issued');
		expect(event).toMatchObject({
			actorKind: 'staff',
			actorId: 'u1',
			payload: { creditCodeId: c.codeId, code: `XXXX-…-${c.code.slice(-4)}`, amount: 8900, bonus: 890, total: 9790, currency: 'EUR', expiresAt: expiresAt.toISOString() }
		});
		expect(JSON.stringify(event)).not.toContain(c.code);

		const emails = await t.sql`select to_address, kind, dedupe_key, text_body from emails where return_id = ${c.returnId}`;
		expect(emails).toHaveLength(1);
		expect(emails[0]).toMatchObject({ to_address: 'camille@example.com', kind: 'credit_issued', dedupe_key: `credit_issued:${c.returnId}` });
		expect(emails[0].text_body).toContain(c.code);
		expect(emails[0].text_body).toMatch(/97,90/); // amount + bonus, in the shop's French

		const deliveries = await t.sql`select endpoint_id, event_type, payload from webhook_deliveries where shop_id = ${hookShop}`;
		expect(deliveries).toEqual([
			{
				endpoint_id: endpoint.id,
				event_type: 'credit.issued',
				payload: { code: c.code, amount: 8900, bonus: 890, currency: 'EUR', customerId: c.customerId, returnId: c.returnId, expiresAt: expiresAt.toISOString() }
			}
		]);
		const jobs = await t.sql`select name from pgboss.job where data->>'emailId' is not null or data->>'deliveryId' is not null order by name`;
		expect(jobs.map((j) => j.name)).toEqual(expect.arrayContaining(['email-send', 'webhook-deliver']));
		// A shop without an endpoint gets no delivery row.
		const quiet = await issue();
		expect((await counts(quiet.returnId)).deliveries).toBe(0);
	});

	it('refuses amounts that are not positive integers of minor units', async () => {
		const r = await importedReturn();
		for (const [amount, bonus] of [[0, 0], [-100, 0], [12.5, 0], [100, -1], [100, 0.5]]) {
			const e = await refusal(t.sql.begin((tx) => issueCredit(tx, { shopId, ...r, currency: 'EUR', amount, bonus }, staff)));
			expect(e.code).toBe('invalid_amount');
		}
		expect((await counts(r.returnId)).codes).toBe(0);
	});
});

describe('creditBalance', () => {
	it('finds a code however it is typed, and never another shop\'s', async () => {
		const c = await issue({ amount: 2500 });
		expect((await creditBalance(t.sql, shopId, ` ${c.code.replace(/-/g, ' ').toLowerCase()} `))?.code).toBe(c.code);
		expect(await creditBalance(t.sql, otherShopId, c.code)).toBeUndefined();
		expect(await creditBalance(t.sql, shopId, 'ABCD-EFGH-JKLM')).toBeUndefined();
		expect(await creditBalance(t.sql, shopId, 'not a code')).toBeUndefined();
		expect((await refusal(redeem(c.code, 100, 'x', { shop: otherShopId }))).code).toBe('credit_not_found');
	});
});

describe('redeemCredit', () => {
	it('spends once per idempotency key: the same key again replays the first result', async () => {
		const c = await issue({ amount: 5000 });
		const first = await redeem(c.code.toLowerCase(), 1200, 'order-1001', { reference: '#1001' });
		expect(first).toEqual({ redemptionId: expect.any(Number), code: c.code, amount: 1200, currency: 'EUR', balanceAfter: 3800, replayed: false });
		await redeem(c.code, 800, 'order-1002');
		const again = await redeem(c.code, 1200, 'order-1001', { reference: 'ignored' });
		expect(again).toEqual({ ...first, replayed: true }); // the balance just after it, not now
		expect(await entriesOf(c.code)).toEqual([
			expect.objectContaining({ kind: 'issued', amount: 5000 }),
			{ kind: 'spent', amount: -1200, idempotency_key: 'order-1001', reference: '#1001', actor_kind: 'api', actor_id: 'key-1' },
			expect.objectContaining({ kind: 'spent', amount: -800, idempotency_key: 'order-1002' })
		]);
		expect((await creditBalance(t.sql, shopId, c.code))?.balance).toBe(3000);
	});

	it('refuses the same key with another amount or currency', async () => {
		const c = await issue({ amount: 5000 });
		await redeem(c.code, 1200, 'k');
		for (const [amount, currency] of [[1300, 'EUR'], [1200, 'USD']] as const) {
			const e = await refusal(redeem(c.code, amount, 'k', { currency }));
			expect(e.code).toBe('idempotency_conflict');
			expect(e.message).toContain('1200 EUR');
		}
		expect((await creditBalance(t.sql, shopId, c.code))?.balance).toBe(3800);
	});

	it('never goes below zero, and says what is left', async () => {
		const c = await issue({ amount: 2000, bonus: 200 });
		await redeem(c.code, 950, 'a');
		const over = await refusal(redeem(c.code, 1251, 'b'));
		expect(over).toMatchObject({ code: 'insufficient_balance', field: 'amount' });
		expect(over.message).toContain('Only €12.50 is left on this code');
		expect(await redeem(c.code, 1250, 'c')).toMatchObject({ balanceAfter: 0 });
		expect((await refusal(redeem(c.code, 1, 'd'))).message).toMatch(/Nothing is left/);
		expect(await creditBalance(t.sql, shopId, c.code)).toMatchObject({ balance: 0, spent: 2200 });
		// A refused spend wrote nothing, so its key is free for a spend that fits.
		expect(await redeem(c.code, 1, 'b').catch((e: CreditError) => e.code)).toBe('insufficient_balance');
		expect((await entriesOf(c.code)).filter((e) => e.kind === 'spent')).toHaveLength(2);
	});

	it('refuses an expired code, another currency and bad amounts or keys', async () => {
		const past = await issue({ amount: 2000, expiresAt: new Date(Date.now() - 60_000) });
		expect((await refusal(redeem(past.code, 100, 'e'))).code).toBe('credit_expired');
		const c = await issue({ amount: 2000, expiresAt: new Date(Date.now() + 86_400_000) });
		expect(await refusal(redeem(c.code, 100, 'f', { currency: 'USD' }))).toMatchObject({ code: 'currency_mismatch', field: 'currency' });
		const cases: [number, string, CreditErrorCode][] = [
			[0, 'g', 'invalid_amount'],
			[-5, 'g', 'invalid_amount'],
			[1.5, 'g', 'invalid_amount'],
			[Number.NaN, 'g', 'invalid_amount'],
			[2 ** 53, 'g', 'invalid_amount'],
			[100, '', 'invalid_idempotency_key'],
			[100, 'x'.repeat(256), 'invalid_idempotency_key']
		];
		for (const [amount, key, code] of cases) expect((await refusal(redeem(c.code, amount, key))).code, `${amount} ${key.length}`).toBe(code);
		expect((await refusal(redeem('ABCD-EFGH-JKLM', 100, 'h'))).code).toBe('credit_not_found');
		expect((await entriesOf(c.code)).map((e) => e.kind)).toEqual(['issued']);
		expect(await redeem(c.code, 2000, 'i')).toMatchObject({ balanceAfter: 0 });
	});

	it('replays a key after the code has expired', async () => {
		const c = await issue({ amount: 2000, expiresAt: new Date(Date.now() + 86_400_000) });
		const first = await redeem(c.code, 500, 'before-expiry');
		const later = new Date(Date.now() + 2 * 86_400_000);
		const again = await redeemCredit(t.sql, { shopId, code: c.code, amount: 500, currency: 'EUR', idempotencyKey: 'before-expiry' }, api, later);
		expect(again).toEqual({ ...first, replayed: true });
		expect((await refusal(redeemCredit(t.sql, { shopId, code: c.code, amount: 500, currency: 'EUR', idempotencyKey: 'after' }, api, later))).code).toBe('credit_expired');
	});
});

describe('expireCredits', () => {
	it('writes what is left on codes past their date as expired, once', async () => {
		const now = new Date();
		const soon = new Date(now.getTime() + 60_000);
		const later = new Date(now.getTime() + 120_000);
		const spentSome = await issue({ amount: 3000, bonus: 300, expiresAt: soon });
		await redeem(spentSome.code, 1000, 'exp-1');
		const spentAll = await issue({ amount: 1000, expiresAt: soon });
		await redeem(spentAll.code, 1000, 'exp-2');
		const open = await issue({ amount: 1000, expiresAt: null });

		// Past the date and before the sweep, the balance already says 0: redeeming would be refused.
		expect(await creditBalance(t.sql, shopId, spentSome.code, later)).toMatchObject({ balance: 0, expired: 2300, issued: 3000, bonus: 300, spent: 1000 });
		expect(await expireCredits(t.sql, later)).toBeGreaterThanOrEqual(1);
		expect((await entriesOf(spentSome.code)).at(-1)).toMatchObject({ kind: 'expired', amount: -2300, actor_kind: 'system' });
		expect((await entriesOf(spentAll.code)).map((e) => e.kind)).toEqual(['issued', 'spent']); // nothing left to expire
		expect((await entriesOf(open.code)).map((e) => e.kind)).toEqual(['issued']);
		expect(await creditBalance(t.sql, shopId, spentSome.code, later)).toMatchObject({ balance: 0, expired: 2300 });
		const [{ sum }] = await t.sql<{ sum: number }[]>`select sum(amount) as sum from credit_entries where credit_code_id = ${spentSome.codeId}`;
		expect(sum).toBe(0);

		expect(await expireCredits(t.sql, later)).toBe(0);
		expect((await entriesOf(spentSome.code)).filter((e) => e.kind === 'expired')).toHaveLength(1);
	});
});

describe('a customer\'s credit', () => {
	it('sums live codes per currency and lists the ledger for staff', async () => {
		const email = 'ledger@example.com';
		const a = await issue({ amount: 3000, bonus: 300, email });
		const b = await issue({ amount: 1000, email });
		await issue({ amount: 5000, email, expiresAt: new Date(Date.now() - 1000) }); // past its date: worth nothing
		expect(b.customerId).toBe(a.customerId);
		await redeem(b.code, 400, 'cust-1', { reference: '#2001' });
		expect(await customerCreditBalance(t.sql, shopId, a.customerId)).toEqual([{ currency: 'EUR', balance: 3900 }]);
		expect(await customerCreditBalance(t.sql, otherShopId, a.customerId)).toEqual([]);

		const entries = await listCreditEntries(t.sql, shopId, a.customerId);
		expect(entries.map((e) => [e.code, e.kind, e.amount])).toEqual([
			[a.code, 'issued', 3000],
			[a.code, 'bonus', 300],
			[b.code, 'issued', 1000],
			[expect.any(String), 'issued', 5000],
			[b.code, 'spent', -400]
		]);
		expect(entries[4]).toMatchObject({ currency: 'EUR', returnId: null, reference: '#2001', actorKind: 'api', actorId: 'key-1', createdAt: expect.any(Date) });
		expect(entries[0].returnId).toBe(a.returnId);
		expect(await listCreditEntries(t.sql, otherShopId, a.customerId)).toEqual([]);
	});
});

describe.runIf(realPostgres)('on PostgreSQL, with several connections', () => {
	it('issues one code when two transactions credit the same return at once', async () => {
		const a = connect({ url: t.url!, max: 2 });
		const b = connect({ url: t.url!, max: 2 });
		try {
			await Promise.all([a`select 1`, b`select 1`]);
			for (let round = 0; round < 3; round++) {
				const r = await importedReturn();
				const input = { shopId, ...r, currency: 'EUR', amount: 3000, bonus: 300 };
				const [x, y] = await Promise.all([a.begin((tx) => issueCredit(tx, input, staff)), b.begin((tx) => issueCredit(tx, input, staff))]);
				expect([x.issued, y.issued].sort()).toEqual([false, true]);
				expect(x.code).toBe(y.code);
				expect(await counts(r.returnId)).toMatchObject({ codes: 1, entries: 2, emails: 1 });
			}
		} finally {
			await a.end();
			await b.end();
		}
	});

	it('lets one of two redemptions that together exceed the balance win', async () => {
		const a = connect({ url: t.url!, max: 2 });
		const b = connect({ url: t.url!, max: 2 });
		try {
			await Promise.all([a`select 1`, b`select 1`]); // both connected, so the two redemptions overlap
			for (let round = 0; round < 5; round++) {
				const c = await issue({ amount: 10000 });
				const results = await Promise.allSettled([
					redeemCredit(a, { shopId, code: c.code, amount: 6000, currency: 'EUR', idempotencyKey: `a-${round}` }, api),
					redeemCredit(b, { shopId, code: c.code, amount: 6000, currency: 'EUR', idempotencyKey: `b-${round}` }, api)
				]);
				const won = results.filter((r) => r.status === 'fulfilled');
				const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
				expect(won).toHaveLength(1);
				expect(lost).toHaveLength(1);
				expect(lost[0].reason).toMatchObject({ code: 'insufficient_balance' });
				expect(lost[0].reason.message).toContain('€40.00');
				expect((await creditBalance(t.sql, shopId, c.code))?.balance).toBe(4000);
			}
		} finally {
			await a.end();
			await b.end();
		}
	});

	it('spends once when the same key arrives twice at the same moment', async () => {
		const a = connect({ url: t.url!, max: 2 });
		const b = connect({ url: t.url!, max: 2 });
		try {
			await Promise.all([a`select 1`, b`select 1`]);
			for (let round = 0; round < 5; round++) {
				const c = await issue({ amount: 10000 });
				const input = { shopId, code: c.code, amount: 2500, currency: 'EUR', idempotencyKey: `same-${round}` };
				const [x, y] = await Promise.all([redeemCredit(a, input, api), redeemCredit(b, input, api)]);
				expect([x.replayed, y.replayed].sort()).toEqual([false, true]);
				expect(x.redemptionId).toBe(y.redemptionId);
				expect(x.balanceAfter).toBe(7500);
				expect(y.balanceAfter).toBe(7500);
				expect((await entriesOf(c.code)).filter((e) => e.kind === 'spent')).toHaveLength(1);
			}
		} finally {
			await a.end();
			await b.end();
		}
	});
});
