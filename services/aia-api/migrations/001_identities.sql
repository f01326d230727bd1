-- The gateway's identities (docs/gateway.md, "Identities and roles"): machine clients for the
-- OAuth 2.0 client credentials grant, and people's API keys. Secrets are stored hashed only:
-- clients' with scrypt and a salt of their own, keys' (256 random bits) with SHA-256.
create table oauth_clients (
  id          uuid        primary key,
  name        text        not null check (length(name) between 1 and 200),
  secret_hash text        not null check (secret_hash like 'scrypt$%'),
  -- The role the client was created with, if any; `scopes` is what it may ask for.
  role        text        check (length(role) between 1 and 100),
  scopes      text[]      not null,
  created_by  text        not null check (length(created_by) between 1 and 256),
  created_at  timestamptz not null default now(),
  revoked_at  timestamptz
);

create table api_keys (
  id           text        primary key check (id ~ '^[0-9a-f]{16}$'),
  -- The person the key acts for: its tokens carry this subject.
  owner        text        not null check (length(owner) between 1 and 256),
  name         text        not null check (length(name) between 1 and 200),
  secret_hash  text        not null check (secret_hash ~ '^[0-9a-f]{64}$'),
  scopes       text[]      not null,
  created_at   timestamptz not null default now(),
  expires_at   timestamptz not null check (expires_at > created_at),
  -- Updated at most once a minute, not on every request.
  last_used_at timestamptz,
  revoked_at   timestamptz
);

create index api_keys_by_owner on api_keys (owner, created_at desc);
