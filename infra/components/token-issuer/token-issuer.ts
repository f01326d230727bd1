import * as pulumi from '@pulumi/pulumi';
import * as tls from '@pulumi/tls';
import { asPkcs8Pem, type IssuerPublicKey, publicKeySetOf } from './public-keys.js';

export interface TokenIssuerKeyArgs {
  /**
   * A PKCS#8 PEM P-256 key from secret config (`aia-platform:jwtSigningKey`), to bring an existing
   * issuer key; by default the program generates one and keeps it in its state (encrypted).
   */
  readonly signingKey?: pulumi.Output<string>;
  /**
   * The services that call others (catalog `calls`): each gets an ES256 key of its own
   * (`SERVICE_SIGNING_KEY`), generated and kept in the state (encrypted), and its public half
   * joins the key set under `kid` `service:<name>`.
   */
  readonly services?: readonly string[];
  /**
   * Public keys of the issuer besides the current one (`tokenIssuer.additionalPublicKeys`): the
   * next key, published before the gateway signs with it, and the previous one, kept for a token
   * lifetime after the switch. Every service accepts tokens of every key of the set.
   */
  readonly additionalPublicKeys?: readonly IssuerPublicKey[];
}

/**
 * The platform's one token issuer key (ES256). The gateway alone receives the private key; every
 * service receives the public key set, so a compromised service can verify tokens but not mint
 * them. The set holds the current key and the configured additional ones: a rotation publishes
 * the next key first, then signs with it while the previous one stays published for a token
 * lifetime, so no valid token is refused (docs/gateway.md, Key rotation).
 */
export class TokenIssuerKey extends pulumi.ComponentResource {
  /** PKCS#8 PEM private key: a secret output, for `JWT_SIGNING_KEY` of the issuer only. */
  readonly signingKey: pulumi.Output<string>;
  /**
   * The JWKS (JSON) of its public half and the services' public keys, for every service's
   * `JWT_PUBLIC_KEYS`. Not secret.
   */
  readonly publicKeys: pulumi.Output<string>;
  /** Each calling service's PKCS#8 PEM key, a secret output for that service's Secret only. */
  readonly serviceSigningKeys: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: TokenIssuerKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('aia:platform:TokenIssuerKey', name, {}, opts);
    // A configured key becomes PKCS#8 PEM exactly, whatever form it came in (SEC1, a comment
    // line before it): JOSE libraries import only `-----BEGIN PRIVATE KEY-----`, which is what
    // tls.PrivateKey's privateKeyPemPkcs8 already is.
    const signingKey =
      args.signingKey?.apply(asPkcs8Pem) ??
      new tls.PrivateKey(
        `${name}-signing-key`,
        { algorithm: 'ECDSA', ecdsaCurve: 'P256' },
        { parent: this },
      ).privateKeyPemPkcs8;
    this.signingKey = pulumi.secret(signingKey);
    const serviceKeys = Object.fromEntries(
      (args.services ?? []).map((service) => [
        service,
        new tls.PrivateKey(
          `${name}-${service}-signing-key`,
          { algorithm: 'ECDSA', ecdsaCurve: 'P256' },
          { parent: this },
        ).privateKeyPemPkcs8,
      ]),
    );
    this.serviceSigningKeys = Object.fromEntries(
      Object.entries(serviceKeys).map(([service, key]) => [service, pulumi.secret(key)]),
    );
    // Derived from the private keys, then unwrapped: the public halves are no secret.
    this.publicKeys = pulumi.unsecret(
      pulumi
        .all([signingKey, pulumi.all(serviceKeys)])
        .apply(([issuer, services]) =>
          publicKeySetOf(issuer, services, args.additionalPublicKeys ?? []),
        ),
    );
    this.registerOutputs({ publicKeys: this.publicKeys });
  }
}
