// Test-only OpenID provider for innsyn-auth-oidc integration tests.
//
// Built on oidc-provider 9.x (panva). NOT for production use: static secrets,
// dev login page (any username), a grant type that mints user tokens without a
// browser, and an unauthenticated stats route.
//
// Contract with the test harness:
//   * stdout carries exactly ONE line: {"issuer":"http://127.0.0.1:<port>","port":<port>}
//     (the issuer is ISSUER when set)
//     printed once the server is listening; everything else goes to stderr.
//   * SIGTERM / SIGINT => clean exit with status 0.
//
// Environment:
//   HOST                 address to listen on (default 127.0.0.1; 0.0.0.0 in a container)
//   PORT                 port (default 0 = ephemeral)
//   ISSUER               public issuer URL, origin only (default http://<HOST>:<port>,
//                        http://127.0.0.1:<port> when HOST is a wildcard address)
//   KEY_FILE             JWKS (private) file; loaded if it exists, else generated and written there
//   EXTRA_REDIRECT_URIS  comma-separated redirect URIs added to client svc-a
//   PKJWT_CLIENT_JWKS    public JWKS (JSON) of client innsyn-rs-pkjwt (private_key_jwt)
//   DEBUG=oidc-provider:*  verbose library logging (to stderr)

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

// --- keep stdout clean -------------------------------------------------------
// oidc-provider prints its NOTICE messages with console.info (stdout). The test
// harness reads stdout for the single ready line, so route every console
// method that would write to stdout to stderr instead, before the library is
// loaded (hence the dynamic import below).
for (const method of ['log', 'info', 'debug']) {
  console[method] = (...args) => console.error(...args);
}
const writeReadyLine = (obj) => {
  fs.writeSync(1, `${JSON.stringify(obj)}\n`);
};

const { default: Provider, errors } = await import('oidc-provider');

// --- constants ---------------------------------------------------------------
const LOOPBACK = '127.0.0.1';
const HOST = process.env.HOST || LOOPBACK;
const TEST_GRANT = 'urn:innsyn:test:token';
const DEFAULT_RESOURCE = 'https://innsyn.test/jwt';
const CUSTOM_SCOPES = [
  'idporten:user.log.read',
  'history:read',
  'history:audit',
  'history:write',
  'history:admin',
  'history:disputes',
];
const ALL_SCOPES = ['openid', 'profile', ...CUSTOM_SCOPES];
const ACCESS_TOKEN_TTL = 600;

const log = (...args) => console.error('[test-oidc-provider]', ...args);

// --- signing keys --------------------------------------------------------------
function generateJwks() {
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = () => crypto.randomBytes(12).toString('base64url');
  return {
    keys: [
      { ...rsa.privateKey.export({ format: 'jwk' }), kid: kid(), alg: 'RS256', use: 'sig' },
      { ...ec.privateKey.export({ format: 'jwk' }), kid: kid(), alg: 'ES256', use: 'sig' },
    ],
  };
}

