import { describe, expect, it } from 'vitest';
import { wholeDays } from './facts';

describe('days counted in the shop’s time zone', () => {
	it.each([
		// Delivered just after midnight in Paris (summer time), asked late on the 14th day after (winter time).
		['2026-10-12T22:30:00Z', '2026-10-27T22:40:00Z', 'Europe/Paris', 14],
		['2026-10-12T22:30:00Z', '2026-10-27T22:40:00Z', 'UTC', 15],
		// Same calendar day, a few hours apart: 0; the next morning: 1.
		['2026-03-10T06:00:00Z', '2026-03-10T20:00:00Z', 'Europe/Paris', 0],
		['2026-03-10T21:00:00Z', '2026-03-10T23:30:00Z', 'Europe/Paris', 1],
		// Across the spring clock change.
		['2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z', 'Europe/Paris', 2],
		['2026-01-01T00:00:00Z', '2025-12-31T00:00:00Z', 'UTC', 0]
	])('from %s to %s in %s: %i days', (from, to, tz, days) => {
		expect(wholeDays(new Date(from), new Date(to), tz)).toBe(days);
	});
});
