import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { standIns } from '../../release-workflow/testing/stand-ins.js';
import type { PageEvent } from '../pagerduty-events.js';
import type { InstantQuery } from '../prometheus-query.js';
import type { CommandIo } from '../release/open-release-stack.js';
import { requireOperatorIdentity } from '../release/operator-identity.js';
import { fakeReleaseStack } from '../release/testing/fake-release-stack.js';
import {
  afterRollback,
  busyAfterThreeReleases,
  D,
  deployedNotSwitched,
  firstDeployOnly,
  recordedUpdate,
  threeReleases,
} from '../release/testing/stack-histories.js';
import { canaryCommand } from './canary.js';
import { type DeployWatchIo, deployCommand as deployWatched } from './deploy.js';
import { flagsCommand } from './flags.js';
import { rollbackCommand } from './rollback.js';
import { statusCommand } from './status.js';
import { switchCommand } from './switch.js';

/** The commands on an in-memory stack (no Pulumi CLI here), their printed output collected. */
function onFakeStack(stack = liveBlueOnOne()) {
  let printed = '';
  const io: CommandIo = {
    open: async () => stack,
    out: (text) => {
      printed += text;
    },
  };
  return { stack, io, printed: () => printed };
}

const OUTPUTS = {
  namespaces: { services: 'aia' },
  observability: { prometheusUrl: 'http://prometheus.monitoring:9090' },
};

const liveBlueOnOne = () =>
  fakeReleaseStack(
    'production',
    { imageTag: D.one, services: { activeColor: 'blue' } },
    { history: [...firstDeployOnly], outputs: OUTPUTS },
  );

/**
 * Prometheus as a script for the deploy's watch of the rolling services: every service answers
 * with 1 % errors and a 0.2 s p95, except those in `failing`, at 40 % errors. Every check is a
 * tick: no sleeping.
 */
function scriptedWatch(failing: string[] = []) {
  const pages: PageEvent[] = [];
  const query: InstantQuery = async (expr) => {
    if (expr.startsWith('histogram_quantile')) return [{ labels: {}, value: 0.2 }];
    const bad = failing.some((service) => expr.includes(`service="${service}"`));
    return [{ labels: {}, value: bad ? 40 : 1 }];
  };
  const watchIo: DeployWatchIo = {
    pager: () => async (event) => {
      pages.push(event);
    },
    query: () => query,
    log: () => {},
    settings: { intervalMs: 0, sustainMs: 0, durationMs: 20 },
  };
  return { watchIo, pages };
}

/** `ops deploy` with the rolling services watched on a healthy Prometheus. */
const deployCommand = (argv: string[], io: CommandIo) =>
  deployWatched(argv, io, scriptedWatch().watchIo);

