-- The invited day. Knowledge days are round tables whose guests the organiser knows in advance. Each
-- guest is one member of the event from the moment the organiser lists them: a personal invitation
-- link (or claiming their name when joining by code) binds a phone to that member instead of making a
-- second one, so the recap, its counts and the archive see each person once. Walk-ins join as
-- members of their own. Attendance is recorded: joining on the day is attending; the organiser can
-- mark it by hand. The organiser can merge two members who turn out to be one person.

-- Members ------------------------------------------------------------------------------------------

-- When the member was there on the day (null: not, or not yet). Rows made by paths that predate the
-- guest list (the organiser who creates an event, say) count as present, as they always did.
alter table public.event_members add column attended_at timestamptz default now();
-- When the member last answered whether they may be listed in the recap (null: never asked). Consent
-- is the member's own answer; when two members are merged, the later answer stands.
alter table public.event_members add column consent_answered_at timestamptz;

update public.event_members set attended_at = joined_at;
update public.event_members set consent_answered_at = joined_at where user_id is not null or listed;

-- A guest's invitation: the unguessable token of their personal link, and the e-mail address the
-- organiser may have. Only organisers read it, through the functions below.
create or replace function private.new_invitation_token() returns text
language sql volatile
set search_path = ''
as $$
  -- 122 random bits from gen_random_uuid, as 22 URL-safe characters.
  select rtrim(translate(encode(uuid_send(gen_random_uuid()), 'base64'), '+/', '-_'), '=')
$$;

-- An invitation belongs to a member of its event (the pair is checked), and is found by event quickly,
-- so that joining an event without a guest list costs one index probe more.
alter table public.event_members add constraint event_members_id_event_key unique (id, event_id);

create table public.guest_invitations (
  member_id uuid primary key,
  event_id uuid not null,
  token text not null unique default private.new_invitation_token() check (token ~ '^[A-Za-z0-9_-]{22}$'),
  email text check (length(email) <= 254 and email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  opened_at timestamptz,
  created_at timestamptz not null default now(),
  foreign key (member_id, event_id) references public.event_members (id, event_id) on delete cascade
);
create index guest_invitations_event_idx on public.guest_invitations (event_id);

alter table public.guest_invitations enable row level security;
revoke all on public.guest_invitations from public, anon, authenticated;
grant all on public.guest_invitations to service_role;
-- No policy: guests, participants and staff never read invitations; organisers read them through
-- list_guests, phones present a token to get_invitation and accept_invitation.

-- Helpers -------------------------------------------------------------------------------------------

-- A sentence in the event's language.
create or replace function private.said(p_language text, p_nl text, p_en text) returns text
language sql immutable
set search_path = ''
as $$
  select case p_language when 'nl' then p_nl else p_en end
$$;

-- An e-mail address as the guest list keeps it (lower case, trimmed; empty is none), or a refusal.
create or replace function private.clean_email(p_email text) returns text
language plpgsql immutable
set search_path = ''
as $$
declare
  v_email text := nullif(lower(btrim(coalesce(p_email, ''))), '');
begin
  if v_email is not null and (length(v_email) > 254 or v_email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$') then
    perform private.fail('KD400', format('%s is not an e-mail address.', v_email));
  end if;
  return v_email;
end
$$;

-- A phone that is no longer in the event: the app server closes its live streams.
create or replace function private.let_go(p_event_id uuid, p_user_id uuid) returns void
language sql volatile
set search_path = ''
as $$
  select realtime.send(jsonb_build_object('userId', p_user_id), 'removed', 'event:' || p_event_id || ':staff', true)
$$;

-- A name as it is compared: no accents, lower case, punctuation and hyphens as spaces. Accents go
-- first, so that lower() meets plain letters whatever the database's locale (in the C locale it
-- lowers only those).
create or replace function private.fold_name(p_name text) returns text
language sql immutable
set search_path = ''
as $$
  select btrim(regexp_replace(
    lower(translate(regexp_replace(normalize(coalesce(p_name, ''), NFD), '[\u0300-\u036f]', '', 'g'), 'øØłŁđĐßı', 'oOlLdDsi')),
    '[\s.,;:''’"()/_-]+', ' ', 'g'))
$$;

-- Whether someone who typed p_typed may be the guest named p_name, forgivingly: the same name in any
-- case, with or without accents; or the guest's surname (its last words) after given names or
-- initials that fit the guest's given names in order ("j. de vries", "J.P. de Vries", "jan vries" for
-- Jan Pieter de Vries). A surname alone, or a first name alone, finds no one: the list stays private.
create or replace function private.name_matches(p_typed text, p_name text) returns boolean
language plpgsql immutable
set search_path = ''
as $$
declare
  v_typed text[] := string_to_array(private.fold_name(p_typed), ' ');
  v_name text[] := string_to_array(private.fold_name(p_name), ' ');
  v_head text[];
  v_given text[];
  v_word text;
  v_at integer;
  v_fits boolean;
