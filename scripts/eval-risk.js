// `npm run eval:risk`: the risk score on a generated shop history (src/lib/server/risk/eval/history.ts, frozen
// before the scorer was tuned) from a seed never used while tuning: recall of abusive returns (flagged: refund
// held for inspection or sent to a person), the share of honest returns sent to a person and of honest refunds
// held. Target: recall ≥ 80 % with at most 2 % of honest returns sent to review.
// `npm run eval:risk -- --seed N` picks the history; `--customers N` its size (default 20,000).
import path from 'node:path';
import { createServer } from 'vite';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const option = (name) => {
	const i = args.indexOf(`--${name}`);
	if (i < 0) return undefined;
	const n = Number(args[i + 1]);
	if (!Number.isSafeInteger(n) || n < 0) {
		console.error(`--${name} needs a whole number, got "${args[i + 1] ?? ''}"`);
		process.exit(2);
	}
	return n;
};
const seedArg = option('seed');
const customers = option('customers') ?? 20_000;

const vite = await createServer({ root, server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', logLevel: 'error' });
let status = 0;
try {
	const e = await vite.ssrLoadModule('/src/lib/server/risk/eval/evaluate.ts');
	const h = await vite.ssrLoadModule('/src/lib/server/risk/eval/history.ts');
	const seed = seedArg ?? e.DEFAULT_EVAL_SEED;
	if (e.TUNING_SEEDS.includes(seed)) console.warn(`warning: seed ${seed} was used to tune the scorer; its figures flatter it`);
	const t = performance.now();
	const history = h.generateHistory({ seed, customers });
	const d = h.describeHistory(history);
	const r = e.evaluateHistory(history);
	const pct = (x) => `${(x * 100).toFixed(1)} %`;
	console.log(`Risk score on a generated history, seed ${seed}: ${d.customers} accounts, ${d.orders} orders, ${d.returns} returns`);
	console.log(`abuse: ${d.abusiveReturns} returns (${pct(d.abusiveReturns / d.returns)}), ${pct(d.abusiveShareByValue)} of the value returned`);
	console.log('');
	console.log(`${'persona'.padEnd(20)} ${'returns'.padStart(8)} ${'flagged'.padStart(9)} ${'review'.padStart(9)}`);
	for (const [p, x] of Object.entries(r.byPersona)) {
		console.log(`${p.padEnd(20)} ${String(x.returns).padStart(8)} ${pct(x.flagged / x.returns).padStart(9)} ${pct(x.review / x.returns).padStart(9)}`);
	}
	console.log('');
	console.log(`abusive returns flagged (refund held or review)  ${pct(r.recall).padStart(8)}   (target ≥ 80 %)`);
	console.log(`abusive returns sent to review                   ${pct(r.recallReview).padStart(8)}`);
	console.log(`honest returns sent to review                    ${pct(r.honestReview).padStart(8)}   (target ≤ 2 %)`);
	console.log(`honest refunds held until inspection             ${pct(r.honestHeld).padStart(8)}`);
	console.log(`scoring: ${r.msPerReturn.toFixed(3)} ms per return (facts in memory); whole run ${((performance.now() - t) / 1000).toFixed(1)} s`);
	if (r.recall < 0.8 || r.honestReview > 0.02) status = 1;
} finally {
	await vite.close();
}
process.exit(status);
