#!/bin/sh
# The compose file's read replica: on first start, copy the primary (pg_basebackup, which also
# writes the standby settings), then run as a streaming replica of it.
set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h postgres -U vigil -d vigil; do sleep 1; done
  PGPASSWORD="$POSTGRES_PASSWORD" pg_basebackup -h postgres -U vigil -D "$PGDATA" -R -X stream
  chmod 700 "$PGDATA"
fi
exec postgres
