import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { signToken } from './local-stack/sign-token.js';
import { parseTokenArguments, TOKEN_USAGE } from './local-stack/token-arguments.js';
import { EX_USAGE, UsageError } from './local-stack/usage-error.js';

/**
 * `npm run token -- [--sub NAME] [--scope "a b"] [--ttl 1h]`: prints a bearer token signed with
 * the issuer key `npm start` generated (.data/secrets.json), or with JWT_SIGNING_KEY when set.
 * Exits 2 on a bad command line (naming the option), 1 when there is no usable key.
 */
function signingKey(): string {
  if (process.env.JWT_SIGNING_KEY) return process.env.JWT_SIGNING_KEY;
  const file = join(
    resolve(process.env.AIA_DATA_DIR ?? join(import.meta.dirname, '..', '.data')),
    'secrets.json',
  );
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { JWT_SIGNING_KEY: string }).JWT_SIGNING_KEY;
  } catch {
    throw new Error(
      `No signing key: run \`npm start\` once (it writes ${file}) or set JWT_SIGNING_KEY.`,
    );
  }
}

try {
  const options = parseTokenArguments(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${TOKEN_USAGE}\n`);
  } else {
    const key = signingKey();
    const token = await signToken({ signingKey: key, ...options }).catch((error: Error) => {
      throw new Error(`Cannot sign with that key (a PKCS#8 PEM P-256 key): ${error.message}`);
    });
    process.stdout.write(`${token}\n`);
  }
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  if (error instanceof UsageError) {
    process.stderr.write(`\n${TOKEN_USAGE}\n`);
    process.exit(EX_USAGE);
  }
  process.exit(1);
}
