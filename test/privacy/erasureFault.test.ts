/**
 * An erasure interrupted the hardest way: the real `npm start` entry point
 * (src/main.ts) in a child process, with the test-only fault hook
 * (POCO_TEST_FAULT, honoured only under NODE_ENV=test) SIGKILLing it after the
 * erasure was decided, and once more after the orders were scrubbed but before
 * the feedback (the last collection). Before a restart no read shows the
 * erased values although the database still holds some of them; after a
 * restart the scrub completes by itself; one audit entry exists throughout.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { signDevToken } from '../../src/auth/devToken';
import type { TestFault } from '../../src/config';
import { account, feedback, order } from '../resolvers/fixtures';
import { expectNoErrors, startHarness, userViewer, supportViewer, type Harness } from '../resolvers/harness';
import { post, startHttpSubgraph } from '../limits/http';

const ROOT = join(__dirname, '..', '..');
const ADDRESS = { name: 'Marek Oblonsky', line1: 'ul. Kwiatowa 9', line2: null, city: 'Gdynia', postcode: '81-001', country: 'PL' };
const ERASED_VALUES = /Marek|Oblonsky|Kwiatowa|Gdynia|81-001|marek@mail\.example|Review by Marek|Text by Marek/;

const ORDER = `query ($id: ID!) { pocoOrder(id: $id) {
  id shippingAddress { name line1 city postalCode } feedback { title body reply { body } }
  account { email displayName } } }`;

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness('privacy_fault');
});

afterAll(async () => {
  await harness.close();
});

async function seed(accountId: string): Promise<void> {
  await harness.collections.accounts.insertOne(account(accountId, { xiaomiUserId: `user-${accountId}`, email: 'marek@mail.example', displayName: 'Marek O.' }));
  await harness.collections.orders.insertMany([
    order(`${accountId}-o1`, accountId, { orderNo: `${accountId}-1`, shippingAddress: ADDRESS }),
    order(`${accountId}-o2`, accountId, { orderNo: `${accountId}-2`, shippingAddress: ADDRESS }),
  ]);
  await harness.collections.feedback.insertOne(
    feedback(`${accountId}-f1`, `${accountId}-o1`, accountId, { title: 'Review by Marek', body: 'Text by Marek', reply: { body: 'Shop reply', at: new Date('2023-03-01T00:00:00.000Z') } }),
  );
}

/** Runs src/main.ts with the fault, asks it to erase `accountId`, and waits for it to die. */
async function eraseInChildThatDies(accountId: string, fault: TestFault): Promise<{ signal: NodeJS.Signals | null; output: string }> {
  const secret = randomBytes(32).toString('hex');
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      MONGODB_URI: harness.database.uri,
      MONGODB_DB: harness.database.name,
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: secret,
      LOG_LEVEL: 'info',
      POCO_TEST_FAULT: fault,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const deadline = Date.now() + 60_000;
  let url: string | undefined;
  while (url === undefined) {
    if (child.exitCode !== null) throw new Error(`the subgraph exited before listening:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the subgraph did not start:\n${output}`);
    }
    url = /"url":"(http:\/\/127\.0\.0\.1:\d+\/graphql)"/.exec(output)?.[1];
    if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const token = await signDevToken({ sub: 'officer-fault', scopes: ['poco:privacy'], secret, expiresIn: '5m' });
  const answer = await post(
    url,
    { query: `mutation { pocoErasePersonalData(accountId: "${accountId}", reason: "DSR fault test") { erasedAt } }` },
    { authorization: `Bearer ${token}` },
  ).then(
    (result) => `answered ${result.status}`,
    () => 'connection lost',
  );
  expect(answer).toBe('connection lost');
  return { signal: await exited, output };
}

async function expectNoReadShowsErasedValues(accountId: string): Promise<void> {
  for (const viewer of [userViewer(`user-${accountId}`), supportViewer()]) {
    for (const id of [`${accountId}-o1`, `${accountId}-o2`]) {
      const result = await harness.run(ORDER, { viewer, variables: { id } });
      expectNoErrors(result);
      expect(result.data?.pocoOrder.id).toBe(id);
      expect(JSON.stringify(result.data)).not.toMatch(ERASED_VALUES);
    }
  }
  const byEmail = await harness.run(`{ pocoAccountsByEmail(email: "marek@mail.example") { id } }`, { viewer: supportViewer() });
  expect(byEmail.data?.pocoAccountsByEmail.map((a: { id: string }) => a.id)).not.toContain(accountId);
}

const stillStored = async (accountId: string) => ({
  addresses: await harness.collections.orders.countDocuments({ accountId, shippingAddress: { $ne: null } }),
  feedbackTexts: await harness.collections.feedback.countDocuments({ accountId, $or: [{ title: { $ne: null } }, { body: { $ne: null } }] }),
});

describe.each<[TestFault, { addresses: number; feedbackTexts: number }]>([
  ['kill-after-erasure-decided', { addresses: 2, feedbackTexts: 1 }],
  ['kill-after-orders-scrubbed', { addresses: 0, feedbackTexts: 1 }],
])('SIGKILL at %s', (fault, leftBehind) => {
  const accountId = `acc-${fault.replace(/[^a-z]/g, '').slice(0, 20)}`;

  it('hides the erased values before the restart, and the restart finishes the scrub with one audit entry', async () => {
    await seed(accountId);
    const { signal, output } = await eraseInChildThatDies(accountId, fault);
    expect(signal).toBe('SIGKILL');
    expect(output).not.toMatch(ERASED_VALUES);

    // Decided: the account write with its one audit entry; scrub unfinished, the other collections not all clean.
    const decided = await harness.collections.accounts.findOne({ _id: accountId });
    expect(decided).toMatchObject({ email: `erased-${accountId}@invalid`, displayName: null, erasure: { scrubbedAt: null } });
    expect(decided?.audit?.map((entry) => entry.action)).toEqual(['PERSONAL_DATA_ERASED']);
    expect(await stillStored(accountId)).toEqual(leftBehind);

    await expectNoReadShowsErasedValues(accountId);

    // The restart (startSubgraph, as npm start runs it) completes the scrub in the background.
    const restartedAt = Date.now();
    const restarted = await startHttpSubgraph({ db: harness.database.db });
    try {
      const deadline = Date.now() + 20_000;
      while ((await harness.collections.accounts.findOne({ _id: accountId }))?.erasure?.scrubbedAt === null) {
        if (Date.now() > deadline) throw new Error('the restarted subgraph did not finish the scrub');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      console.log(`[figures] ${fault}: restart to finished scrub ${Date.now() - restartedAt} ms`);
      expect(await stillStored(accountId)).toEqual({ addresses: 0, feedbackTexts: 0 });
      const after = await harness.collections.accounts.findOne({ _id: accountId });
      expect(after?.audit).toHaveLength(1);
      expect(after?.audit?.[0]?.id).toBe(decided?.audit?.[0]?.id);
      expect(after?.erasure?.at).toEqual(decided?.erasure?.at);
      // The shop's reply stays.
      expect((await harness.collections.feedback.findOne({ accountId }))?.reply?.body).toBe('Shop reply');
      await expectNoReadShowsErasedValues(accountId);
      expect(restarted.logText()).not.toMatch(ERASED_VALUES);
    } finally {
      await restarted.close();
    }
  });
});
