import { isActionFailure, isHttpError, isRedirect, type ActionFailure } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMember } from '$lib/server/auth/test-support';
import { createAppTestDatabase, type TestDatabase } from '$lib/server/db/test-db';
import { listEvents } from '$lib/server/returns/events';
import { loadReturn } from '$lib/server/returns/service';
import { createTestShop, insertTestOrder } from '$lib/server/test-fixtures';
import { actions, load } from './+page.server';
import type { PageServerData } from './$types';

/** Creating a return on a customer's behalf: the form's choices, the policy's refusals, the redirect. */

let t: TestDatabase;
let staff: App.Locals;
let otherShop: App.Locals;
let n = 0;

beforeAll(async () => {
	t = await createAppTestDatabase('n'.repeat(64));
	const shop = await createTestShop(t.sql, 'new-return');
	const s = await createTestMember(t.sql, shop.id, 'staff', 'staff@new-return.example');
	staff = { user: { id: s.id, email: s.email, name: s.name }, session: null, shop, role: 'staff' };
	const other = await createTestShop(t.sql, 'new-return-other');
	const o = await createTestMember(t.sql, other.id, 'owner', 'owner@new-return-other.example');
	otherShop = { user: { id: o.id, email: o.email, name: o.name }, session: null, shop: other, role: 'owner' };
});
afterAll(() => t?.close());

const order = (options: { orderedAt?: Date } = {}) =>
	insertTestOrder(t.sql, staff.shop!.id, {
		number: `NRP-${++n}`,
		country: 'US',
		orderedAt: options.orderedAt,
		lines: [
			{ title: 'Pull', quantity: 2, unitPrice: 6_000, sku: 'PULL-M' },
			{ title: 'Bonnet', quantity: 1, unitPrice: 2_000 }
		]
	});

const url = (id: string) => new URL(`https://retour.example/admin/orders/${id}/new-return`);

async function page(id: string, who = staff) {
	return (await (load as (e: unknown) => Promise<unknown>)({ locals: who, url: url(id), params: { id } })) as PageServerData;
}

async function post(id: string, fields: [string, string][], who = staff) {
	const form = new FormData();
	for (const [k, v] of fields) form.append(k, v);
	const request = new Request(url(id), { method: 'POST', body: form });
	try {
		const result = await (actions.default as (e: unknown) => Promise<unknown>)({ locals: who, url: url(id), params: { id }, request });
		if (isActionFailure(result)) return { status: result.status, data: (result as unknown as ActionFailure<Record<string, unknown>>).data };
		return { status: 200, data: result };
	} catch (e) {
		if (isRedirect(e)) return { status: e.status, location: e.location };
		if (isHttpError(e)) return { status: e.status };
		throw e;
	}
}

describe('a return created for the customer', () => {
	it('offers the order’s lines with what is left and the leaf reasons, to this shop only', async () => {
		const o = await order();
		const data = await page(o.orderId);
		expect(data.lines.map((l) => [l.title, l.sku, l.ordered, l.left])).toEqual([
			['Pull', 'PULL-M', 2, 2],
			['Bonnet', null, 1, 1]
		]);
		expect(data.reasons.map((r) => r.code)).toContain('changed_mind');
		expect(data.reasons.map((r) => r.code)).not.toContain('no_longer_wanted');
		await expect(page(o.orderId, otherShop)).rejects.toMatchObject({ status: 404 });
	});

	it('creates it through the policy on the staff channel and opens its staff page', async () => {
		const o = await order();
		const answer = await post(o.orderId, [
			['line', o.lineIds[0]],
			[`quantity-${o.lineIds[0]}`, '2'],
			[`reason-${o.lineIds[0]}`, 'too_small'],
			[`comment-${o.lineIds[0]}`, 'Called the shop'],
			['resolution', 'store_credit'],
			['method', 'drop_off']
		]);
		expect(answer).toMatchObject({ status: 303, location: expect.stringMatching(/^\/admin\/returns\/[0-9a-f-]{36}$/) });
		const id = (answer as { location: string }).location.split('/').at(-1)!;
		expect(await loadReturn(t.sql, staff.shop!.id, id)).toMatchObject({
			orderId: o.orderId,
			channel: 'staff',
			decisionStatus: 'accepted',
			quote: { resolution: 'store_credit', total: 12_000 },
			lines: [expect.objectContaining({ quantity: 2, reasonCode: 'too_small', comment: 'Called the shop' })]
		});
		expect((await listEvents(t.sql, staff.shop!.id, id))[0]).toMatchObject({ actorKind: 'staff', actorId: staff.user!.id });
		expect((await page(o.orderId)).lines[0].left).toBe(0);
	});

	it('says what is missing beside each field, keeping the answers', async () => {
		const o = await order();
		expect(await post(o.orderId, [['resolution', 'refund'], ['method', 'label']])).toMatchObject({
			status: 400,
			data: { errors: { lines: 'Choose at least one item to return.' }, values: { selected: [], resolution: 'refund', method: 'label' } }
		});
		const line = o.lineIds[1];
		expect(await post(o.orderId, [['line', line], [`quantity-${line}`, '0'], [`reason-${line}`, ''], ['resolution', 'cash'], ['method', 'label']])).toMatchObject({
			status: 400,
			data: {
				errors: { [`quantity-${line}`]: 'Choose a quantity the order still holds.', [`reason-${line}`]: 'Choose a reason for this item.', resolution: 'Choose a resolution.' },
				values: { selected: [line], quantity: { [line]: '0' }, resolution: 'cash' }
			}
		});
		// More than the order holds: the returns service's refusal, on the line's quantity.
		expect(await post(o.orderId, [['line', line], [`quantity-${line}`, '3'], [`reason-${line}`, 'changed_mind'], ['resolution', 'refund'], ['method', 'label']])).toMatchObject({
			status: 409,
			data: { errors: { [`quantity-${line}`]: 'Choose a quantity the order still holds.' }, refusal: null }
		});
		expect(await t.sql`select id from returns where order_id = ${o.orderId}`).toEqual([]);
	});

	it('shows the policy’s refusal with its message and keeps the form as it was', async () => {
		const o = await order({ orderedAt: new Date(Date.now() - 200 * 86_400_000) });
		const line = o.lineIds[0];
		const answer = await post(o.orderId, [['line', line], [`quantity-${line}`, '1'], [`reason-${line}`, 'changed_mind'], ['resolution', 'refund'], ['method', 'label']]);
		expect(answer).toMatchObject({
			status: 409,
			data: {
				refusal: { code: 'not_eligible', lineId: line, message: 'This item cannot be returned under the policy.', detail: expect.any(String) },
				values: { selected: [line], quantity: { [line]: '1' }, reason: { [line]: 'changed_mind' }, resolution: 'refund', method: 'label' }
			}
		});
		const fresh = await order();
		const kept = fresh.lineIds[0];
		expect(await post(fresh.orderId, [['line', kept], [`quantity-${kept}`, '1'], [`reason-${kept}`, 'changed_mind'], ['resolution', 'refund'], ['method', 'keep']])).toMatchObject({
			status: 409,
			data: { refusal: { code: 'keep_not_allowed', lineId: kept, message: 'The policy says this item has to be sent back.' } }
		});
		expect(await t.sql`select id from returns where order_id in ${t.sql([o.orderId, fresh.orderId])}`).toEqual([]);
	});
});
