-- What the screens show of the room: who counts as present, what comes next, the countdown, the
-- shift between the before and after polls, the upvotes, the thesis a merged one joined, and the
-- published recap (the phones' end of the day, which they learn of live).

create or replace function private.event_state(p_event_id uuid, p_view text) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_event public.events;
  v_poll public.polls;
  v_before public.polls;
  v_uid uuid := (select auth.uid());
  v_staff boolean := p_view = 'staff';
  v_open_poll_id uuid;
  v_item_position integer;
begin
  select * into v_event from public.events where id = p_event_id;
  select * into v_poll from public.polls where event_id = p_event_id and status = 'open';
  if found then
    v_open_poll_id := v_poll.id;
  else
    -- Between votes the screens keep showing the last poll of the thesis or item in progress.
    select * into v_poll from public.polls
    where event_id = p_event_id and status = 'closed'
      and (thesis_id = v_event.current_thesis_id or agenda_item_id = v_event.current_agenda_item_id)
    order by closed_at desc limit 1;
  end if;
  -- Once the after poll closes, the screens show how the room moved since the before poll.
  if v_poll.status = 'closed' and v_poll.phase = 'after' then
    select * into v_before from public.polls p
    where p.event_id = p_event_id and p.status = 'closed' and p.phase = 'before' and p.kind = v_poll.kind
      and p.options = v_poll.options and (p.thesis_id = v_poll.thesis_id or p.agenda_item_id = v_poll.agenda_item_id)
    order by p.closed_at desc limit 1;
  end if;
  select position into v_item_position from public.agenda_items where id = v_event.current_agenda_item_id;
  return jsonb_build_object(
    'event', jsonb_build_object(
      'id', v_event.id, 'title', v_event.title, 'question', v_event.question, 'date', v_event.starts_on,
      'venue', v_event.venue, 'language', v_event.language, 'status', v_event.status,
      'code', v_event.join_code, 'organisers', to_jsonb(v_event.organisers), 'chair', v_event.chair_name,
      'photosUrl', v_event.photos_url, 'allowLlm', v_event.allow_llm, 'allowUpvotes', v_event.allow_upvotes,
      'currentAgendaItemId', v_event.current_agenda_item_id, 'currentThesisId', v_event.current_thesis_id),
    'agenda', coalesce((
      select jsonb_agg(jsonb_build_object(
        'id', a.id, 'position', a.position, 'title', a.title, 'kind', a.kind, 'speaker', a.speaker,
        'plannedMinutes', a.planned_minutes, 'startedAt', a.started_at, 'endedAt', a.ended_at)
        order by a.position)
      from public.agenda_items a where a.event_id = p_event_id), '[]'::jsonb),
    'theses', coalesce((
      select jsonb_agg(jsonb_build_object(
        'id', t.id, 'text', t.text, 'status', t.status, 'position', t.position,
        'authorName', case when v_staff then t.author_name end, 'mine', t.created_by = v_uid,
        'mergedIntoId', t.merged_into_id, 'discussedOrder', t.discussed_order,
        'startedAt', t.started_at, 'finishedAt', t.finished_at,
        -- The thesis a merged one joined, where the screen may read it.
        'mergedIntoText', (
          select m.text from public.theses m
          where m.id = t.merged_into_id
            and (v_staff or m.created_by = v_uid or m.status in ('approved', 'merged', 'in_discussion', 'discussed', 'not_discussed'))),
        'upvotes', case when v_staff then (select count(*) from public.thesis_upvotes u where u.thesis_id = t.id) end,
        'upvoted', case when p_view <> 'projector' then exists (
          select 1 from public.thesis_upvotes u where u.thesis_id = t.id and u.voter_id = v_uid) end)
        order by t.position, t.created_at)
      from public.theses t
      where t.event_id = p_event_id
        and (v_staff or t.created_by = v_uid
             or t.status in ('approved', 'merged', 'in_discussion', 'discussed', 'not_discussed'))), '[]'::jsonb),
    'currentAgendaItem', (
      select jsonb_build_object('id', a.id, 'title', a.title, 'kind', a.kind, 'speaker', a.speaker,
        'plannedMinutes', a.planned_minutes, 'startedAt', a.started_at)
      from public.agenda_items a where a.id = v_event.current_agenda_item_id),
    'currentThesis', (
      select jsonb_build_object('id', t.id, 'text', t.text, 'discussedOrder', t.discussed_order,
        'startedAt', t.started_at)
      from public.theses t where t.id = v_event.current_thesis_id),
    -- What comes next: the agenda item after the current one (the first one before the day starts)
    -- and the first thesis in the queue.
    'upNext', jsonb_build_object(
      'agendaItem', (
        select jsonb_build_object('id', a.id, 'title', a.title, 'kind', a.kind, 'speaker', a.speaker,
          'plannedMinutes', a.planned_minutes)
        from public.agenda_items a
        where a.event_id = p_event_id and a.position > coalesce(v_item_position, -1) and a.ended_at is null
          and a.id is distinct from v_event.current_agenda_item_id
        order by a.position limit 1),
      'thesis', (
        select jsonb_build_object('id', t.id, 'text', t.text)
        from public.theses t where t.event_id = p_event_id and t.status = 'approved'
        order by t.position, t.created_at limit 1)),
    'openPoll', case when v_poll.id is not null and v_poll.status = 'open' then private.poll_json(v_poll, p_view) end,
    'lastPoll', case when v_poll.id is not null and v_poll.status = 'closed' then private.poll_json(v_poll, p_view) end,
    'beforePoll', case when v_before.id is not null then private.poll_json(v_before, p_view) end,
    'preparedPolls', case when v_staff then coalesce((
      select jsonb_agg(jsonb_build_object(
        'id', p.id, 'thesisId', p.thesis_id, 'agendaItemId', p.agenda_item_id, 'question', p.question,
        'kind', p.kind, 'options', to_jsonb(p.options), 'phase', p.phase, 'hideResults', p.hide_results)
        order by p.created_at, p.id)
      from public.polls p where p.event_id = p_event_id and p.status = 'draft'), '[]'::jsonb) end,
    'countdown', case when v_event.countdown_subject is not null
        and v_event.countdown_subject in (v_open_poll_id, coalesce(v_event.current_thesis_id, v_event.current_agenda_item_id)) then
      jsonb_build_object('endsAt', v_event.countdown_ends_at, 'seconds', v_event.countdown_seconds,
                         'for', case when v_event.countdown_subject = v_open_poll_id then 'poll' else 'item' end) end,
    'recap', (
      select jsonb_build_object('slug', r.public_slug, 'publishedAt', r.published_at)
      from public.recaps r where r.event_id = p_event_id and r.status = 'published'),
    -- Who may vote: the participants in the room, once each (the room's own count), not the staff.
    'presentCount', (private.room_json(v_event) ->> 'participants')::integer,
    'me', case when p_view <> 'projector' then (
      select jsonb_build_object('memberId', m.id, 'role', m.role, 'name', m.name,
        'organisation', m.organisation, 'jobTitle', m.job_title, 'listed', m.listed)
      from public.event_members m where m.event_id = p_event_id and m.user_id = v_uid) end
  );
end
$$;

-- What every phone and the projector receive after each change: the projector's view without the
-- agenda and without the theses' texts, except the queue's when the room may upvote it (a phone
-- lists it to upvote). Kept small, as it goes to every phone in the hall at once.
create or replace function public.live_public_state(p_event_id uuid) returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select (s - 'agenda') || jsonb_build_object('theses', coalesce((
    select jsonb_agg(jsonb_build_object('id', t.thesis -> 'id', 'status', t.thesis -> 'status')
      || case when (s #>> '{event,allowUpvotes}')::boolean and t.thesis ->> 'status' = 'approved'
           then jsonb_build_object('text', t.thesis -> 'text', 'position', t.thesis -> 'position') else '{}'::jsonb end
      order by t.n)
    from jsonb_array_elements(s -> 'theses') with ordinality as t(thesis, n)), '[]'::jsonb))
  from private.event_state(p_event_id, 'projector') s
$$;

-- Publishing or unpublishing the recap is news for every screen of the event (the phones' end of the
-- day links to it); drafts are nobody's news.
create or replace function private.broadcast_recap() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if new.status = 'published' or (tg_op = 'UPDATE' and old.status = 'published') then
    perform realtime.send(jsonb_build_object('table', 'recaps', 'op', lower(tg_op), 'id', new.id, 'status', new.status),
                          'change', 'event:' || new.event_id, true);
  end if;
  return null;
end
$$;

create trigger broadcast_recaps after insert or update of status on public.recaps
  for each row execute function private.broadcast_recap();

revoke execute on function private.broadcast_recap() from public, anon, authenticated;
