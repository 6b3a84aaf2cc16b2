import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actions, ConversationError, reply, start, type ConversationState, type Decision, type Resolution } from './engine';
import { testContext } from './test-context';

const context = testContext;

describe('the conversation', () => {
	it('takes a one-item “changed my mind” refund with a label in five interactions', () => {
		const c = context();
		let s = start(c);
		s = reply(c, s, { actionId: 'items', values: { items: [{ id: 'jean', quantity: 1 }] } });
		s = reply(c, s, { actionId: 'reason', values: { choice: 'changed_mind' } });
		expect(actions(c, s).map((a) => a.id)).toEqual(['offer:exchange_variant', 'offer:store_credit', 'refund', 'handoff', 'cancel']);
		s = reply(c, s, { actionId: 'refund' });
		s = reply(c, s, { actionId: 'method', values: { choice: 'label' } });
		s = reply(c, s, { actionId: 'confirm' });
		expect(s).toMatchObject({ step: 'submitted', resolution: 'refund', method: 'label', reason: 'changed_mind', interactions: 5 });
		expect(s.transcript.map((m) => m.role)).toEqual(['assistant', 'customer', 'assistant', 'customer', 'assistant', 'customer', 'assistant', 'customer', 'assistant', 'customer', 'assistant']);
	});

	it('offers only returnable items and refuses bad picks, saying what is wrong', () => {
		const c = context();
		const s = start(c);
		expect(actions(c, s)[0].options).toEqual([
			{ id: 'jean', label: 'Slim jeans W31', max: 2 },
			{ id: 'cable', label: 'USB-C cable', max: 1 }
		]);
		const bad: [unknown, RegExp][] = [
			[{ items: [] }, /at least one item/],
			[{ items: [{ id: 'gone', quantity: 1 }] }, /items\[0\]\.id is not one of the returnable items/],
			[{ items: [{ id: 'jean', quantity: 3 }] }, /items\[0\]\.quantity must be a whole number from 1 to 2/],
			[{ items: [{ id: 'jean', quantity: 1 }, { id: 'jean', quantity: 1 }] }, /twice/]
		];
		for (const [values, message] of bad) {
			expect(() => reply(c, s, { actionId: 'items', values: values as Record<string, unknown> })).toThrow(message);
		}
		expect(() => reply(c, s, { actionId: 'refund' })).toThrow(new ConversationError('unknown_action', '"refund" is not one of the actions on offer: items, handoff, cancel'));
	});

	it('understands free text when sure, and asks to pick when not', () => {
		const c = context();
		const s = reply(c, start(c), { actionId: 'items', values: { items: [{ id: 'jean', quantity: 1 }] } });
		expect(reply(c, s, { text: 'way too small for me' })).toMatchObject({ step: 'offers', reason: 'too_small' });
		const unsure = reply(c, s, { text: 'meh' });
		expect(unsure).toMatchObject({ step: 'reason', reason: null, suggestedReasons: ['changed_mind', 'too_small'] });
		expect(actions(c, unsure)[0].options!.map((o) => o.id)).toEqual(['too_small', 'changed_mind']);
	});

	it('refuses politely with the policy’s reason when nothing can go back', () => {
		const c = context({}, { eligibility: 'not_eligible', offers: [], explanation: 'Not eligible: delivered 75 days ago, after the 30-day window.' });
		let s = reply(c, start(c), { actionId: 'items', values: { items: [{ id: 'jean', quantity: 1 }] } });
		s = reply(c, s, { actionId: 'reason', values: { choice: 'changed_mind' } });
		expect(s.step).toBe('refused');
		expect(s.transcript.at(-1)!.text).toBe('I am sorry, these items cannot be returned. Not eligible: delivered 75 days ago, after the 30-day window.');
		expect(actions(c, s)).toEqual([]);
		expect(() => reply(c, s, { actionId: 'handoff' })).toThrow(/finished/);
	});

	it('asks which size would fit before offering, for a size problem on an item with other sizes', () => {
		const c = context({
			lines: [
				{ id: 'jean', title: 'Slim jeans W31', returnable: 1, sizes: [{ id: 'v32', label: 'W32' }, { id: 'v33', label: 'W33' }] },
				{ id: 'cable', title: 'USB-C cable', returnable: 1 }
			]
		});
		let s = reply(c, start(c), { actionId: 'items', values: { items: [{ id: 'jean', quantity: 1 }] } });
		s = reply(c, s, { text: 'way too small' });
		expect(s.step).toBe('fit');
		expect(actions(c, s).slice(0, 3)).toEqual([
			{ id: 'size', label: 'Which size would fit you?', kind: 'size', options: [{ id: 'v32', label: 'W32' }, { id: 'v33', label: 'W33' }] },
			{ id: 'usual_size', label: 'The size I usually wear', kind: 'text' },
			{ id: 'size_unsure', label: 'I’m not sure — suggest one', kind: 'choice' }
		]);
		// The size they usually wear, typed: found among the sizes in stock, or asked again.
		expect(reply(c, s, { actionId: 'usual_size', values: { text: 'w33' } })).toMatchObject({ step: 'offers', wantedSize: 'v33' });
		const unknown = reply(c, s, { actionId: 'usual_size', values: { text: 'XXL' } });
		expect(unknown).toMatchObject({ step: 'fit' });
		expect(unknown.transcript.at(-1)!.text).toBe('I can’t find XXL in stock for this item. Pick one of the sizes above, or let me suggest one.');
		expect(() => reply(c, s, { actionId: 'size', values: { size: 'v99' } })).toThrow(/Choose one of the sizes: v32, v33/);
		const picked = reply(c, s, { actionId: 'size', values: { size: 'v33' } });
		expect(picked).toMatchObject({ step: 'offers', wantedSize: 'v33' });
		expect(actions(c, picked)[0].label).toBe('Exchange for size W33');
		expect(reply(c, s, { actionId: 'size_unsure' })).toMatchObject({ step: 'offers', wantedSize: null });
		// No size question for another reason, or for an item without sizes.
		expect(reply(c, reply(c, start(c), { actionId: 'items', values: { items: [{ id: 'jean', quantity: 1 }] } }), { actionId: 'reason', values: { choice: 'changed_mind' } }).step).toBe('offers');
		expect(reply(c, reply(c, start(c), { actionId: 'items', values: { items: [{ id: 'cable', quantity: 1 }] } }), { actionId: 'reason', values: { choice: 'too_small' } }).step).toBe('offers');
	});

	it('settles a compatibility problem with the device check: it fits → kept (prevented); it does not → the product that fits', () => {
		const devices = [
			{ id: 'galaxy', label: 'Samsung Galaxy S23' },
			{ id: 'iphone13', label: 'Apple iPhone 13' }
		];
		const c = context({
			lines: [
				{ id: 'jean', title: 'Slim jeans W31', returnable: 1 },
				{ id: 'cable', title: 'USB-C cable', returnable: 1, accessory: true }
			],
			devices,
			checkDevice: (lineId, deviceId) =>
				deviceId === 'galaxy'
					? { verdict: 'compatible', sentence: 'It fits: its USB-C end fits your Samsung Galaxy S23.', alternative: null }
					: { verdict: 'incompatible', sentence: 'It does not fit: it needs a USB-C port.', alternative: 'USB-C to Lightning cable' }
		}, {
			offers: [
				{ resolution: 'fix', label: 'Let’s solve it' },
				{ resolution: 'exchange_product', label: 'Exchange for another product' },
				{ resolution: 'refund', label: 'Refund of €19.90' }
			]
		});
		let s = reply(c, start(c), { actionId: 'items', values: { items: [{ id: 'cable', quantity: 1 }] } });
		s = reply(c, s, { actionId: 'reason', values: { choice: 'incompatible_device' } });
		expect(s.step).toBe('device');
		expect(actions(c, s)[0]).toEqual({ id: 'device', label: 'Which device do you use it with?', kind: 'choice', options: devices });
		expect(() => reply(c, s, { actionId: 'device', values: { choice: 'nokia' } })).toThrow(/Choose one of the devices: galaxy, iphone13/);

		const fits = reply(c, s, { actionId: 'device', values: { choice: 'galaxy' } });
		expect(fits.transcript.map((m) => m.text)).toContain('It fits: its USB-C end fits your Samsung Galaxy S23.');
		expect(actions(c, fits).slice(0, 3).map((a) => [a.id, a.label])).toEqual([
			['offer:fix', 'Good to know — I’ll keep it'],
			['offer:exchange_product', 'Exchange for another product'],
			['refund', 'No thanks, I’d like a refund — Refund of €19.90']
		]);
		expect(reply(c, fits, { actionId: 'offer:fix' })).toMatchObject({ step: 'prevented', resolution: 'fix' });

		const not = reply(c, s, { actionId: 'device', values: { choice: 'iphone13' } });
		// No "fix" without a concrete one, even when the policy lists it; the exchange names the product that fits.
		expect(actions(c, not).slice(0, 2).map((a) => [a.id, a.label])).toEqual([
			['offer:exchange_product', 'Exchange for another product: USB-C to Lightning cable'],
			['refund', 'No thanks, I’d like a refund — Refund of €19.90']
		]);
		// A device that is not listed: straight to the offers, no verdict.
		expect(reply(c, s, { actionId: 'device_unlisted' })).toMatchObject({ step: 'offers', device: null });
		// No device question for an item that is not an accessory.
		let jean = reply(c, start(c), { actionId: 'items', values: { items: [{ id: 'jean', quantity: 1 }] } });
		jean = reply(c, jean, { actionId: 'reason', values: { choice: 'incompatible_device' } });
		expect(jean.step).toBe('offers');
		expect(actions(c, jean).map((a) => a.id)).not.toContain('offer:fix');
	});

	it('troubleshoots a cable that does not work: the tip settles it (prevented), or the offers follow', () => {
		const c = context({ lines: [{ id: 'cable', title: 'USB-C cable', returnable: 1, accessory: true }] });
		let s = reply(c, start(c), { actionId: 'items', values: { items: [{ id: 'cable', quantity: 1 }] } });
		s = reply(c, s, { actionId: 'reason', values: { choice: 'defective' } });
		expect(s.step).toBe('symptom');
		expect(actions(c, s)[0].options!.map((o) => o.id)).toEqual(['no_charge', 'slow', 'intermittent', 'dead']);
		s = reply(c, s, { actionId: 'symptom', values: { choice: 'no_charge' } });
		expect(s).toMatchObject({ step: 'troubleshoot', symptom: 'no_charge' });
		expect(s.transcript.at(-1)!.text).toMatch(/^Let’s try one thing first: plug it straight into a wall charger/);
		expect(reply(c, s, { actionId: 'tip_worked' })).toMatchObject({ step: 'prevented', resolution: 'fix' });
		const failed = reply(c, s, { actionId: 'tip_failed' });
		expect(failed.step).toBe('offers');
		expect(actions(c, failed).map((a) => a.kind)).toContain('refund');
	});

	it('asks for photos of a wrong item, accepts only photos uploaded in this conversation, and goes on without', () => {
		const c = context();
		let s = reply(c, start(c), { actionId: 'items', values: { items: [{ id: 'cable', quantity: 1 }] } });
		s = reply(c, s, { actionId: 'reason', values: { choice: 'wrong_item' } });
		expect(s.step).toBe('photos');
		expect(actions(c, s).slice(0, 2).map((a) => [a.id, a.kind])).toEqual([
			['photos', 'photo'],
			['skip_photos', 'choice']
		]);
		expect(() => reply(c, s, { actionId: 'photos', values: { photoIds: [] } })).toThrow(/Send 1 to 6 photos/);
		expect(() => reply(c, s, { actionId: 'photos', values: { photoIds: ['p1', 'someone-elses'] } })).toThrow(/"someone-elses" is not a photo uploaded in this conversation/);
		const sent = reply(c, s, { actionId: 'photos', values: { photoIds: ['p1', 'p2', 'p1'] } });
		expect(sent).toMatchObject({ step: 'offers', photoIds: ['p1', 'p2'] });
		expect(sent.transcript.at(-2)).toEqual({ role: 'customer', text: '2 photos' });
		expect(reply(c, s, { actionId: 'skip_photos' })).toMatchObject({ step: 'offers', photoIds: [] });
	});

	it('suggests the next size up when the customer is not sure, or two up when they say so', () => {
		const c = context({
			lines: [
				{
					id: 'jean',
					title: 'Slim jeans W31',
					returnable: 1,
					sizes: [{ id: 'v30', label: 'W30' }, { id: 'v32', label: 'W32' }, { id: 'v33', label: 'W33' }],
					suggestedSizes: { too_small: 'v32', too_large: 'v30', 'too_small:2': 'v33' }
				}
			]
		});
		let fit = reply(c, start(c), { actionId: 'items', values: { items: [{ id: 'jean', quantity: 1 }] } });
		fit = reply(c, fit, { actionId: 'reason', values: { choice: 'too_small' } });
		expect(actions(c, fit).find((a) => a.id === 'size_by')!.options).toEqual([
			{ id: '1', label: 'About one size too small' },
			{ id: '2', label: 'About two sizes too small' }
		]);
		expect(reply(c, fit, { actionId: 'size_by', values: { choice: '2' } })).toMatchObject({ step: 'offers', wantedSize: 'v33' });
		let s = reply(c, start(c), { actionId: 'items', values: { items: [{ id: 'jean', quantity: 1 }] } });
		s = reply(c, s, { actionId: 'reason', values: { choice: 'too_small' } });
		s = reply(c, s, { actionId: 'size_unsure' });
		expect(s).toMatchObject({ step: 'offers', wantedSize: 'v32' });
		expect(s.transcript.map((m) => m.text)).toContain('Then I suggest W32.');
		expect(actions(c, s)[0].label).toBe('Exchange for size W32');
	});

	it('shows the sizes in the direction of the problem: bigger ones for too small, smaller ones for too large', () => {
		const sizes = [{ id: 'v29', label: 'W29' }, { id: 'v30', label: 'W30' }, { id: 'v32', label: 'W32' }, { id: 'v33', label: 'W33' }];
		const c = context({ lines: [{ id: 'jean', title: 'Slim jeans W31', returnable: 1, sizes, smallerSizes: 2 }] });
		const at = (reason: string) => {
			const s = reply(c, reply(c, start(c), { actionId: 'items', values: { items: [{ id: 'jean', quantity: 1 }] } }), { actionId: 'reason', values: { choice: reason } });
			return actions(c, s)[0].options!.map((o) => o.label);
		};
		expect(at('too_small')).toEqual(['W32', 'W33']);
		expect(at('too_large')).toEqual(['W29', 'W30']);
	});

	it('asks which size when the customer takes a size exchange the reason did not ask about', () => {
		const c = context({ lines: [{ id: 'jean', title: 'Slim jeans W31', returnable: 1, sizes: [{ id: 'v32', label: 'W32' }] }] });
		let s = reply(c, start(c), { actionId: 'items', values: { items: [{ id: 'jean', quantity: 1 }] } });
		s = reply(c, s, { actionId: 'reason', values: { choice: 'changed_mind' } });
		s = reply(c, s, { actionId: 'offer:exchange_variant' });
		expect(s).toMatchObject({ step: 'fit', resolution: 'exchange_variant' });
		s = reply(c, s, { actionId: 'size', values: { size: 'v32' } });
		expect(s).toMatchObject({ step: 'method', resolution: 'exchange_variant', wantedSize: 'v32' });
		// Changed their mind after all: back to the options, the refund among them.
		s = reply(c, s, { actionId: 'back_to_offers' });
		expect(s).toMatchObject({ step: 'offers', resolution: null });
		expect(actions(c, s).map((a) => a.id)).toContain('refund');
	});

	it('lets the customer pick the product for an exchange for another product, and names it', () => {
		const c = context(
			{ lines: [{ id: 'dress', title: 'Wrap dress', returnable: 1, alternatives: [{ id: 'p1', label: 'Linen dress' }, { id: 'p2', label: 'Shirt dress' }] }] },
			{ offers: [{ resolution: 'exchange_product', label: 'Exchange for another product' }, { resolution: 'refund', label: 'Refund of €79.00' }] }
		);
		let s = reply(c, start(c), { actionId: 'items', values: { items: [{ id: 'dress', quantity: 1 }] } });
		s = reply(c, s, { actionId: 'reason', values: { choice: 'changed_mind' } });
		s = reply(c, s, { actionId: 'offer:exchange_product' });
		expect(s.step).toBe('product');
		expect(actions(c, s)[0].options).toEqual([
			{ id: 'p1', label: 'Linen dress' },
			{ id: 'p2', label: 'Shirt dress' }
		]);
		expect(() => reply(c, s, { actionId: 'product', values: { choice: 'p9' } })).toThrow(/Choose one of the products: p1, p2/);
		s = reply(c, s, { actionId: 'product', values: { choice: 'p2' } });
		expect(s).toMatchObject({ step: 'method', wantedProduct: 'p2' });
		s = reply(c, s, { actionId: 'method', values: { choice: 'label' } });
		expect(s.transcript.at(-1)!.text).toBe('Here is your return: 1 × Wrap dress. Exchange for another product: Shirt dress. A prepaid label. Shall I confirm it?');
	});

	it('offers a replacement by the same item for a damaged one, even when it comes in no other size', () => {
		const c = context({ lines: [{ id: 'charger', title: 'USB-C charger', returnable: 1, exchangeable: false, replaceable: true, variantId: 'v1' }] }, {
			offers: [
				{ resolution: 'exchange_variant', label: 'Exchange for another size or colour' },
				{ resolution: 'refund', label: 'Refund of €44.90' }
			]
		});
		let s = reply(c, start(c), { actionId: 'items', values: { items: [{ id: 'charger', quantity: 1 }] } });
		s = reply(c, s, { actionId: 'reason', values: { choice: 'arrived_damaged' } });
		s = reply(c, s, { actionId: 'skip_photos' });
		expect(actions(c, s)[0]).toMatchObject({ id: 'offer:exchange_variant', label: 'A replacement: the same item, sent again' });
		expect(reply(c, s, { actionId: 'offer:exchange_variant' }).step).toBe('method');
		// Changed their mind about it: no other size or colour in stock, no such offer.
		let other = reply(c, start(c), { actionId: 'items', values: { items: [{ id: 'charger', quantity: 1 }] } });
		other = reply(c, other, { actionId: 'reason', values: { choice: 'changed_mind' } });
		expect(actions(c, other).map((a) => a.id)).not.toContain('offer:exchange_variant');
	});

	it('refuses before any follow-up question when the items cannot go back', () => {
		const c = context({}, { eligibility: 'not_eligible', offers: [], explanation: 'Not eligible: after the window.' });
		let s = reply(c, start(c), { actionId: 'items', values: { items: [{ id: 'cable', quantity: 1 }] } });
		s = reply(c, s, { actionId: 'reason', values: { choice: 'wrong_item' } });
		expect(s.step).toBe('refused');
	});

	it('sums up the return with its amount before confirming', () => {
		const c = context();
		let s = reply(c, start(c), { actionId: 'items', values: { items: [{ id: 'jean', quantity: 1 }] } });
		s = reply(c, s, { actionId: 'reason', values: { choice: 'changed_mind' } });
		s = reply(c, s, { actionId: 'refund' });
		s = reply(c, s, { actionId: 'method', values: { choice: 'label' } });
		expect(s.transcript.at(-1)!.text).toBe('Here is your return: 1 × Slim jeans W31. Refund of €84.95. A prepaid label. Shall I confirm it?');
	});

	it('withdraws in two presses, with no reason and no offers, in French', () => {
		const c = context({ locale: 'fr', withdrawalOpen: true });
		let s = start(c);
		expect(actions(c, s).find((a) => a.kind === 'withdraw')!.label).toBe('Se rétracter du contrat ici');
		// Reachable at any step while the right lasts, not only at the start.
		const later = reply(c, s, { actionId: 'items', values: { items: [{ id: 'cable', quantity: 1 }] } });
		expect(actions(c, later).map((a) => a.id)).toContain('withdraw');
		expect(reply(c, later, { actionId: 'withdraw' }).step).toBe('withdraw_confirm');
		s = reply(c, s, { actionId: 'withdraw' });
		expect(actions(c, s)[0]).toMatchObject({ id: 'withdraw_confirm', label: 'Confirmer la rétractation' });
		s = reply(c, s, { actionId: 'withdraw_confirm' });
		expect(s).toMatchObject({ step: 'withdrawn', reason: 'withdrawal', resolution: 'refund', items: [{ lineId: 'jean', quantity: 2 }, { lineId: 'cable', quantity: 1 }] });
	});

	it('hands off to a person or cancels at any step before the end', () => {
		const c = context();
		let s = start(c);
		for (const step of [
			{ actionId: 'items', values: { items: [{ id: 'jean', quantity: 1 }] } },
			{ actionId: 'reason', values: { choice: 'too_small' } },
			{ actionId: 'offer:exchange_variant' },
			{ actionId: 'method', values: { choice: 'drop_off' } }
		]) {
			expect(reply(c, s, { actionId: 'handoff' }).step).toBe('handoff');
			expect(reply(c, s, { actionId: 'cancel' }).step).toBe('cancelled');
			s = reply(c, s, step);
		}
		expect(s.step).toBe('summary');
	});
});

