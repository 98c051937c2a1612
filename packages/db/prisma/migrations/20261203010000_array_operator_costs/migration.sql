-- Packed rows keep their arrays out of line (TOAST): a chunk's trace ids are ~16 kB, its search
-- hashes more. The planner prices a seq scan by the few heap pages and a filter like
-- `trace_ids && $1` at one comparison per row, so on a small day it chose to scan and detoast
-- every chunk's array (measured: 110 ms for 20 traces on a shard) over the GIN index that finds
-- them (1 ms). Telling it that overlap and containment cost what detoasting costs makes the
-- index win wherever it applies. Only a superuser may change a built-in function's cost: where
-- Vigil's role is not one, this is skipped and the plans stay as PostgreSQL picks them.
DO $$
BEGIN
  ALTER FUNCTION pg_catalog.arrayoverlap(anyarray, anyarray) COST 1000;
  ALTER FUNCTION pg_catalog.arraycontains(anyarray, anyarray) COST 1000;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'array operator costs left as they are: % (needs a superuser)', SQLERRM;
END $$;