function loadOrCreateJwks(file) {
  if (file && fs.existsSync(file)) {
    const jwks = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!Array.isArray(jwks?.keys) || jwks.keys.length === 0) {
      throw new Error(`KEY_FILE ${file} does not contain a JWKS with keys`);
    }
    log(`loaded ${jwks.keys.length} signing key(s) from ${file}:`, jwks.keys.map((k) => k.kid).join(', '));
    return jwks;
  }
  const jwks = generateJwks();
  if (file) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(jwks, null, 2)}\n`, { mode: 0o600 });
    log(`generated signing keys, written to ${file}:`, jwks.keys.map((k) => k.kid).join(', '));
  } else {
    log('generated signing keys (not persisted, KEY_FILE unset):', jwks.keys.map((k) => k.kid).join(', '));
  }
  return jwks;
}

// --- unbounded in-memory adapter ---------------------------------------------
// One store shared by all models; keys are "<Model>:<id>". Entries expire
// lazily on access and by a periodic sweep. No size limit (unlike the built-in
// memory adapter, which is an LRU of ~1000 entries).
const store = new Map(); // key -> { payload, expiresAt (ms epoch, Infinity = never) }
const grantIndex = new Map(); // grantId -> Set<key>
const uidIndex = new Map(); // session uid -> key
const userCodeIndex = new Map(); // user code -> key

function expired(entry) {
  return entry.expiresAt <= Date.now();
}

function dropKey(key) {
  const entry = store.get(key);
  if (!entry) return;
  store.delete(key);
  const { grantId, uid, userCode } = entry.payload;
  if (grantId && grantIndex.has(grantId)) {
    const set = grantIndex.get(grantId);
    set.delete(key);
    if (set.size === 0) grantIndex.delete(grantId);
  }
  if (uid && uidIndex.get(uid) === key) uidIndex.delete(uid);
  if (userCode && userCodeIndex.get(userCode) === key) userCodeIndex.delete(userCode);
}

function getLive(key) {
  const entry = store.get(key);
  if (!entry) return undefined;
  if (expired(entry)) {
    dropKey(key);
    return undefined;
  }
  return entry;
}

setInterval(() => {
  for (const [key, entry] of store) {
    if (expired(entry)) dropKey(key);
  }
}, 30_000).unref();

class MapAdapter {
  constructor(model) {
    this.model = model;
  }

  key(id) {
    return `${this.model}:${id}`;
  }

  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    dropKey(key); // clear stale indexes of a previous version
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity;
    store.set(key, { payload, expiresAt });
    if (payload.grantId) {
      if (!grantIndex.has(payload.grantId)) grantIndex.set(payload.grantId, new Set());
      grantIndex.get(payload.grantId).add(key);
    }
    if (this.model === 'Session' && payload.uid) uidIndex.set(payload.uid, key);
    if (payload.userCode) userCodeIndex.set(payload.userCode, key);
  }

  async find(id) {
    return getLive(this.key(id))?.payload;
  }

  async findByUid(uid) {
    const key = uidIndex.get(uid);
    return key ? getLive(key)?.payload : undefined;
  }

  async findByUserCode(userCode) {
    const key = userCodeIndex.get(userCode);
    return key ? getLive(key)?.payload : undefined;
  }

  async consume(id) {
    const entry = getLive(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    dropKey(this.key(id));
  }

  async revokeByGrantId(grantId) {
    const keys = grantIndex.get(grantId);
    if (!keys) return;
    for (const key of [...keys]) dropKey(key);
    grantIndex.delete(grantId);
  }
}

// --- clients -------------------------------------------------------------------
const extraRedirectUris = (process.env.EXTRA_REDIRECT_URIS ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

const clients = [
  {
    client_id: 'innsyn-rs',
    client_secret: 'innsyn-rs-secret',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
  },
  {
    // The resource server again, authenticating with client_secret_post.
    client_id: 'innsyn-rs-post',
    client_secret: 'innsyn-rs-post-secret',
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
  },
  {
    client_id: 'svc-a',
    client_secret: 'svc-a-secret',
    token_endpoint_auth_method: 'client_secret_basic',
    orgno: '991825827',
    grant_types: ['client_credentials', TEST_GRANT, 'authorization_code', 'refresh_token'],
    redirect_uris: ['http://127.0.0.1/callback', ...extraRedirectUris],
    response_types: ['code'],
  },
  {
    client_id: 'svc-b',
    client_secret: 'svc-b-secret',
    token_endpoint_auth_method: 'client_secret_basic',
    orgno: '974760673',
    grant_types: ['client_credentials', TEST_GRANT],
    redirect_uris: [],
    response_types: [],
  },
  {
    client_id: 'writer',
    client_secret: 'writer-secret',
    token_endpoint_auth_method: 'client_secret_basic',
    orgno: '991825827',
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
  },
];

// The resource server with private_key_jwt, when the harness gives its
// public keys (a JWKS as JSON) in PKJWT_CLIENT_JWKS.
if (process.env.PKJWT_CLIENT_JWKS) {
  clients.push({
    client_id: 'innsyn-rs-pkjwt',
    token_endpoint_auth_method: 'private_key_jwt',
    jwks: JSON.parse(process.env.PKJWT_CLIENT_JWKS),
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
  });
}

// --- resource servers ----------------------------------------------------------
function resourceServerInfo(resourceIndicator) {
  return {
    scope: CUSTOM_SCOPES.join(' '),
    audience: resourceIndicator,
    accessTokenTTL: ACCESS_TOKEN_TTL,
    accessTokenFormat: resourceIndicator.includes('opaque') ? 'opaque' : 'jwt',
    jwt: { sign: { alg: 'RS256' } },
  };
}

// --- start listening first: the issuer needs the (possibly ephemeral) port -----
let handler = (_req, res) => {
  res.statusCode = 503;
  res.end('starting');
};
const server = http.createServer((req, res) => handler(req, res));
const requestedPort = Number.parseInt(process.env.PORT ?? '0', 10) || 0;
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(requestedPort, HOST, resolve);
});
const { port } = server.address();

// The issuer as clients reach it: ISSUER (e.g. http://oidc:9090 on a compose
// network), else the listening address. Discovery's endpoint URLs follow the
// Host a client used; `iss` in tokens is always this issuer.
function issuerFor(host, listeningPort) {
  const configured = (process.env.ISSUER ?? '').trim();
  if (configured === '') {
    const wildcard = host === '0.0.0.0' || host === '::';
    const shown = wildcard ? LOOPBACK : host.includes(':') ? `[${host}]` : host;
    return `http://${shown}:${listeningPort}`;
  }
  let url;
  try {
    url = new URL(configured);
  } catch {
    throw new Error(`ISSUER is not a URL: ${configured}`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.pathname !== '/' || url.search || url.hash) {
    throw new Error(`ISSUER must be an http(s) origin without path, query or fragment: ${configured}`);
  }
  return url.origin;
}
let issuer;
try {
  issuer = issuerFor(HOST, port);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}

