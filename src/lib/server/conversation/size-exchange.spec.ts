import { describe, expect, it } from 'vitest';
import { rank, sizeChoices, sizeOption, smallerSizeCount, suggestSizeExchange, type SizedVariant } from './size-exchange';

const jeans: SizedVariant[] = ['W30', 'W31', 'W32', 'W33', 'W34'].flatMap((w) =>
	['L30', 'L32'].map((l) => ({ id: `${w}-${l}`, options: { Taille: w, Longueur: l }, inventory: 5 }))
);
const tees: SizedVariant[] = ['Navy', 'White'].flatMap((c) => ['XS', 'S', 'M', 'L', 'XL'].map((s) => ({ id: `${c}-${s}`, options: { Colour: c, Size: s }, inventory: 3 })));
const soldOut = (variants: SizedVariant[], ids: string[]) => variants.map((v) => (ids.includes(v.id) ? { ...v, inventory: 0 } : v));

describe('sizes', () => {
	it('finds the size option and orders sizes', () => {
		expect(sizeOption(jeans)).toBe('Taille');
		expect(sizeOption(tees)).toBe('Size');
		expect(sizeOption([{ id: 'a', options: { Couleur: 'Noir', Pointure: '42' }, inventory: 1 }])).toBe('Pointure');
		expect(['XL', 'S', 'M', 'XS'].sort((a, b) => rank(a)! - rank(b)!)).toEqual(['XS', 'S', 'M', 'XL']);
		expect(rank('W31')! < rank('W32')!).toBe(true);
		expect(rank('38,5')! < rank('39')!).toBe(true);
		expect(rank('Navy')).toBeNull();
	});
});

describe('suggestSizeExchange', () => {
	it.each([
		['too small → the next waist up, same length', jeans, 'W31-L32', { direction: 'too_small' }, { variantId: 'W32-L32', basis: 'steps' }],
		['too small by two sizes', jeans, 'W31-L32', { direction: 'too_small', steps: 2 }, { variantId: 'W33-L32', basis: 'steps' }],
		['too large → the next size down, same colour', tees, 'Navy-M', { direction: 'too_large' }, { variantId: 'Navy-S', basis: 'steps' }],
		['the usual size wins', jeans, 'W31-L30', { direction: 'too_small', usualSize: 'w34' }, { variantId: 'W34-L30', basis: 'usual_size' }],
		['a usual size the wrong way is ignored', tees, 'White-M', { direction: 'too_small', usualSize: 'S' }, { variantId: 'White-L', basis: 'steps' }],
		['sold out → the nearest beyond it in stock', soldOut(jeans, ['W32-L32']), 'W31-L32', { direction: 'too_small' }, { variantId: 'W33-L32', basis: 'nearest_in_stock' }],
		['two sizes asked, only one exists → the biggest there is', tees, 'Navy-L', { direction: 'too_small', steps: 3 }, { variantId: 'Navy-XL', basis: 'nearest_in_stock' }]
	] as const)('%s', (_, variants, current, request, expected) => {
		expect(suggestSizeExchange([...variants], current, request)).toMatchObject(expected);
	});

	it('suggests nothing when there is no bigger size in stock, or no size at all', () => {
		expect(suggestSizeExchange(tees, 'Navy-XL', { direction: 'too_small' })).toBeNull();
		expect(suggestSizeExchange(soldOut(tees, ['Navy-L', 'Navy-XL']), 'Navy-M', { direction: 'too_small' })).toBeNull();
		expect(suggestSizeExchange([{ id: 'x', options: { Colour: 'Red' }, inventory: 1 }], 'x', { direction: 'too_small' })).toBeNull();
	});
});

describe('sizeChoices', () => {
	it('lists the other sizes in stock of the same colour and length, smallest first', () => {
		expect(sizeChoices(soldOut(jeans, ['W33-L32']), 'W31-L32')).toEqual([
			{ id: 'W30-L32', label: 'W30' },
			{ id: 'W32-L32', label: 'W32' },
			{ id: 'W34-L32', label: 'W34' }
		]);
		expect(sizeChoices(tees, 'White-XL').map((s) => s.label)).toEqual(['XS', 'S', 'M', 'L']);
		expect(sizeChoices([{ id: 'x', options: {}, inventory: 1 }], 'x')).toEqual([]);
	});

	it('says how many of them are smaller than the size ordered', () => {
		expect(smallerSizeCount(soldOut(jeans, ['W33-L32']), 'W31-L32')).toBe(1);
		expect(smallerSizeCount(tees, 'White-XS')).toBe(0);
		expect(smallerSizeCount([{ id: 'x', options: {}, inventory: 1 }], 'x')).toBeUndefined();
	});
});