describe('never a dead end, never a dark pattern (property)', () => {
	const resolutionArb = fc.subarray(['fix', 'exchange_variant', 'exchange_product', 'store_credit', 'refund'] as Resolution[], { minLength: 1 });
	const arb = fc.record({
		lines: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }),
		order: resolutionArb.chain((r) => fc.shuffledSubarray(r, { minLength: r.length, maxLength: r.length })),
		eligibility: fc.constantFrom('eligible', 'needs_review', 'not_eligible') as fc.Arbitrary<Decision['eligibility']>,
		canKeep: fc.boolean(),
		path: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
		textFirst: fc.boolean(),
		locale: fc.constantFrom('en', 'fr') as fc.Arbitrary<'en' | 'fr'>
	});

	it('once offers begin, a refund the policy allows is one plainly labelled step away, and every open step has a way on', () => {
		fc.assert(
			fc.property(arb, ({ lines, order, eligibility, canKeep, path, textFirst, locale }) => {
				const ctx = context(
					{ locale, lines: lines.map((n, i) => ({ id: `l${i}`, title: `Item ${i}`, returnable: n, sizes: i % 2 ? [{ id: `s${i}`, label: 'M' }] : undefined, accessory: i % 3 === 0 })) },
					{ eligibility, canKeep, offers: order.map((r) => ({ resolution: r, label: `${r} offer` })) }
				);
				let s: ConversationState = start(ctx);
				for (const pick of path) {
					const open = actions(ctx, s);
					if (open.length === 0) break; // finished
					// Never a dead end: a person is always reachable, and something moves the return forward.
					expect(open.some((a) => a.kind === 'handoff')).toBe(true);
					if (s.step === 'offers' && order.includes('refund')) {
						const refund = open.find((a) => a.kind === 'refund')!;
						expect(refund.label).toMatch(locale === 'en' ? /^No thanks, I’d like a refund/ : /^Non merci, je préfère un remboursement/);
						const after = reply(ctx, s, { actionId: 'refund' });
						expect(after.resolution).toBe('refund');
						expect(after.interactions - s.offersShownAt!).toBeLessThanOrEqual(2);
					}
					const forward = open.filter((a) => a.kind !== 'handoff' && a.kind !== 'cancel');
					if (forward.length === 0) return; // no returnable item: only a person or cancel, by design
					const a = forward[pick % forward.length];
					if (a.kind === 'items') {
						const o = a.options![pick % a.options!.length];
						s = reply(ctx, s, { actionId: 'items', values: { items: [{ id: o.id, quantity: 1 + (pick % o.max!) }] } });
					} else if (a.kind === 'text' && a.id !== 'text') {
						s = reply(ctx, s, { actionId: a.id, values: { text: pick % 2 ? 'M' : 'W99' } });
					} else if (a.kind === 'text' || (textFirst && s.step === 'reason')) {
						s = reply(ctx, s, { text: pick % 2 ? 'too small' : 'hmm' });
					} else if (a.kind === 'photo') {
						s = reply(ctx, s, { actionId: a.id, values: { photoIds: ['p1'] } });
					} else if (a.kind === 'size') {
						s = reply(ctx, s, { actionId: a.id, values: { size: a.options![pick % a.options!.length].id } });
					} else if (a.options) {
						s = reply(ctx, s, { actionId: a.id, values: { choice: a.options[pick % a.options.length].id } });
					} else {
						s = reply(ctx, s, { actionId: a.id });
					}
				}
			}),
			{ numRuns: 300 }
		);
	});
});