begin
  if coalesce(cardinality(v_typed), 0) = 0 or coalesce(cardinality(v_name), 0) = 0 then
    return false;
  end if;
  if v_typed = v_name then
    return true;
  end if;
  -- Try each tail of the typed name as the guest's surname.
  for v_tail in 1 .. cardinality(v_typed) - 1 loop
    if v_tail >= cardinality(v_name) or v_typed[cardinality(v_typed) - v_tail + 1:] <> v_name[cardinality(v_name) - v_tail + 1:] then
      continue;
    end if;
    v_given := v_name[1:cardinality(v_name) - v_tail];
    -- Short words that are not one of the given names are initials run together ("jp").
    v_head := '{}';
    foreach v_word in array v_typed[1:cardinality(v_typed) - v_tail] loop
      if length(v_word) between 2 and 3 and not v_word = any (v_given) then
        v_head := v_head || regexp_split_to_array(v_word, '');
      else
        v_head := v_head || v_word;
      end if;
    end loop;
    -- The first typed word is the first given name or its initial; each next one a later given name.
    v_at := 0;
    v_fits := true;
    foreach v_word in array v_head loop
      loop
        v_at := v_at + 1;
        if v_at > cardinality(v_given) then
          v_fits := false;
        end if;
        exit when not v_fits or v_given[v_at] = v_word or (length(v_word) = 1 and left(v_given[v_at], 1) = v_word);
        if v_at = 1 then
          v_fits := false;
        end if;
      end loop;
      exit when not v_fits;
    end loop;
    if v_fits then
      return true;
    end if;
  end loop;
  return false;
end
$$;

-- The day itself: the event is live, or its date has come (an event without a date is always on).
create or replace function private.on_the_day(p_event public.events) returns boolean
language sql stable
set search_path = ''
as $$
  select p_event.status = 'live' or p_event.starts_on is null or p_event.starts_on <= current_date
$$;

-- Whether a member is an invited guest (has an invitation).
create or replace function private.is_guest(p_member_id uuid) returns boolean
language sql stable
set search_path = ''
as $$
  select exists (select 1 from public.guest_invitations g where g.member_id = p_member_id)
$$;

-- A phone may come in: not removed from the event, and a seat left when the room has a capacity.
create or replace function private.admit(p_event public.events, p_uid uuid) returns void
language plpgsql volatile
set search_path = ''
as $$
begin
  if exists (select 1 from public.event_removals r where r.event_id = p_event.id and r.user_id = p_uid) then
    perform private.fail('KD403', private.said(p_event.language,
      'Je bent uit dit evenement verwijderd.', 'You were removed from this event.'));
  end if;
  if p_event.capacity is not null
     and not exists (select 1 from public.event_members where event_id = p_event.id and user_id = p_uid) then
    -- Joins of one event wait for each other here, so the last seat is given once.
    perform 1 from public.events where id = p_event.id for update;
    if (private.room_json(p_event) ->> 'participants')::integer >= p_event.capacity then
      perform private.fail('KD409', private.said(p_event.language,
        format('De zaal is vol: er kunnen %s deelnemers meedoen. Vraag de organisator om meer plaatsen.', p_event.capacity),
        format('The room is full: it has room for %s participants. Ask the organiser for more seats.', p_event.capacity)));
    end if;
  end if;
end
$$;

-- One account's part of an event goes to another account: its theses and notes, and its votes, one
-- per poll (where both voted, the newer vote stays). Tallies are recounted on the staff screens.
create or replace function private.carry_account(p_event_id uuid, p_from uuid, p_to uuid) returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_polls uuid[];
  v_poll uuid;
  v_moved integer;
begin
  select coalesce(array_agg(poll_id), '{}') into v_polls from public.votes where event_id = p_event_id and voter_id = p_from;
  delete from public.votes f using public.votes t
  where f.event_id = p_event_id and f.voter_id = p_from and t.poll_id = f.poll_id and t.voter_id = p_to and t.updated_at >= f.updated_at;
  delete from public.votes t using public.votes f
  where t.event_id = p_event_id and t.voter_id = p_to and f.poll_id = t.poll_id and f.voter_id = p_from;
  update public.votes set voter_id = p_to where event_id = p_event_id and voter_id = p_from;
  get diagnostics v_moved = row_count;
  -- The receipts answer the old phone's resent requests, which no longer come in.
  delete from public.vote_receipts r using public.polls p where p.id = r.poll_id and p.event_id = p_event_id and r.voter_id = p_from;
  update public.theses t set created_by = p_to,
    idempotency_key = case when exists (select 1 from public.theses x where x.created_by = p_to and x.idempotency_key = t.idempotency_key)
                           then null else t.idempotency_key end
  where t.event_id = p_event_id and t.created_by = p_from;
  update public.notes set author_id = p_to where event_id = p_event_id and author_id = p_from;
  foreach v_poll in array v_polls loop
    perform realtime.send(jsonb_build_object('pollId', v_poll), 'vote', 'event:' || p_event_id || ':staff', true);
  end loop;
  return v_moved;
end
$$;

-- Member p_from turns out to be member p_into: its theses, notes, votes, invitation, attendance and
-- consent go to p_into, and p_from is gone. p_into keeps its name; blanks are filled from p_from.
-- When p_into has no phone yet it takes p_from's; when both have one, p_from's part goes to p_into's.
create or replace function private.absorb_member(p_into public.event_members, p_from public.event_members)
returns public.event_members
language plpgsql volatile
set search_path = ''
as $$
declare
  v_member public.event_members;
  v_takes_account boolean := p_into.user_id is null and p_from.user_id is not null;
  v_later public.event_members := case when coalesce(p_from.consent_answered_at, '-infinity') > coalesce(p_into.consent_answered_at, '-infinity')
                                       then p_from else p_into end;
