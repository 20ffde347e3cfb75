-- The live day's guarantees: a request delivered again (a phone's outbox resending after a lost
-- answer, or the same request sent many times at once) answers as the first time and changes nothing;
-- a closed event takes no more votes; and what the server relays to phones is small and follows the
-- results rule per phone.

-- Votes ----------------------------------------------------------------------------------------------

-- Every vote request a phone sent with an idempotency key, with the vote it cast. A vote row keeps only
-- the latest request; the receipts let a late copy of an earlier one answer as it did then.
create table public.vote_receipts (
  poll_id uuid not null references public.polls (id) on delete cascade,
  voter_id uuid not null references auth.users (id) on delete cascade,
  idempotency_key text not null check (length(idempotency_key) between 1 and 100),
  option_index integer,
  word text,
  created_at timestamptz not null default now(),
  primary key (poll_id, voter_id, idempotency_key)
);

-- Written and read only by cast_vote (security definer): no client role gets a policy or a grant.
alter table public.vote_receipts enable row level security;
revoke all on public.vote_receipts from public, anon, authenticated;
grant all on public.vote_receipts to service_role;

insert into public.vote_receipts (poll_id, voter_id, idempotency_key, option_index, word, created_at)
select poll_id, voter_id, idempotency_key, option_index, word, updated_at
from public.votes where idempotency_key is not null;

create or replace function public.cast_vote(
  p_poll_id uuid, p_option_index integer default null, p_word text default null,
  p_idempotency_key text default null, p_event_id uuid default null
) returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_poll public.polls;
  v_receipt public.vote_receipts;
  v_vote public.votes;
  v_word text;
begin
  select * into v_poll from public.polls where id = p_poll_id;
  if not found or v_poll.event_id <> coalesce(p_event_id, v_poll.event_id) then
    perform private.fail('KD404', 'This poll does not exist.');
  end if;
  if not private.is_member(v_poll.event_id) then
    perform private.fail('KD403', 'You are not a member of this event.');
  end if;
  if p_idempotency_key is not null then
    select * into v_receipt from public.vote_receipts
    where poll_id = p_poll_id and voter_id = v_uid and idempotency_key = p_idempotency_key;
    if found then
      return jsonb_build_object('pollId', p_poll_id, 'optionIndex', v_receipt.option_index, 'word', v_receipt.word);
    end if;
  end if;
  if (select status from public.events where id = v_poll.event_id) = 'closed' then
    perform private.fail('KD409', 'This event is closed.');
  end if;
  if v_poll.status <> 'open' then
    perform private.fail('KD409', 'This poll is closed.');
  end if;
  if v_poll.kind = 'word_cloud' then
    if p_option_index is not null then
      perform private.fail('KD400', 'Answer a word cloud with a word.');
    end if;
    v_word := lower(private.clean_text(p_word, 'The word', 40));
  else
    -- A form posts its option number as text.
    if p_option_index is null and btrim(p_word) ~ '^\d{1,2}$' then
      p_option_index := btrim(p_word)::integer;
      p_word := null;
    end if;
    if p_word is not null or p_option_index is null then
      perform private.fail('KD400', 'Answer with the number of an option.');
    end if;
    if p_option_index < 0 or p_option_index >= cardinality(v_poll.options) then
      perform private.fail('KD400', format('Choose an option from 0 to %s.', cardinality(v_poll.options) - 1));
    end if;
  end if;
  if p_idempotency_key is not null then
    -- Copies of one request that arrive together: the first records its receipt, the others wait for
    -- it here and answer as it did.
    insert into public.vote_receipts (poll_id, voter_id, idempotency_key, option_index, word)
    values (p_poll_id, v_uid, p_idempotency_key, p_option_index, v_word)
    on conflict do nothing;
    if not found then
      select * into v_receipt from public.vote_receipts
      where poll_id = p_poll_id and voter_id = v_uid and idempotency_key = p_idempotency_key;
      return jsonb_build_object('pollId', p_poll_id, 'optionIndex', v_receipt.option_index, 'word', v_receipt.word);
    end if;
  end if;
  insert into public.votes (poll_id, voter_id, event_id, option_index, word, idempotency_key)
  values (p_poll_id, v_uid, v_poll.event_id, p_option_index, v_word, p_idempotency_key)
  on conflict (poll_id, voter_id) do update set
    option_index = excluded.option_index, word = excluded.word,
    idempotency_key = excluded.idempotency_key, updated_at = now()
  returning * into v_vote;
  return jsonb_build_object('pollId', v_vote.poll_id, 'optionIndex', v_vote.option_index, 'word', v_vote.word);
