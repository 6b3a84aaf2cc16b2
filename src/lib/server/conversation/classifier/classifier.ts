import { mulberry32 } from '../../demo/prng';

/**
 * The local classifier that understands a customer's own words into a return reason, in English and French,
 * without any API key. Pure: examples in, a model out; text in, a ranked list of reasons with probabilities.
 *
 * Features: accent-free lowercase words and their first five letters, with negation marked on the words that
 * follow "not / pas / jamais …" ("not too small" is not "too small"), and character 4–5-grams across the
 * whole text (they survive typos: "recieved", "trop petiit", "to small"). Model: multinomial logistic regression trained by plain SGD with a
 * fixed seed, so the same corpus always gives the same model.
 */

export interface LabelledComment {
	text: string;
	reason: string;
	lang?: string;
}

export interface Classification {
	reason: string;
	/** The model's probability for that reason, 0–1. */
	confidence: number;
	ranking: { reason: string; probability: number }[];
}

export interface Classifier {
	readonly reasons: readonly string[];
	classify(text: string): Classification;
}

const NEGATIONS = new Set([
	'not', 'no', 'never', 'nothing', 'none', 'without', 'dont', 'doesnt', 'didnt', 'isnt', 'wasnt', 'arent', 'cant', 'cannot', 'wont', 'aint',
	'pas', 'jamais', 'aucun', 'aucune', 'sans', 'ni', 'rien', 'non'
]);
// Words that end the reach of a negation: "not too small but too big".
const STOPS = new Set(['but', 'mais', 'however', 'cependant', 'plutot', 'instead', 'au', 'contraire', 'rather', 'actually', 'just', 'juste', 'simplement', 'only', 'seulement']);

