/**
 * An execution killed at any service call (Apps Script's time limit, a crash, a closed tab):
 * for every call of the click and of a batch, the run is killed there, then continues as a
 * person would (the progress sidebar, or clicking again), and ends sound: every row has its
 * link or a clear error, no payment twice, nothing lost, nothing in the sheet twice.
 */
import { describe, expect, it } from 'vitest';
import { driveByTriggers, type Execution } from '../../tools/apps-script/gas-runtime';
import { customers, World } from '../support/world';
import { createFor, expectSound, killPoints, LOG, type SentCreate, text, watchCreates } from './soundness';

const ROWS = 25;
/** A sweep runs the add-on dozens of times over; on a busy machine that takes minutes. */
const SWEEP_TIMEOUT_MS = 300_000;

interface Setup {
  world: World;
  sent: SentCreate[];
}

/** 25 customers; the click's batch of 20 loses its replies, so the next batch checks Mayar first. */
function setUp(): Setup {
  // Triggers on time, so each batch a trigger fires is the one whose calls the kills enumerate.
  const world = new World({ rows: customers(ROWS), runtime: { triggerLateness: { minMs: 0, maxMs: 0 } } });
  const sent = watchCreates(world);
  world.sim.injectFault({ type: 'lost-reply', match: createFor('Customer 4') });
  return { world, sent };
}

/** A copy of a set-up world to try one kill from, with its own record of the creates sent. */
function fork({ world, sent }: Setup): Setup {
  const copy = world.clone();
  return { world: copy, sent: watchCreates(copy, sent) };
}

function unsentRows(world: World): number {
  return world.rows().filter((r) => text(r['Payment Link']) === '' && text(r.Status) === '' && text(r.Error) === '').length;
}

/** What a person does after the add-on failed them: open the progress, and click again if rows are left. */
function carryOn(world: World): void {
  for (let attempt = 0; attempt < 5; attempt++) {
    world.continueToEnd();
    if (unsentRows(world) === 0) return;
    world.runtime.advance(61_000);
    world.run('createPaymentLinks');
  }
  const left = world
    .rows()
    .filter((r) => text(r['Payment Link']) === '')
    .map((r) => `${text(r.Name)}: ${text(r.Status)} ${text(r.Error)}`);
  throw new Error(`the run did not settle after a kill; without a link: ${left.join(' | ')}`);
}

/** Lets time pass until the next trigger has fired; returns its execution. */
function fireNextTrigger(world: World): Execution {
  const at = world.runtime.nextTriggerAt();
  if (at === null) throw new Error('no trigger is set');
  const [run] = world.runtime.advance(Math.max(0, at - world.runtime.clock.now()));
  if (!run) throw new Error('the trigger did not fire');
  return run;
}

function expectSoundAfterKill({ world, sent }: Setup, where: string): void {
  try {
    expect(unsentRows(world)).toBe(0);
    expectSound(world, sent, { killedOnPurpose: true });
    // Every row of this sheet got a payment: the faults here only hide replies.
    expect(world.rows().every((r) => text(r['Payment Link']) !== '')).toBe(true);
    expect(world.sim.createCount()).toBe(ROWS);
    expect(world.rows(LOG).length).toBeGreaterThanOrEqual(ROWS);
  } catch (error) {
    if (error instanceof Error) error.message = `killed ${where}: ${error.message}`;
    throw error;
  }
}