end
$$;

-- Closing an event closes its poll; cast_vote refuses votes in a closed event.
create or replace function public.set_event_status(p_event_id uuid, p_status text) returns public.events
language plpgsql security definer
set search_path = ''
as $$
declare
  v_event public.events;
begin
  perform private.require_role(p_event_id, 'organiser');
  if p_status is null or p_status not in ('draft', 'live', 'closed') then
    perform private.fail('KD400', 'Status must be draft, live or closed.');
  end if;
  if p_status = 'closed' then
    perform private.close_open_polls(p_event_id);
  end if;
  update public.events set status = p_status where id = p_event_id returning * into v_event;
  return v_event;
end
$$;

-- Theses ---------------------------------------------------------------------------------------------

create or replace function public.submit_thesis(p_event_id uuid, p_text text, p_idempotency_key text default null)
returns public.theses
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_thesis public.theses;
  v_member public.event_members;
begin
  perform private.require_role(p_event_id, 'participant');
  if p_idempotency_key is not null then
    select * into v_thesis from public.theses where created_by = v_uid and idempotency_key = p_idempotency_key;
    if found then
      return v_thesis;
    end if;
  end if;
  if (select status from public.events where id = p_event_id) = 'closed' then
    perform private.fail('KD409', 'This event is closed.');
  end if;
  select * into v_member from public.event_members where event_id = p_event_id and user_id = v_uid;
  -- Copies of one request that arrive together: the first stores the thesis, the others wait for it
  -- here and answer with the stored thesis.
  insert into public.theses (event_id, text, author_member_id, author_name, created_by, status, position,
                             idempotency_key)
  values (p_event_id, private.clean_text(p_text, 'The thesis', 1000), v_member.id, v_member.name, v_uid,
          case when private.role_rank(v_member.role) >= private.role_rank('chair') then 'approved' else 'submitted' end,
          coalesce((select max(position) + 1 from public.theses where event_id = p_event_id), 0),
          p_idempotency_key)
  on conflict (created_by, idempotency_key) do nothing
  returning * into v_thesis;
  if not found then
    select * into v_thesis from public.theses where created_by = v_uid and idempotency_key = p_idempotency_key;
  end if;
  return v_thesis;
end
$$;

-- What the server relays -----------------------------------------------------------------------------

-- What every phone and the projector receive after each change: the projector's view without the
-- agenda and without the theses' texts (a phone shows only its own theses, and learns here how each
-- stands). Kept small, as it goes to every phone in the hall at once.
create or replace function public.live_public_state(p_event_id uuid) returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select (s - 'agenda') || jsonb_build_object('theses', coalesce((
    select jsonb_agg(jsonb_build_object('id', t.thesis -> 'id', 'status', t.thesis -> 'status') order by t.n)
    from jsonb_array_elements(s -> 'theses') with ordinality as t(thesis, n)), '[]'::jsonb))
  from private.event_state(p_event_id, 'projector') s
$$;

-- Which of the given users voted on a poll: the server sends a poll's results before it closes only to
-- the phones of those who voted (private.may_see_results), without a query per phone.
create or replace function public.live_poll_voters(p_poll_id uuid, p_user_ids uuid[]) returns uuid[]
language sql stable security definer
set search_path = ''
as $$
  select coalesce(array_agg(v.voter_id), '{}')
  from public.votes v where v.poll_id = p_poll_id and v.voter_id = any (p_user_ids)
$$;

revoke execute on function public.live_poll_voters(uuid, uuid[]) from public, anon, authenticated;
grant execute on function public.live_poll_voters(uuid, uuid[]) to service_role;
