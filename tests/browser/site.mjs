// A participant on a phone, in Debian's Chromium driven by playwright-core.
//   node site.mjs register BASE OUTDIR   the tour, the Gap Atelier, the form,
//                                         the confirmation
//   node site.mjs cancel URL OUTDIR      the cancel link of the mail, the button
//   node site.mjs survey URL OUTDIR      the survey after the Atelier, by keyboard
//   node site.mjs past URL OUTDIR        the page of an Atelier that took place
// Screenshots go to OUTDIR. Any failed expectation, console error (a CSP
// violation is one) or page that scrolls sideways ends with exit status 1.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

// axe-core (npm, locked), run in each page through the debugging protocol:
// the site's CSP forbids any script the page itself would carry
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

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
// a refused form answers 400, which Chromium logs: expected there only
let expected400 = false;
page.on('console', (msg) => {
	if (msg.type() !== 'error') return;
	if (expected400 && msg.text().includes('status of 400')) return;
	problems.push(`console: ${msg.text()}`);
});
page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));

async function fitsThePhone(name) {
	const wide = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(wide <= 390, `${name} to fit 390 px, not ${wide}`);
	// the site's style sheet is served and allowed by the CSP
	const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
	expect(font.includes('Georgia'), `${name} styled by /style.css, font was ${font}`);
}

