-- The data model of a knowledge day. Every rule that keeps the data sound lives here as a constraint,
-- so no client, however it reaches the database, can store an impossible state.

create schema if not exists private;
revoke all on schema private from public;

create table public.events (
  id uuid primary key default gen_random_uuid(),
  title text not null check (length(btrim(title)) between 1 and 200),
  question text check (length(question) <= 1000),
  starts_on date,
  venue text check (length(venue) <= 200),
  language text not null default 'nl' check (language in ('nl', 'en')),
  join_code text not null unique check (join_code ~ '^[A-Z2-9]{6}$'),
  status text not null default 'draft' check (status in ('draft', 'live', 'closed')),
  organisers text[] not null default '{}',
  chair_name text check (length(chair_name) <= 200),
  author_name text check (length(author_name) <= 200),
  photos_url text check (photos_url ~ '^https?://' and length(photos_url) <= 2000),
  allow_llm boolean not null default false,
  current_agenda_item_id uuid,
  current_thesis_id uuid,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now()
);

-- Kept out of public.events so that members who may read the event never see the projector secret.
create table public.event_secrets (
  event_id uuid primary key references public.events (id) on delete cascade,
  projector_token text not null unique default replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
);

create table public.event_members (
  id uuid primary key default gen_random_uuid(),
  event_id uuid not null references public.events (id) on delete cascade,
  user_id uuid references auth.users (id) on delete set null,
  role text not null default 'participant' check (role in ('organiser', 'chair', 'note_taker', 'participant')),
  name text not null check (length(btrim(name)) between 1 and 120),
  organisation text not null default '' check (length(organisation) <= 160),
  job_title text not null default '' check (length(job_title) <= 160),
  listed boolean not null default false,
  joined_at timestamptz not null default now(),
  unique (event_id, user_id)
);
create index event_members_user_idx on public.event_members (user_id);

create table public.agenda_items (
  id uuid primary key default gen_random_uuid(),
  event_id uuid not null references public.events (id) on delete cascade,
  position integer not null check (position >= 0),
  title text not null check (length(btrim(title)) between 1 and 300),
  kind text not null default 'other' check (kind in ('talk', 'discussion', 'break', 'other')),
  speaker text check (length(speaker) <= 200),
  planned_minutes integer check (planned_minutes between 0 and 1440),
  started_at timestamptz,
  ended_at timestamptz check (ended_at is null or (started_at is not null and ended_at >= started_at)),
  unique (event_id, position) deferrable initially deferred
);

create table public.theses (
  id uuid primary key default gen_random_uuid(),
  event_id uuid not null references public.events (id) on delete cascade,
  text text not null check (length(btrim(text)) between 1 and 1000),
  author_member_id uuid references public.event_members (id) on delete set null,
  author_name text check (length(author_name) <= 200),
  created_by uuid references auth.users (id) on delete set null,
  status text not null default 'submitted' check (status in
    ('submitted', 'approved', 'rejected', 'merged', 'in_discussion', 'discussed', 'not_discussed')),
  position integer not null default 0,
  merged_into_id uuid references public.theses (id) on delete set null,
  discussed_order integer check (discussed_order > 0),
  started_at timestamptz,
  finished_at timestamptz,
  idempotency_key text check (length(idempotency_key) between 1 and 100),
  created_at timestamptz not null default now(),
  check ((status = 'merged') = (merged_into_id is not null)),
  check (merged_into_id is distinct from id),
  unique (event_id, discussed_order),
  unique (created_by, idempotency_key)
);
create index theses_event_idx on public.theses (event_id, position);
-- At most one thesis is under discussion per event.
create unique index theses_one_in_discussion on public.theses (event_id) where status = 'in_discussion';

alter table public.events
  add constraint events_current_agenda_item_fk foreign key (current_agenda_item_id)
    references public.agenda_items (id) on delete set null,
  add constraint events_current_thesis_fk foreign key (current_thesis_id)
    references public.theses (id) on delete set null;

create table public.polls (
  id uuid primary key default gen_random_uuid(),
  event_id uuid not null references public.events (id) on delete cascade,
  thesis_id uuid references public.theses (id) on delete cascade,
  agenda_item_id uuid references public.agenda_items (id) on delete cascade,
  question text not null check (length(btrim(question)) between 1 and 1000),
  kind text not null check (kind in ('agree5', 'yes_no', 'choice', 'scale10', 'word_cloud')),
  options text[] not null default '{}',
  phase text check (phase in ('before', 'after')),
  status text not null default 'draft' check (status in ('draft', 'open', 'closed')),
  hide_results boolean not null default false,
  revealed_at timestamptz,
  -- Results carried over from an imported archive, where the individual votes are not known.
  archived_counts integer[],
  opened_at timestamptz,
  closed_at timestamptz,
  created_at timestamptz not null default now(),
  check ((thesis_id is null) <> (agenda_item_id is null)),
  check (kind = 'word_cloud' or cardinality(options) between 2 and 20),
  check (kind <> 'word_cloud' or cardinality(options) = 0),
  check (archived_counts is null or cardinality(archived_counts) = cardinality(options)),
  check (status <> 'open' or opened_at is not null)
);
create index polls_event_idx on public.polls (event_id);
-- One poll open at a time per event: the room answers one question at once.
create unique index polls_one_open on public.polls (event_id) where status = 'open';

create table public.votes (
  poll_id uuid not null references public.polls (id) on delete cascade,
  voter_id uuid not null references auth.users (id) on delete cascade,
  event_id uuid not null references public.events (id) on delete cascade,
  option_index integer check (option_index between 0 and 19),
  word text check (length(btrim(word)) between 1 and 40),
  idempotency_key text check (length(idempotency_key) between 1 and 100),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (poll_id, voter_id),
  check ((option_index is null) <> (word is null))
);

create table public.notes (
  id uuid primary key default gen_random_uuid(),
  event_id uuid not null references public.events (id) on delete cascade,
  thesis_id uuid references public.theses (id) on delete cascade,
  agenda_item_id uuid references public.agenda_items (id) on delete cascade,
  kind text not null default 'note' check (kind in ('note', 'quote', 'conclusion', 'question')),
  text text not null check (length(btrim(text)) between 1 and 4000),
  speaker text check (length(speaker) <= 200),
  author_id uuid references auth.users (id) on delete set null,
  author_name text check (length(author_name) <= 200),
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((thesis_id is null) <> (agenda_item_id is null))
);
create index notes_thesis_idx on public.notes (thesis_id);
create index notes_agenda_item_idx on public.notes (agenda_item_id);
create index notes_event_idx on public.notes (event_id);

create table public.recaps (
  id uuid primary key default gen_random_uuid(),
  event_id uuid not null references public.events (id) on delete cascade,
  version integer not null check (version > 0),
  markdown text not null check (length(markdown) <= 500000),
  engine text not null default 'manual' check (engine in ('builtin', 'llm', 'manual')),
  status text not null default 'draft' check (status in ('draft', 'published')),
  public_slug text check (public_slug ~ '^[a-z0-9-]{8,80}$'),
  published_at timestamptz,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  unique (event_id, version),
  check ((status = 'published') = (public_slug is not null and published_at is not null))
);
-- One published version per event, and a public slug names one event.
create unique index recaps_one_published on public.recaps (event_id) where status = 'published';
create unique index recaps_slug on public.recaps (public_slug) where status = 'published';
