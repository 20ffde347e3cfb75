-- A vote pays only for live work someone receives. On Supabase, phones and the projector listen to the
-- database, and every vote asks private.publish_tally whether a tally is due. Everywhere else the app
-- server's live hub reads the tallies itself and publish_tally returns at once, yet its per-vote trigger
-- still cost a call and a catalogue lookup: a fifth of what a vote costs the database in a hall's burst.
-- So where browsers do not listen to the database, votes no longer fire it. Whether they do is fixed
-- when the migrations run: realtime.messages is there by then (the channel policy of
-- 20261125090400_realtime_and_grants needs it), partitioned by Supabase Realtime and plain in the
-- compatibility layer. The trigger on polls (closed, reopened, revealed) stays on every back end.
do $$
begin
  if not private.browsers_listen_to_database() then
    drop trigger if exists publish_tally_votes on public.votes;
  end if;
end
$$;
