import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertProduct } from '../catalogue/products';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { loadOrderForCustomer } from '../orders/customer-view';
import { cancelReturnForCustomer } from '../returns/customer';
import { ReturnError, transitionReturn } from '../returns/service';
import { createTestShop, insertTestOrder } from '../test-fixtures';
import { ConversationError } from './engine';
import { PhotoError, readPhoto, savePhoto } from './photos';
import { openConversation, replyToConversation } from './service';
import { listOrderConversations } from './staff';

/** What a finished conversation leaves behind: the exchange asked for, the device and its verdict, the photos, the way back. */

let t: TestDatabase;
let shopId: string;
let previousSecret: string | undefined;

beforeAll(async () => {
	previousSecret = process.env.RETURN_LINK_SECRET;
	process.env.RETURN_LINK_SECRET = 'o'.repeat(64);
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'conversation-outcome')).id;
});
afterAll(async () => {
	if (previousSecret === undefined) delete process.env.RETURN_LINK_SECRET;
	else process.env.RETURN_LINK_SECRET = previousSecret;
	await t.close();
});

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1]);

async function conversationOn(orderId: string, locale: 'en' | 'fr' = 'en') {
	const { conversation } = await openConversation(t.sql, { shopId, orderId, locale });
	return (reply: Parameters<typeof replyToConversation>[1]['reply']) => replyToConversation(t.sql, { shopId, conversationId: conversation.id, orderId, reply });
}

async function returnOf(orderId: string) {
	const [r] = await t.sql<{ id: string; return_method: string | null; rma: string }[]>`select id, return_method, rma from returns where order_id = ${orderId}`;
	const lines = await t.sql<{ id: string; exchange_variant_id: string | null; exchange_product_id: string | null; customer_comment: string | null }[]>`
		select id, exchange_variant_id, exchange_product_id, customer_comment from return_lines where return_id = ${r.id}`;
	const answers = await t.sql<{ question: string; text_value: string | null; number_value: string | null; device_id: string | null }[]>`
		select question, text_value, number_value, device_id from return_answers where return_line_id = ${lines[0].id} order by question`;
	return { ...r, lines, answers };
}

