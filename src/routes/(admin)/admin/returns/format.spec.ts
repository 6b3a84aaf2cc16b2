import { describe, expect, it } from 'vitest';
import { isTyping, rowHref, waitingText, waitingUnit } from './format';

const now = new Date('2025-03-10T12:00:00Z');
const before = (ms: number) => new Date(now.getTime() - ms);

describe('waiting time in words', () => {
	it('uses minutes under an hour, hours under a day, then days', () => {
		expect(waitingUnit(before(10_000), now)).toEqual({ unit: 'minutes', count: 1 });
		expect(waitingUnit(before(59 * 60_000), now)).toEqual({ unit: 'minutes', count: 59 });
		expect(waitingUnit(before(3 * 3_600_000 + 59 * 60_000), now)).toEqual({ unit: 'hours', count: 3 });
		expect(waitingUnit(before(23 * 3_600_000), now)).toEqual({ unit: 'hours', count: 23 });
		expect(waitingUnit(before(2 * 86_400_000 + 5 * 3_600_000), now)).toEqual({ unit: 'days', count: 2 });
		// A clock a little ahead of the server's never shows a negative wait.
		expect(waitingUnit(new Date(now.getTime() + 5_000), now)).toEqual({ unit: 'minutes', count: 1 });
	});

	it('reads "3 h" and "2 d"', () => {
		expect(waitingText(before(3 * 3_600_000), now)).toBe('3 h');
		expect(waitingText(before(2 * 86_400_000), now)).toBe('2 d');
	});
});

describe('rowHref', () => {
	it("opens the return, or the order when there is no return yet", () => {
		expect(rowHref({ returnId: 'r1', orderId: 'o1' })).toBe('/admin/returns/r1');
		expect(rowHref({ returnId: null, orderId: 'o1' })).toBe('/admin/orders/o1');
	});
});

describe('isTyping', () => {
	const key = (target: unknown, mods: Partial<KeyboardEvent> = {}) =>
		isTyping({ target: target as EventTarget, ctrlKey: false, metaKey: false, altKey: false, ...mods });
	it('leaves fields and modified keys alone', () => {
		expect(key({ tagName: 'INPUT' })).toBe(true);
		expect(key({ tagName: 'TEXTAREA' })).toBe(true);
		expect(key({ tagName: 'SELECT' })).toBe(true);
		expect(key({ tagName: 'DIV', isContentEditable: true })).toBe(true);
		expect(key({ tagName: 'A' }, { metaKey: true })).toBe(true);
		expect(key({ tagName: 'A' })).toBe(false);
		expect(key({ tagName: 'BODY' })).toBe(false);
	});
});
