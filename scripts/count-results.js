// Sums the JSON reports of vitest and Playwright in a folder and prints `N passed, N failed`.
// With --require NAME, fails when the report NAME is missing or ran no test.
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const required = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--require' ? [a] : []));
let passed = 0;
let failed = 0;
let skipped = 0;
let problems = 0;

function walkPlaywright(suites, out) {
	for (const s of suites ?? []) {
		for (const spec of s.specs ?? []) {
			for (const t of spec.tests ?? []) {
				const status = t.results?.at(-1)?.status;
				if (t.status === 'skipped' || status === 'skipped') out.skipped++;
				else if (t.status === 'expected' || t.status === 'flaky') out.passed++;
				else out.failed++;
			}
		}
		walkPlaywright(s.suites, out);
	}
}

const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
for (const file of files) {
	const report = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
	const out = { passed: 0, failed: 0, skipped: 0 };
	if (file.startsWith('playwright')) {
		walkPlaywright(report.suites, out);
		out.failed += (report.errors ?? []).length;
	} else {
		out.passed = report.numPassedTests ?? 0;
		out.failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
		out.skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
		if (file.includes('-postgres')) {
			const pgOnly = report.testResults
				.flatMap((r) => r.assertionResults)
				.filter((a) => [...a.ancestorTitles, a.title].some((t) => t.includes('(real PostgreSQL)')));
			console.log(`Tests that need real PostgreSQL (${pgOnly.length}):`);
			for (const a of pgOnly) console.log(`  ${a.status === 'passed' ? '✓' : '✗'} ${[...a.ancestorTitles, a.title].join(' › ')}`);
		}
	}
	console.log(`${file}: ${out.passed} passed, ${out.failed} failed, ${out.skipped} skipped`);
	passed += out.passed;
	failed += out.failed;
	skipped += out.skipped;
}
for (const name of required) {
	const file = files.find((f) => f.startsWith(name));
	if (!file) {
		console.log(`Missing test report ${name}: that pass did not run.`);
		problems++;
		continue;
	}
	const report = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
	if (!(report.numTotalTests > 0 || report.suites?.length > 0)) {
		console.log(`The ${name} pass ran no test.`);
		problems++;
	}
}
console.log(`${passed} passed, ${failed + problems} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed + problems > 0 ? 1 : 0);