describe('the outcome of a conversation', () => {
	it('records the size exchange it suggested (the next size up in stock), the answers and the way back', async () => {
		const product = await upsertProduct(t.sql, shopId, 'out-jeans', {
			title: 'Jean droit',
			options: ['Waist', 'Length'],
			variants: ['W30', 'W31', 'W32', 'W33'].map((w) => ({
				externalId: `out-${w}`,
				sku: `OUT-${w}`,
				price: eur(8900),
				options: { Waist: w, Length: 'L32' },
				inventoryQuantity: w === 'W32' ? 0 : 3
			}))
		});
		const variant = (sku: string) => product.product.variants.find((v: { sku: string }) => v.sku === sku)!.id;
		const o = await insertTestOrder(t.sql, shopId, { number: 'out-1', lines: [{ title: 'Jean droit', quantity: 1, unitPrice: 8900, productId: product.product.id, variantId: variant('OUT-W31') }] });
		const say = await conversationOn(o.orderId);
		await say({ actionId: 'items', values: { items: [{ id: o.lineIds[0], quantity: 1 }] } });
		expect((await say({ text: 'Way too tight at the waist, I can’t button it' })).state).toBe('fit');
		const offers = await say({ actionId: 'size_unsure' });
		// W32 is sold out: the next size up in stock is W33.
		expect(offers.messages.map((m) => m.text)).toContain('Then I suggest W33.');
		expect(offers.actions[0]).toMatchObject({ id: 'offer:exchange_variant', label: 'Exchange for size W33' });
		await say({ actionId: 'offer:exchange_variant' });
		const summary = await say({ actionId: 'method', values: { choice: 'drop_off' } });
		expect(summary.quote).toMatchObject({ currency: 'EUR', total: 8900 });
		await say({ actionId: 'confirm', values: { expectedTotal: 8900 } });
		const r = await returnOf(o.orderId);
		expect(r.return_method).toBe('drop_off');
		expect(r.lines[0]).toMatchObject({ exchange_variant_id: variant('OUT-W33'), customer_comment: 'Way too tight at the waist, I can’t button it' });
		expect(r.answers.map((a) => [a.question, a.text_value])).toEqual([
			['fit.direction', 'too_small'],
			['fit.wanted_size', 'W33']
		]);
	});

	it('refuses to confirm an exchange for a size that sold out since it was offered, and writes nothing', async () => {
		const product = await upsertProduct(t.sql, shopId, 'out-jeans-2', {
			title: 'Jean large',
			options: ['Waist'],
			variants: ['W30', 'W31'].map((w) => ({ externalId: `out2-${w}`, sku: `OUT2-${w}`, price: eur(7900), options: { Waist: w }, inventoryQuantity: 1 }))
		});
		const [w30, w31] = ['OUT2-W30', 'OUT2-W31'].map((sku) => product.product.variants.find((v: { sku: string }) => v.sku === sku)!.id);
		const o = await insertTestOrder(t.sql, shopId, { number: 'out-8', lines: [{ title: 'Jean large', quantity: 1, unitPrice: 7900, productId: product.product.id, variantId: w30 }] });
		const say = await conversationOn(o.orderId);
		await say({ actionId: 'items', values: { items: [{ id: o.lineIds[0], quantity: 1 }] } });
		await say({ actionId: 'reason', values: { choice: 'too_small' } });
		await say({ actionId: 'size', values: { size: w31 } });
		await say({ actionId: 'offer:exchange_variant' });
		await say({ actionId: 'method', values: { choice: 'label' } });
		await t.sql`update variants set inventory_quantity = 0 where id = ${w31}`;
		await expect(say({ actionId: 'confirm' })).rejects.toThrow('Size W31 has just sold out: choose another option (“Change my choice”)');
		expect((await t.sql`select 1 from returns where order_id = ${o.orderId}`).length).toBe(0);
		// The conversation is still at its summary: the customer can change their choice.
		const back = await say({ actionId: 'back_to_offers' });
		expect(back.actions.map((a) => a.id)).toContain('refund');
	});

	describe('a cable that does not work with the customer’s phone', () => {
		let cable: string;
		let lightning: string;
		let galaxy: string;
		let iphone: string;
		beforeAll(async () => {
			const cableProduct = (externalId: string, title: string, connectorB: string) =>
				upsertProduct(t.sql, shopId, externalId, {
					title,
					category: 'electronics/cables',
					attributes: { connector_a: 'usb-c', connector_b: connectorB, max_watts: 60, usb_pd: true },
					variants: [{ externalId: `${externalId}-v`, sku: externalId.toUpperCase(), price: eur(1990), inventoryQuantity: 10 }]
				});
			cable = (await cableProduct('out-cable-cc', 'Câble USB-C vers USB-C', 'usb-c')).product.id;
			lightning = (await cableProduct('out-cable-cl', 'Câble USB-C vers Lightning', 'lightning')).product.id;
			[{ id: galaxy }, { id: iphone }] = await t.sql<{ id: string }[]>`
				insert into devices (shop_id, brand, model, kind, ports, charging_protocols, max_charging_watts)
				values (${shopId}, 'Samsung', 'Galaxy S23', 'phone', '{usb-c}', '{usb-pd,pps}', 25),
					(${shopId}, 'Apple', 'iPhone 13', 'phone', '{lightning}', '{usb-pd}', 20)
				on conflict (shop_id, brand, model) do update set ports = excluded.ports, charging_protocols = excluded.charging_protocols,
					max_charging_watts = excluded.max_charging_watts
				returning id`;
		});
		const order = (number: string) =>
			insertTestOrder(t.sql, shopId, { number, lines: [{ title: 'Câble USB-C vers USB-C', quantity: 1, unitPrice: 1990, productId: cable }] });

		it('that fits after all: the check says so, the customer keeps it, nothing is returned (prevented)', async () => {
			const o = await order('out-2');
			const say = await conversationOn(o.orderId);
			await say({ actionId: 'items', values: { items: [{ id: o.lineIds[0], quantity: 1 }] } });
			const device = await say({ actionId: 'reason', values: { choice: 'incompatible_device' } });
			expect(device.state).toBe('device');
			expect(device.actions[0].options).toEqual(
				expect.arrayContaining([
					{ id: iphone, label: 'Apple iPhone 13' },
					{ id: galaxy, label: 'Samsung Galaxy S23' }
				])
			);
			const checked = await say({ actionId: 'device', values: { choice: galaxy } });
			expect(checked.messages.map((m) => m.text)).toContain('It fits: its USB-C end fits your Samsung Galaxy S23; it charges it at full speed (25 W).');
			expect(checked.actions[0]).toMatchObject({ id: 'offer:fix', label: 'Good to know — I’ll keep it' });
			expect(checked.actions.map((a) => a.kind)).toContain('refund');
			const done = await say({ actionId: 'offer:fix' });
			expect(done).toMatchObject({ state: 'prevented', return: null });
			expect((await t.sql`select 1 from returns where order_id = ${o.orderId}`).length).toBe(0);
		});

		it('that stopped working: a tip first, then the return records what happened', async () => {
			const o = await order('out-10');
			const say = await conversationOn(o.orderId, 'fr');
			await say({ actionId: 'items', values: { items: [{ id: o.lineIds[0], quantity: 1 }] } });
			const asked = await say({ actionId: 'reason', values: { choice: 'defective' } });
			expect(asked).toMatchObject({ state: 'symptom' });
			expect(asked.messages.at(-1)!.text).toBe('Que se passe-t-il exactement ?');
			const tip = await say({ actionId: 'symptom', values: { choice: 'intermittent' } });
			expect(tip.state).toBe('troubleshoot');
			expect(tip.actions.slice(0, 2).map((a) => a.label)).toEqual(['Oui, c’est réglé', 'Non, ça ne marche toujours pas']);
			await say({ actionId: 'tip_failed' });
			await say({ actionId: 'refund' });
			await say({ actionId: 'method', values: { choice: 'label' } });
			await say({ actionId: 'confirm' });
			const r = await returnOf(o.orderId);
			expect(r.answers.map((a) => [a.question, a.text_value])).toEqual([['device.symptom', 'intermittent']]);
		});

		it('that does not: the exchange names the cable that fits, and the return records it and the device', async () => {
			const o = await order('out-3');
			const say = await conversationOn(o.orderId);
			await say({ actionId: 'items', values: { items: [{ id: o.lineIds[0], quantity: 1 }] } });
			await say({ actionId: 'reason', values: { choice: 'incompatible_device' } });
			const checked = await say({ actionId: 'device', values: { choice: iphone } });
			expect(checked.messages.map((m) => m.text)).toContain('It does not fit: it needs a USB-C port, and your Apple iPhone 13 has Lightning.');
			expect(checked.actions.map((a) => a.id)).not.toContain('offer:fix');
			expect(checked.actions.find((a) => a.id === 'offer:exchange_product')!.label).toBe('Exchange for another product: Câble USB-C vers Lightning');
			await say({ actionId: 'offer:exchange_product' });
			await say({ actionId: 'method', values: { choice: 'label' } });
			await say({ actionId: 'confirm' });
			const r = await returnOf(o.orderId);
			expect(r.lines[0].exchange_product_id).toBe(lightning);
			expect(r.answers.map((a) => [a.question, a.text_value ?? a.device_id])).toEqual([
				['device.model', iphone],
				['device.verdict', 'incompatible']
			]);
		});
	});

	it('takes photos of damage checked by their content, keeps them in the database for this order only, and records them', async () => {
		const o = await insertTestOrder(t.sql, shopId, { number: 'out-4', lines: [{ title: 'Chargeur 65 W', quantity: 1, unitPrice: 3990 }] });
		const other = await insertTestOrder(t.sql, shopId, { number: 'out-5', lines: [{ title: 'Chargeur 65 W', quantity: 1, unitPrice: 3990 }] });
		const { conversation } = await openConversation(t.sql, { shopId, orderId: o.orderId, locale: 'en' });
		const say = (reply: Parameters<typeof replyToConversation>[1]['reply']) => replyToConversation(t.sql, { shopId, conversationId: conversation.id, reply });
		await say({ actionId: 'items', values: { items: [{ id: o.lineIds[0], quantity: 1 }] } });
		const photos = await say({ actionId: 'reason', values: { choice: 'arrived_damaged' } });
		expect(photos.state).toBe('photos');
		expect(photos.actions.slice(0, 2).map((a) => a.kind)).toEqual(['photo', 'choice']);

		const save = (bytes: Uint8Array, orderId = o.orderId) => savePhoto(t.sql, { shopId, orderId, conversationId: conversation.id, bytes });
		// A PDF named .jpg, an empty file, a picture too large, a conversation of another order: each refused, saying why.
		await expect(save(new TextEncoder().encode('%PDF-1.7 not a picture at all'))).rejects.toMatchObject({ code: 'unsupported_type' });
		await expect(save(new Uint8Array())).rejects.toMatchObject({ code: 'empty' });
		const huge = new Uint8Array(10 * 1024 * 1024 + 1);
		huge.set(PNG);
		await expect(save(huge)).rejects.toMatchObject({ code: 'too_large', message: 'The photo is 10.0 MB; the limit is 10 MB' });
		await expect(save(PNG, other.orderId)).rejects.toBeInstanceOf(PhotoError);
		const saved = await save(PNG);
		expect(saved).toMatchObject({ contentType: 'image/png', byteSize: PNG.length });
		expect(saved.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(await readPhoto(t.sql, shopId, other.orderId, saved.id)).toBeNull();
		expect(Buffer.from((await readPhoto(t.sql, shopId, o.orderId, saved.id))!.bytes).equals(Buffer.from(PNG))).toBe(true);

		await expect(say({ actionId: 'photos', values: { photoIds: ['b7f9a0c2-1111-4222-8333-944455556666'] } })).rejects.toBeInstanceOf(ConversationError);
		const offers = await say({ actionId: 'photos', values: { photoIds: [saved.id] } });
		expect(offers.state).toBe('offers');
		await say({ actionId: 'refund' });
		await say({ actionId: 'method', values: { choice: 'label' } });
		await say({ actionId: 'confirm' });
		const r = await returnOf(o.orderId);
		expect(r.answers.map((a) => [a.question, Number(a.number_value)])).toEqual([['evidence.photos', 1]]);
		// Finished: no more photos.
		await expect(save(PNG)).rejects.toMatchObject({ code: 'finished' });
	});

	it('lets the customer cancel until the parcel ships, with the event in the return’s timeline', async () => {
		const o = await insertTestOrder(t.sql, shopId, { number: 'out-6', lines: [{ title: 'Robe', quantity: 2, unitPrice: 6000 }] });
		const submit = async () => {
			const say = await conversationOn(o.orderId);
			await say({ actionId: 'items', values: { items: [{ id: o.lineIds[0], quantity: 1 }] } });
			await say({ actionId: 'reason', values: { choice: 'changed_mind' } });
			await say({ actionId: 'refund' });
			await say({ actionId: 'method', values: { choice: 'label' } });
			return (await say({ actionId: 'confirm' })).return!;
		};
		const first = await submit();
		const [{ id: firstId }] = await t.sql<{ id: string }[]>`select id from returns where rma = ${first.rma}`;
		let view = (await loadOrderForCustomer(t.sql, o.orderId))!;
		expect(view.returns[0]).toMatchObject({ rma: first.rma, canCancel: true, resolution: 'refund', total: 6000, returnMethod: 'label' });
		await cancelReturnForCustomer(t.sql, { shopId, orderId: o.orderId, returnId: firstId });
		view = (await loadOrderForCustomer(t.sql, o.orderId))!;
		expect(view.returns[0]).toMatchObject({ status: 'cancelled', canCancel: false });
		expect(view.returns[0].timeline.map((e) => [e.type, e.to])).toEqual([
			['created', null],
			['decision', 'accepted'],
			['decision', 'cancelled'],
			['closed', null]
		]);
		const [event] = await t.sql<{ actor_kind: string }[]>`select actor_kind from return_events where return_id = ${firstId} and type = 'return.decision_changed' and payload->>'to' = 'cancelled'`;
		expect(event.actor_kind).toBe('customer');

		// The units came back: a second return, whose parcel is then on its way — too late to cancel.
		const second = await submit();
		const [{ id: secondId }] = await t.sql<{ id: string }[]>`select id from returns where rma = ${second.rma}`;
		await transitionReturn(t.sql, { shopId, returnId: secondId, machine: 'reception', to: 'in_transit' }, { kind: 'system' });
		await expect(cancelReturnForCustomer(t.sql, { shopId, orderId: o.orderId, returnId: secondId })).rejects.toThrow(ReturnError);
		// Another order's link cannot cancel it either.
		const other = await insertTestOrder(t.sql, shopId, { number: 'out-7', lines: [{ title: 'Robe', quantity: 1, unitPrice: 6000 }] });
		await expect(cancelReturnForCustomer(t.sql, { shopId, orderId: other.orderId, returnId: firstId })).rejects.toMatchObject({ code: 'return_not_found' });
	});

	it('replaces a damaged item by the same one, recorded as an exchange for its own variant', async () => {
		const charger = await upsertProduct(t.sql, shopId, 'out-charger', {
			title: 'Chargeur USB-C 65 W',
			category: 'electronics/chargers',
			variants: [{ externalId: 'out-charger-v', sku: 'OUT-CHARGER', price: eur(4490), inventoryQuantity: 4 }]
		});
		const variantId = charger.product.variants[0].id;
		const o = await insertTestOrder(t.sql, shopId, { number: 'out-12', lines: [{ title: 'Chargeur USB-C 65 W', quantity: 1, unitPrice: 4490, productId: charger.product.id, variantId }] });
		const say = await conversationOn(o.orderId);
		await say({ actionId: 'items', values: { items: [{ id: o.lineIds[0], quantity: 1 }] } });
		await say({ actionId: 'reason', values: { choice: 'arrived_damaged' } });
		const offers = await say({ actionId: 'skip_photos' });
		expect(offers.actions.find((a) => a.id === 'offer:exchange_variant')!.label).toBe('A replacement: the same item, sent again');
		await say({ actionId: 'offer:exchange_variant' });
		await say({ actionId: 'method', values: { choice: 'label' } });
		await say({ actionId: 'confirm' });
		expect((await returnOf(o.orderId)).lines[0].exchange_variant_id).toBe(variantId);
	});

	it('records the product the customer picked for an exchange for another product', async () => {
		const dress = (externalId: string, title: string, stock: number, finalSale = false) =>
			upsertProduct(t.sql, shopId, externalId, {
				title,
				category: 'clothing/dresses',
				finalSale,
				variants: [{ externalId: `${externalId}-v`, sku: externalId.toUpperCase(), price: eur(7900), inventoryQuantity: stock }]
			});
		const wrap = (await dress('out-wrap', 'Robe portefeuille', 3)).product.id;
		const linen = (await dress('out-linen', 'Robe en lin', 2)).product.id;
		await dress('out-silk', 'Robe en soie', 0); // sold out
		await dress('out-sale', 'Robe soldée', 5, true); // final sale
		const o = await insertTestOrder(t.sql, shopId, { number: 'out-11', lines: [{ title: 'Robe portefeuille', quantity: 1, unitPrice: 7900, productId: wrap }] });
		const say = await conversationOn(o.orderId);
		await say({ actionId: 'items', values: { items: [{ id: o.lineIds[0], quantity: 1 }] } });
		await say({ actionId: 'reason', values: { choice: 'not_as_pictured' } });
		const pick = await say({ actionId: 'offer:exchange_product' });
		expect(pick.state).toBe('product');
		expect(pick.actions[0].options).toEqual([{ id: linen, label: 'Robe en lin' }]);
		await say({ actionId: 'product', values: { choice: linen } });
		await say({ actionId: 'method', values: { choice: 'drop_off' } });
		await say({ actionId: 'confirm' });
		expect((await returnOf(o.orderId)).lines[0].exchange_product_id).toBe(linen);
	});

	it('keeps a request to talk to a person with its transcript, for staff', async () => {
		const o = await insertTestOrder(t.sql, shopId, { number: 'out-9', lines: [{ title: 'Robe', quantity: 1, unitPrice: 6000 }] });
		const say = await conversationOn(o.orderId);
		await say({ actionId: 'items', values: { items: [{ id: o.lineIds[0], quantity: 1 }] } });
		const handed = await say({ actionId: 'handoff' });
		expect(handed).toMatchObject({ state: 'handoff', actions: [] });
		const [c] = await listOrderConversations(t.sql, shopId, o.orderId);
		expect(c).toMatchObject({ step: 'handoff', rma: null, photos: 0 });
		expect(c.handoffRequestedAt).toBeInstanceOf(Date);
		expect(c.transcript.map((m) => m.text)).toEqual([
			'Hello! Which items would you like to return?',
			'1 × Robe',
			'What is wrong with them? Pick a reason or tell me in your own words.',
			'Talk to a person',
			'I have passed your request to the team; a person will answer you here and by email.'
		]);
	});
});
