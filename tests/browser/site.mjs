// A participant on a phone, in Debian's Chromium driven by playwright-core.
//   node site.mjs register BASE OUTDIR   the tour, the Gap Atelier, the form,
//                                         the confirmation
//   node site.mjs cancel URL OUTDIR      the cancel link of the mail, the button
// Screenshots go to OUTDIR. Any failed expectation, console error (a CSP
// violation is one) or page that scrolls sideways ends with exit status 1.
import { chromium } from 'playwright-core';

const [phase, target, outdir] = process.argv.slice(2);
const problems = [];

function expect(condition, what) {
	if (!condition) throw new Error(`expected ${what}`);
}

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	headless: true,
	args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
		'--disable-component-update', '--disable-sync', '--disable-quic'],
});
// a phone: 390 x 844 CSS pixels, touch, French
const context = await browser.newContext({
	viewport: { width: 390, height: 844 },
	deviceScaleFactor: 2,
	isMobile: true,
	hasTouch: true,
	locale: 'fr-FR',
});
const page = await context.newPage();
page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));

async function fitsThePhone(name) {
	const wide = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(wide <= 390, `${name} to fit 390 px, not ${wide}`);
	// the site's style sheet is served and allowed by the CSP
	const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
	expect(font.includes('Georgia'), `${name} styled by /style.css, font was ${font}`);
}

async function shot(name) {
	await page.screenshot({ path: `${outdir}/${name}.png`, fullPage: true });
}

try {
	if (phase === 'register') {
		let answer = await page.goto(`${target}/`);
		expect(answer.status() === 200, 'the tour to answer 200');
		expect(await page.getByRole('heading', { level: 1 }).innerText() === 'Les prochains Ateliers',
			'the tour heading');
		await fitsThePhone('the tour');
		await shot('tour');
		// the Gap Atelier, from its line in the tour
		await page.locator('ul.tour li', { hasText: 'Gap' }).getByRole('link').click();
		await page.waitForURL(/\/ateliers\/\d+$/);
		expect(await page.getByRole('heading', { level: 1 }).innerText() ===
			'Les Hautes-Alpes agissent utile et solidaire', 'the Gap programme');
		expect(await page.getByText('Le schéma départemental unique des solidarités').count() === 1,
			'the round tables of the programme');
		await fitsThePhone('the programme');
		await shot('programme');
		await page.getByLabel('Prénom et nom', { exact: true }).fill('Hélène Roux');
		await page.getByLabel('Adresse e-mail', { exact: true }).fill('helene.roux@example.fr');
		await page.getByLabel('Organisme (facultatif)', { exact: true }).fill('Département des Hautes-Alpes');
		await page.getByLabel('Vous êtes', { exact: true }).selectOption('agent');
		// registering asks for no consent; hearing of the next Ateliers is optional
		expect(!(await page.getByLabel(/Me tenir informé/).isChecked()), 'the optional box to start unticked');
		await page.getByLabel(/Me tenir informé/).check();
		await page.getByRole('button', { name: "S'inscrire" }).tap();
		await page.getByRole('heading', { level: 1, name: 'Inscription confirmée' })
			.waitFor({ timeout: 10000 });
		expect(await page.getByRole('status').innerText().then((t) => t.includes('helene.roux@example.fr')),
			'the confirmation to name the address the mail goes to');
		await fitsThePhone('the confirmation');
		await shot('confirmation');
	} else if (phase === 'cancel') {
		const answer = await page.goto(target);
		expect(answer.status() === 200, 'the cancel page to answer 200');
		expect(await page.getByText('Hélène Roux').count() === 1, 'the registration on its page');
		await fitsThePhone('the cancel page');
		await shot('cancel');
		await page.getByRole('button', { name: 'Annuler mon inscription' }).tap();
		await page.getByRole('heading', { level: 1, name: 'Inscription annulée' })
			.waitFor({ timeout: 10000 });
		await shot('cancelled');
	} else {
		throw new Error(`unknown phase ${phase}`);
	}
} catch (err) {
	problems.push(err.message);
	await shot(`failed-${phase}`).catch(() => {});
}
await browser.close();
if (problems.length) {
	console.error(problems.join('\n'));
	process.exit(1);
}
console.log(`${phase}: ok`);