// --- provider --------------------------------------------------------------------
let provider; // assigned below; used lazily by extraTokenClaims

const configuration = {
  adapter: MapAdapter,
  clients,
  jwks: loadOrCreateJwks(process.env.KEY_FILE),
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  extraClientMetadata: { properties: ['orgno'] },
  scopes: ALL_SCOPES,
  claims: {
    openid: ['sub'],
    profile: ['pid', 'name'],
  },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, pid: id, name: `Test ${id}` };
      },
    };
  },
  async extraTokenClaims(_ctx, token) {
    const extra = {};
    if (token.accountId) extra.pid = token.accountId;
    const client = token.client ?? (token.clientId ? await provider.Client.find(token.clientId) : undefined);
    if (client?.orgno) {
      extra.consumer = { authority: 'iso6523-actorid-upis', ID: `0192:${client.orgno}` };
    }
    return Object.keys(extra).length ? extra : undefined;
  },
  // svc-a lists the refresh_token grant; oidc-provider only enables that grant
  // type when offline_access is a scope or issueRefreshToken is customised.
  // Without offline_access, issue a refresh token (authorization_code flow)
  // whenever the client is allowed the refresh_token grant.
  async issueRefreshToken(_ctx, client) {
    return client.grantTypeAllowed('refresh_token');
  },
  formats: {
    customizers: {
      // Maskinporten-style machine tokens: a client_credentials JWT carries no
      // `sub` (oidc-provider would otherwise put the client_id there).
      async jwt(_ctx, token, jwt) {
        if (token.kind === 'ClientCredentials') delete jwt.payload.sub;
      },
    },
  },
  features: {
    devInteractions: { enabled: true },
    introspection: {
      enabled: true,
      // any authenticated confidential client may introspect (it is a test OP)
      async allowedPolicy() { return true; },
    },
    revocation: {
      enabled: true,
      async allowedPolicy(_ctx, client, token) {
        if (token.clientId !== client.clientId) {
          throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
        }
        return true;
      },
    },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      async defaultResource(_ctx, _client, oneOf) {
        return oneOf || DEFAULT_RESOURCE;
      },
      async useGrantedResource() {
        return true;
      },
      async getResourceServerInfo(_ctx, resourceIndicator, _client) {
        return resourceServerInfo(resourceIndicator);
      },
    },
  },
  ttl: {
    AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL || ACCESS_TOKEN_TTL,
    ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL || ACCESS_TOKEN_TTL,
    AuthorizationCode: 60,
    IdToken: 3600,
    RefreshToken: 24 * 3600,
    Interaction: 3600,
    Session: 24 * 3600,
    Grant: 24 * 3600,
  },
  clientBasedCORS: () => true,
  async renderError(ctx, out) {
    ctx.type = 'json';
    ctx.body = out;
  },
};

