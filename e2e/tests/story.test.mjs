// The main story in a real browser: a requester finds an expert and asks,
// the coordinator assigns, the expert answers, the requester closes with
// feedback — in Finnish, then the same pages in Swedish; then axe-core and
// the HTML validator on every page each demo role can reach.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, signIn, axe, validateHtml, screenshot } from './helpers.mjs';

let browser;
let casePath;
const visited = [];

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the main story in Finnish', async () => {
  const requester = await signIn(browser, 'pyytaja@example.fi');
  await requester.getByRole('link', { name: 'Asiantuntijat' }).click();
  await requester.getByLabel('Hae asiantuntijaa').fill('kunniaväkivallan uhka');
  await requester.getByRole('button', { name: 'Hae', exact: true }).click();
  const first = requester.locator('ol.results > li').first();
  await assert.doesNotReject(first.waitFor());
  assert.match(await first.locator('.snippet').innerHTML(), /<mark>/);
  await first.getByRole('link').click();
  await requester.getByRole('heading', { name: 'Yhteystiedot' }).waitFor();

  await requester.goto(`${BASE}/consultations/new`);
  await requester.getByLabel('Kysymys').fill('Miten tukea 14-vuotiasta, jonka perheessä on kunniaan liittyvän väkivallan uhka?');
  await requester.getByLabel('Tausta').fill('Nuori on sijoitettuna; psykiatrinen hoito on alkanut.');
  await requester.getByLabel('kunniaan liittyvä väkivalta').check();
  await requester.getByLabel('Lapsen tai nuoren ikä').fill('14');
  await requester.getByLabel('nuoren oma suostumus').check();
  await requester.getByRole('button', { name: 'Tallenna ja tarkista' }).click();
  await requester.waitForURL(/\/consultations\/[0-9a-f-]{36}$/);
  casePath = new URL(requester.url()).pathname;
  // Check your answers: the draft is shown with an edit link before it is sent.
  await requester.getByRole('heading', { name: 'Tarkista pyyntö ennen lähettämistä' }).waitFor();
  await requester.getByRole('link', { name: 'Muokkaa pyyntöä' }).click();
  await requester.getByLabel('Tausta').fill('Nuori on sijoitettuna; psykiatrinen hoito on alkanut; koulu tukee.');
  await requester.getByRole('button', { name: 'Tallenna ja tarkista' }).click();
  await requester.getByText('Muutokset tallennettiin luonnokseen.').waitFor();
  await requester.getByRole('button', { name: 'Lähetä pyyntö' }).click();
  await requester.getByText('Vastaus on tulossa viimeistään').waitFor();
  assert.match(await requester.locator('.status').first().innerText(), /jätetty/);

  const coordinator = await signIn(browser, 'koordinaattori@example.fi');
  await coordinator.getByRole('link', { name: 'Konsultaatiot' }).click();
  await coordinator.locator(`a[href="${casePath}"]`).click();
  await coordinator.getByLabel('Paneeliin: Aino Asiantuntija').check();
  await coordinator.getByLabel('vastuuasiantuntija: Aino Asiantuntija').check();
  await coordinator.getByRole('button', { name: 'Nimeä asiantuntijat' }).click();
  await coordinator.locator('.status', { hasText: 'työn alla' }).first().waitFor();

  const expert = await signIn(browser, 'asiantuntija@example.fi');
  await expert.goto(`${BASE}${casePath}`);
  await expert.getByRole('button', { name: 'Hyväksy tehtävä' }).click();
  await expert.getByLabel('Arvio').fill('Uhka on todellinen; turvallisuussuunnitelma tarvitaan.');
  await expert.getByLabel('Suositukset').fill('Moniammatillinen riskinarvio ja tiivis yhteistyö koulun kanssa.');
  await expert.getByRole('button', { name: 'Anna lausunto' }).click();
  await expert.locator('.status', { hasText: 'vastattu' }).first().waitFor();

  await requester.goto(`${BASE}${casePath}`);
  await requester.getByRole('heading', { name: 'Lausunto' }).waitFor();
  await requester.getByRole('radio', { name: '5' }).check();
  await requester.getByRole('radio', { name: 'Sain uusia neuvoja, joita käytän' }).check();
  await requester.getByRole('radio', { name: 'Lähete tai sijoitus oli suunnitteilla, ja se vältettiin' }).check();
  await requester.getByLabel('Kommentti').fill('Selkeä ja nopea vastaus.');
  await requester.getByRole('button', { name: 'Anna palaute ja sulje' }).click();
  await requester.locator('.status', { hasText: 'suljettu' }).first().waitFor();
  await screenshot(requester, 'case-closed-desktop-fi');
  for (const p of [requester, coordinator, expert]) await p.context().close();
});

