// A real OpenID Connect provider for Newsdesk's campus sign-in tests: the
// certified npm oidc-provider, on 127.0.0.1 only, with one client
// (Newsdesk, a confidential client that must use PKCE) and test people
// whose claims carry a department code. Its built-in sign-in pages
// (devInteractions) take any password for a known person.
// Started by scripts/services/oidc.sh; never for production.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT || 7090);
const issuer = `http://127.0.0.1:${port}`;

// People of the campus directory.
const people = {
  '20209999': { name: '王五', preferred_username: 'wang.wu', email: 'wangwu@example.edu', department: '0305' },
  '20208888': { name: '赵六', preferred_username: 'zhao.liu', email: 'zhaoliu@example.edu', department: '0305' },
  '20207777': { name: '孙七', preferred_username: 'sun.qi', email: 'sunqi@example.edu', department: '0305' },
  '20206666': { name: '周八', preferred_username: 'zhou.ba', email: 'zhouba@example.edu', department: '9999' },
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID || 'newsdesk',
    client_secret: process.env.OIDC_CLIENT_SECRET || 'newsdesk-test-secret',
    // A loopback redirect of a native client matches on any port (RFC 8252
    // §7.3): each test server listens on a port of its own.
    application_type: 'native',
    redirect_uris: ['http://127.0.0.1/desk/login/oidc/callback'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username', 'department'],
    email: ['email'],
  },
  findAccount: async (ctx, id) => {
    const p = people[id];
    if (!p) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...p }) };
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['newsdesk-test-cookie-key'] },
  ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening at ${issuer}`);
});
