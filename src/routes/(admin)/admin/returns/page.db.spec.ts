import { isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMember } from '$lib/server/auth/test-support';
import { createAppTestDatabase, type TestDatabase } from '$lib/server/db/test-db';
import { createReturn } from '$lib/server/returns/service';
import { createTestShop, insertTestOrder } from '$lib/server/test-fixtures';
import { load } from './+page.server';
import type { PageServerData } from './$types';

/** The staff's queue page: its GET form's filters, the rows, the chips' counts and its pages. */

let t: TestDatabase;
let staff: App.Locals;
let otherShop: App.Locals;
const returns: { id: string; rma: string }[] = [];

beforeAll(async () => {
	t = await createAppTestDatabase('q'.repeat(64));
	const shop = await createTestShop(t.sql, 'queue-page');
	const user = await createTestMember(t.sql, shop.id, 'staff', 'staff@queue-page.example');
	staff = { user: { id: user.id, email: user.email, name: user.name }, session: null, shop, role: 'staff' };
	const other = await createTestShop(t.sql, 'queue-page-other');
	const owner = await createTestMember(t.sql, other.id, 'owner', 'owner@queue-page-other.example');
	otherShop = { user: { id: owner.id, email: owner.email, name: owner.name }, session: null, shop: other, role: 'owner' };

	for (const [i, score] of [12, 88, 55].entries()) {
		const o = await insertTestOrder(t.sql, shop.id, { number: `QP-${i + 1}`, lines: [{ title: 'Robe', quantity: 1, unitPrice: 9900 }] });
		const r = await createReturn(
			t.sql,
			{ shopId: shop.id, orderId: o.orderId, channel: 'customer', autoAccept: false, lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'too_small' }] },
			{ kind: 'customer', id: o.customerId }
		);
		await t.sql`insert into return_risk_assessments (return_id, shop_id, score, level, signals, profile, scorer)
			values (${r.id}, ${shop.id}, ${score}, ${score >= 70 ? 'high' : score >= 40 ? 'elevated' : 'low'},
				${t.sql.json([{ code: 'high_value', points: score, params: {} }])}, '{}', 'risk-1')
			on conflict (return_id) do update set score = excluded.score, level = excluded.level, signals = excluded.signals`;
		returns.push({ id: r.id, rma: r.rma });
	}
	await t.sql`update returns set assigned_to = ${user.id} where id = ${returns[0].id}`;
});
afterAll(() => t?.close());

async function page(search = '', who = staff) {
	const url = new URL(`https://retour.example/admin/returns${search}`);
	return (await (load as (e: unknown) => Promise<unknown>)({ locals: who, url })) as PageServerData;
}

describe('the queue page', () => {
	it('lists the returns to decide, riskiest first, with the chips counted and the filters echoed', async () => {
		const data = await page();
		expect(data.items.map((i) => [i.rma, i.reason, i.risk?.score])).toEqual([
			[returns[1].rma, 'risk', 88],
			[returns[2].rma, 'policy_review', 55],
			[returns[0].rma, 'policy_review', 12]
		]);
		expect(data.items[2].assignee).toEqual({ id: staff.user!.id, email: 'staff@queue-page.example' });
		expect(data.counts).toEqual({ risk: 1, policy_review: 2, handoff: 0, on_hold: 0, info_requested: 0 });
		expect(data).toMatchObject({ total: 3, page: 1, pageCount: 1, filters: { reason: null, status: null, assigned: 'anyone', minScore: null, text: '' } });
		expect(data.options.scores).toEqual([40, 70]);
		expect(data.now).toBeInstanceOf(Date);
	});

	it('applies the GET form: reason, status, assignee, score and text', async () => {
		expect((await page('?why=risk')).items.map((i) => i.rma)).toEqual([returns[1].rma]);
		expect((await page('?assigned=me')).items.map((i) => i.rma)).toEqual([returns[0].rma]);
		expect((await page('?min=40&status=pending')).items.map((i) => i.rma)).toEqual([returns[1].rma, returns[2].rma]);
		const byRma = await page(`?q=${encodeURIComponent(returns[2].rma.toLowerCase().replaceAll('-', ''))}`);
		expect(byRma.items.map((i) => i.rma)).toEqual([returns[2].rma]);
		expect(byRma.filters.text).toBe(returns[2].rma.toLowerCase().replaceAll('-', ''));
		// Unknown values are ignored rather than refused.
		expect((await page('?why=nope&status=lost&assigned=x&min=abc&page=-2')).total).toBe(3);
	});

	it('pages past the end without failing', async () => {
		const data = await page('?page=9');
		expect(data).toMatchObject({ items: [], total: 3, page: 9, pageCount: 1 });
	});

	it("shows a shop only its own queue, and sends a visitor to sign in", async () => {
		expect((await page('', otherShop)).items).toEqual([]);
		const visitor = { user: null, session: null, shop: null, role: null } satisfies App.Locals;
		const redirect = await page('?why=risk', visitor).catch((e) => e);
		expect(isRedirect(redirect)).toBe(true);
		expect(redirect.location).toBe(`/login?next=${encodeURIComponent('/admin/returns?why=risk')}`);
	});
});