describe('an execution killed at any service call, then continued', () => {
  it(
    'the click (createPaymentLinks), at every call that changes something',
    () => {
      const origin = setUp();
      const click = fork(origin).world.run('createPaymentLinks');
      const calls = click.callLog.length;
      expect(calls).toBeGreaterThan(50);
      expect(click.callLog).toContain('UrlFetchApp.fetchAll');

      const points = killPoints(click.callLog);
      expect(points.length).toBeGreaterThan(20);
      for (const kill of points) {
        const setup = fork(origin);
        const execution = setup.world.runtime.run('createPaymentLinks', [], { kill });
        expect(execution.killed, `call ${kill.atCall}`).toBe(true);
        carryOn(setup.world);
        expectSoundAfterKill(setup, `${kill.phase} call ${kill.atCall} (${click.callLog[kill.atCall - 1]}) of the click`);
      }
    },
    SWEEP_TIMEOUT_MS,
  );

  it(
    'a batch (processNextBatch) that checks lost replies and sends the next window, at every call that changes something',
    () => {
      const origin = setUp();
      const click = origin.world.run('createPaymentLinks');
      expect((click.value as { done: boolean }).done).toBe(false);
      // The next rate window: the batch checks the lost replies, then sends the rest.
      origin.world.runtime.advance(61_000);
      const batch = fork(origin).world.runtime.run('processNextBatch');
      const calls = batch.callLog.length;
      // The batch reads Mayar's list, then sends: both are in the range of kill points.
      expect(batch.fetchRequests).toBeGreaterThan(1);
      expect(calls).toBeGreaterThan(50);

      for (const kill of killPoints(batch.callLog)) {
        const setup = fork(origin);
        setup.world.runtime.killNext('processNextBatch', kill);
        try {
          carryOn(setup.world);
        } catch (error) {
          throw new Error(`killed ${kill.phase} call ${kill.atCall} (${batch.callLog[kill.atCall - 1]}) of a batch: ${String(error)}`);
        }
        expect(setup.world.runtime.stats.killed, `call ${kill.atCall}`).toBe(1);
        expectSoundAfterKill(setup, `${kill.phase} call ${kill.atCall} (${batch.callLog[kill.atCall - 1]}) of a batch`);
      }
    },
    SWEEP_TIMEOUT_MS,
  );

  it(
    'the sidebar closed: the batches fired by the trigger killed at every call that changes something, the run still ends by itself',
    () => {
      // The first trigger finds the rate window used up by the click; the second checks and sends.
      const baseline = setUp();
      baseline.world.run('createPaymentLinks');
      // The world just before each of the two batches, to start every kill from.
      const before: Setup[] = [fork(baseline)];
      const batches = [fireNextTrigger(baseline.world)];
      before.push(fork(baseline));
      batches.push(fireNextTrigger(baseline.world));
      expect(batches.map((b) => b.kind)).toEqual(['trigger', 'trigger']);
      expect(batches[1]?.callLog).toContain('UrlFetchApp.fetchAll');

      batches.forEach((batch, step) => {
        // Every point after the batch has started (dying before it starts: the next test).
        for (const kill of killPoints(batch.callLog).slice(1)) {
          const setup = fork(before[step] as Setup);
          setup.world.runtime.killNext('processNextBatch', kill);
          // Nobody opens the progress: only time passes.
          const runs = driveByTriggers(setup.world.runtime, 60 * 60_000);
          expect(runs[0]?.killed, `call ${kill.atCall}`).toBe(true);
          expectSoundAfterKill(setup, `${kill.phase} call ${kill.atCall} (${batch.callLog[kill.atCall - 1]}) of trigger batch ${step + 1}`);
        }
      });
    },
    SWEEP_TIMEOUT_MS,
  );

  it('the sidebar closed: a batch that dies before it starts leaves the run waiting, and opening the progress carries it on', () => {
    const setup = setUp();
    setup.world.run('createPaymentLinks');
    fireNextTrigger(setup.world);
    setup.world.runtime.killNext('processNextBatch', { atCall: 1, phase: 'before' });
    expect(fireNextTrigger(setup.world).killed).toBe(true);
    // Nothing was sent or changed, and no trigger is left: the run waits for someone.
    expect(setup.world.runtime.nextTriggerAt()).toBeNull();
    expect(setup.world.createRequests()).toBe(20);
    // Mayar → Show progress: the sidebar carries the run to its end.
    setup.world.run('showProgress');
    setup.world.continueToEnd();
    expectSoundAfterKill(setup, 'before call 1 of a batch fired by the trigger');
  });

  it(
    'a job kept in two properties, killed while it shrinks to one: the run carries on',
    () => {
      // 300 rows take two document properties; find the batch whose save drops the second one.
      const probe = new World({ rows: customers(300) });
      const probed: Setup = { world: probe, sent: watchCreates(probe) };
      probe.run('createPaymentLinks');
      expect(probe.runtime.properties.document.get('mayar.job')).toBe('2');
      let step = -1;
      let writes: number[] = [];
      let beforeBatch: Setup | null = null;
      for (let i = 0; step < 0 && i < 15; i++) {
        probe.runtime.advance(61_000);
        beforeBatch = fork(probed);
        const batch = probe.runtime.run('processNextBatch');
        if (probe.runtime.properties.document.get('mayar.job') !== '1') continue;
        step = i;
        writes = batch.callLog.flatMap((method, index) => (/^Properties\.(set|delete)/.test(method) ? [index + 1] : []));
      }
      expect(step).toBeGreaterThanOrEqual(0);
      expect(writes.length).toBeGreaterThan(0);

      // Dying after each property write of that batch.
      for (const atCall of writes) {
        const { world, sent } = fork(beforeBatch as Setup);
        expect(world.runtime.run('processNextBatch', [], { kill: { atCall, phase: 'after' } }).killed).toBe(true);
        // The progress sidebar carries on: the run is still there and ends with every row done.
        const { last } = world.continueToEnd();
        expect(last.message, `killed after call ${atCall}`).toContain('300 created, 0 with an error');
        expectSound(world, sent, { killedOnPurpose: true });
      }
    },
    SWEEP_TIMEOUT_MS,
  );
});