test('a closed case leads to a research need without its text, reviewed up to a university proposal', async () => {
  const requester = await signIn(browser, 'pyytaja@example.fi');
  await requester.goto(`${BASE}${casePath}`);
  await requester.getByRole('link', { name: 'Ehdota tutkimustarvetta tämän tapauksen pohjalta' }).click();
  await requester.getByRole('heading', { name: 'Kirjaa tutkimustarve' }).waitFor();
  assert.equal(await requester.getByLabel('Kysymys').inputValue(), '', 'nothing of the case is copied');
  assert.ok(await requester.getByRole('checkbox', { name: 'kunniaan liittyvä väkivalta' }).isChecked(), 'the topics are');
  await requester.getByLabel('Kysymys').fill('Mikä suojaa kunniaan liittyvän väkivallan uhassa olevaa nuorta sijoituksen aikana?');
  await requester.getByLabel('Epävarmuus omin sanoin').fill('Turvallisuussuunnitelmien vaikutuksesta ei löytynyt tutkimusta.');
  await requester.getByRole('button', { name: 'Kirjaa tutkimustarve' }).click();
  await requester.getByText('Tutkimustarve on kirjattu.').waitFor();
  const needPath = new URL(requester.url()).pathname;
  assert.ok(!(await requester.locator('main').innerText()).includes('TV-'), 'the case is not reachable from the need');

  const coordinator = await signIn(browser, 'koordinaattori@example.fi');
  await coordinator.goto(`${BASE}${needPath}`);
  for (const status of ['Käsittelyssä', 'Epävarmuus vahvistettu', 'Priorisoitu']) {
    await coordinator.getByLabel('Siirrä tilaan').selectOption({ label: status });
    await coordinator.getByRole('button', { name: 'Siirrä', exact: true }).click();
    await coordinator.getByText('Tila on päivitetty').waitFor();
  }
  await coordinator.getByLabel('Siirrä tilaan').selectOption({ label: 'Ehdotettu yliopistolle' });
  await coordinator.getByRole('button', { name: 'Siirrä', exact: true }).click();
  await coordinator.getByRole('alert').waitFor();
  assert.match(await coordinator.getByRole('alert').innerText(), /partner|kumppani/i, 'a proposal names its partner');
  await coordinator.getByLabel('Siirrä tilaan').selectOption({ label: 'Ehdotettu yliopistolle' });
  await coordinator.getByLabel('Yliopisto tai tutkimusyksikkö').selectOption({ label: 'Tampereen yliopisto' });
  await coordinator.getByLabel('Yhteyshenkilö').fill('Prof. Esimerkki');
  await coordinator.getByRole('button', { name: 'Siirrä', exact: true }).click();
  await coordinator.getByText('Tila on päivitetty').waitFor();
  assert.match(await coordinator.locator('dl.facts').innerText(), /Tampereen yliopisto \(Prof. Esimerkki\)/);

  await requester.goto(`${BASE}/notifications`);
  const told = await requester.locator('main li').filter({ hasText: 'Seuraamasi tutkimustarpeen tila muuttui' }).count();
  assert.equal(told, 4, 'the one who raised it is told of every move');
  for (const p of [requester, coordinator]) await p.context().close();
});

