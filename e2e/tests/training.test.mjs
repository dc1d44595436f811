// Trainings in a real browser: a coordinator publishes a webinar with one
// place, the requester takes it, the expert queues, the requester cancels
// (after confirming) and the place moves to the expert; then axe-core and
// the HTML validator on the training pages in Finnish, Swedish and English.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, signIn, axe, validateHtml, screenshot } from './helpers.mjs';

let browser;
let trainingPath;

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A date some days ahead as the date field takes it. */
function daysAhead(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test('a webinar fills, queues and moves the place on a cancellation', async () => {
  const coordinator = await signIn(browser, 'koordinaattori@example.fi');
  await coordinator.goto(`${BASE}/trainings`);
  await coordinator.getByRole('link', { name: 'Julkaise koulutus tai webinaari' }).click();
  await coordinator.getByLabel('Nimi', { exact: true }).fill('Cool Kids -webinaari');
  await coordinator.getByLabel('Menetelmä').selectOption('cool_kids');
  await coordinator.getByRole('radio', { name: 'Etänä' }).check();
  await coordinator.getByLabel('Osallistumislinkki').fill('https://meet.example.fi/coolkids');
  await coordinator.getByLabel('Paikat').fill('1');
  await coordinator.getByLabel('Kerta 1: Päivä').fill(daysAhead(9));
  await coordinator.getByLabel('Kerta 1: Kellonaika').fill('13:00');
  await coordinator.getByRole('button', { name: 'Julkaise koulutus' }).click();
  await coordinator.getByText('Koulutus on julkaistu').waitFor();
  trainingPath = new URL(coordinator.url()).pathname;
  assert.match(trainingPath, /^\/trainings\/[0-9a-f-]{36}$/);

  const requester = await signIn(browser, 'pyytaja@example.fi');
  await requester.goto(`${BASE}${trainingPath}`);
  await requester.getByRole('button', { name: 'Ilmoittaudu' }).click();
  await requester.getByText('Ilmoittautumisesi on vastaanotettu.').waitFor();

  const expert = await signIn(browser, 'asiantuntija@example.fi');
  await expert.goto(`${BASE}${trainingPath}`);
  await expert.getByRole('button', { name: 'Ilmoittaudu' }).click();
  await expert.getByText('Olet jonossa sijalla 1').waitFor();

  await requester.getByRole('link', { name: 'Peru ilmoittautuminen' }).click();
  await requester.getByRole('heading', { name: 'Haluatko perua ilmoittautumisesi?' }).waitFor();
  const problems = (await axe(requester)).map((v) => `cancel confirmation: ${v.id} ${v.nodes.join(', ')}`);
  await requester.getByRole('button', { name: 'Kyllä, peru ilmoittautuminen' }).click();
  await requester.getByText('Ilmoittautumisesi on peruttu.').waitFor();

  await expert.reload();
  await expert.getByText('Olet ilmoittautunut tähän koulutukseen.').waitFor();
  await expert.goto(`${BASE}/notifications`);
  await expert.getByText('Sait paikan koulutukseen').first().waitFor();

  await coordinator.goto(`${BASE}${trainingPath}`);
  const list = coordinator.getByRole('table');
  assert.match(await list.innerText(), /Aino Asiantuntija[\s\S]*Ilmoittautunut/);
  await screenshot(coordinator, 'training-coordinator-desktop-fi');
  assert.deepEqual(problems, [], 'axe violations');
  for (const p of [coordinator, requester, expert]) await p.context().close();
});

test('the training and method pages pass axe and the HTML validator in fi, sv and en', async () => {
  const problems = [];
  const documents = [];
  for (const [email, paths] of [
    ['koordinaattori@example.fi', ['/trainings', '/trainings/new', 'TRAINING', '/methods', '/methods/cool_kids']],
    ['pyytaja@example.fi', ['/trainings', 'TRAINING', '/methods/cool_kids']],
  ]) {
    for (const lang of ['fi', 'sv', 'en']) {
      const page = await signIn(browser, email);
      await page.goto(`${BASE}/lang/${lang}?next=/`);
      for (const raw of paths) {
        const path = raw.replace('TRAINING', trainingPath);
        const response = await page.goto(`${BASE}${path}`);
        assert.equal(response.status(), 200, `${email} ${path}`);
        documents.push({ name: `training-${email.split('@')[0]}-${lang}${raw.replace(/[/?=]+/g, '_')}`, html: await response.text() });
        for (const v of await axe(page)) problems.push(`${email} ${lang} ${path}: ${v.id} (${v.impact}) ${v.nodes.join(', ')}`);
      }
      await page.context().close();
    }
  }
  assert.deepEqual(problems, [], 'axe violations');
  assert.deepEqual(validateHtml(documents), [], 'HTML validation errors');
});
