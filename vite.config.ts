/// <reference types="vitest/config" />
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';

export default defineConfig({
	plugins: [
		tailwindcss(),
		sveltekit(),
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['cookie', 'preferredLanguage', 'custom-shop', 'baseLocale'],
			cookieName: 'retour_locale',
			emitTsDeclarations: true
		})
	],
	test: {
		// CI collects every runner's counts from TEST_RESULTS_DIR (see scripts/count-results.js).
		reporters: process.env.TEST_RESULTS_DIR
			? [
					'default',
					[
						'json',
						{
							outputFile: `${process.env.TEST_RESULTS_DIR}/vitest-${process.env.npm_lifecycle_event ?? 'run'}${process.env.DATABASE_URL ? '-postgres' : ''}.json`
						}
					]
				]
			: ['default'],
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.spec.ts'],
					exclude: ['src/**/*.db.spec.ts'],
					environment: 'node',
					sequence: { groupOrder: 0 }
				}
			},
			{
				extends: true,
				test: {
					name: 'db',
					include: ['src/**/*.db.spec.ts'],
					environment: 'node',
					globalSetup: ['src/lib/server/db/test-global-setup.ts'],
					// Services that email a return link sign it (and PostgreSQL requires the secret to be set).
					env: { RETURN_LINK_SECRET: 'db-tests-return-link-secret-0123456789abcdef' },
					testTimeout: 30_000,
					hookTimeout: 60_000,
					fileParallelism: true,
					maxWorkers: 2,
					sequence: { groupOrder: 1 }
				}
			}
		]
	}
});
