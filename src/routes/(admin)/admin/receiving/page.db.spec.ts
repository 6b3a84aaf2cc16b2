import { isActionFailure, isHttpError, type ActionFailure } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMember } from '$lib/server/auth/test-support';
import { createAppTestDatabase, type TestDatabase } from '$lib/server/db/test-db';
import { createReturn } from '$lib/server/returns/service';
import { createTestShop, insertTestOrder } from '$lib/server/test-fixtures';
import { actions, load } from './+page.server';
import { GET as photo } from './photos/[id]/+server';
import type { PageServerData } from './$types';

/** The warehouse page: scan a parcel, record what came back, see the photos. */

let t: TestDatabase;
let staff: App.Locals;
let outsider: App.Locals;
let n = 0;
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1]);
const url = (search = '') => new URL(`https://retour.example/admin/receiving${search}`);

beforeAll(async () => {
	t = await createAppTestDatabase('r'.repeat(64));
	const shop = await createTestShop(t.sql, 'receiving-page');
	const s = await createTestMember(t.sql, shop.id, 'staff', 'picker@receiving-page.example');
	staff = { user: { id: s.id, email: s.email, name: s.name }, session: null, shop, role: 'staff' };
	const other = await createTestShop(t.sql, 'receiving-elsewhere');
	const o = await createTestMember(t.sql, other.id, 'owner', 'owner@receiving-elsewhere.example');
	outsider = { user: { id: o.id, email: o.email, name: o.name }, session: null, shop: other, role: 'owner' };
});
afterAll(() => t?.close());

async function newReturn(reasons: string[]) {
	const shopId = staff.shop!.id;
	const o = await insertTestOrder(t.sql, shopId, {
		number: `P${++n}`,
		lines: reasons.map((_, i) => ({ title: `Article ${i + 1}`, quantity: 1, unitPrice: 2500, sku: `ART-${n}-${i}` }))
	});
	const r = await createReturn(
		t.sql,
		{
			shopId,
			orderId: o.orderId,
			channel: 'customer',
			resolution: 'refund',
			returnMethod: 'label',
			lines: reasons.map((reasonCode, i) => ({ orderLineId: o.lineIds[i], quantity: 1, reasonCode, requestedResolution: 'refund' as const }))
		},
		{ kind: 'customer' }
	);
	return { ...r, lines: o.lineIds.map((id) => r.lines.find((l) => l.orderLineId === id)!) };
}

async function page(search: string, who = staff) {
	return (await (load as (e: unknown) => Promise<unknown>)({ locals: who, url: url(search) })) as PageServerData;
}

async function inspect(fields: Record<string, string | Blob | (string | Blob)[]>, who = staff) {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) form.append(k, value);
	const request = new Request(url('?/inspect'), { method: 'POST', body: form });
	const result = await (actions.inspect as (e: unknown) => Promise<unknown>)({ locals: who, url: url('?/inspect'), params: {}, request });
	if (isActionFailure(result)) return { status: result.status, data: (result as unknown as ActionFailure<Record<string, unknown>>).data };
	return { status: 200, data: result as Record<string, unknown> };
}

