#!/bin/sh
# The compose stack's database init step: one PostgreSQL instance, a role and databases for
# Temporal (temporal, temporal_visibility) and a role and database for the results store
# (cloro). Runs on every `up`: creates what is missing, and sets both roles' passwords from
# the environment, so rotating one in .env takes effect on the next `up`. Each role can
# connect to its own databases only.
set -eu
: "${TEMPORAL_DB_PASSWORD:?}" "${CLORO_DB_PASSWORD:?}"

psql -v ON_ERROR_STOP=1 -v temporal_password="$TEMPORAL_DB_PASSWORD" -v cloro_password="$CLORO_DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', name)
  FROM unnest(ARRAY['temporal', 'cloro']) AS name
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name)\gexec
ALTER ROLE temporal WITH LOGIN PASSWORD :'temporal_password';
ALTER ROLE cloro WITH LOGIN PASSWORD :'cloro_password';

SELECT format('CREATE DATABASE %I OWNER %I', d.name, d.owner)
  FROM (VALUES ('temporal', 'temporal'), ('temporal_visibility', 'temporal'), ('cloro', 'cloro')) AS d(name, owner)
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = d.name)\gexec
SELECT format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', name)
  FROM unnest(ARRAY['temporal', 'temporal_visibility', 'cloro']) AS name\gexec
SQL
echo "databases temporal, temporal_visibility and cloro are ready"
