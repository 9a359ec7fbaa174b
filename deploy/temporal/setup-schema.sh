#!/bin/sh
# The compose stack's schema step, run with the official admin tools of the server's own
# version: `setup-schema -v 0.0` creates the version tables on a fresh database and skips a
# database that already has a schema; `update-schema` applies the versions still missing
# (after an image upgrade too). Any failure stops the job, and the server, which waits for
# it to complete successfully, does not start.
set -eu
for pair in temporal:temporal temporal_visibility:visibility; do
  database=${pair%%:*}
  schema=${pair#*:}
  temporal-sql-tool --db "$database" setup-schema -v 0.0
  temporal-sql-tool --db "$database" update-schema --schema-name "postgresql/v12/$schema"
done
echo "temporal schemas are up to date"
