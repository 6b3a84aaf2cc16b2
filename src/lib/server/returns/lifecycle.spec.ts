import { describe, expect, it } from 'vitest';
import {
	checkTransition,
	customerCanCancel,
	DECISION,
	DECISION_STATUSES,
	isClosed,
	RECEPTION,
	RECEPTION_STATUSES,
	RESOLUTION,
	RESOLUTION_STATUSES
} from './lifecycle';

describe('transition tables', () => {
	it('name exactly the fixed statuses, and only them', () => {
		expect(Object.keys(RECEPTION).sort()).toEqual([...RECEPTION_STATUSES].sort());
		expect(Object.keys(DECISION).sort()).toEqual([...DECISION_STATUSES].sort());
		expect(Object.keys(RESOLUTION).sort()).toEqual([...RESOLUTION_STATUSES].sort());
		for (const [table, statuses] of [
			[RECEPTION, RECEPTION_STATUSES],
			[DECISION, DECISION_STATUSES],
			[RESOLUTION, RESOLUTION_STATUSES]
		] as const) {
			for (const targets of Object.values(table)) {
				for (const t of targets) expect(statuses).toContain(t);
			}
		}
	});

	it('never loops a status onto itself', () => {
		for (const table of [RECEPTION, DECISION, RESOLUTION]) {
			for (const [from, targets] of Object.entries(table)) expect(targets).not.toContain(from);
		}
	});
});

describe('checkTransition', () => {
	it('allows the ordinary path of a return', () => {
		expect(checkTransition('decision', 'pending', 'accepted')).toEqual({ ok: true });
		expect(checkTransition('reception', 'awaiting', 'in_transit')).toEqual({ ok: true });
		expect(checkTransition('reception', 'in_transit', 'received')).toEqual({ ok: true });
		expect(checkTransition('resolution', 'pending', 'refunded')).toEqual({ ok: true });
	});

	it('refuses leaving a final status with a message naming it', () => {
		const r = checkTransition('decision', 'cancelled', 'accepted');
		expect(r).toMatchObject({ ok: false, code: 'invalid_transition' });
		expect(!r.ok && r.message).toContain('"cancelled" is final');
		expect(checkTransition('resolution', 'refunded', 'pending')).toMatchObject({ ok: false });
	});

	it('refuses a status that does not exist', () => {
		expect(checkTransition('reception', 'awaiting', 'teleported')).toMatchObject({ ok: false, code: 'invalid_status' });
		expect(checkTransition('decision', 'pending', 'toString')).toMatchObject({ ok: false, code: 'invalid_status' });
	});

	it('lists what is allowed when refusing', () => {
		const r = checkTransition('reception', 'in_transit', 'awaiting');
		expect(!r.ok && r.message).toMatch(/allowed: received, lost, wrong_item/);
	});

	it('needs a written reason to reject, hold, ask for information or override a rejection', () => {
		expect(checkTransition('decision', 'pending', 'rejected')).toMatchObject({ code: 'reason_required' });
		expect(checkTransition('decision', 'pending', 'rejected', '  ')).toMatchObject({ code: 'reason_required' });
		expect(checkTransition('decision', 'pending', 'rejected', 'Worn item')).toEqual({ ok: true });
		expect(checkTransition('decision', 'rejected', 'accepted')).toMatchObject({ code: 'reason_required' });
		expect(checkTransition('decision', 'needs_review', 'on_hold')).toMatchObject({ code: 'reason_required' });
	});
});

describe('isClosed and customerCanCancel', () => {
	it('closes an accepted return only when every line is resolved and its parcel is in', () => {
		expect(isClosed('accepted', ['refunded', 'pending'], 'received')).toBe(false);
		expect(isClosed('accepted', ['refunded', 'failed'], 'received')).toBe(false);
		expect(isClosed('accepted', ['refunded', 'kept'], 'received')).toBe(true);
		expect(isClosed('accepted', ['refunded'], 'not_required')).toBe(true);
		// Paid at approval, or exchanged ahead: open until the goods come back.
		expect(isClosed('accepted', ['refunded'], 'awaiting')).toBe(false);
		expect(isClosed('accepted', ['exchanged'], 'in_transit')).toBe(false);
		expect(isClosed('accepted', ['refunded'], 'lost')).toBe(false);
		expect(isClosed('cancelled', ['pending'], 'awaiting')).toBe(true);
		expect(isClosed('pending', ['refunded'], 'received')).toBe(false);
	});

	it('lets the customer cancel until the parcel ships', () => {
		expect(customerCanCancel('pending', 'awaiting')).toBe(true);
		expect(customerCanCancel('accepted', 'awaiting')).toBe(true);
		expect(customerCanCancel('accepted', 'in_transit')).toBe(false);
		expect(customerCanCancel('cancelled', 'awaiting')).toBe(false);
	});
});