export function normalize(text: string): string {
	return text
		.toLowerCase()
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/n['’]t\b/g, 'nt') // don't → dont
		.replace(/['’]/g, ' ')
		.replace(/[^a-z0-9]+/g, ' ')
		.trim();
}

export function featuresOf(text: string): string[] {
	const words = normalize(text).split(' ').filter(Boolean);
	const features: string[] = [];
	let negated = 0;
	for (const word of words) {
		if (STOPS.has(word)) negated = 0;
		const mark = negated > 0 ? '!' : '';
		features.push(`w:${mark}${word}`);
		// The first five letters: "broken", "broke", "brokn" and "cassé", "casse", "cassée" meet.
		if (word.length > 4) features.push(`s:${mark}${word.slice(0, 5)}`);
		if (NEGATIONS.has(word)) negated = 3;
		else if (negated > 0) negated--;
	}
	// Letters across word boundaries: "to small" and "too small", "ne marche" and "marche pas" share them.
	const joined = ` ${words.join(' ')} `;
	for (let n = 4; n <= 5; n++) for (let i = 0; i + n <= joined.length; i++) features.push(`c:${joined.slice(i, i + n)}`);
	return features;
}

export interface TrainingOptions {
	epochs?: number;
	learningRate?: number;
	/** L2 regularisation per step. */
	l2?: number;
	seed?: number;
	/** The features of a text (featuresOf by default). */
	features?: (text: string) => string[];
}

export function trainClassifier(examples: LabelledComment[], options: TrainingOptions = {}): Classifier {
	const { epochs = 30, learningRate = 0.3, l2 = 1e-5, seed = 7, features = featuresOf } = options;
	const reasons = [...new Set(examples.map((e) => e.reason))].sort();
	const classIndex = new Map(reasons.map((r, i) => [r, i]));
	const vocabulary = new Map<string, number>();
	const encode = (text: string, grow: boolean): { ids: Int32Array; scale: number } => {
		const counts = new Map<number, number>();
		for (const f of features(text)) {
			let id = vocabulary.get(f);
			if (id === undefined) {
				if (!grow) continue;
				id = vocabulary.size;
				vocabulary.set(f, id);
			}
			counts.set(id, (counts.get(id) ?? 0) + 1);
		}
		// Each feature once (presence), the vector scaled to unit length so long comments do not dominate.
		const ids = Int32Array.from(counts.keys());
		return { ids, scale: ids.length ? 1 / Math.sqrt(ids.length) : 0 };
	};
	const data = examples.map((e) => ({ x: encode(e.text, true), y: classIndex.get(e.reason)! }));
	const k = reasons.length;
	const weights = new Float64Array(vocabulary.size * k);
	const bias = new Float64Array(k);
	const scores = new Float64Array(k);

	const softmax = (x: { ids: Int32Array; scale: number }, out: Float64Array) => {
		let max = -Infinity;
		for (let c = 0; c < k; c++) {
			let s = bias[c];
			for (const id of x.ids) s += weights[id * k + c] * x.scale;
			out[c] = s;
			if (s > max) max = s;
		}
		let sum = 0;
		for (let c = 0; c < k; c++) sum += out[c] = Math.exp(out[c] - max);
		for (let c = 0; c < k; c++) out[c] /= sum;
	};

	const rand = mulberry32(seed);
	const order = data.map((_, i) => i);
	for (let epoch = 0; epoch < epochs; epoch++) {
		for (let i = order.length - 1; i > 0; i--) {
			const j = Math.floor(rand() * (i + 1));
			[order[i], order[j]] = [order[j], order[i]];
		}
		const rate = learningRate / (1 + epoch * 0.1);
		for (const index of order) {
			const { x, y } = data[index];
			softmax(x, scores);
			for (let c = 0; c < k; c++) {
				const gradient = scores[c] - (c === y ? 1 : 0);
				bias[c] -= rate * gradient;
				for (const id of x.ids) {
					const w = id * k + c;
					weights[w] -= rate * (gradient * x.scale + l2 * weights[w]);
				}
			}
		}
	}

	return {
		reasons,
		classify(text: string): Classification {
			const out = new Float64Array(k);
			softmax(encode(text, false), out);
			const ranking = reasons.map((reason, c) => ({ reason, probability: out[c] })).sort((a, b) => b.probability - a.probability);
			return { reason: ranking[0].reason, confidence: ranking[0].probability, ranking };
		}
	};
}

export interface Evaluation {
	count: number;
	accuracy: number;
	macroF1: number;
	perReason: { reason: string; support: number; precision: number; recall: number; f1: number }[];
	confusions: { expected: string; predicted: string; count: number }[];
}

/** Accuracy and macro-F1 (over the reasons present in `examples`) of a classifier. */
export function evaluate(classifier: Classifier, examples: LabelledComment[]): Evaluation {
	const tp = new Map<string, number>();
	const fp = new Map<string, number>();
	const fn = new Map<string, number>();
	const confusions = new Map<string, number>();
	let correct = 0;
	for (const e of examples) {
		const predicted = classifier.classify(e.text).reason;
		if (predicted === e.reason) {
			correct++;
			tp.set(e.reason, (tp.get(e.reason) ?? 0) + 1);
		} else {
			fp.set(predicted, (fp.get(predicted) ?? 0) + 1);
			fn.set(e.reason, (fn.get(e.reason) ?? 0) + 1);
			const key = `${e.reason}\u0000${predicted}`;
			confusions.set(key, (confusions.get(key) ?? 0) + 1);
		}
	}
	const present = [...new Set(examples.map((e) => e.reason))].sort();
	const perReason = present.map((reason) => {
		const t = tp.get(reason) ?? 0;
		const precision = t + (fp.get(reason) ?? 0) ? t / (t + (fp.get(reason) ?? 0)) : 0;
		const recall = t + (fn.get(reason) ?? 0) ? t / (t + (fn.get(reason) ?? 0)) : 0;
		const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
		return { reason, support: t + (fn.get(reason) ?? 0), precision, recall, f1 };
	});
	return {
		count: examples.length,
		accuracy: examples.length ? correct / examples.length : 0,
		macroF1: perReason.length ? perReason.reduce((s, r) => s + r.f1, 0) / perReason.length : 0,
		perReason,
		confusions: [...confusions]
			.map(([key, count]) => {
				const [expected, predicted] = key.split('\u0000');
				return { expected, predicted, count };
			})
			.sort((a, b) => b.count - a.count)
	};
}
