// `npm run eval:classifier`: accuracy and macro-F1 of the local reason classifier on the held-out fifth of the
// repository's corpus (target ≥ 0.85), per reason, and the most frequent confusions.
// `npm run eval:classifier -- --file <path>`: the same on any JSON-lines file of { "text", "reason" } (reason =
// a taxonomy code), e.g. a shop's own past return comments.
import fs from 'node:fs';
import path from 'node:path';
import { createServer } from 'vite';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const fileIndex = args.indexOf('--file');
const file = fileIndex >= 0 ? args[fileIndex + 1] : undefined;
if (fileIndex >= 0 && !file) {
	console.error('--file needs a path to a JSON-lines file of { "text", "reason" }');
	process.exit(2);
}

const vite = await createServer({ root, server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', logLevel: 'error' });
let status = 0;
try {
	const c = await vite.ssrLoadModule('/src/lib/server/conversation/classifier/index.ts');
	const started = performance.now();
	const classifier = c.reasonClassifier();
	const trainMs = performance.now() - started;
	let examples;
	let source;
	if (file) {
		try {
			examples = c.parseCorpus(fs.readFileSync(path.resolve(process.cwd(), file), 'utf8'), classifier.reasons);
		} catch (error) {
			console.error(`${file}: ${error.message}`);
			process.exit(2);
		}
		source = file;
	} else {
		const { training, heldOut } = c.corpus();
		examples = heldOut;
		source = `held-out corpus (${heldOut.length} of ${training.length + heldOut.length} comments; trained on the other ${training.length})`;
	}
	const t0 = performance.now();
	const result = c.evaluate(classifier, examples);
	const perComment = (performance.now() - t0) / Math.max(1, examples.length);
	const pct = (x) => `${(x * 100).toFixed(1)} %`;
	console.log(`Reason classifier on ${source}`);
	console.log(`trained in ${Math.round(trainMs)} ms; ${perComment.toFixed(2)} ms per comment`);
	console.log('');
	console.log(`${'reason'.padEnd(22)} ${'support'.padStart(7)} ${'precision'.padStart(9)} ${'recall'.padStart(7)} ${'F1'.padStart(6)}`);
	for (const r of result.perReason) {
		console.log(`${r.reason.padEnd(22)} ${String(r.support).padStart(7)} ${r.precision.toFixed(2).padStart(9)} ${r.recall.toFixed(2).padStart(7)} ${r.f1.toFixed(2).padStart(6)}`);
	}
	if (result.confusions.length) {
		console.log('');
		console.log('most frequent confusions (expected → predicted):');
		for (const x of result.confusions.slice(0, 8)) console.log(`  ${x.expected} → ${x.predicted}: ${x.count}`);
	}
	console.log('');
	console.log(`accuracy  ${pct(result.accuracy)}`);
	console.log(`macro-F1  ${pct(result.macroF1)}   (target ≥ 85 %)`);
	if (!file && result.macroF1 < 0.85) status = 1;
} finally {
	await vite.close();
}
process.exit(status);
