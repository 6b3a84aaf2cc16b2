/**
 * The exchange a size problem calls for, by default: too small → the next size up in the same colour and
 * length, too large → the next size down; "by two sizes" moves two; the size the customer usually wears
 * wins when the product has it. Only variants in stock are proposed. Pure: variants in, a suggestion out.
 */

export interface SizedVariant {
	id: string;
	/** Option name → value, as the shop sends them: { Taille: "W31", Longueur: "L32" }, { Colour: "Navy", Size: "M" }. */
	options: Record<string, string>;
	inventory: number | null; // null: not tracked, assumed available
}

export interface SizeRequest {
	direction: 'too_small' | 'too_large';
	/** How many sizes off the customer feels (1 by default). */
	steps?: number;
	/** The size they usually wear, as they typed or picked it ("M", "W32", "40"). */
	usualSize?: string | null;
}

export interface SizeSuggestion {
	variantId: string;
	size: string;
	/** Why this one: the usual size, the step asked for, or the nearest in stock further in that direction. */
	basis: 'usual_size' | 'steps' | 'nearest_in_stock';
}

const SIZE_NAMES = /^(size|taille|pointure|waist|tour de taille|w|talla|gr(ö|o)(ss|ß)e)$/i;
const LETTER_RANK: Record<string, number> = {
	XXXS: 0, '3XS': 0, XXS: 1, '2XS': 1, XS: 2, S: 3, M: 4, L: 5, XL: 6, XXL: 7, '2XL': 7, XXXL: 8, '3XL': 8, '4XL': 9, '5XL': 10
};

/** Which option is the size: one named like a size, else the one whose values look like sizes. */
export function sizeOption(variants: SizedVariant[]): string | null {
	const names = [...new Set(variants.flatMap((v) => Object.keys(v.options)))];
	return (
		names.find((n) => SIZE_NAMES.test(n.trim())) ??
		names.find((n) => variants.every((v) => v.options[n] === undefined || rank(v.options[n]) !== null)) ??
		null
	);
}

/** A comparable rank for a size label: letter sizes in their order, numbers by value ("W31" → 31, "40" → 40). */
export function rank(size: string): number | null {
	const s = size.trim().toUpperCase();
	if (s in LETTER_RANK) return LETTER_RANK[s];
	const n = /^[A-Z]{0,2}\s?(\d{1,3}(?:[.,]5)?)$/.exec(s);
	return n ? 100 + Number(n[1].replace(',', '.')) : null;
}

export function suggestSizeExchange(variants: SizedVariant[], currentId: string, request: SizeRequest): SizeSuggestion | null {
	const option = sizeOption(variants);
	const current = variants.find((v) => v.id === currentId);
	if (!option || !current || current.options[option] === undefined) return null;
	const currentRank = rank(current.options[option]);
	if (currentRank === null) return null;
	// The same colour, length… : every other option as it is.
	const siblings = variants.filter((v) => Object.entries(current.options).every(([k, value]) => k === option || v.options[k] === value));
	const inStock = (v: SizedVariant) => v.inventory === null || v.inventory > 0;
	const sizes = [...new Map(siblings.filter((v) => rank(v.options[option]) !== null).map((v) => [rank(v.options[option])!, v])).entries()].sort(
		(a, b) => a[0] - b[0]
	);
	const up = request.direction === 'too_small';

	if (request.usualSize) {
		const wanted = rank(request.usualSize);
		const usual = wanted === null ? undefined : sizes.find(([r]) => r === wanted)?.[1];
		if (usual && usual.id !== current.id && inStock(usual) && (up ? wanted! > currentRank : wanted! < currentRank)) {
			return { variantId: usual.id, size: usual.options[option], basis: 'usual_size' };
		}
	}
	const further = sizes.filter(([r]) => (up ? r > currentRank : r < currentRank));
	if (!up) further.reverse();
	const steps = Math.max(1, Math.floor(request.steps ?? 1));
	const target = further[steps - 1] ?? further.at(-1);
	if (target && inStock(target[1])) return { variantId: target[1].id, size: target[1].options[option], basis: further[steps - 1] ? 'steps' : 'nearest_in_stock' };
	// The size asked for is sold out: the nearest one beyond it, then the nearest before it, still in that direction.
	const index = target ? further.indexOf(target) : -1;
	const candidates = [...further.slice(index + 1), ...further.slice(0, Math.max(index, 0)).reverse()];
	const fallback = candidates.find(([, v]) => inStock(v));
	return fallback ? { variantId: fallback[1].id, size: fallback[1].options[option], basis: 'nearest_in_stock' } : null;
}

/** The other sizes of the item in stock, same colour and length, smallest first: what "which size would fit?" offers. */
export function sizeChoices(variants: SizedVariant[], currentId: string): { id: string; label: string }[] {
	const option = sizeOption(variants);
	const current = variants.find((v) => v.id === currentId);
	if (!option || !current || current.options[option] === undefined) return [];
	return variants
		.filter(
			(v) =>
				v.id !== current.id &&
				(v.inventory === null || v.inventory > 0) &&
				rank(v.options[option] ?? '') !== null &&
				Object.entries(current.options).every(([k, value]) => k === option || v.options[k] === value)
		)
		.sort((a, b) => rank(a.options[option])! - rank(b.options[option])!)
		.map((v) => ({ id: v.id, label: v.options[option] }));
}

/** How many of `sizeChoices` are smaller than the current size (they come first). */
export function smallerSizeCount(variants: SizedVariant[], currentId: string): number | undefined {
	const option = sizeOption(variants);
	const current = variants.find((v) => v.id === currentId);
	const currentRank = option && current ? rank(current.options[option] ?? '') : null;
	if (!option || currentRank === null) return undefined;
	return sizeChoices(variants, currentId).filter((s) => rank(s.label)! < currentRank).length;
}