describe('the release commands on a stack', () => {
  it('deploy → switch → rollback --to-previous-digest: each one update whose message names what it did', async () => {
    const { stack, io, printed } = onFakeStack();
    expect(await deployCommand(['--stack', 'production', '--digest', D.two], io)).toBe(0);
    expect(printed()).toContain('http://aia-api-green.aia.svc.cluster.local:8000/readyz');
    expect(printed()).toContain('npm run ops -- switch --stack production --watch');
    const watched: string[][] = [];
    const watch = async (argv: string[]) => {
      watched.push(argv);
      return 0;
    };
    expect(await switchCommand(['--stack', 'production', '--watch'], io, watch)).toBe(0);
    expect(watched).toEqual([['--stack', 'production', '--colour', 'green', '--previous', 'blue']]);
    expect(await stack.config()).toMatchObject({ imageTag: D.two, activeColor: 'green' });

    expect(await rollbackCommand(['--stack', 'production', '--to-previous-digest'], io)).toBe(0);
    // D1 still runs on blue: the rollback is a switch back to it, with imageTag D1 again.
    expect(await stack.config()).toMatchObject({ imageTag: D.one, activeColor: 'blue' });
    expect(stack.messages.map((message) => message.split(' ')[0])).toEqual([
      'deploy',
      'switch',
      'rollback',
    ]);
    expect(stack.messages[2]).toBe(`rollback to ${D.one} from ${D.two}`);
  });

  it('rollback without a flag switches the colour back, once unless --again; with no earlier image it exits 1 saying why', async () => {
    const { stack, io, printed } = onFakeStack();
    expect(await rollbackCommand(['--stack', 'production'], io)).toBe(0);
    expect((await stack.config()).activeColor).toBe('green');
    // Again: the other colour is the release just removed. Refused unless asked.
    expect(await rollbackCommand(['--stack', 'production'], io)).toBe(1);
    expect(printed()).toContain('rolled back already');
    expect((await stack.config()).activeColor).toBe('green');
    expect(await rollbackCommand(['--stack', 'production', '--again'], io)).toBe(0);
    expect((await stack.config()).activeColor).toBe('blue');
    expect(await rollbackCommand(['--stack', 'production', '--to-previous-digest'], io)).toBe(1);
    expect(printed()).toContain(
      'production: nothing to roll back to: no succeeded update ran an image other than',
    );
  });

  it('rollback refuses to switch users onto the colour ops deploy just filled, which never served them, and points to --to-previous-digest', async () => {
    // ops deploy put D4 on idle green; green's smoke test failed and the job stopped.
    const stack = fakeReleaseStack(
      'production',
      {
        imageTag: D.four,
        services: { activeColor: 'blue', colorImageTags: { blue: D.three, green: D.four } },
      },
      { history: [...deployedNotSwitched].reverse(), outputs: OUTPUTS },
    );
    const { io, printed } = onFakeStack(stack);
    for (const again of [[], ['--again']]) {
      expect(await rollbackCommand(['--stack', 'production', ...again], io)).toBe(1);
    }
    expect(printed()).toContain(
      `production: refused: the other colour green runs ${D.four}, which never served users (deployed by update 6, never switched to).\nThe live colour blue runs ${D.three}, the release before it`,
    );
    expect(printed()).toContain('npm run ops -- rollback --stack production --to-previous-digest');
    expect(stack.messages).toEqual([]);
    expect((await stack.config()).activeColor).toBe('blue');
    // What undoes the deploy: the rolling services back to D3, which blue serves already.
    expect(await rollbackCommand(['--stack', 'production', '--to-previous-digest'], io)).toBe(0);
    expect(await stack.config()).toMatchObject({ imageTag: D.three, activeColor: 'blue' });
  });

  it('rollback after the deploy watch rolled the rolling services back says there is nothing left to roll back, even with --again', async () => {
    const { stack, io, printed } = onFakeStack();
    const { watchIo } = scriptedWatch(['dkg-manager']);
    expect(await deployWatched(['--stack', 'production', '--digest', D.two], io, watchIo)).toBe(1);
    const before = printed().length;
    expect(await rollbackCommand(['--stack', 'production', '--again'], io)).toBe(1);
    expect(printed().slice(before)).toContain(
      `the other colour green runs ${D.two}, which never served users`,
    );
    expect(printed().slice(before)).toContain(
      'The rolling services run sha256:111111111111 too: nothing to roll back.',
    );
    expect(stack.messages.map((message) => message.split(' ')[0])).toEqual(['deploy', 'rollback']);
  });

  it('rollback finds the release before on later pages of a long history (canary steps and flag changes fill the first)', async () => {
    // D3 live on blue after three releases, then 60 flag changes: D2 lies beyond the first 50.
    const busy = () =>
      fakeReleaseStack(
        'production',
        {
          imageTag: D.three,
          services: { activeColor: 'blue', colorImageTags: { blue: D.three, green: D.two } },
        },
        { history: [...busyAfterThreeReleases(60)].reverse(), outputs: OUTPUTS },
      );
    expect((await busy().history()).map((update) => update.version)).not.toContain(5);
    const digest = onFakeStack(busy());
    // The first page alone said: nothing to roll back to.
    expect(
      await rollbackCommand(['--stack', 'production', '--to-previous-digest'], digest.io),
    ).toBe(0);
    expect(await digest.stack.config()).toMatchObject({ imageTag: D.two, activeColor: 'green' });
    expect(digest.printed()).toBe(
      `production: rollback to ${D.two} from ${D.three} (deployed first by update 3)\n`,
    );
    // Green served D2 (updates 3 and 4, on the second page): the colour rollback may switch to it.
    const colour = onFakeStack(busy());
    expect(await rollbackCommand(['--stack', 'production'], colour.io)).toBe(0);
    expect(await colour.stack.config()).toMatchObject({ imageTag: D.three, activeColor: 'green' });
  });

  it('refuses a malformed digest or stack naming the flag, before touching the stack', async () => {
    const { stack, io } = onFakeStack();
    await expect(deployCommand(['--stack', 'production', '--digest', 'v1.2'], io)).rejects.toThrow(
      '--digest: expected sha256:<64 lower-case hex digits>, got "v1.2"',
    );
    await expect(deployCommand(['--stack', 'qa', '--digest', D.two], io)).rejects.toThrow(
      '--stack: expected one of staging, production, got "qa"',
    );
    expect(stack.messages).toEqual([]);
  });

  it('flags: one audited update naming each flag, old and new value and the operator', async () => {
    const { stack, io, printed } = onFakeStack();
    const set = ['--stack', 'production', '--set', 'GOVERNANCE_ENABLED=false'];
    expect(
      await flagsCommand(
        [...set, '--set', 'DKG_ENHANCED_ENABLED=true'],
        io,
        async () => 'ana@aia.example',
      ),
    ).toBe(0);
    expect(stack.messages).toEqual([
      'flag GOVERNANCE_ENABLED unset → false, DKG_ENHANCED_ENABLED unset → true by ana@aia.example',
    ]);
    expect((await stack.config()).featureFlags).toEqual({
      GOVERNANCE_ENABLED: false,
      DKG_ENHANCED_ENABLED: true,
    });
    // The same value again changes nothing and writes no update.
    expect(await flagsCommand(set, io, async () => 'ana@aia.example')).toBe(0);
    expect(stack.messages).toHaveLength(1);
    expect(printed()).toContain('nothing to change');
    await expect(
      flagsCommand(['--stack', 'production', '--set', 'DARK_MODE=true'], io),
    ).rejects.toThrow('--set: "DARK_MODE" is not a feature flag');
    await expect(
      flagsCommand(['--stack', 'production', '--set', 'GOVERNANCE_ENABLED=yes'], io),
    ).rejects.toThrow(
      '--set: expected GOVERNANCE_ENABLED=true or GOVERNANCE_ENABLED=false, got "GOVERNANCE_ENABLED=yes"',
    );
  });

  it('flags: records the account gcloud proved it holds, and refuses a change when no identity can be established', async () => {
    const { stack, io } = onFakeStack();
    const set = ['--stack', 'production', '--set', 'GOVERNANCE_ENABLED=false'];
    const bin = await standIns({
      gcloud: [
        { args: ['config', 'get', 'account'], stdout: 'ana@aia.example\n' },
        { args: ['auth', 'print-access-token'], exit: 1, stderr: 'Reauthentication failed.\n' },
      ],
    });
    try {
      // Logged out: whatever $USER or git say, nothing is changed.
      const loggedOut = () => requireOperatorIdentity({ env: { PATH: bin.bin, USER: 'mallory' } });
      await expect(flagsCommand(set, io, loggedOut)).rejects.toThrow(
        'no authenticated identity to record the change under',
      );
      expect(stack.messages).toEqual([]);
    } finally {
      await bin.remove();
    }
    const loggedIn = await standIns({
      gcloud: [
        { args: ['config', 'get', 'account'], stdout: 'ana@aia.example\n' },
        { args: ['auth', 'print-access-token'], stdout: 'ya29.stand-in\n' },
      ],
    });
    try {
      const identify = () => requireOperatorIdentity({ env: { PATH: loggedIn.bin } });
      expect(await flagsCommand(set, io, identify)).toBe(0);
      expect(stack.messages).toEqual(['flag GOVERNANCE_ENABLED unset → false by ana@aia.example']);
    } finally {
      await loggedIn.remove();
    }
  });

  it('status prints the table, or JSON for scripts', async () => {
    const recorded = fakeReleaseStack(
      'production',
      {
        imageTag: D.three,
        services: { activeColor: 'blue', colorImageTags: { blue: D.three, green: D.two } },
      },
      { history: [...threeReleases].reverse(), outputs: OUTPUTS },
    );
    const table = onFakeStack(recorded);
    expect(await statusCommand(['--stack', 'production'], table.io)).toBe(0);
    expect(table.printed()).toContain('live colour blue; idle green runs sha256:222222222222');
    const json = onFakeStack(recorded);
    expect(
      await statusCommand(['--stack', 'production', '--json', '--updates', '2'], json.io),
    ).toBe(0);
    expect(JSON.parse(json.printed())).toMatchObject({
      namespace: 'aia',
      liveColour: 'blue',
      lastUpdates: [{ version: 5 }, { version: 4 }],
    });
  });

  it('every command starts from the last deployment, not the file git checked out (imageTag D1, blue)', async () => {
    const { stack, io, printed } = onFakeStack();
    expect(await deployCommand(['--stack', 'production', '--digest', D.two], io)).toBe(0);
    stack.checkout();
    expect(await switchCommand(['--stack', 'production'], io)).toBe(0);
    expect(await stack.config()).toMatchObject({ imageTag: D.two, activeColor: 'green' });

    stack.checkout();
    const before = printed().length;
    expect(await statusCommand(['--stack', 'production', '--json'], io)).toBe(0);
    expect(JSON.parse(printed().slice(before))).toMatchObject({
      liveColour: 'green',
    });

    // From git's file the rollback would "switch" to green, the colour already live.
    stack.checkout();
    expect(await rollbackCommand(['--stack', 'production'], io)).toBe(0);
    expect(stack.messages.at(-1)).toBe('rollback to colour blue (sha256:111111111111): by hand');
    expect(await stack.config()).toMatchObject({ imageTag: D.two, activeColor: 'blue' });

    stack.checkout();
    const flag = ['--stack', 'production', '--set', 'GOVERNANCE_ENABLED=false'];
    expect(await flagsCommand(flag, io, async () => 'ana@aia.example')).toBe(0);
    // The next release keeps the flag and deploys to the idle colour, green, not over live blue.
    stack.checkout();
    expect(await deployCommand(['--stack', 'production', '--digest', D.three], io)).toBe(0);
    expect(await stack.config()).toMatchObject({
      imageTag: D.three,
      activeColor: 'blue',
      colorImageTags: { blue: D.one, green: D.three },
      featureFlags: { GOVERNANCE_ENABLED: false },
    });
  });

  it('a stack never deployed keeps its file: the first deploy starts from it', async () => {
    const stack = fakeReleaseStack('staging', {
      imageTag: D.one,
      services: { activeColor: 'blue' },
    });
    await stack.refreshConfig();
    expect(await stack.config()).toMatchObject({ imageTag: D.one, activeColor: 'blue' });
  });
  it('deploy: a rolling service breaching a trigger sends every service back to the image before it in the history, never to one a rollback removed', async () => {
    // D3 was rolled back to D2 (afterRollback): D2 runs, D3 is judged bad.
    const stack = fakeReleaseStack(
      'production',
      {
        imageTag: D.two,
        services: { activeColor: 'green', colorImageTags: { blue: D.three, green: D.two } },
      },
      { history: [...afterRollback].reverse(), outputs: OUTPUTS },
    );
    const { io, printed } = onFakeStack(stack);
    const { watchIo, pages } = scriptedWatch(['dkg-manager']);
    expect(await deployWatched(['--stack', 'production', '--digest', D.four], io, watchIo)).toBe(1);
    expect(stack.messages).toHaveLength(2);
    expect(stack.messages[1]).toMatch(
      new RegExp(
        `^rollback to ${D.two} from ${D.four}: automatic rollback: dkg-manager: RollbackErrorRateExceeded: 40 above 10 percent`,
      ),
    );
    // The live colour (green) runs D2 already: it stays, and the rolling services get D2 again.
    expect(await stack.config()).toMatchObject({ imageTag: D.two, activeColor: 'green' });
    expect(JSON.parse(printed().slice(0, printed().lastIndexOf('}') + 1))).toMatchObject({
      outcome: 'rolled-back',
      breach: { service: 'dkg-manager', alert: 'RollbackErrorRateExceeded' },
    });
    expect(pages).toEqual([expect.objectContaining({ severity: 'critical' })]);
  });

  it('deploy: after a switch never made, the breach rolls the rolling services back and leaves aia-api on the colour it serves, never live on an image it never served', async () => {
    // D2 was deployed to green and never switched to: blue still serves D1.
    const history = [
      recordedUpdate(1, { imageTag: D.one }, 'first deploy'),
      recordedUpdate(
        2,
        { imageTag: D.two, colorImageTags: { blue: D.one, green: D.two } },
        `deploy ${D.two}`,
      ),
    ];
    const stack = fakeReleaseStack(
      'production',
      {
        imageTag: D.two,
        services: { activeColor: 'blue', colorImageTags: { blue: D.one, green: D.two } },
      },
      { history, outputs: OUTPUTS },
    );
    const { io, printed } = onFakeStack(stack);
    const { watchIo, pages } = scriptedWatch(['venture-discovery']);
    expect(await deployWatched(['--stack', 'production', '--digest', D.three], io, watchIo)).toBe(
      1,
    );
    // The old plan gave green D2 and switched users to it: an image aia-api never served.
    const after = await stack.config();
    expect(after).toMatchObject({ imageTag: D.two, activeColor: 'blue' });
    expect(after.colorImageTags).toEqual({ blue: D.one, green: D.three });
    expect(stack.messages[1]).toMatch(
      new RegExp(
        `^rollback to ${D.two} from ${D.three} \\(aia-api stays on blue, sha256:111111111111, which it serves: it never went live on sha256:333333333333\\): automatic rollback: venture-discovery`,
      ),
    );
    expect(printed()).toContain('"outcome": "rolled-back"');
    expect(pages).toEqual([
      expect.objectContaining({
        severity: 'critical',
        summary: expect.stringContaining('aia-api stays on blue'),
      }),
    ]);
  });

  it('deploy: with no earlier image in the history the breach is recorded and paged as a failed rollback, exit 1', async () => {
    // Never deployed by ops: the history holds the new deploy only.
    const { stack, io, printed } = onFakeStack(
      fakeReleaseStack(
        'production',
        { imageTag: D.one, services: { activeColor: 'blue' } },
        { outputs: OUTPUTS },
      ),
    );
    const { watchIo, pages } = scriptedWatch(['performance-tracker']);
    expect(await deployWatched(['--stack', 'production', '--digest', D.two], io, watchIo)).toBe(1);
    expect(stack.messages.map((message) => message.split(' ')[0])).toEqual(['deploy']);
    expect(printed()).toContain('"outcome": "rollback-failed"');
    expect(printed()).toContain('nothing to roll back to');
    expect(printed()).toContain('was NOT rolled back');
    expect(pages.map((page) => page.severity)).toEqual(['critical']);
  });

  it('deploy: refused before touching the stack when nobody could be paged or Prometheus is unknown', async () => {
    const { stack, io } = onFakeStack();
    const unpaged: DeployWatchIo = {
      ...scriptedWatch().watchIo,
      pager: () => {
        throw new Error('PAGERDUTY_ROUTING_KEY is not set');
      },
    };
    await expect(
      deployWatched(['--stack', 'production', '--digest', D.two], io, unpaged),
    ).rejects.toThrow('PAGERDUTY_ROUTING_KEY is not set');
    const bare = onFakeStack(
      fakeReleaseStack('staging', { imageTag: D.one, services: { activeColor: 'blue' } }),
    );
    await expect(
      deployWatched(['--stack', 'staging', '--digest', D.two], bare.io, scriptedWatch().watchIo),
    ).rejects.toThrow('or pass --prometheus-url');
    expect(stack.messages).toEqual([]);
    expect(bare.stack.messages).toEqual([]);
  });

  it('switch and canary refuse the idle colour the deploy watch just rolled back, naming the digest, the rollback and what to do instead', async () => {
    const { stack, io, printed } = onFakeStack();
    const { watchIo } = scriptedWatch(['dkg-manager']);
    expect(await deployWatched(['--stack', 'production', '--digest', D.two], io, watchIo)).toBe(1);
    // Rolled back to D1 by update 3; green, the idle colour, still runs D2.
    expect(await stack.config()).toMatchObject({
      imageTag: D.one,
      activeColor: 'blue',
      colorImageTags: { green: D.two },
    });
    const before = printed().length;
    expect(await switchCommand(['--stack', 'production', '--watch'], io, neverWatched)).toBe(1);
    const refusal = printed().slice(before);
    expect(refusal).toMatch(
      new RegExp(
        `^production: refused: the idle colour green runs ${D.two}, which update 3 rolled back at \\d{4}-\\d\\d-\\d\\dT`,
      ),
    );
    expect(refusal).toContain(
      '  why: automatic rollback: dkg-manager: RollbackErrorRateExceeded: 40 above 10 percent',
    );
    expect(refusal).toContain(`  what: rollback to ${D.one} from ${D.two}\n`);
    expect(refusal).toContain('npm run ops -- deploy --stack production --digest sha256:<fixed>');
    expect(refusal).toContain('npm run ops -- switch --stack production --force --reason "<why>"');

    const canary = onFakeStack(stack);
    expect(
      await withRoutingKey(() =>
        canaryCommand(
          ['--stack', 'production', '--steps', '10,100', '--step-seconds', '1'],
          canary.io,
        ),
      ),
    ).toBe(1);
    expect(canary.printed()).toContain(`the idle colour green runs ${D.two}, which update 3`);
    expect(canary.printed()).toContain('npm run ops -- canary --stack production');
    expect(stack.messages.map((message) => message.split(' ')[0])).toEqual(['deploy', 'rollback']);
    expect((await stack.config()).activeColor).toBe('blue');
  });

  it('switch is allowed again once another digest is deployed over the rolled-back one', async () => {
    const { stack, io } = onFakeStack();
    const { watchIo } = scriptedWatch(['dkg-manager']);
    expect(await deployWatched(['--stack', 'production', '--digest', D.two], io, watchIo)).toBe(1);
    expect(await deployCommand(['--stack', 'production', '--digest', D.three], io)).toBe(0);
    expect(await switchCommand(['--stack', 'production'], io)).toBe(0);
    expect(await stack.config()).toMatchObject({ imageTag: D.three, activeColor: 'green' });
    expect(stack.messages.at(-1)).toBe('switch to green (sha256:333333333333, was blue): release');
  });

  it('--force needs a reason, and the override and its reason are recorded in the update', async () => {
    const { stack, io } = onFakeStack();
    const { watchIo } = scriptedWatch(['dkg-manager']);
    expect(await deployWatched(['--stack', 'production', '--digest', D.two], io, watchIo)).toBe(1);
    await expect(switchCommand(['--stack', 'production', '--force'], io)).rejects.toThrow(
      '--force needs --reason <why>',
    );
    await expect(
      withRoutingKey(() =>
        canaryCommand(
          ['--stack', 'production', '--steps', '100', '--step-seconds', '1', '--force'],
          io,
        ),
      ),
    ).rejects.toThrow('--force needs --reason <why>');
    expect(stack.messages).toHaveLength(2);

    // Canary, forced: each step's update says what it overrode and why (Prometheus: all healthy).
    const prometheus = await healthyPrometheus();
    try {
      const forced = [
        '--stack',
        'production',
        '--steps',
        '100',
        '--step-seconds',
        '1',
        '--prometheus-url',
        prometheus.url,
        '--namespace',
        'aia',
        '--force',
        '--reason',
        'the breach was the ledger outage (INC-42)',
      ];
      expect(await withRoutingKey(() => canaryCommand(forced, io))).toBe(0);
    } finally {
      await prometheus.close();
    }
    expect(stack.messages.at(-1)).toBe(
      "switch to green (sha256:222222222222, was blue): canary promoted after no step; forced past update 3's rollback of sha256:222222222222: the breach was the ledger outage (INC-42)",
    );

    // Back to blue by hand, which judges D2 again: a forced switch records the same way.
    expect(await rollbackCommand(['--stack', 'production'], io)).toBe(0);
    expect(await switchCommand(['--stack', 'production'], io)).toBe(1);
    expect(
      await switchCommand(['--stack', 'production', '--force', '--reason', 'INC-42 fixed'], io),
    ).toBe(0);
    expect(stack.messages.at(-1)).toBe(
      "switch to green (sha256:222222222222, was blue): forced past update 5's rollback of sha256:222222222222: INC-42 fixed",
    );
    expect(await stack.config()).toMatchObject({ activeColor: 'green' });
  });
});

const neverWatched = async (): Promise<number> => {
  throw new Error('a refused switch must not start a watch');
};

/** Runs `command` with a PagerDuty routing key set (canary asks for one before anything else). */
async function withRoutingKey<T>(command: () => Promise<T>): Promise<T> {
  const before = process.env.PAGERDUTY_ROUTING_KEY;
  process.env.PAGERDUTY_ROUTING_KEY = 'stand-in-routing-key';
  try {
    return await command();
  } finally {
    if (before === undefined) delete process.env.PAGERDUTY_ROUTING_KEY;
    else process.env.PAGERDUTY_ROUTING_KEY = before;
  }
}

/** Prometheus's query API answering 0.1 (a low error rate, a low p95) to every query. */
async function healthyPrometheus() {
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({
        status: 'success',
        data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, '0.1'] }] },
      }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
