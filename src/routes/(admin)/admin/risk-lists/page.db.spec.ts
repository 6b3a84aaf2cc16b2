import { isActionFailure, isHttpError, type ActionFailure } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMember } from '$lib/server/auth/test-support';
import { createAppTestDatabase, type TestDatabase } from '$lib/server/db/test-db';
import { createTestShop } from '$lib/server/test-fixtures';
import { actions, load } from './+page.server';
import type { PageServerData } from './$types';

/** The admin's block and allow lists: add with a reason, errors beside their field, remove after confirming. */

let t: TestDatabase;
let owner: App.Locals;
let staff: App.Locals;
const url = (search = '') => new URL(`https://retour.example/admin/risk-lists${search}`);

beforeAll(async () => {
	t = await createAppTestDatabase('l'.repeat(64));
	const shop = await createTestShop(t.sql, 'risk-lists-page');
	const o = await createTestMember(t.sql, shop.id, 'owner', 'owner@risk-lists.example', { name: 'Olivia Owner' });
	const s = await createTestMember(t.sql, shop.id, 'staff', 'staff@risk-lists.example');
	owner = { user: { id: o.id, email: o.email, name: o.name }, session: null, shop, role: 'owner' };
	staff = { user: { id: s.id, email: s.email, name: s.name }, session: null, shop, role: 'staff' };
});
afterAll(() => t?.close());

async function page(search = '', who = owner) {
	return (await (load as (e: unknown) => Promise<unknown>)({ locals: who, url: url(search) })) as PageServerData;
}

async function post(action: keyof typeof actions, fields: Record<string, string>, who = owner) {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) form.append(k, v);
	const at = url(`?/${action}`);
	const result = await (actions[action] as (e: unknown) => Promise<unknown>)({ locals: who, url: at, params: {}, request: new Request(at, { method: 'POST', body: form }) });
	if (isActionFailure(result)) return { status: result.status, data: (result as unknown as ActionFailure<Record<string, unknown>>).data };
	return { status: 200, data: result as Record<string, unknown> };
}

describe('the block and allow lists page', () => {
	it('adds entries to each list and shows them on their tab, newest first, with who added them', async () => {
		expect(await post('add', { list: 'block', kind: 'email', value: ' Fraud@Example.com ', reason: 'Three chargebacks' })).toEqual({
			status: 200,
			data: { action: 'add', success: '“Fraud@Example.com” is now on the block list.', note: null }
		});
		const address = { line1: "12, Rue de l'Église", line2: '', postcode: '75001', country: 'fr' };
		expect(await post('add', { list: 'block', kind: 'address', ...address, reason: 'Empty boxes' })).toMatchObject({ status: 200 });
		expect(await post('add', { list: 'allow', kind: 'product', value: 'GIFT-CARD', reason: 'Cannot be abused' })).toEqual({
			status: 200,
			data: {
				action: 'add',
				success: '“GIFT-CARD” is now on the allow list.',
				note: 'No product has this SKU yet: the entry will apply to order items that carry it.'
			}
		});

		const block = await page();
		expect(block).toMatchObject({ list: 'block', q: '', kind: 'email', counts: { block: 2, allow: 1 }, confirming: null, shopCountry: 'FR' });
		expect(block.entries.map((e) => [e.kind, e.label, e.value, e.reason, e.createdByName])).toEqual([
			['address', "12, Rue de l'Église, 75001 FR", '12ruedeléglise|75001|FR', 'Empty boxes', 'Olivia Owner'],
			['email', 'Fraud@Example.com', 'fraud@example.com', 'Three chargebacks', 'Olivia Owner']
		]);
		expect((await page('?list=allow')).entries.map((e) => e.label)).toEqual(['GIFT-CARD']);
		expect((await page('?q=chargeback')).entries.map((e) => e.label)).toEqual(['Fraud@Example.com']);
		expect((await page('?kind=address')).kind).toBe('address');
	});

	it('puts each error beside its field and keeps what was typed', async () => {
		const cases: [Record<string, string>, string, RegExp][] = [
			[{ list: 'block', kind: 'email', value: 'not-an-email', reason: 'x' }, 'value', /Enter an email address/],
			[{ list: 'block', kind: 'order', value: ' ', reason: 'x' }, 'value', /Enter the order number/],
			[{ list: 'block', kind: 'product', value: 'SKU-1', reason: '  ' }, 'reason', /Say why/],
			[{ list: 'block', kind: 'address', line1: '', postcode: '75001', country: 'FR', reason: 'x' }, 'line1', /Enter the street address/],
			[{ list: 'block', kind: 'address', line1: '3 rue X', postcode: '75001', country: 'France', reason: 'x' }, 'country', /two-letter code/],
			[{ list: 'block', kind: 'phone', value: '0601', reason: 'x' }, 'kind', /Choose an email, an address/],
			[{ list: 'allow', kind: 'email', value: 'FRAUD@example.com', reason: 'Changed my mind' }, 'value', /Already on the block list \(as “Fraud@Example.com”\)/],
			[{ list: 'allow', kind: 'address', line1: '12 rue de l’église', postcode: '75 001', country: 'FR', reason: 'x' }, 'line1', /Already on the block list/]
		];
		for (const [fields, field, error] of cases) {
			const result = await post('add', fields);
			expect(result, JSON.stringify(fields)).toMatchObject({ status: 400, data: { action: 'add', field, error: expect.stringMatching(error) } });
			expect((result.data as { values: Record<string, string> }).values).toMatchObject(fields);
		}
		expect((await page()).counts).toEqual({ block: 2, allow: 1 });
	});

	it('asks before removing, then removes', async () => {
		const entry = (await page('?list=allow')).entries[0];
		expect((await page(`?list=allow&remove=${entry.id}`)).confirming).toEqual({ id: entry.id, kind: 'product', label: 'GIFT-CARD' });
		expect((await page(`?list=allow&remove=00000000-0000-4000-8000-000000000000`)).confirming).toBeNull();
		expect(await post('remove', { id: entry.id })).toEqual({ status: 200, data: { action: 'remove', success: '“GIFT-CARD” is no longer on the allow list.' } });
		expect(await post('remove', { id: entry.id })).toEqual({ status: 404, data: { action: 'remove', error: 'This entry no longer exists.' } });
		expect(await post('remove', { id: 'nope' })).toMatchObject({ status: 404 });
		expect((await page('?list=allow')).entries).toEqual([]);
	});

	it('is for owners and admins: staff get a 403 from the page and from every action', async () => {
		const forbidden = async (run: () => Promise<unknown>) => {
			try {
				await run();
			} catch (e) {
				return isHttpError(e) ? e.status : e;
			}
			return 'allowed';
		};
		expect(await forbidden(() => page('', staff))).toBe(403);
		expect(await forbidden(() => post('add', { list: 'block', kind: 'email', value: 'a@b.c', reason: 'x' }, staff))).toBe(403);
		expect(await forbidden(() => post('remove', { id: 'x' }, staff))).toBe(403);
	});
});
