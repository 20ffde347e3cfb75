-- Upvotes on the queue: when the organiser switches them on, the room marks the approved theses it
-- wants to discuss, one upvote per member and thesis, and the chair sees how many each has. Who
-- upvoted what is nobody's business: the table is read and written only by the functions below.

alter table public.events add column allow_upvotes boolean not null default false;

create table public.thesis_upvotes (
  thesis_id uuid not null references public.theses (id) on delete cascade,
  voter_id uuid not null references auth.users (id) on delete cascade,
  event_id uuid not null references public.events (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (thesis_id, voter_id)
);
create index thesis_upvotes_event_idx on public.thesis_upvotes (event_id);

alter table public.thesis_upvotes enable row level security;
revoke all on public.thesis_upvotes from public, anon, authenticated;
grant all on public.thesis_upvotes to service_role;

-- Sets the caller's upvote on a thesis in the queue (p_upvoted false takes it back). Setting rather
-- than toggling: a request sent twice leaves the same state, and one member counts once.
create or replace function public.upvote_thesis(p_thesis_id uuid, p_upvoted boolean default true) returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_thesis public.theses;
  v_event public.events;
begin
  select * into v_thesis from public.theses where id = p_thesis_id;
  if not found then
    perform private.fail('KD404', 'This thesis does not exist.');
  end if;
  perform private.require_role(v_thesis.event_id, 'participant');
  select * into v_event from public.events where id = v_thesis.event_id;
  if not v_event.allow_upvotes then
    perform private.fail('KD409', 'Upvotes are off for this event.');
  end if;
  if v_event.status = 'closed' then
    perform private.fail('KD409', 'This event is closed.');
  end if;
  if v_thesis.status <> 'approved' then
    perform private.fail('KD409', 'Only theses waiting in the queue can be upvoted.');
  end if;
  if coalesce(p_upvoted, true) then
    insert into public.thesis_upvotes (thesis_id, voter_id, event_id)
    values (p_thesis_id, v_uid, v_thesis.event_id)
    on conflict (thesis_id, voter_id) do nothing;
  else
    delete from public.thesis_upvotes where thesis_id = p_thesis_id and voter_id = v_uid;
  end if;
  -- The chair's console recounts; the room's view does not change.
  perform realtime.send(jsonb_build_object('table', 'thesis_upvotes', 'op', 'update', 'id', p_thesis_id),
                        'change', 'event:' || v_thesis.event_id || ':staff', true);
  return jsonb_build_object('thesisId', p_thesis_id, 'upvoted', coalesce(p_upvoted, true));
end
$$;

-- The queue by upvotes, most first (ties keep their order); the other theses keep theirs behind it.
create or replace function public.sort_queue_by_upvotes(p_event_id uuid) returns void
language plpgsql security definer
set search_path = ''
as $$
begin
  perform private.require_role(p_event_id, 'chair');
  perform public.reorder_theses(p_event_id, coalesce((
    select array_agg(t.id order by (select count(*) from public.thesis_upvotes u where u.thesis_id = t.id) desc, t.position, t.created_at)
    from public.theses t where t.event_id = p_event_id and t.status = 'approved'), '{}'));
end
$$;

-- The event's details, now with the upvote switch.
drop function public.update_event(uuid, text, date, text, text, text, text, boolean);

create function public.update_event(
  p_event_id uuid, p_title text, p_starts_on date, p_language text, p_question text, p_venue text,
  p_photos_url text default null, p_allow_llm boolean default false, p_allow_upvotes boolean default false
) returns public.events
language plpgsql security definer
set search_path = ''
as $$
declare
  v_event public.events;
begin
  perform private.require_role(p_event_id, 'organiser');
  if p_language is null or p_language not in ('nl', 'en') then
    perform private.fail('KD400', 'Language must be nl or en.');
  end if;
  if nullif(btrim(p_photos_url), '') is not null and btrim(p_photos_url) !~ '^https?://' then
    perform private.fail('KD400', 'The photos link must start with http:// or https://.');
  end if;
  update public.events set
    title = private.clean_text(p_title, 'Title', 200), starts_on = p_starts_on, language = p_language,
    question = nullif(btrim(p_question), ''), venue = nullif(btrim(p_venue), ''),
    photos_url = nullif(btrim(p_photos_url), ''), allow_llm = coalesce(p_allow_llm, false),
    allow_upvotes = coalesce(p_allow_upvotes, false)
  where id = p_event_id returning * into v_event;
  return v_event;
end
$$;

revoke execute on function public.upvote_thesis(uuid, boolean), public.sort_queue_by_upvotes(uuid),
  public.update_event(uuid, text, date, text, text, text, text, boolean, boolean) from public, anon;
grant execute on function public.upvote_thesis(uuid, boolean), public.sort_queue_by_upvotes(uuid),
  public.update_event(uuid, text, date, text, text, text, text, boolean, boolean) to authenticated, service_role;