begin
  update public.theses set author_member_id = p_into.id, author_name = p_into.name where author_member_id = p_from.id;
  if p_from.user_id is not null then
    update public.notes set author_name = p_into.name where event_id = p_into.event_id and author_id = p_from.user_id;
  end if;
  if not private.is_guest(p_into.id) then
    update public.guest_invitations set member_id = p_into.id where member_id = p_from.id;
  end if;
  if p_from.user_id is not null and p_into.user_id is not null and p_from.user_id <> p_into.user_id then
    perform private.carry_account(p_into.event_id, p_from.user_id, p_into.user_id);
  end if;
  delete from public.event_members where id = p_from.id;
  update public.event_members set
    user_id = case when v_takes_account then p_from.user_id else user_id end,
    role = case when v_takes_account and private.role_rank(p_from.role) > private.role_rank(role) then p_from.role else role end,
    organisation = case when organisation = '' then p_from.organisation else organisation end,
    job_title = case when job_title = '' then p_from.job_title else job_title end,
    joined_at = least(joined_at, p_from.joined_at),
    attended_at = least(attended_at, p_from.attended_at),
    listed = v_later.listed,
    consent_answered_at = v_later.consent_answered_at
  where id = p_into.id returning * into v_member;

  perform realtime.send(jsonb_build_object('table', 'event_members', 'op', 'delete', 'id', p_from.id),
                        'change', 'event:' || p_from.event_id || ':staff', true);
  if p_from.user_id is not null and not v_takes_account and p_from.user_id <> p_into.user_id then
    perform private.let_go(p_from.event_id, p_from.user_id);
  end if;
  return v_member;
end
$$;

-- Binds the phone p_uid to the guest (locked by the caller) and records its answer on consent and,
-- on the day, its attendance. A phone that joined as a walk-in first brings its part along. With
-- p_move (the guest's own invitation link) a guest bound to another phone moves to this one, with
-- what that phone did; by name (p_move false) a guest is claimed once.
create or replace function private.bind_guest(
  p_event public.events, p_guest public.event_members, p_uid uuid, p_listed boolean,
  p_organisation text, p_job_title text, p_move boolean
) returns public.event_members
language plpgsql volatile
set search_path = ''
as $$
declare
  v_other public.event_members;
  v_guest public.event_members := p_guest;
begin
  if v_guest.user_id is distinct from p_uid then
    if v_guest.user_id is not null and not p_move then
      perform private.fail('KD409', private.said(p_event.language,
        format('%s doet al mee op een andere telefoon. Bent u dat, vraag dan de organisator de naam vrij te geven.', v_guest.name),
        format('%s has already joined on another phone. If that is you, ask the organiser to release the name.', v_guest.name)));
    end if;
    select * into v_other from public.event_members where event_id = p_event.id and user_id = p_uid;
    if found and (private.is_guest(v_other.id) or v_other.role <> 'participant') then
      perform private.fail('KD409', private.said(p_event.language,
        format('Deze telefoon doet al mee als %s.', v_other.name),
        format('This phone has already joined as %s.', v_other.name)));
    end if;
    perform private.admit(p_event, p_uid);
    if v_guest.user_id is not null then
      perform private.carry_account(p_event.id, v_guest.user_id, p_uid);
      perform private.let_go(p_event.id, v_guest.user_id);
      update public.event_members set user_id = null where id = v_guest.id returning * into v_guest;
    end if;
    if v_other.id is not null then
      v_guest := private.absorb_member(v_guest, v_other);
    else
      update public.event_members set user_id = p_uid where id = v_guest.id returning * into v_guest;
    end if;
  end if;
  update public.event_members set
    listed = coalesce(p_listed, false), consent_answered_at = now(),
    organisation = coalesce(nullif(left(btrim(p_organisation), 160), ''), organisation),
    job_title = coalesce(nullif(left(btrim(p_job_title), 160), ''), job_title),
    attended_at = case when private.on_the_day(p_event) then coalesce(attended_at, now()) else attended_at end
  where id = v_guest.id returning * into v_guest;
  return v_guest;
end
$$;

-- A guest as the organiser's list shows it.
create or replace function private.guest_json(p_member public.event_members, p_invitation public.guest_invitations) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_member.id, 'name', p_member.name, 'organisation', p_member.organisation, 'jobTitle', p_member.job_title,
    'role', p_member.role, 'email', p_invitation.email, 'token', p_invitation.token,
    'listed', p_member.listed, 'consentAnswered', p_member.consent_answered_at is not null,
    'claimed', p_member.user_id is not null, 'attended', p_member.attended_at is not null,
    'attendedAt', p_member.attended_at, 'openedAt', p_invitation.opened_at)
$$;

-- Adds a guest with an invitation, or, when a guest of that name is on the list already, fills in
-- what the new line gives (so pasting a list twice does not list anyone twice).
create or replace function private.put_guest(
  p_event_id uuid, p_name text, p_organisation text, p_job_title text, p_email text,
  p_role text default 'participant', p_listed boolean default false, p_attended_at timestamptz default null
) returns jsonb
language plpgsql volatile
set search_path = ''
as $$
declare
  v_name text := private.clean_text(p_name, 'Name', 120);
  v_email text := private.clean_email(p_email);
  v_member public.event_members;
  v_invitation public.guest_invitations;
  v_added boolean := false;
