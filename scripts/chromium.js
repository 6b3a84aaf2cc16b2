// Finds a Chromium for Playwright: CHROMIUM_PATH, then Debian's /usr/bin/chromium; installs one if neither exists.
import { execSync } from 'node:child_process';
import fs from 'node:fs';

export function findChromium({ install = false } = {}) {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
	const found = candidates.find((p) => fs.existsSync(p));
	if (found || !install) return found;
	if (process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get')) {
		console.log('Installing Debian chromium for the browser tests…');
		execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
		return '/usr/bin/chromium';
	}
	console.log('Installing Playwright chromium for the browser tests…');
	execSync('npx playwright install chromium', { stdio: 'inherit' });
	return undefined; // Playwright finds its own browser
}
