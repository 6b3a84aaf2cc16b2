import { trainClassifier, type Classifier, type LabelledComment } from './classifier';

export { evaluate, featuresOf, normalize, trainClassifier } from './classifier';
export type { Classification, Classifier, Evaluation, LabelledComment } from './classifier';

/**
 * The classifier Retour ships: trained on the repository's corpus of return comments (English and French,
 * typos, negations and mixed languages included), less a held-out fifth kept for `npm run eval:classifier`.
 * Below CONFIDENCE_THRESHOLD the conversation asks the customer to pick the reason instead of guessing.
 */
export const CONFIDENCE_THRESHOLD = 0.5;

export class CorpusError extends Error {
	constructor(
		message: string,
		readonly line: number
	) {
		super(message);
		this.name = 'CorpusError';
	}
}

/** JSON lines of `{ "text", "reason" }`; each bad line is refused with its number and what is wrong. */
export function parseCorpus(text: string, known?: readonly string[]): LabelledComment[] {
	const out: LabelledComment[] = [];
	text.split('\n').forEach((raw, i) => {
		const line = raw.trim();
		if (!line) return;
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch {
			throw new CorpusError(`line ${i + 1} is not valid JSON`, i + 1);
		}
		const v = value as Partial<LabelledComment>;
		if (typeof v?.text !== 'string' || !v.text.trim()) throw new CorpusError(`line ${i + 1} has no "text"`, i + 1);
		if (typeof v.reason !== 'string' || !v.reason) throw new CorpusError(`line ${i + 1} has no "reason"`, i + 1);
		if (known && !known.includes(v.reason)) {
			throw new CorpusError(`line ${i + 1}: "${v.reason}" is not a reason code (${known.join(', ')})`, i + 1);
		}
		out.push({ text: v.text, reason: v.reason, lang: typeof v.lang === 'string' ? v.lang : undefined });
	});
	return out;
}

/** FNV-1a: a fixed fifth of the corpus, by its text, never trained on. */
function isHeldOut(text: string): boolean {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return (h >>> 0) % 5 === 0;
}

// Every corpus.<lang>[-n].jsonl beside this file, bundled with the server.
const FILES = import.meta.glob('./corpus.*.jsonl', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export function corpus(): { training: LabelledComment[]; heldOut: LabelledComment[] } {
	const all = Object.keys(FILES)
		.sort()
		.flatMap((name) => {
			try {
				return parseCorpus(FILES[name]);
			} catch (error) {
				throw new Error(`${name}: ${(error as Error).message}`);
			}
		});
	return { training: all.filter((e) => !isHeldOut(e.text)), heldOut: all.filter((e) => isHeldOut(e.text)) };
}

let shipped: Classifier | undefined;

/** Trained once per process, on first use (a few hundred milliseconds). */
export function reasonClassifier(): Classifier {
	shipped ??= trainClassifier(corpus().training);
	return shipped;
}