test('the same pages in Swedish', async () => {
  const requester = await signIn(browser, 'pyytaja@example.fi', { locale: 'sv-FI' });
  await requester.getByRole('link', { name: 'svenska' }).click();
  await requester.goto(`${BASE}${casePath}`);
  assert.equal(await requester.locator('html').getAttribute('lang'), 'sv');
  await requester.getByRole('heading', { name: /Konsultation TV-/ }).waitFor();
  assert.match(await requester.locator('.status').first().innerText(), /stängd/);
  await requester.getByRole('heading', { name: 'Utlåtande' }).waitFor();
  await requester.goto(`${BASE}/consultations`);
  await requester.getByRole('heading', { name: 'Konsultationer' }).waitFor();
  await requester.goto(`${BASE}/experts?q=hedersrelaterat+v%C3%A5ld`);
  await requester.getByRole('heading', { name: 'Expertsökning' }).waitFor();
  assert.ok((await requester.locator('ol.results > li').count()) > 0, 'Swedish words find Finnish-speaking experts');
  await requester.context().close();
});

test('a whole day in Swedish on a phone: ask, assign, answer, close', async () => {
  const phone = { locale: 'sv-FI', viewport: { width: 390, height: 844 } };
  const inSwedish = async (email) => {
    const page = await signIn(browser, email, phone);
    await page.getByRole('link', { name: 'svenska' }).click();
    assert.equal(await page.locator('html').getAttribute('lang'), 'sv');
    return page;
  };
  const noSideways = async (page, where) => {
    // The elements sticking out name the culprit when it fails.
    const outside = await page.evaluate(() => {
      if (document.documentElement.scrollWidth <= window.innerWidth + 1) return [];
      return [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)`);
    });
    assert.deepEqual(outside, [], `${where}: the page scrolls sideways at 390 px`);
  };

  const requester = await inSwedish('pyytaja@example.fi');
  await requester.goto(`${BASE}/experts?q=hedersrelaterat+v%C3%A5ld`);
  await requester.locator('ol.results > li').first().waitFor();
  await noSideways(requester, 'search');
  await requester.goto(`${BASE}/consultations/new`);
  await requester.getByLabel('Fråga', { exact: true }).fill('Hur stöder vi en 15-åring som hotas med tvångsäktenskap?');
  await requester.getByLabel('Bakgrund').fill('Den unga är placerad; skolan har kontaktat socialtjänsten.');
  await requester.getByLabel('hedersrelaterat våld').check();
  await requester.getByLabel('Barnets eller den ungas ålder').fill('15');
  await requester.getByLabel('den unges eget samtycke').check();
  await requester.getByRole('button', { name: 'Spara och kontrollera' }).click();
  await requester.getByRole('heading', { name: 'Kontrollera begäran innan du skickar den' }).waitFor();
  const path = new URL(requester.url()).pathname;
  await noSideways(requester, 'check your answers');
  await requester.getByRole('button', { name: 'Skicka begäran' }).click();
  await requester.getByText('Svaret kommer senast').waitFor();
  assert.match(await requester.locator('.status').first().innerText(), /inlämnad/);

  const coordinator = await inSwedish('koordinaattori@example.fi');
  await coordinator.goto(`${BASE}${path}`);
  await noSideways(coordinator, 'triage');
  await coordinator.getByLabel('I panelen: Aino Asiantuntija').check();
  await coordinator.getByLabel('ansvarig expert: Aino Asiantuntija').check();
  await coordinator.getByRole('button', { name: 'Utse experter' }).click();
  await coordinator.locator('.status', { hasText: 'under arbete' }).first().waitFor();
  await coordinator.getByRole('status').first().waitFor();

  const expert = await inSwedish('asiantuntija@example.fi');
  await expert.goto(`${BASE}/`);
  await expert.locator(`a[href="${path}"]`).first().click();
  await expert.getByRole('button', { name: 'Godkänn uppdraget' }).click();
  await expert.getByLabel('Bedömning').fill('Hotet är verkligt; en säkerhetsplan behövs.');
  await expert.getByLabel('Rekommendationer').fill('Riskbedömning tillsammans med skolan och polisen.');
  await expert.getByRole('button', { name: 'Ge utlåtande' }).click();
  await expert.locator('.status', { hasText: 'besvarad' }).first().waitFor();
  await noSideways(expert, 'answered case');

  await requester.goto(`${BASE}${path}`);
  await requester.getByRole('heading', { name: 'Utlåtande' }).waitFor();
  await requester.getByRole('radio', { name: '5' }).check();
  await requester.getByRole('radio', { name: 'Jag fick nya råd som jag kommer att använda' }).check();
  await requester.getByRole('radio', { name: 'En remiss eller placering planerades och kunde undvikas' }).check();
  await requester.getByLabel('Kommentar').fill('Tydligt och snabbt svar.');
  await requester.getByRole('button', { name: 'Ge respons och stäng' }).click();
  await requester.locator('.status', { hasText: 'stängd' }).first().waitFor();
  await noSideways(requester, 'closed case');
  await screenshot(requester, 'case-closed-phone-sv');
  for (const p of [requester, coordinator, expert]) await p.context().close();
});

test('a coordinator imports experts from a CSV file, seeing every change first', async () => {
  const head = 'external_id,given_name,family_name,title,organization,sector,county,centre,languages,topics,methods,remote,accepts_consultations,bio,email,phone\n';
  const csv = (topic) => Buffer.from(`${head}e2e-1,Essi,Esimerkkinen,perheterapeutti,Tays,health,pirkanmaa,,fi,${topic},,true,true,Perheterapia,,\n`);
  const page = await signIn(browser, 'koordinaattori@example.fi');
  await page.getByRole('navigation', { name: 'Päävalikko' }).getByRole('link', { name: 'Tuo asiantuntijat' }).click();
  await page.getByLabel('CSV-tiedosto').setInputFiles({ name: 'asiantuntijat.csv', mimeType: 'text/csv', buffer: csv('nonsense') });
  await page.getByRole('button', { name: 'Tarkista tiedosto' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Mitään ei tuotu[\s\S]*Sarake 10 \(topics\): tuntematon aihekoodi/);
  const problems = (await axe(page)).map((v) => `import errors: ${v.id} ${v.nodes.join(', ')}`);

  await page.getByLabel('CSV-tiedosto').setInputFiles({ name: 'asiantuntijat.csv', mimeType: 'text/csv', buffer: csv('family_work') });
  await page.getByRole('button', { name: 'Tarkista tiedosto' }).click();
  await page.getByRole('heading', { name: 'Esikatselu: asiantuntijat.csv' }).waitFor();
  assert.match(await page.getByRole('table').innerText(), /e2e-1\s+Essi Esimerkkinen\s+uusi profiili/);
  for (const v of await axe(page)) problems.push(`import preview: ${v.id} ${v.nodes.join(', ')}`);
  await screenshot(page, 'import-preview-desktop-fi');
  await page.getByRole('button', { name: 'Tallenna muutokset' }).click();
  await page.getByRole('status').filter({ hasText: 'tuotiin' }).waitFor();

  await page.goto(`${BASE}/experts?q=esimerkkisen`);
  assert.equal(await page.locator('ol.results > li').count(), 1, 'the imported expert is found at once, inflected');
  assert.deepEqual(problems, [], 'axe violations');
  await page.context().close();
});

const ROLES = {
  'pyytaja@example.fi': ['/', '/experts', '/experts?q=huoltoriita', '/consultations', '/consultations/new', 'CASE', 'CASE/print', 'PROFILE', '/settings', '/notifications', '/research-needs', '/services', 'SERVICE', 'TEAM'],
  'asiantuntija@example.fi': ['/', '/experts', '/consultations', 'CASE', 'PROFILE', '/me/profile', '/settings', '/notifications'],
  'koordinaattori@example.fi': ['/', '/experts', '/consultations', 'PROFILE', '/experts/import', '/settings', '/notifications', '/research-needs', '/statistics', 'SERVICE', 'TEAM'],
  'tutkija@example.fi': ['/', '/consultations', '/settings', '/notifications', '/research-needs', '/statistics'],
  'kokemus@example.fi': ['/', '/experts', '/consultations', 'PROFILE', '/me/profile', '/settings', '/notifications'],
  'yllapito@example.fi': ['/', '/experts', '/consultations', '/admin/audit', '/admin/audit?object_type=user', '/experts/import', '/admin/users', '/settings', '/notifications'],
};

test('every page reachable for each role passes axe (WCAG 2.1 AA) and the HTML validator', async () => {
  const anonymous = await browser.newContext({ bypassCSP: true });
  const anon = await anonymous.newPage();
  const problems = [];
  const documents = [];
  for (const path of ['/', '/login', '/accessibility', '/privacy']) {
    const response = await anon.goto(`${BASE}${path}`);
    // The HTML as served, before axe adds its script.
    documents.push({ name: `anonymous${path.replaceAll('/', '_')}`, html: await response.text() });
    for (const v of await axe(anon)) problems.push(`anonymous ${path}: ${v.id} ${v.nodes.join(', ')}`);
  }
  await anonymous.close();

  for (const [email, paths] of Object.entries(ROLES)) {
    for (const lang of ['fi', 'sv', 'en']) {
      const page = await signIn(browser, email);
      await page.goto(`${BASE}/lang/${lang}?next=/`);
      let profile = null;
      let service = null;
      let team = null;
      for (const raw of paths) {
        if (raw === 'PROFILE' && !profile) {
          await page.goto(`${BASE}/experts?q=barnahus`);
          profile = await page.locator('ol.results a').first().getAttribute('href');
        }
        if (raw === 'SERVICE' && !service) {
          await page.goto(`${BASE}/services`);
          service = await page.locator('main a[href^="/services/"]').first().getAttribute('href');
        }
        if (raw === 'TEAM' && !team) {
          await page.goto(`${BASE}/experts?q=barnahus`);
          team = await page.locator('main a[href^="/teams/"]').first().getAttribute('href');
        }
        const path = raw.replace('CASE', casePath).replace('PROFILE', profile ?? '/experts')
          .replace('SERVICE', service ?? '/services').replace('TEAM', team ?? '/experts');
        const response = await page.goto(`${BASE}${path}`);
        assert.equal(response.status(), 200, `${email} ${path}`);
        const name = `${email.split('@')[0]}-${lang}${raw.replace(/[/?=]+/g, '_')}`;
        documents.push({ name, html: await response.text() });
        for (const v of await axe(page)) problems.push(`${email} ${lang} ${path}: ${v.id} (${v.impact}) ${v.nodes.join(', ')}`);
        visited.push(`${email} ${lang} ${path}`);
      }
      await page.context().close();
    }
  }
  const htmlErrors = validateHtml(documents);
  assert.deepEqual(problems, [], 'axe violations');
  assert.deepEqual(htmlErrors, [], 'HTML validation errors');
  assert.ok(visited.length >= 60, `visited ${visited.length} pages`);
});

test("every role's home at desktop and phone width, in Finnish and Swedish: no horizontal scroll, values at least 120 px wide, no raw ids", async () => {
  const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
  for (const email of Object.keys(ROLES)) {
    for (const lang of ['fi', 'sv']) {
      for (const [label, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
        const page = await signIn(browser, email, { viewport });
        await page.goto(`${BASE}/lang/${lang}?next=/`);
        const paths = ROLES[email].includes('CASE') || email.startsWith('koordinaattori') ? ['/', casePath] : ['/'];
        for (const path of paths) {
          await page.goto(`${BASE}${path}`);
          const where = `${email} ${lang} ${label} ${path}`;
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 1, `${where}: horizontal scroll of ${overflow}px`);
          const narrow = await page.$$eval('main dd', (els) =>
            els.map((e) => e.getBoundingClientRect().width).filter((w) => w > 0 && w < 120));
          assert.deepEqual(narrow, [], `${where}: value columns under 120 px`);
          const text = await page.locator('main').innerText();
          assert.ok(!uuid.test(text), `${where}: a raw id is shown: ${text.match(uuid)}`);
        }
        await page.goto(`${BASE}/`);
        await screenshot(page, `home-${email.split('@')[0]}-${lang}-${label}`);
        await page.context().close();
      }
    }
  }
});

test('screenshots of the main pages at desktop and phone width', async () => {
  for (const [label, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
    const page = await signIn(browser, 'koordinaattori@example.fi', { viewport });
    for (const [name, path] of [['home', '/'], ['experts', '/experts?q=huoltoriita'], ['queue', '/consultations'], ['case', casePath]]) {
      await page.goto(`${BASE}${path}`);
      await screenshot(page, `${name}-${label}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${name} fits a ${label} screen (overflow ${overflow}px)`);
    }
    await page.context().close();
  }
});