// No accessibility violation axe-core can find (WCAG 2.1 A and AA, and its
// best practices), on every page a participant meets.
async function accessible(name) {
	await page.evaluate(axeSource);
	const violations = await page.evaluate(async () => {
		const result = await axe.run(document, {
			runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
		});
		return result.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
	});
	expect(violations.length === 0, `no axe violation on ${name}: ${violations.join('; ')}`);
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
		await accessible('the tour');
		// the keyboard's first stop skips the navigation, and shows
		await page.keyboard.press('Tab');
		const skip = await page.evaluate(() => ({
			text: document.activeElement.textContent,
			outline: getComputedStyle(document.activeElement).outlineWidth,
		}));
		expect(skip.text === 'Aller au contenu', `the first Tab on the skip link, not ${skip.text}`);
		expect(parseFloat(skip.outline) >= 2, `a visible focus, outline ${skip.outline}`);
		await shot('tour');
		// the Gap Atelier, from its line in the tour
		await page.locator('ul.tour li', { hasText: 'Gap' }).getByRole('link').click();
		await page.waitForURL(/\/ateliers\/\d+$/);
		expect(await page.getByRole('heading', { level: 1 }).innerText() ===
			'Les Hautes-Alpes agissent utile et solidaire', 'the Gap programme');
		expect(await page.getByText('Le schéma départemental unique des solidarités').count() === 1,
			'the round tables of the programme');
		await fitsThePhone('the programme');
		await accessible('the programme and its form');
		await shot('programme');
		// sent empty: every error at once, announced first, each on its field
		expected400 = true;
		await page.getByRole('button', { name: "S'inscrire" }).tap();
		await page.locator('#erreurs').waitFor({ timeout: 10000 });
		expected400 = false;
		const refused = await page.evaluate(() => ({
			title: document.title,
			focused: document.activeElement.id,
			invalid: [...document.querySelectorAll('[aria-invalid=true]')].map((e) => e.id),
			described: [...document.querySelectorAll('[aria-invalid=true]')]
				.every((e) => document.getElementById(e.getAttribute('aria-describedby'))),
			links: [...document.querySelectorAll('#erreurs a')].map((a) => a.getAttribute('href')),
		}));
		expect(refused.title.startsWith('Erreur : '), `the title to say so, not ${refused.title}`);
		expect(refused.focused === 'erreurs', `the focus on the summary, not on ${refused.focused}`);
		expect(refused.invalid.join() === 'prenom,nom,courriel,categorie', `four invalid fields, not ${refused.invalid}`);
		expect(refused.described, 'each invalid field described by its error');
		expect(refused.links.join() === '#prenom,#nom,#courriel,#categorie', `the summary's links, ${refused.links}`);
		await fitsThePhone('the refused form');
		await accessible('the refused form');
		await shot('refused');
		await page.getByLabel('Civilité (facultatif)', { exact: true }).selectOption('Mme');
		await page.getByLabel('Prénom (obligatoire)', { exact: true }).fill('Hélène');
		await page.getByLabel('Nom (obligatoire)', { exact: true }).fill('Roux');
		await page.getByLabel('Adresse e-mail (obligatoire)', { exact: true }).fill('helene.roux@example.fr');
		await page.getByLabel('Organisme (facultatif)', { exact: true }).fill('Département des Hautes-Alpes');
		await page.getByLabel('Vous êtes (obligatoire)', { exact: true }).selectOption('agent');
		// registering asks for no consent; hearing of the next Ateliers is optional
		expect(!(await page.getByLabel(/Me tenir informé/).isChecked()), 'the optional box to start unticked');
		await page.getByLabel(/Me tenir informé/).check();
		await page.getByRole('button', { name: "S'inscrire" }).tap();
		await page.getByRole('heading', { level: 1, name: 'Inscription confirmée' })
			.waitFor({ timeout: 10000 });
		expect(await page.getByRole('status').innerText().then((t) => t.includes('helene.roux@example.fr')),
			'the confirmation to name the address the mail goes to');
		await fitsThePhone('the confirmation');
		await accessible('the confirmation');
		await shot('confirmation');
		for (const [path, heading] of [['/donnees-personnelles', 'Vos données personnelles'],
			['/accessibilite', "Déclaration d'accessibilité"]]) {
			answer = await page.goto(`${target}${path}`);
			expect(answer.status() === 200, `${path} to answer 200`);
			expect(await page.getByRole('heading', { level: 1 }).innerText() === heading, `${path}'s heading`);
			await fitsThePhone(path);
			await accessible(path);
		}
	} else if (phase === 'cancel') {
		const answer = await page.goto(target);
		expect(answer.status() === 200, 'the cancel page to answer 200');
		expect(await page.getByText('Hélène Roux').count() === 1, 'the registration on its page');
		await fitsThePhone('the cancel page');
		await accessible('the cancel page');
		await shot('cancel');
		await page.getByRole('button', { name: 'Annuler mon inscription' }).tap();
		await page.getByRole('heading', { level: 1, name: 'Inscription annulée' })
			.waitFor({ timeout: 10000 });
		await accessible('the cancelled page');
		await shot('cancelled');
	} else if (phase === 'survey') {
		const answer = await page.goto(target);
		expect(answer.status() === 200, 'the survey to answer 200');
		expect(await page.getByRole('heading', { level: 1 }).innerText() === "Votre avis sur l'Atelier",
			'the survey heading');
		await fitsThePhone('the survey');
		await accessible('the survey');
		await shot('survey');
		// by keyboard alone: Space checks a question's first answer, the
		// arrows move it, Tab goes on, Enter sends
		for (const name of ['contenu', 'intervenants', 'organisation', 'utilite']) {
			await page.locator(`input[name=${name}][value="1"]`).focus();
			await page.keyboard.press('Space');
			for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
		}
		const chosen = await page.evaluate(() => [...document.querySelectorAll('input[type=radio]:checked')]
			.map((e) => e.value).join());
		expect(chosen === '4,4,4,4', `four answers of 4 by the keyboard, not ${chosen}`);
		await page.locator('#commentaire').focus();
		await page.keyboard.type('Très utile pour notre territoire.');
		await page.keyboard.press('Tab');
		const focused = await page.evaluate(() => document.activeElement.textContent);
		expect(focused === 'Envoyer mon avis', `Tab from the comment on the button, not ${focused}`);
		await page.keyboard.press('Enter');
		await page.getByRole('heading', { level: 1, name: 'Merci de votre avis' }).waitFor({ timeout: 10000 });
		await fitsThePhone('the thanks');
		await accessible('the thanks');
		await shot('surveyed');
	} else if (phase === 'past') {
		const answer = await page.goto(target);
		expect(answer.status() === 200, 'the Atelier\'s page to answer 200');
		const replay = page.getByRole('link', { name: "Revoir l'Atelier" });
		expect(await replay.count() === 1, 'the replay link on the page of an Atelier that took place');
		expect(await replay.getAttribute('href') === 'https://video.example.fr/gap', 'the replay\'s address');
		expect(await page.getByRole('link', { name: 'Les supports des intervenants' }).count() === 1,
			'the slides link');
		await fitsThePhone('the page of an Atelier that took place');
		await accessible('the page of an Atelier that took place');
		await shot('past');
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