begin
  select m.* into v_member from public.guest_invitations g join public.event_members m on m.id = g.member_id
  where g.event_id = p_event_id and private.fold_name(m.name) = private.fold_name(v_name)
  order by m.joined_at limit 1 for update of m;
  if found then
    update public.event_members set
      organisation = coalesce(nullif(left(btrim(p_organisation), 160), ''), organisation),
      job_title = coalesce(nullif(left(btrim(p_job_title), 160), ''), job_title)
    where id = v_member.id returning * into v_member;
    update public.guest_invitations set email = coalesce(v_email, email) where member_id = v_member.id returning * into v_invitation;
  else
    -- The list keeps the order guests were added in, also within one paste.
    insert into public.event_members (event_id, role, name, organisation, job_title, listed, joined_at, attended_at, consent_answered_at)
    values (p_event_id, coalesce(p_role, 'participant'), v_name, left(btrim(coalesce(p_organisation, '')), 160),
            left(btrim(coalesce(p_job_title, '')), 160), coalesce(p_listed, false), clock_timestamp(), p_attended_at,
            case when coalesce(p_listed, false) then now() end)
    returning * into v_member;
    insert into public.guest_invitations (member_id, event_id, email) values (v_member.id, p_event_id, v_email) returning * into v_invitation;
    v_added := true;
  end if;
  return private.guest_json(v_member, v_invitation) || jsonb_build_object('added', v_added);
end
$$;

-- The organiser's guest list ----------------------------------------------------------------------

