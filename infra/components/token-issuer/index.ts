export { publicKeySetOf } from './public-keys.js';
export { TokenIssuerKey, type TokenIssuerKeyArgs } from './token-issuer.js';
