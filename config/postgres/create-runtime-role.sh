#!/bin/sh
# Run once by the postgres image when its data volume is first initialised
# (/docker-entrypoint-initdb.d): creates the runtime role the workers log in as. It owns nothing;
# the migrate service (the owner role "rekko") grants it exactly the statements the worker needs.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="$WORKER_DB_PASSWORD" <<'SQL'
CREATE ROLE rekko_worker LOGIN PASSWORD :'password';
SQL