create or replace function public.list_guests(p_event_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
begin
  perform private.require_role(p_event_id, 'organiser');
  return coalesce((
    select jsonb_agg(private.guest_json(m, g) order by m.joined_at, m.id)
    from public.guest_invitations g join public.event_members m on m.id = g.member_id
    where g.event_id = p_event_id), '[]'::jsonb);
end
$$;

-- Adds guests: p_guests is a list of {name, organisation, jobTitle, email}. Whom the list names
-- already is completed, not added again. Consent is not the organiser's to give: guests answer it.
create or replace function public.add_guests(p_event_id uuid, p_guests jsonb) returns jsonb
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_guest jsonb;
  v_result jsonb;
  v_added integer := 0;
  v_guests jsonb := '[]'::jsonb;
begin
  perform private.require_role(p_event_id, 'organiser');
  if p_guests is null or jsonb_typeof(p_guests) <> 'array' then
    perform private.fail('KD400', 'The guests must be a list.');
  end if;
  if jsonb_array_length(p_guests) > 2000 then
    perform private.fail('KD400', 'Add at most 2000 guests at once.');
  end if;
  for v_guest in select value from jsonb_array_elements(p_guests) loop
    if jsonb_typeof(v_guest) <> 'object' then
      perform private.fail('KD400', 'Each guest needs at least a name.');
    end if;
    v_result := private.put_guest(p_event_id, v_guest ->> 'name', v_guest ->> 'organisation', v_guest ->> 'jobTitle', v_guest ->> 'email');
    v_added := v_added + case when (v_result ->> 'added')::boolean then 1 else 0 end;
    v_guests := v_guests || (v_result - 'added');
  end loop;
  return jsonb_build_object('added', v_added, 'updated', jsonb_array_length(v_guests) - v_added, 'guests', v_guests);
end
$$;

create or replace function public.update_guest(
  p_member_id uuid, p_name text, p_organisation text default '', p_job_title text default '', p_email text default null
) returns jsonb
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_member public.event_members;
  v_invitation public.guest_invitations;
  v_email text;
begin
  select * into v_member from public.event_members where id = p_member_id;
  if not found or not private.is_guest(p_member_id) then
    perform private.fail('KD404', 'This guest does not exist.');
  end if;
  perform private.require_role(v_member.event_id, 'organiser');
  v_email := private.clean_email(p_email);
  update public.event_members set name = private.clean_text(p_name, 'Name', 120),
    organisation = left(btrim(coalesce(p_organisation, '')), 160), job_title = left(btrim(coalesce(p_job_title, '')), 160)
  where id = p_member_id returning * into v_member;
  update public.guest_invitations set email = v_email where member_id = p_member_id returning * into v_invitation;
  return private.guest_json(v_member, v_invitation);
end
$$;

-- The organiser frees a claimed name: the phone that claimed it is no longer in the event (its votes
-- stay in the record) and the guest can be claimed again, by name or with the invitation link.
create or replace function public.release_guest(p_member_id uuid) returns jsonb
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_member public.event_members;
begin
  select * into v_member from public.event_members where id = p_member_id for update;
  if not found or not private.is_guest(p_member_id) then
    perform private.fail('KD404', 'This guest does not exist.');
  end if;
  perform private.require_role(v_member.event_id, 'organiser');
  if v_member.user_id = (select auth.uid()) then
    perform private.fail('KD409', 'You cannot release yourself.');
  end if;
  if v_member.role <> 'participant' then
    perform private.fail('KD409', format('%s takes part as %s: make them a participant first, then release the name.',
                                         v_member.name, replace(v_member.role, '_', '-')));
  end if;
  if v_member.user_id is not null then
    update public.event_members set user_id = null where id = p_member_id;
    perform private.let_go(v_member.event_id, v_member.user_id);
  end if;
  return (select private.guest_json(m, g) from public.event_members m join public.guest_invitations g on g.member_id = m.id
          where m.id = p_member_id);
end
$$;

-- The organiser records by hand whether a member was there.
create or replace function public.set_attendance(p_member_id uuid, p_attended boolean) returns jsonb
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_member public.event_members;
begin
  select * into v_member from public.event_members where id = p_member_id;
  if not found then
    perform private.fail('KD404', 'This member does not exist.');
  end if;
  perform private.require_role(v_member.event_id, 'organiser');
  if p_attended is null then
    perform private.fail('KD400', 'Say whether the member attended: true or false.');
  end if;
  update public.event_members set attended_at = case when p_attended then coalesce(attended_at, now()) end
  where id = p_member_id returning * into v_member;
  return jsonb_build_object('memberId', v_member.id, 'attended', v_member.attended_at is not null, 'attendedAt', v_member.attended_at);
end
$$;

-- Two members who turn out to be one person become one: p_merge_member_id's theses, notes and votes
-- (one per poll: the newer stays) go to p_keep_member_id, which keeps its name.
create or replace function public.merge_members(p_keep_member_id uuid, p_merge_member_id uuid) returns jsonb
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_keep public.event_members;
  v_merge public.event_members;
  v_theses integer;
  v_votes integer;
begin
  select * into v_keep from public.event_members where id = p_keep_member_id;
  select * into v_merge from public.event_members where id = p_merge_member_id;
  if v_keep.id is null or v_merge.id is null then
    perform private.fail('KD404', 'This member does not exist.');
  end if;
  perform private.require_role(v_keep.event_id, 'organiser');
  if v_merge.event_id <> v_keep.event_id then
    perform private.fail('KD404', 'Both members must be part of the same event.');
  end if;
  if v_merge.id = v_keep.id then
    perform private.fail('KD400', 'Choose two different members to merge.');
  end if;
  -- Both rows are locked in one order, so two merges at once wait for each other.
  perform 1 from public.event_members where id in (v_keep.id, v_merge.id) order by id for update;
  select * into v_keep from public.event_members where id = p_keep_member_id;
  select * into v_merge from public.event_members where id = p_merge_member_id;
  if v_merge.user_id = (select auth.uid()) then
    perform private.fail('KD409', 'You cannot merge yourself into someone else; merge the other member into you.');
  end if;
  if v_keep.user_id is not null and v_merge.user_id is not null and v_merge.role <> 'participant' then
    perform private.fail('KD409', format('%s takes part as %s on a phone of their own; merge the other member into %s instead.',
                                         v_merge.name, replace(v_merge.role, '_', '-'), v_merge.name));
  end if;
  select count(*) into v_theses from public.theses where author_member_id = v_merge.id;
  select count(*) into v_votes from public.votes where event_id = v_merge.event_id and voter_id = v_merge.user_id;
  v_keep := private.absorb_member(v_keep, v_merge);
  return jsonb_build_object('memberId', v_keep.id, 'name', v_keep.name, 'theses', v_theses, 'votes', v_votes,
                            'attended', v_keep.attended_at is not null, 'listed', v_keep.listed);
end
$$;

-- Phones -------------------------------------------------------------------------------------------

-- Guests whose name fits what someone joining by code typed, at most five, so a stranger with the
-- code learns no more of the list than the names they can already spell.
create or replace function public.find_guests(p_code text, p_name text) returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'organisation', f.organisation, 'claimed', f.claimed,
                                               'exact', f.exact)
                            order by f.exact desc, private.fold_name(f.name)), '[]'::jsonb)
  from (
    select m.id, m.name, m.organisation,
           m.user_id is not null and m.user_id is distinct from (select auth.uid()) as claimed,
           private.fold_name(m.name) = private.fold_name(p_name) as exact
    from public.events e
    join public.guest_invitations g on g.event_id = e.id
    join public.event_members m on m.id = g.member_id
    where e.join_code = upper(btrim(coalesce(p_code, ''))) and e.status <> 'closed'
      and length(btrim(coalesce(p_name, ''))) between 1 and 120
      and private.name_matches(p_name, m.name)
    order by private.fold_name(m.name) = private.fold_name(p_name) desc, private.fold_name(m.name)
    limit 5
  ) f
$$;

drop function public.join_event(text, text, text, text, boolean);

-- Joining by code: as the invited guest p_guest_id (the name typed must fit it), or as a walk-in. A
-- walk-in whose name is exactly that of a guest nobody claimed yet is that guest; one whose name is
-- that of a guest claimed on another phone is refused, so nobody is in the event twice.
create function public.join_event(
  p_code text, p_name text, p_organisation text default '', p_job_title text default '',
  p_listed boolean default false, p_guest_id uuid default null
) returns public.event_members
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_event public.events;
  v_member public.event_members;
  v_guest public.event_members;
