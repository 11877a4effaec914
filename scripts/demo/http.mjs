// A small JSON client for the AuditTrail API: a session (cookie + CSRF token) or a Bearer key.

export class ApiError extends Error {
  constructor(method, path, status, body) {
    super(`${method} ${path} → ${status}\n${body}`);
    this.status = status;
  }
}

export class UnreachableError extends Error {}

export function createClient(baseUrl) {
  let cookie;
  let csrfToken;
  let apiKey;

  async function request(method, path, { body, auth = "session" } = {}) {
    const headers = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (auth === "session" && cookie) {
      headers.cookie = cookie;
      if (method !== "GET") headers["x-csrf-token"] = csrfToken;
    }
    if (auth === "key") headers.authorization = `Bearer ${apiKey}`;

    const res = await send(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new ApiError(method, path, res.status, text);
    if (auth === "session") cookie = sessionCookie(res) ?? cookie;
    return text ? JSON.parse(text) : null;
  }

  return {
    request,
    get: (path, opts) => request("GET", path, opts),
    post: (path, body, opts) => request("POST", path, { ...opts, body }),
    signIn(me) {
      csrfToken = me.csrf_token;
    },
    useKey(key) {
      apiKey = key;
    },
  };
}

async function send(url, init) {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    throw new UnreachableError(
      `${init.method} ${url} failed: ${err.cause?.code ?? err.cause?.message ?? err.message}`,
    );
  }
}

/** `name=value` of the cookies a response sets, ready for a Cookie header. */
function sessionCookie(res) {
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0]);
  return cookies.length ? cookies.join("; ") : undefined;
}