provider = new Provider(issuer, configuration);
provider.proxy = false;

// --- test-only grant: user-bound access token without a browser -------------------
// POST /token grant_type=urn:innsyn:test:token&subject=<id>[&scope=..][&resource=..][&ttl=<seconds>]
provider.registerGrantType(TEST_GRANT, async (ctx) => {
  const { client, params } = ctx.oidc; // client is authenticated by the token endpoint
  const { AccessToken, Grant, ResourceServer } = ctx.oidc.provider;

  const subject = params.subject;
  if (!subject) throw new errors.InvalidRequest('missing required parameter \'subject\'');

  let ttl;
  if (params.ttl !== undefined) {
    if (!/^-?\d+$/.test(params.ttl)) throw new errors.InvalidRequest('ttl must be an integer (seconds)');
    ttl = Number.parseInt(params.ttl, 10);
  }

  const resource = params.resource || DEFAULT_RESOURCE;
  if (!URL.canParse(resource) || resource.includes('#')) {
    throw new errors.InvalidTarget('resource indicator must be an absolute URI without fragment');
  }
  const resourceServer = new ResourceServer(resource, resourceServerInfo(resource));

  const requested = (params.scope ?? '').split(' ').filter(Boolean);
  const allowed = resourceServer.scopes;
  for (const s of requested) {
    if (!allowed.has(s)) throw new errors.InvalidScope('requested scope is not allowed for this resource', s);
  }
  const scope = [...new Set(requested)].join(' ');

  const grant = new Grant({ accountId: subject, clientId: client.clientId });
  if (scope) grant.addResourceScope(resource, scope);
  const grantId = await grant.save();

  const at = new AccessToken({
    accountId: subject,
    client,
    grantId,
    gty: TEST_GRANT,
    scope: scope || undefined,
    resourceServer,
    expiresWithSession: false,
  });

  let expiresIn;
  if (ttl !== undefined && ttl <= 0) {
    // Already-expired token: exp = now + ttl (i.e. |ttl| seconds in the past).
    const now = Math.floor(Date.now() / 1000);
    at.exp = now + ttl;
    at.iat = at.exp - 60;
    expiresIn = ttl;
  } else {
    if (ttl !== undefined) at.expiresIn = ttl;
    expiresIn = at.expiration;
  }

  ctx.oidc.entity('Grant', grant);
  ctx.oidc.entity('AccessToken', at);
  const accessToken = await at.save();

  ctx.body = {
    access_token: accessToken,
    token_type: at.tokenType,
    expires_in: expiresIn,
    scope: scope || undefined,
  };
}, ['subject', 'scope', 'resource', 'ttl']);

// --- stats for tests ----------------------------------------------------------------
const stats = { introspections: 0, token_requests: 0 };
const introspectionPath = provider.pathFor('introspection'); // '/token/introspection'
const tokenPath = provider.pathFor('token'); // '/token'

provider.use(async (ctx, next) => {
  if (ctx.path === '/__test/stats') {
    if (ctx.method === 'GET') {
      ctx.type = 'json';
      ctx.set('cache-control', 'no-store');
      ctx.body = JSON.stringify(stats);
      return;
    }
    if (ctx.method === 'DELETE') {
      stats.introspections = 0;
      stats.token_requests = 0;
      ctx.status = 204;
      return;
    }
    ctx.status = 405;
    return;
  }
  if (ctx.path.endsWith(introspectionPath)) stats.introspections += 1;
  else if (ctx.path.endsWith(tokenPath)) stats.token_requests += 1;
  await next();
});

provider.on('server_error', (_ctx, err) => log('server_error', err));

handler = provider.callback();

// --- ready + shutdown -----------------------------------------------------------------
writeReadyLine({ issuer, port });
log(`listening on ${issuer}`);

let stopping = false;
function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  log(`${signal} received, shutting down`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