begin
  select * into v_event from public.events where join_code = upper(btrim(coalesce(p_code, '')));
  if not found then
    perform private.fail('KD404', 'No event has this code.');
  end if;
  if v_event.status = 'closed' then
    perform private.fail('KD409', 'This event is closed.');
  end if;
  perform private.admit(v_event, v_uid);

  select * into v_member from public.event_members where event_id = v_event.id and user_id = v_uid;
  if p_guest_id is not null then
    select m.* into v_guest from public.event_members m
    where m.id = p_guest_id and m.event_id = v_event.id and private.is_guest(m.id) for update;
    if not found or not private.name_matches(p_name, v_guest.name) then
      perform private.fail('KD404', private.said(v_event.language,
        'Deze naam staat niet op de gastenlijst.', 'This name is not on the guest list.'));
    end if;
  elsif v_member.id is not null and private.is_guest(v_member.id) then
    -- A guest's phone joining again stays that guest.
    v_guest := v_member;
  elsif v_member.id is null then
    select m.* into v_guest from public.guest_invitations g join public.event_members m on m.id = g.member_id
    where g.event_id = v_event.id and private.fold_name(m.name) = private.fold_name(p_name)
    order by m.user_id is null desc, m.joined_at limit 1 for update of m;
  end if;
  if v_guest.id is not null then
    return private.bind_guest(v_event, v_guest, v_uid, p_listed, p_organisation, p_job_title, false);
  end if;

  insert into public.event_members (event_id, user_id, role, name, organisation, job_title, listed, attended_at, consent_answered_at)
  values (v_event.id, v_uid, 'participant', private.clean_text(p_name, 'Name', 120),
          left(btrim(coalesce(p_organisation, '')), 160), left(btrim(coalesce(p_job_title, '')), 160),
          coalesce(p_listed, false), case when private.on_the_day(v_event) then now() end, now())
  on conflict (event_id, user_id) do update set
    name = excluded.name, organisation = excluded.organisation, job_title = excluded.job_title,
    listed = excluded.listed, consent_answered_at = excluded.consent_answered_at,
    attended_at = coalesce(public.event_members.attended_at, excluded.attended_at)
  returning * into v_member;
  return v_member;
end
$$;

-- What a guest's invitation link shows: the event and the guest, and whether this phone is theirs.
create or replace function public.get_invitation(p_token text) returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'event', jsonb_build_object('id', e.id, 'title', e.title, 'date', e.starts_on, 'venue', e.venue,
                                'language', e.language, 'status', e.status, 'code', e.join_code),
    'guest', jsonb_build_object('name', m.name, 'organisation', m.organisation, 'jobTitle', m.job_title,
                                'listed', m.listed, 'consentAnswered', m.consent_answered_at is not null),
    'mine', m.user_id is not null and m.user_id = (select auth.uid()),
    'elsewhere', m.user_id is not null and m.user_id is distinct from (select auth.uid()))
  from public.guest_invitations g
  join public.event_members m on m.id = g.member_id
  join public.events e on e.id = m.event_id
  where g.token = btrim(coalesce(p_token, ''))
$$;

-- The guest opens their invitation on a phone and answers the consent question: the phone is theirs
-- in the event from now on (a phone they used before lets go). On the day, this is attending.
create or replace function public.accept_invitation(p_token text, p_listed boolean default false) returns jsonb
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_invitation public.guest_invitations;
  v_guest public.event_members;
  v_event public.events;
begin
  select * into v_invitation from public.guest_invitations where token = btrim(coalesce(p_token, ''));
  if not found then
    perform private.fail('KD404', 'This invitation link is not valid.');
  end if;
  select * into v_guest from public.event_members where id = v_invitation.member_id for update;
  select * into v_event from public.events where id = v_guest.event_id;
  if v_event.status = 'closed' then
    perform private.fail('KD409', private.said(v_event.language, 'Dit evenement is afgesloten.', 'This event is closed.'));
  end if;
  v_guest := private.bind_guest(v_event, v_guest, v_uid, p_listed, null, null, true);
  update public.guest_invitations set opened_at = coalesce(opened_at, now()) where member_id = v_guest.id;
  return jsonb_build_object('eventId', v_event.id, 'memberId', v_guest.id, 'listed', v_guest.listed,
                            'attended', v_guest.attended_at is not null);
end
$$;

-- A phone that joined before comes back (by code or with its invitation): on the day, it attends.
create or replace function public.check_in(p_event_id uuid) returns boolean
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_event public.events;
  v_attended timestamptz;
begin
  select * into v_event from public.events where id = p_event_id;
  if not found or not private.is_member(p_event_id) then
    perform private.fail('KD403', 'You are not a member of this event.');
  end if;
  update public.event_members set attended_at = coalesce(attended_at, now())
  where event_id = p_event_id and user_id = v_uid and private.on_the_day(v_event) and attended_at is null;
  select attended_at into v_attended from public.event_members where event_id = p_event_id and user_id = v_uid;
  return v_attended is not null;
end
$$;

-- Redefined: members, the recap's source and the archive know guests and attendance --------------

-- A participant added by name is on the day's list (as before) and gets an invitation, so they can
-- join as themselves.
create or replace function public.add_member(
  p_event_id uuid, p_name text, p_organisation text default '', p_job_title text default '',
  p_role text default 'participant', p_listed boolean default false
) returns public.event_members
language plpgsql security definer
set search_path = ''
as $$
declare
  v_guest jsonb;
begin
  perform private.require_role(p_event_id, 'organiser');
  if p_role is null or p_role not in ('organiser', 'chair', 'note_taker', 'participant') then
    perform private.fail('KD400', 'Role must be organiser, chair, note_taker or participant.');
  end if;
  v_guest := private.put_guest(p_event_id, p_name, p_organisation, p_job_title, null, p_role, p_listed, now());
  return (select m from public.event_members m where m.id = (v_guest ->> 'id')::uuid);
end
$$;

