// A local OpenID Connect provider for the login browser test (tests/test_oidc_login.py): the
// certified `oidc-provider` package with a Chinese login form that checks passwords, standing
// in for the bureau's 统一身份认证.
//
// Settings from the environment:
//   OIDC_PORT           the port on 127.0.0.1 (the issuer is http://127.0.0.1:OIDC_PORT)
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI   the dashboard as a client
//   OIDC_USERS          JSON {"login": {"password": "…", "name": "…", "groups": ["…"]}, …}
// Prints "ready <issuer>" on standard output once it listens.

import crypto from 'node:crypto';
import http from 'node:http';

import Provider, { interactionPolicy } from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const users = JSON.parse(process.env.OIDC_USERS);
const redirectUri = process.env.OIDC_REDIRECT_URI;

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title, body) => `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;

const loginForm = (uid, login, message) => page('统一身份认证', `
${message ? `<p id="error" role="alert">${escape(message)}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
  <label>用户名 <input name="login" value="${escape(login)}" autocomplete="off"></label>
  <label>密码 <input name="password" type="password"></label>
  <button type="submit" id="submit">登录</button>
</form>
<form method="post" action="/interaction/${uid}/abort"><button id="abort">取消登录</button></form>`);

// Streamlit asks for prompt=select_account; a prompt the provider lists is one it may be asked
// for. Choosing the account is the login form itself.
const policy = interactionPolicy.base();
policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }));

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID,
    client_secret: process.env.OIDC_CLIENT_SECRET,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [redirectUri],
  }],
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    profile: ['preferred_username', 'name', 'groups'],
    email: ['email'],
  },
  // The claims in the ID token, which is where Authlib (st.user) reads them.
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('退出统一身份认证', `${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout" id="logout">确认退出</button>`);
      },
    },
  },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // The dashboard is the bureau's own application: no consent screen.
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  findAccount: async (ctx, id) => (users[id] ? {
    accountId: id,
    claims: async () => ({
      sub: id, preferred_username: id, name: users[id].name || id, groups: users[id].groups || [],
    }),
  } : undefined),
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('统一身份认证出错', `<pre id="error">${escape(JSON.stringify(out))}</pre>`);
  },
});

const readForm = (req) => new Promise((resolve, reject) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => resolve(new URLSearchParams(body)));
  req.on('error', reject);
});

const interaction = async (req, res, action) => {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(loginForm(details.uid, '', ''));
    return;
  }
  const form = await readForm(req);
  if (action === 'abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'the user cancelled the login',
    }, { mergeWithLastSubmission: false });
    return;
  }
  const login = form.get('login') || '';
  if (!users[login] || users[login].password !== form.get('password')) {
    res.statusCode = 401;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(loginForm(details.uid, login, '用户名或密码错误,请重新输入。'));
    return;
  }
  await provider.interactionFinished(req, res, {
    login: { accountId: login }, select_account: {},
  }, { mergeWithLastSubmission: false });
};

const handle = provider.callback();
http.createServer((req, res) => {
  const match = /^\/interaction\/[^/]+(?:\/(login|abort))?$/.exec(req.url.split('?')[0]);
  if (!match) {
    handle(req, res);
    return;
  }
  interaction(req, res, match[1]).catch((error) => {
    res.statusCode = 400;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(page('统一身份认证出错', `<pre id="error">${escape(error.message)}</pre>`));
  });
}).listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
