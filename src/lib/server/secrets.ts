import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config';

/**
 * The key that signs return links. With DATABASE_URL every instance must share RETURN_LINK_SECRET (config
 * refuses to start without it); with the embedded database one is generated once and kept under DATA_DIR.
 */
export function returnLinkSecret(config: Config): string {
	if (config.returnLinkSecret) return config.returnLinkSecret;
	const file = path.join(config.dataDir, 'return-link-secret');
	try {
		return fs.readFileSync(file, 'utf8').trim();
	} catch {
		fs.mkdirSync(config.dataDir, { recursive: true });
		const secret = randomBytes(32).toString('hex');
		fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
		return secret;
	}
}
