/**
 * The question before links are created, and the create call's other fields (Title, Payment
 * Method, Cashtag), on the built bundle against the Mayar simulator.
 */
import { describe, expect, it } from 'vitest';
import { SHEET, World } from '../support/world';

const HEADER = ['Name', 'Amount', 'Email', 'Expires At'];

function rows(extra: string[][] = []): string[][] {
  return [HEADER, ['Ani', '150000', 'ani@example.com', '2026-12-31'], ['Budi', '200000', 'budi@example.com', '2026-12-31'], ...extra];
}

function createBodies(world: World): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = [];
  world.onRequest((request) => {
    if (request.method.toLowerCase() === 'post' && request.url.endsWith('/payments/create') && request.body)
      bodies.push(JSON.parse(request.body) as Record<string, unknown>);
  });
  return bodies;
}

const questions = (world: World) => world.runtime.ui.alerts.filter((a) => a.buttons === 'YES_NO');

describe('The confirmation before creating links', () => {
  it('sends nothing when the answer is No, and says so', () => {
    const world = new World({ rows: rows() });
    world.runtime.ui.answers.push('NO');
    world.run('createPaymentLinks');
    expect(questions(world)).toHaveLength(1);
    expect(world.createRequests()).toBe(0);
    expect(world.header()).toEqual(HEADER); // not even the output columns
    expect(world.runtime.ui.toasts.at(-1)?.message).toBe('Nothing was sent.');
  });

  it('states the count, the rupiah total, the environment and what looks wrong, then sends on Yes', () => {
    const world = new World({
      rows: rows([
        ['Citra', '900', 'citra@example.com', '2026-12-31'],
        ['Ani', '150000', 'ani2@example.com', '2026-12-31'],
        ['Dedi', '99000000', 'dedi@example.com', '2026-12-31'],
        ['Eko', '175000', 'eko@example.com', '2026-11-25 18:00'],
      ]),
      // An Indonesian sheet: there a typed 900 is Rp 900 (elsewhere it is refused as a misread amount).
      runtime: { spreadsheetLocale: 'id_ID' },
    });
    world.runtime.ui.answers.push('YES');
    world.run('createPaymentLinks');
    const [question] = questions(world);
    expect(question?.title).toBe('Create payment links?');
    const text = question?.message ?? '';
    expect(text).toContain('You are about to create 6 payment links for a total of Rp 99.675.900.');
    expect(text).toContain('Sandbox: test links only, no real money.');
    expect(text).not.toContain('PRODUCTION');
    expect(text).toContain('1 amounts under Rp 1.000 (rows 4)');
    expect(text).toContain('1 amounts more than 20 times the usual Rp 162.500 (rows 6)');
    expect(text).toContain('Ani appears 2 times with the same amount, Rp 150.000 (rows 2, 5)');
    expect(text).toContain('1 links expire in less than a day (rows 7)');
    world.driveToEnd();
    expect(world.column('Payment Link').filter((l) => l !== '')).toHaveLength(6);
  });

  it('warns plainly about production', () => {
    const world = new World({ rows: rows(), environment: 'production' });
    world.runtime.ui.answers.push('NO');
    world.run('createPaymentLinks');
    expect(questions(world)[0]?.message).toMatch(/^⚠ PRODUCTION: these are real payment links/);
    expect(world.createRequests()).toBe(0);
  });

  it('asks only about the selected rows', () => {
    const world = new World({ rows: rows([['Citra', '300000', 'citra@example.com', '2026-12-31']]) });
    world.runtime.spreadsheet.setSelection(SHEET, 'A3:B4');
    world.run('createPaymentLinksForSelection');
    expect(questions(world)[0]?.message).toContain('You are about to create 2 payment links for a total of Rp 500.000.');
    expect(world.createRequests()).toBe(2);
  });

  it('is not asked in sandbox when the setting is off, and always in production', () => {
    const world = new World({ rows: rows() });
    world.run('saveSettings', [{ confirmInSandbox: false }]);
    world.run('createPaymentLinks');
    expect(questions(world)).toHaveLength(0);
    expect(world.createRequests()).toBe(2);

    const prod = new World({ rows: rows(), environment: 'production' });
    prod.run('saveSettings', [{ confirmInSandbox: false }]);
    prod.run('createPaymentLinks');
    expect(questions(prod)).toHaveLength(1);
  });

  it('sends nothing when the sheet changed while the question was open', () => {
    const world = new World({ rows: rows() });
    const answers = world.runtime.ui.answers;
    const shift = answers.shift.bind(answers);
    answers.shift = () => {
      answers.shift = shift;
      // A teammate adds a row while the dialog is open.
      world.runtime.spreadsheet.typeRows(SHEET, [...rows(), ['Citra', '300000', 'citra@example.com', '2026-12-31']]);
      return 'YES';
    };
    world.run('createPaymentLinks');
    expect(world.createRequests()).toBe(0);
    expect(world.runtime.ui.alerts.at(-1)?.message).toContain('The sheet changed while the question was open: 3 links for Rp 650.000 are ready now.');
  });
});