create or replace function public.list_members(p_event_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
begin
  perform private.require_role(p_event_id, 'note_taker');
  return coalesce((
    select jsonb_agg(jsonb_build_object(
      'id', m.id, 'role', m.role, 'name', m.name, 'organisation', m.organisation,
      'jobTitle', m.job_title, 'listed', m.listed, 'hasAccount', m.user_id is not null, 'joinedAt', m.joined_at,
      'invited', private.is_guest(m.id), 'attended', m.attended_at is not null)
      order by private.role_rank(m.role) desc, m.name)
    from public.event_members m where m.event_id = p_event_id), '[]'::jsonb);
end
$$;

-- What a recap is written from. Theses the chair never moderated (submitted) or turned down
-- (rejected) never enter a recap. Members say whether they attended: a guest who did not come is no
-- participant of the day (but their name is still withheld from the text unless they consented).
create or replace function public.get_recap_source(p_event_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_event public.events;
begin
  perform private.require_role(p_event_id, 'organiser');
  select * into v_event from public.events where id = p_event_id;
  return jsonb_build_object(
    'event', jsonb_build_object(
      'id', v_event.id, 'title', v_event.title, 'question', v_event.question, 'date', v_event.starts_on,
      'venue', v_event.venue, 'language', v_event.language, 'organisers', to_jsonb(v_event.organisers),
      'chair', v_event.chair_name, 'author', v_event.author_name, 'photosUrl', v_event.photos_url,
      'allowLlm', v_event.allow_llm),
    'members', coalesce((
      select jsonb_agg(jsonb_build_object('name', m.name, 'organisation', m.organisation, 'jobTitle', m.job_title,
                                          'listed', m.listed, 'role', m.role, 'hasAccount', m.user_id is not null,
                                          'attended', m.attended_at is not null)
                       order by m.joined_at, m.id)
      from public.event_members m where m.event_id = p_event_id), '[]'::jsonb),
    'agenda', coalesce((
      select jsonb_agg(jsonb_build_object('id', a.id, 'title', a.title, 'kind', a.kind, 'speaker', a.speaker,
                                          'notes', private.recap_notes(null, a.id), 'polls', private.recap_polls(null, a.id))
                       order by a.position)
      from public.agenda_items a where a.event_id = p_event_id), '[]'::jsonb),
    'theses', coalesce((
      select jsonb_agg(jsonb_build_object('id', t.id, 'text', t.text, 'status', t.status,
                                          'discussedOrder', t.discussed_order, 'position', t.position,
                                          'notes', private.recap_notes(t.id, null), 'polls', private.recap_polls(t.id, null))
                       order by t.discussed_order nulls last, t.position, t.created_at)
      from public.theses t where t.event_id = p_event_id and t.status not in ('submitted', 'rejected')), '[]'::jsonb)
  );
end
$$;

create or replace function public.import_event(p_archive jsonb) returns public.events
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_event public.events;
  v_item jsonb;
  v_index bigint;
  v_agenda_id uuid;
  v_thesis_id uuid;
  v_discussed integer := 0;
  v_status text;
  v_member_id uuid;
begin
  if not private.is_registered_user() then
    perform private.fail('KD403', 'Only organisers with an account can import events.');
  end if;
  insert into public.events (title, question, starts_on, venue, language, join_code, organisers,
                             chair_name, author_name, photos_url, created_by)
  values (p_archive #>> '{event,title}', p_archive #>> '{event,question}', (p_archive #>> '{event,date}')::date,
          p_archive #>> '{event,venue}', coalesce(p_archive #>> '{event,language}', 'nl'), private.new_join_code(),
          coalesce(array(select jsonb_array_elements_text(p_archive #> '{event,organisers}')), '{}'),
          p_archive #>> '{event,chair}', p_archive #>> '{event,author}', p_archive #>> '{event,photosUrl}', v_uid)
  returning * into v_event;
  insert into public.event_secrets (event_id) values (v_event.id);
  insert into public.event_members (event_id, user_id, role, name, listed)
  values (v_event.id, v_uid, 'organiser', coalesce(private.display_name(), 'Organiser'), false);

  -- The archive's people keep its order (the export lists them by joined_at). Guests (all of an
  -- older archive's participants) get an invitation to join as themselves. Only an explicit
  -- listed: true names them in the recap. Without "attended", a day that has passed was attended by
  -- those it lists; the guests of a day still to come have not come yet.
  for v_item, v_index in select * from jsonb_array_elements(coalesce(p_archive -> 'participants', '[]'::jsonb)) with ordinality loop
    insert into public.event_members (event_id, role, name, organisation, job_title, listed, joined_at, attended_at, consent_answered_at)
    values (v_event.id, 'participant', v_item ->> 'name', coalesce(v_item ->> 'organisation', ''), coalesce(v_item ->> 'role', ''),
            coalesce((v_item ->> 'listed')::boolean, false), now() + v_index * interval '1 microsecond',
            case when coalesce((v_item ->> 'attended')::boolean, v_event.starts_on < current_date) then now() end,
            case when (v_item ->> 'listed')::boolean then now() end)
    returning id into v_member_id;
    if coalesce((v_item ->> 'invited')::boolean, true) then
      insert into public.guest_invitations (member_id, event_id, email) values (v_member_id, v_event.id, private.clean_email(v_item ->> 'email'));
    end if;
  end loop;

  for v_item, v_index in select * from jsonb_array_elements(coalesce(p_archive -> 'agenda', '[]'::jsonb)) with ordinality loop
    insert into public.agenda_items (event_id, position, title, kind, speaker, planned_minutes)
    values (v_event.id, v_index - 1, v_item ->> 'title', coalesce(v_item ->> 'kind', 'other'),
            nullif(v_item ->> 'speaker', ''), (v_item ->> 'plannedMinutes')::integer)
    returning id into v_agenda_id;
    perform private.import_notes(v_event.id, v_item -> 'notes', null, v_agenda_id);
    perform private.import_polls(v_event.id, v_item -> 'polls', null, v_agenda_id);
  end loop;

  for v_item, v_index in select * from jsonb_array_elements(coalesce(p_archive -> 'theses', '[]'::jsonb)) with ordinality loop
    v_status := coalesce(v_item ->> 'status', 'approved');
    -- A thesis that was under discussion when the archive was written was, by now, discussed.
    if v_status = 'in_discussion' then
      v_status := 'discussed';
    end if;
    if v_status = 'discussed' then
      v_discussed := v_discussed + 1;
    end if;
    insert into public.theses (event_id, text, author_name, status, position, discussed_order)
    values (v_event.id, v_item ->> 'text', nullif(v_item ->> 'author', ''),
            case when v_status = 'merged' then 'rejected' else v_status end, v_index - 1,
            case when v_status = 'discussed' then v_discussed end)
    returning id into v_thesis_id;
    perform private.import_notes(v_event.id, v_item -> 'notes', v_thesis_id, null);
    perform private.import_polls(v_event.id, v_item -> 'polls', v_thesis_id, null);
  end loop;
  return v_event;
end
$$;

-- The archive lists each person of the event once: the guest list (with e-mail addresses) and the
-- walk-ins, each with attendance and consent. Organisers who run the event in this copy are not
-- people of the day itself.
create or replace function public.export_event(p_event_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_event public.events;
begin
  perform private.require_role(p_event_id, 'organiser');
  select * into v_event from public.events where id = p_event_id;
  return jsonb_build_object(
    'format', 'kennisdag/event-archive@1',
    'event', jsonb_strip_nulls(jsonb_build_object(
      'title', v_event.title, 'question', v_event.question, 'date', v_event.starts_on, 'venue', v_event.venue,
      'language', v_event.language, 'organisers', to_jsonb(v_event.organisers), 'chair', v_event.chair_name,
      'author', v_event.author_name, 'photosUrl', v_event.photos_url)),
    'participants', coalesce((
      select jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
               'name', m.name, 'organisation', m.organisation, 'role', m.job_title, 'listed', m.listed,
               'email', g.email, 'invited', g.member_id is not null, 'attended', m.attended_at is not null))
             order by m.joined_at, m.id)
      from public.event_members m left join public.guest_invitations g on g.member_id = m.id
      where m.event_id = p_event_id and not (m.role = 'organiser' and m.user_id is not null)), '[]'::jsonb),
    'agenda', coalesce((
      select jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
        'title', a.title, 'kind', a.kind, 'speaker', a.speaker, 'plannedMinutes', a.planned_minutes,
        'notes', private.export_notes(null, a.id), 'polls', private.export_polls(null, a.id)))
        order by a.position)
      from public.agenda_items a where a.event_id = p_event_id), '[]'::jsonb),
    'theses', coalesce((
      select jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
        'text', t.text, 'status', t.status, 'author', t.author_name,
        'notes', private.export_notes(t.id, null), 'polls', private.export_polls(t.id, null)))
        order by t.discussed_order nulls last, t.position, t.created_at)
      from public.theses t where t.event_id = p_event_id and t.status <> 'merged'), '[]'::jsonb)
  );
