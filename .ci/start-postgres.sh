#!/usr/bin/env bash
# Starts the machine's PostgreSQL 15 cluster for the integration tests and prints the connection string to use.
# Idempotent: safe to run when the server is already up. Needs root (it is how these machines run).
set -euo pipefail

version=15
cluster=main
role=workflowhost
password=workflowhost

if ! command -v pg_ctlcluster >/dev/null; then
  echo "PostgreSQL is not installed; installing postgresql-$version" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$version" >/dev/null
fi

if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1==v && $2==c' | grep -q .; then
  pg_createcluster "$version" "$cluster" >/dev/null
fi

if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1==v && $2==c && $4=="online"' | grep -q .; then
  pg_ctlcluster "$version" "$cluster" start
fi

for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done

# A login role that may create the per-test-class databases; password authentication over TCP on loopback.
runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password';
  END IF;
END
\$\$;
-- DROP DATABASE … WITH (FORCE) ends every session on a test database, an autovacuum worker's too; without this role a
-- worker that happens to be vacuuming the database when a test class ends makes the drop fail (42501).
GRANT pg_signal_backend TO $role;
SQL

echo "Host=127.0.0.1;Port=5432;Username=$role;Password=$password"
