// Mints the fixtures of TestVerify_JoseTokens with the jose npm package: a JWKS
// with an RS256 and an ES256 key, and tokens that must be accepted or refused.
// Regenerate with: npm install && node mint.mjs > fixtures.json
import { generateKeyPair, exportJWK, SignJWT } from 'jose';

const now = 1796547600; // 2026-12-06T09:00:00Z, the verifier's clock in the test
const iss = 'https://jose.example';
const rsa = await generateKeyPair('RS256', { extractable: true });
const ec = await generateKeyPair('ES256', { extractable: true });
const stranger = await generateKeyPair('RS256', { extractable: true });
const jwk = async (k, kid, alg) => ({ ...(await exportJWK(k.publicKey)), kid, alg, use: 'sig' });

const claims = { sub: 'jose-user', agency: 'PIDTHONG', roles: ['pidthong'], programs: ['ROIJAIRAK-EXP-2564'] };
const token = (key, alg, kid, over = {}) => {
  const c = { ...claims, ...over.claims };
  let j = new SignJWT(c).setProtectedHeader({ alg, kid, typ: 'JWT' })
    .setIssuer(over.iss ?? iss).setAudience(over.aud ?? 'prasan')
    .setIssuedAt(over.iat ?? now - 60).setNotBefore(over.nbf ?? now - 60);
  j = j.setExpirationTime(over.exp ?? now + 3600);
  return j.sign(key);
};

const out = {
  now,
  issuer: iss,
  jwks: { keys: [await jwk(rsa, 'rsa-1', 'RS256'), await jwk(ec, 'ec-1', 'ES256')] },
  accept: {
    rs256: await token(rsa.privateKey, 'RS256', 'rsa-1'),
    es256: await token(ec.privateKey, 'ES256', 'ec-1'),
  },
  refuse: {
    expired: await token(rsa.privateKey, 'RS256', 'rsa-1', { exp: now - 3600, iat: now - 7200, nbf: now - 7200 }),
    notYetValid: await token(rsa.privateKey, 'RS256', 'rsa-1', { nbf: now + 3600, iat: now + 3600 }),
    wrongAudience: await token(rsa.privateKey, 'RS256', 'rsa-1', { aud: 'another-hub' }),
    wrongIssuer: await token(rsa.privateKey, 'RS256', 'rsa-1', { iss: 'https://evil.example' }),
    strangerKey: await token(stranger.privateKey, 'RS256', 'rsa-1'),
    unknownKid: await token(stranger.privateKey, 'RS256', 'rsa-9'),
    ps256: await token(rsa.privateKey, 'PS256', 'rsa-1'),
  },
};
console.log(JSON.stringify(out, null, 2));
