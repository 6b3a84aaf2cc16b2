import { describe, expect, it } from 'vitest';
import {
	addressKey,
	listFlagsForLines,
	normaliseEmail,
	normaliseOrderNumber,
	normaliseSku,
	RiskListError,
	validateListEntry,
	type ListMatches
} from './lists';

describe('normaliseEmail', () => {
	it('trims and lowercases, and refuses what is not an email', () => {
		expect(normaliseEmail('  Camille.Martin@Example.FR ')).toBe('camille.martin@example.fr');
		for (const bad of ['', 'camille', 'camille@', '@example.fr', 'a b@example.fr', 'a@b@c']) expect(normaliseEmail(bad)).toBeNull();
	});
});

describe('addressKey', () => {
	it('drops case, spaces and punctuation from the street, keeps accents, capitalises the postcode', () => {
		expect(addressKey({ line1: "12, Rue de l'Église", postcode: '75 001', country: 'FR' })).toBe('12ruedeléglise|75001|FR');
		expect(addressKey({ line1: '12 rue de l’église', line2: null, postcode: '75001', country: ' fr ' })).toBe('12ruedeléglise|75001|FR');
		expect(addressKey({ line1: 'Flat 3', line2: '221b Baker St.', postcode: 'nw1 6xe', country: 'GB' })).toBe('flat3221bbakerst|NW16XE|GB');
	});

	it('maps case one character at a time, as PostgreSQL does', () => {
		expect(addressKey({ line1: 'İSTİKLAL CADDESİ', postcode: '', country: 'TR' })).toBe('istiklalcaddesi||TR');
		expect(addressKey({ line1: 'ΟΔΟΣ', postcode: 'ß1', country: 'GR' })).toBe('οδοσ|ß1|GR');
	});
});

describe('order numbers and SKUs', () => {
	it('only lose their surrounding spaces', () => {
		expect(normaliseOrderNumber('  #1001 ')).toBe('#1001');
		expect(normaliseSku(' Jean-Slim-32 ')).toBe('Jean-Slim-32');
	});
});

describe('validateListEntry', () => {
	const fails = (input: Parameters<typeof validateListEntry>[0]) => {
		try {
			validateListEntry(input);
		} catch (e) {
			if (e instanceof RiskListError) return { code: e.code, field: e.field, message: e.message };
			throw e;
		}
		return null;
	};

	it('names the field that is wrong', () => {
		expect(fails({ list: 'grey', kind: 'email', value: 'a@b.c', reason: 'x' })).toMatchObject({ code: 'invalid_list', field: 'list' });
		expect(fails({ list: 'block', kind: 'phone', value: '0601', reason: 'x' })).toMatchObject({ code: 'invalid_kind', field: 'kind' });
		expect(fails({ list: 'block', kind: 'email', value: 'nope', reason: 'x' })).toMatchObject({ code: 'invalid_email', field: 'value', message: '"nope" is not an email address.' });
		expect(fails({ list: 'block', kind: 'order', value: '  ', reason: 'x' })).toMatchObject({ code: 'required', field: 'value' });
		expect(fails({ list: 'block', kind: 'order', value: '1001', reason: ' ' })).toMatchObject({ code: 'required', field: 'reason', message: 'The reason is required.' });
		expect(fails({ list: 'block', kind: 'order', value: '1001', reason: 'x'.repeat(501) })).toMatchObject({ code: 'too_long', field: 'reason' });
		expect(fails({ list: 'block', kind: 'address', line1: '', postcode: '75001', country: 'FR', reason: 'x' })).toMatchObject({ field: 'line1' });
		expect(fails({ list: 'block', kind: 'address', line1: '--', postcode: '75001', country: 'FR', reason: 'x' })).toMatchObject({ code: 'invalid_address', field: 'line1' });
		expect(fails({ list: 'block', kind: 'address', line1: '2 rue Test', postcode: '75001', country: 'France', reason: 'x' })).toMatchObject({ code: 'invalid_country', field: 'country' });
	});

	it('keeps the label as typed and the value normalised', () => {
		expect(validateListEntry({ list: 'allow', kind: 'email', value: ' Camille@Example.fr ', reason: ' VIP ' })).toEqual({
			list: 'allow',
			kind: 'email',
			value: 'camille@example.fr',
			label: 'Camille@Example.fr',
			reason: 'VIP',
			address: undefined
		});
		expect(validateListEntry({ list: 'block', kind: 'address', line1: "12, Rue de l'Église", line2: ' ', postcode: '75001', country: 'fr', reason: 'Ring' })).toMatchObject({
			value: '12ruedeléglise|75001|FR',
			label: "12, Rue de l'Église, 75001 FR"
		});
	});
});

describe('listFlagsForLines', () => {
	const entry = { entryId: 'e', label: 'l', reason: 'r' };
	it('applies a product entry to the lines with its SKU, any other entry to every line', () => {
		const lines = [
			{ orderLineId: 'a', sku: 'JEAN-32' },
			{ orderLineId: 'b', sku: 'CABLE' },
			{ orderLineId: 'c', sku: null }
		];
		const productOnly: ListMatches = { blocked: [{ ...entry, kind: 'product', sku: 'JEAN-32' }], allowed: [] };
		expect(Object.fromEntries(listFlagsForLines(productOnly, lines))).toEqual({
			a: { blocklisted: true, allowlisted: false },
			b: { blocklisted: false, allowlisted: false },
			c: { blocklisted: false, allowlisted: false }
		});
		const both: ListMatches = { blocked: [{ ...entry, kind: 'product', sku: 'CABLE' }], allowed: [{ ...entry, kind: 'email' }] };
		expect(Object.fromEntries(listFlagsForLines(both, lines))).toEqual({
			a: { blocklisted: false, allowlisted: true },
			b: { blocklisted: true, allowlisted: true },
			c: { blocklisted: false, allowlisted: true }
		});
		expect(listFlagsForLines({ blocked: [], allowed: [] }, lines).get('a')).toEqual({ blocklisted: false, allowlisted: false });
	});
});
