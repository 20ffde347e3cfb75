-- An event's glossary: the abbreviations its note-takers use ("SM = sociale media"), which the recap
-- drafter writes out in full. Organisers read and replace it as a whole through the two functions
-- below; nobody writes the table directly.

create table public.glossary_terms (
  event_id uuid not null references public.events (id) on delete cascade,
  position integer not null check (position between 0 and 199),
  term text not null check (length(btrim(term)) between 1 and 40 and term !~ '[=\n]'),
  expansion text not null check (length(btrim(expansion)) between 1 and 200 and expansion !~ '\n'),
  primary key (event_id, position)
);
-- A term means one thing in an event, however it is capitalised.
create unique index glossary_terms_term on public.glossary_terms (event_id, lower(btrim(term)));

alter table public.glossary_terms enable row level security;
revoke all on public.glossary_terms from public, anon, authenticated;
grant select on public.glossary_terms to authenticated;
grant all on public.glossary_terms to service_role;

create policy "organisers read their event's glossary" on public.glossary_terms
  for select to authenticated using (private.has_role(event_id, 'organiser'));

-- Runs with the rights of the function that calls it (the two below, which check the role first).
create or replace function private.glossary_json(p_event_id uuid) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'language', (select e.language from public.events e where e.id = p_event_id),
    'terms', coalesce((
      select jsonb_agg(jsonb_build_object('term', g.term, 'expansion', g.expansion) order by g.position)
      from public.glossary_terms g where g.event_id = p_event_id), '[]'::jsonb))
$$;

create or replace function public.get_event_glossary(p_event_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
begin
  perform private.require_role(p_event_id, 'organiser');
  return private.glossary_json(p_event_id);
end
$$;

-- Replaces the whole glossary with p_terms, a list of {term, expansion}, in that order.
create or replace function public.set_event_glossary(p_event_id uuid, p_terms jsonb) returns jsonb
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_entry jsonb;
  v_position integer := 0;
  v_term text;
begin
  perform private.require_role(p_event_id, 'organiser');
  if p_terms is null or jsonb_typeof(p_terms) <> 'array' then
    perform private.fail('KD400', 'The glossary must be a list of terms.');
  end if;
  if jsonb_array_length(p_terms) > 200 then
    perform private.fail('KD400', 'The glossary holds at most 200 terms.');
  end if;
  delete from public.glossary_terms where event_id = p_event_id;
  for v_entry in select value from jsonb_array_elements(p_terms) loop
    if jsonb_typeof(v_entry) <> 'object' then
      perform private.fail('KD400', 'Each glossary entry needs a term and an expansion.');
    end if;
    v_term := private.clean_text(v_entry ->> 'term', 'The term', 40);
    if exists (select 1 from public.glossary_terms g where g.event_id = p_event_id and lower(btrim(g.term)) = lower(v_term)) then
      perform private.fail('KD400', format('%s is in the glossary twice.', v_term));
    end if;
    insert into public.glossary_terms (event_id, position, term, expansion)
    values (p_event_id, v_position, v_term, private.clean_text(v_entry ->> 'expansion', 'The expansion', 200));
    v_position := v_position + 1;
  end loop;
  return private.glossary_json(p_event_id);
end
$$;

revoke execute on function private.glossary_json(uuid) from public, anon, authenticated;
grant execute on function private.glossary_json(uuid) to service_role;
revoke execute on function public.get_event_glossary(uuid), public.set_event_glossary(uuid, jsonb) from public, anon;
grant execute on function public.get_event_glossary(uuid), public.set_event_glossary(uuid, jsonb) to authenticated, service_role;