describe("The create call's title, payment method and cashtag", () => {
  it('sends Title as the name, Payment Method and Cashtag, read from Indonesian headers too', () => {
    const world = new World({
      rows: [
        ['Nama', 'Jumlah', 'Email', 'Judul', 'Metode Pembayaran', 'Cashtag'],
        ['Ani', '150000', 'ani@example.com', 'SPP Desember 2026', 'qris', '$tokomaju'],
        ['Budi', '200000', 'budi@example.com', '', 'Mandiri', ''],
      ],
    });
    const bodies = createBodies(world);
    world.run('createPaymentLinks');
    expect(bodies).toHaveLength(2);
    // A code in any case is sent as Mayar lists it (upper-case).
    expect(bodies[0]).toMatchObject({ name: 'SPP Desember 2026', paymentMethod: 'QRIS', cashtag: 'tokomaju', email: 'ani@example.com' });
    // Without a title the customer's name, as before.
    expect(bodies[1]).toMatchObject({ name: 'Budi', paymentMethod: 'MANDIRI' });
    expect(bodies[1]).not.toHaveProperty('cashtag');
    expect(world.sim.createdPayments().map((p) => p.paymentMethod)).toEqual(['QRIS', 'MANDIRI']);
  });

  it('fills the title template from the row, and the confirmation still names customers', () => {
    const world = new World({
      rows: [
        ['Name', 'Amount', 'Kelas'],
        ['Ani', '150000', '7A'],
        ['Budi', '150000', '7B'],
      ],
    });
    world.run('saveSettings', [{ titleTemplate: 'SPP {Kelas} – {name}' }]);
    const bodies = createBodies(world);
    world.run('createPaymentLinks');
    expect(bodies.map((b) => b.name)).toEqual(['SPP 7A – Ani', 'SPP 7B – Budi']);
    expect(questions(world)[0]?.message).not.toContain('appears 2 times');
  });

  it('makes an unreadable payment method or cashtag a row error naming the column, and sends the rest', () => {
    const world = new World({
      rows: [
        ['Name', 'Amount', 'Payment Method', 'Cashtag'],
        ['Ani', '150000', 'credit card!', ''],
        ['Budi', '200000', '', 'not a tag'],
        ['Citra', '250000', 'ovo', ''],
      ],
    });
    world.run('createPaymentLinks');
    expect(world.column('Error')).toEqual([
      'Payment Method: "credit card!" is not a payment method code (for example QRIS, MANDIRI, OVO)',
      'Cashtag: "not a tag" is not a cashtag (letters, digits, dot, dash or underscore)',
      '',
    ]);
    expect(world.createRequests()).toBe(1);
  });

  it("Check rows lists the account's channels and flags a method the account lacks, naming the column", () => {
    const world = new World({
      rows: [
        ['Nama', 'Jumlah', 'Metode Pembayaran'],
        ['Ani', '150000', 'va/xyz'],
        ['Budi', '200000', 'GOPAY'],
        ['Citra', '250000', 'Ovo'],
      ],
    });
    world.run('checkRows');
    expect(world.column('Error')).toEqual([
      'Metode Pembayaran: "va/xyz" is not a payment method code (for example QRIS, MANDIRI, OVO)',
      'Metode Pembayaran: "GOPAY" is not one of this account\'s payment channels (QRIS, MANDIRI, BNI, OVO, ALFAMART, AKULAKU, QRIS_STATIC)',
      '',
    ]);
    const alert = world.runtime.ui.alerts.at(-1)?.message ?? '';
    expect(alert).toContain('1 rows are ready to send, 2 have a problem');
    expect(alert).toContain('Payment channels of this account: QRIS, MANDIRI (Mandiri Virtual Account), BNI (BNI Virtual Account), OVO');
    expect(world.createRequests()).toBe(0);
  });
});

describe('Payment Method checked against the channels when Create is clicked', () => {
  const sheet = (): string[][] => [
    ['Name', 'Amount', 'Email', 'Payment Method'],
    ['Ani', '150000', 'ani@example.com', 'qris'],
    ['Budi', '200000', 'budi@example.com', 'Mandiri'],
    ['Citra', '250000', 'citra@example.com', 'GOPAY'],
    ['Dedi', '300000', 'dedi@example.com', 'ovo'],
  ];

  it("makes an unknown or disabled channel that row's error, sends nothing for it, and sends the others", () => {
    const world = new World({ rows: sheet() });
    world.sim.setChannelStatus('OVO', 'disabled');
    const bodies = createBodies(world);
    world.runtime.ui.answers.push('YES');
    world.run('createPaymentLinks');
    const question = questions(world)[0]?.message ?? '';
    expect(question).toContain('You are about to create 2 payment links for a total of Rp 350.000.');
    expect(question).toContain("2 rows name a payment channel this account can't take");
    world.driveToEnd();
    expect(world.column('Error')).toEqual([
      '',
      '',
      'Payment Method: "GOPAY" is not one of this account\'s payment channels (QRIS, MANDIRI, BNI, ALFAMART, AKULAKU, QRIS_STATIC)',
      'Payment Method: "OVO" is turned off for this account in Mayar (enabled: QRIS, MANDIRI, BNI, ALFAMART, AKULAKU, QRIS_STATIC)',
    ]);
    expect(bodies.map((b) => [b.name, b.paymentMethod])).toEqual([
      ['Ani', 'QRIS'],
      ['Budi', 'MANDIRI'],
    ]);
    expect(world.column('Payment Link').map((l) => l !== '')).toEqual([true, true, false, false]);
    // The channels were read once for the click (not again under the lock).
    expect(world.sim.requests.filter((r) => r.path.endsWith('/payment-channels'))).toHaveLength(1);
  });

  it('says in the confirmation that the check was skipped when the channels cannot be read', () => {
    const world = new World({ rows: sheet().slice(0, 3) });
    world.run('testConnection', [{}]); // the sandbox host is known: the next read is the channel list
    world.sim.injectFault({ type: 'http-500', match: (r) => r.url.includes('/payment-channels') });
    world.runtime.ui.answers.push('NO');
    world.run('createPaymentLinks');
    const question = questions(world)[0]?.message ?? '';
    expect(question).toContain('the Payment Method check was skipped');
    expect(question).toContain('You are about to create 2 payment links');
    expect(world.createRequests()).toBe(0);
  });
});
