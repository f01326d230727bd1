import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { signToken } from './local-stack/sign-token.js';

/**
 * `npm run token -- [--sub NAME] [--scope "a b"] [--ttl 1h]`: prints a bearer token signed with
 * the issuer key `npm start` generated (.data/secrets.json), or with JWT_SIGNING_KEY when set.
 */
const { values } = parseArgs({
  options: {
    sub: { type: 'string', default: 'developer' },
    scope: { type: 'string', default: '' },
    ttl: { type: 'string', default: '1h' },
  },
});

function signingKey(): string {
  if (process.env.JWT_SIGNING_KEY) return process.env.JWT_SIGNING_KEY;
  const file = join(
    resolve(process.env.AIA_DATA_DIR ?? join(import.meta.dirname, '..', '.data')),
    'secrets.json',
  );
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { JWT_SIGNING_KEY: string }).JWT_SIGNING_KEY;
  } catch {
    console.error(
      `No signing key: run \`npm start\` once (it writes ${file}) or set JWT_SIGNING_KEY.`,
    );
    process.exit(1);
  }
}

const token = await signToken({
  signingKey: signingKey(),
  subject: values.sub,
  scope: values.scope,
  expiresIn: values.ttl,
});
process.stdout.write(`${token}\n`);