describe('the receiving page', () => {
	it('finds the return from a scan, with the customer’s reason per line and which findings hold the refund', async () => {
		const r = await newReturn(['too_small', 'arrived_damaged']);
		const data = await page(`?code=${r.rma.replaceAll('-', '').toLowerCase()}`);
		expect(data.scanError).toBeNull();
		expect(data.scanned).toMatchObject({ rma: r.rma, inspected: false, receptionStatus: 'awaiting' });
		expect(data.scanned!.lines.map((l) => [l.title, l.reasonLabel.en])).toEqual([
			['Article 1', 'Too small'],
			['Article 2', 'Arrived damaged']
		]);
		expect(data.holding).toEqual({ [r.lines[0].id]: ['used', 'damaged', 'wrong_item', 'missing'], [r.lines[1].id]: ['used', 'wrong_item', 'missing'] });
		expect(data.conditions).toEqual(['new', 'opened', 'used', 'damaged', 'wrong_item', 'missing']);

		expect(await page('?code=R-0000-0000')).toMatchObject({ scanned: null, scanError: 'No return has the RMA or tracking number “R-0000-0000”. Check the code on the label, or type it.' });
		expect(await page('')).toMatchObject({ scanned: null, scanError: null, code: '' });
		// Another shop's staff find nothing.
		expect(await page(`?code=${r.rma}`, outsider)).toMatchObject({ scanned: null });
	});

	it('records the inspection with a photo, says what happened, and shows the findings after', async () => {
		const r = await newReturn(['too_small', 'changed_mind']);
		const [a, b] = r.lines.map((l) => l.id);
		const done = await inspect({
			returnId: r.id,
			line: [a, b],
			[`condition-${a}`]: 'new',
			[`disposition-${a}`]: 'restock',
			[`restock-${a}`]: '1',
			[`photos-${a}`]: new File([JPEG], 'label.jpg', { type: 'image/jpeg' }),
			[`condition-${b}`]: 'missing',
			[`photos-${b}`]: new File([], '', { type: 'application/octet-stream' }) // an empty file field, as browsers send it
		});
		expect(done).toEqual({
			status: 200,
			data: {
				action: 'inspect',
				returnId: r.id,
				success: `Inspection of ${r.rma} recorded: the return is held for a person, who decides the refund.`,
				outcome: { rma: r.rma, held: true, released: null, restocked: 0, photos: 1 }
			}
		});
		const after = await page(`?code=${r.rma}`);
		expect(after.scanned).toMatchObject({ inspected: true, receptionStatus: 'received', decisionStatus: 'on_hold' });
		const photoId = after.scanned!.lines[0].inspection!.photoIds[0];

		const served = await (photo as (e: unknown) => Promise<Response>)({ locals: staff, url: url(`/photos/${photoId}`), params: { id: photoId } });
		expect(served.headers.get('content-type')).toBe('image/jpeg');
		expect(new Uint8Array(await served.arrayBuffer())).toEqual(JPEG);
		const status = async (run: () => Promise<unknown>) => {
			try {
				await run();
			} catch (e) {
				return isHttpError(e) ? e.status : e;
			}
			return 'served';
		};
		expect(await status(() => (photo as (e: unknown) => Promise<Response>)({ locals: outsider, url: url(), params: { id: photoId } }))).toBe(404);

		// Sent again (a double click): refused, the findings stand.
		const again = await inspect({ returnId: r.id, line: [a], [`condition-${a}`]: 'used', [`disposition-${a}`]: 'discard' });
		expect(again).toMatchObject({
			status: 400,
			data: { field: 'lines[0]', errors: { [a]: { line: 'This line was already inspected: its findings stand.' } } }
		});
	});

	it('refuses a form with errors, naming each field, and gives the answers back', async () => {
		const r = await newReturn(['changed_mind', 'changed_mind']);
		const [a, b] = r.lines.map((l) => l.id);
		const refused = await inspect({
			returnId: r.id,
			line: [a, b],
			[`condition-${a}`]: 'used',
			[`note-${a}`]: 'Worn, tags cut',
			[`condition-${b}`]: 'opened',
			[`disposition-${b}`]: 'restock',
			[`restock-${b}`]: '4',
			[`photos-${b}`]: new File(['%PDF-1.7 a document'], 'scan.jpg', { type: 'image/jpeg' })
		});
		expect(refused).toMatchObject({
			status: 400,
			data: {
				action: 'inspect',
				field: 'lines[0].disposition',
				error: 'The inspection was not recorded: check the fields marked below.',
				errors: {
					[a]: { disposition: 'Choose what becomes of the item.' },
					[b]: { restock: 'Restock a whole number of units, from 1 to the quantity returned.' }
				},
				values: { [a]: { condition: 'used', disposition: '', note: 'Worn, tags cut', restock: '' } }
			}
		});
		// Once the form is right, the photo's real type is what refuses it; nothing is written.
		const photoRefused = await inspect({
			returnId: r.id,
			line: [a, b],
			[`condition-${a}`]: 'used',
			[`disposition-${a}`]: 'donate',
			[`condition-${b}`]: 'opened',
			[`disposition-${b}`]: 'restock',
			[`photos-${b}`]: new File(['%PDF-1.7 a document'], 'scan.jpg', { type: 'image/jpeg' })
		});
		expect(photoRefused).toMatchObject({ status: 400, data: { field: 'lines[1].photos[0]', errors: { [b]: { photos: expect.stringMatching(/not a JPEG/) } } } });
		expect((await page(`?code=${r.rma}`)).scanned).toMatchObject({ inspected: false, receptionStatus: 'awaiting' });
		expect(await inspect({ returnId: '00000000-0000-4000-8000-000000000000', line: [a] })).toMatchObject({ status: 404 });
	});

	it('is for the shop’s team: signed-out visitors are sent to sign in', async () => {
		const anonymous = { user: null, session: null, shop: null, role: null } as App.Locals;
		let thrown: unknown;
		try {
			await page('?code=R-0000-0000', anonymous);
		} catch (e) {
			thrown = e;
		}
		expect(thrown).toMatchObject({ status: 303, location: '/login?next=%2Fadmin%2Freceiving%3Fcode%3DR-0000-0000' });
		thrown = undefined;
		try {
			await inspect({ returnId: 'x' }, anonymous);
		} catch (e) {
			thrown = e;
		}
		expect(thrown).toMatchObject({ status: 303 });
	});
});
