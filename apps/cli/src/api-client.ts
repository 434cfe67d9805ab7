// How every CLI command reaches gridfill: the GraphQL API at GRIDFILL_URL, authenticated by an API
// token (GRIDFILL_TOKEN) or by signing in with GRIDFILL_EMAIL + GRIDFILL_PASSWORD. Queries and
// mutations go by POST; subscriptions go over a WebSocket on the same path (see follow.ts).

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

type GraphQLResponse<T> = {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
};

export type ApiClientOptions = {
  url?: string;
  token?: string;
  email?: string;
  password?: string;
};

export class ApiClient {
  readonly url: string;
  #authorization: string | undefined;
  #credentials: { email: string; password: string } | undefined;

  constructor(options: ApiClientOptions) {
    this.url = (options.url ?? "http://127.0.0.1:4000").replace(/\/+$/, "");
    if (options.token) this.#authorization = `Bearer ${options.token}`;
    else if (options.email && options.password)
      this.#credentials = { email: options.email, password: options.password };
  }

  static fromEnv(env: Record<string, string | undefined> = process.env): ApiClient {
    return new ApiClient({
      url: env.GRIDFILL_URL || undefined,
      token: env.GRIDFILL_TOKEN || undefined,
      email: env.GRIDFILL_EMAIL || undefined,
      password: env.GRIDFILL_PASSWORD || undefined,
    });
  }

  /** The API's graphql-ws endpoint: the same /graphql path, over ws:// or wss://. */
  get socketUrl(): string {
    const url = new URL(`${this.url}/graphql`);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url.toString();
  }

  /** What a subscription socket sends on connecting: the API authenticates it by this bearer. */
  async connectionParams(): Promise<{ authorization?: string }> {
    if (!this.#authorization && this.#credentials) await this.#signIn(this.#credentials);
    return this.#authorization ? { authorization: this.#authorization } : {};
  }

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    if (!this.#authorization && this.#credentials) await this.#signIn(this.#credentials);
    return this.#post<T>(query, variables);
  }

  async #signIn({ email, password }: { email: string; password: string }): Promise<void> {
    const data = await this.#post<{ login: { sessionToken: string } }>(
      `mutation SignIn($email: String!, $password: String!) {
        login(email: $email, password: $password) { sessionToken }
      }`,
      { email, password },
    );
    this.#authorization = `Bearer ${data.login.sessionToken}`;
  }

  async #post<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.url}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "apollo-require-preflight": "true",
          ...(this.#authorization ? { authorization: this.#authorization } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw new ApiError(
        `cannot reach the gridfill API at ${this.url} (${(error as Error).message}); is it running? Set GRIDFILL_URL to point elsewhere.`,
        "UNREACHABLE",
      );
    }
    const body = (await response.json().catch(() => ({}))) as GraphQLResponse<T>;
    const first = body.errors?.[0];
    if (first) {
      const code = first.extensions?.code;
      const hint =
        code === "UNAUTHENTICATED"
          ? " (set GRIDFILL_TOKEN, or GRIDFILL_EMAIL and GRIDFILL_PASSWORD)"
          : "";
      throw new ApiError(`${first.message}${hint}`, code);
    }
    if (!response.ok || !body.data) {
      throw new ApiError(`the API answered HTTP ${response.status}`, `HTTP_${response.status}`);
    }
    return body.data;
  }
}