end
$$;

-- Privileges ---------------------------------------------------------------------------------------

-- The helpers run only inside the functions above, as their owner: nobody else calls them.
revoke execute on function private.new_invitation_token(), private.said(text, text, text), private.clean_email(text),
  private.let_go(uuid, uuid), private.fold_name(text),
  private.name_matches(text, text), private.on_the_day(public.events), private.is_guest(uuid),
  private.admit(public.events, uuid), private.carry_account(uuid, uuid, uuid),
  private.absorb_member(public.event_members, public.event_members),
  private.bind_guest(public.events, public.event_members, uuid, boolean, text, text, boolean),
  private.guest_json(public.event_members, public.guest_invitations),
  private.put_guest(uuid, text, text, text, text, text, boolean, timestamptz)
  from public, anon, authenticated;

revoke execute on function public.list_guests(uuid), public.add_guests(uuid, jsonb),
  public.update_guest(uuid, text, text, text, text), public.release_guest(uuid), public.set_attendance(uuid, boolean),
  public.merge_members(uuid, uuid), public.find_guests(text, text),
  public.join_event(text, text, text, text, boolean, uuid), public.get_invitation(text),
  public.accept_invitation(text, boolean), public.check_in(uuid) from public, anon;
grant execute on function public.list_guests(uuid), public.add_guests(uuid, jsonb),
  public.update_guest(uuid, text, text, text, text), public.release_guest(uuid), public.set_attendance(uuid, boolean),
  public.merge_members(uuid, uuid), public.join_event(text, text, text, text, boolean, uuid),
  public.accept_invitation(text, boolean), public.check_in(uuid) to authenticated, service_role;
-- Before a phone has signed in, it may look up its invitation or the guests whose name it typed.
grant execute on function public.find_guests(text, text), public.get_invitation(text) to anon, authenticated, service_role;
