#!/bin/sh
# Run once by the postgres image when it creates the primary's data directory: lets the
# compose file's read replica (another container) stream from it as the vigil user.
set -e
echo "host replication vigil all scram-sha-256" >> "$PGDATA/pg_hba.conf"
