-- An organiser's name as others see it (on the staff pages, in the notes' authors, in the events
-- created from now on), set by the organiser; until then the account's name, else the e-mail's
-- first part.

alter table public.organisers add column display_name text check (length(btrim(display_name)) between 1 and 120);

create or replace function private.display_name() returns text
language sql stable security definer
set search_path = ''
as $$
  select coalesce((select o.display_name from public.organisers o where o.user_id = u.id),
                  private.metadata_name(u.raw_user_meta_data), split_part(u.email, '@', 1), 'Organiser')
  from auth.users u where u.id = (select auth.uid())
$$;

-- The signed-in organiser's own account.
create or replace function public.get_my_account() returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_organiser();
begin
  return (select jsonb_build_object('userId', u.id, 'email', u.email, 'name', private.display_name())
          from auth.users u where u.id = v_uid);
end
$$;

-- Sets the organiser's name, and renames the organiser in the events where they run the day (their
-- staff memberships); a phone's name in an event stays as it was typed there.
create or replace function public.set_my_name(p_name text) returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_organiser();
  v_name text := private.clean_text(p_name, 'Name', 120);
begin
  update public.organisers set display_name = v_name where user_id = v_uid;
  update public.event_members set name = v_name where user_id = v_uid and role <> 'participant';
  return public.get_my_account();
end
$$;

revoke execute on function public.get_my_account(), public.set_my_name(text) from public, anon;
grant execute on function public.get_my_account(), public.set_my_name(text) to authenticated, service_role;
