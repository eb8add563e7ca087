/*
 * The identities of the auth matrix, as real signed tokens: Backstage user tokens (ES256, typ
 * `vnd.backstage.user`, ownership in `ent`) served through an `auth` plugin's JWKS, and GitHub
 * Actions OIDC tokens (RS256) served through a JWKS on loopback, as GitHub serves its own.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  CompactSign,
  exportJWK,
  generateKeyPair,
  JWK,
  KeyLike,
  SignJWT,
} from 'jose';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const GITHUB_AUDIENCE = 'ml-infra-portal';

export interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  jwk: JWK;
}

export async function signingKey(alg: 'ES256' | 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const kid = randomUUID();
  return {
    kid,
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
  };
}

/**
 * A Backstage user token, as the auth backend issues them: with the user identity proof (`uip`),
 * the signature of the limited token other plugins get when a plugin calls them on the user's
 * behalf (the catalog, the permission backend).
 */
export async function userToken(
  key: SigningKey,
  userEntityRef: string,
  ownership: string[],
) {
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + 3600;
  const limited = await new CompactSign(
    new TextEncoder().encode(JSON.stringify({ sub: userEntityRef, iat, exp })),
  )
    .setProtectedHeader({
      typ: 'vnd.backstage.limited-user',
      alg: 'ES256',
      kid: key.kid,
    })
    .sign(key.privateKey);
  return new SignJWT({ ent: ownership, uip: limited.split('.')[2] })
    .setProtectedHeader({
      alg: 'ES256',
      kid: key.kid,
      typ: 'vnd.backstage.user',
    })
    .setIssuer('test')
    .setSubject(userEntityRef)
    .setAudience('backstage')
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key.privateKey);
}

/** A GitHub Actions OIDC token; claims GitHub puts in, overridable to forge the bad ones. */
export async function githubToken(
  key: SigningKey,
  repository: string,
  overrides: {
    issuer?: string;
    audience?: string;
    subject?: string;
    expiresAt?: number;
  } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    repository,
    repository_owner: repository.split('/')[0],
    ref: 'refs/heads/main',
    event_name: 'push',
    workflow: 'release',
  })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(overrides.issuer ?? GITHUB_ISSUER)
    .setSubject(overrides.subject ?? `repo:${repository}:ref:refs/heads/main`)
    .setAudience(overrides.audience ?? GITHUB_AUDIENCE)
    .setIssuedAt(now - 60)
    .setNotBefore(now - 60)
    .setExpirationTime(overrides.expiresAt ?? now + 600)
    .sign(key.privateKey);
}

/** Serves a JWKS on loopback (GitHub's `/.well-known/jwks` stand-in). */
export async function serveJwks(keys: JWK[]) {
  const server = http.createServer((req, res) => {
    if (req.url === '/.well-known/jwks') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks`,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

/**
 * The identity provider's two endpoints other plugins call: the JWKS the real auth service
 * verifies user tokens with, and `/v1/userinfo`, where the real userInfo service looks up the
 * ownership of a user who reached a plugin through another one (limited tokens carry no `ent`).
 */
export function identityProviderPlugin(
  key: SigningKey,
  ownership: Record<string, string[]>,
) {
  return createBackendPlugin({
    pluginId: 'auth',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          const handler: Parameters<typeof httpRouter.use>[0] = (
            req,
            res,
            next,
          ) => {
            if (req.method === 'GET' && req.path === '/.well-known/jwks.json') {
              res.json({ keys: [key.jwk] });
            } else if (req.method === 'GET' && req.path === '/v1/userinfo') {
              httpAuth
                .credentials(req, { allow: ['user'], allowLimitedAccess: true })
                .then(credentials => {
                  const sub = credentials.principal.userEntityRef;
                  res.json({ claims: { sub, ent: ownership[sub] ?? [sub] } });
                })
                .catch(next);
            } else {
              next();
            }
          };
          httpRouter.use(handler);
          httpRouter.addAuthPolicy({
            path: '/.well-known/jwks.json',
            allow: 'unauthenticated',
          });
          httpRouter.addAuthPolicy({
            path: '/v1/userinfo',
            allow: 'user-cookie',
          });
        },
      });
    },
  });
}
