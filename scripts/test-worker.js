// A job worker in its own process, for tests that kill one mid-job (src/lib/server/refunds/crash.db.spec.ts).
// Loads the TypeScript sources through Vite (no build needed); configured by the environment like the app.
import { createServer } from 'vite';

const server = await createServer({
	configFile: false,
	resolve: { alias: { $lib: new URL('../src/lib', import.meta.url).pathname } },
	server: { middlewareMode: true, hmr: false, ws: false, watch: null },
	appType: 'custom',
	logLevel: 'error'
});
const { runStandaloneWorkers } = await server.ssrLoadModule('/src/lib/server/jobs/standalone.ts');
const workers = await runStandaloneWorkers({ pollingIntervalSeconds: 0.5, superviseIntervalSeconds: 1 });
process.stdout.write('ready\n');
process.on('SIGTERM', async () => {
	await workers.stop();
	await server.close();
	process.exit(0);
});
