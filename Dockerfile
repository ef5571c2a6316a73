# syntax=docker/dockerfile:1
#
# Conduit: the API (NestJS on Fastify) serving the built web app, in one image.
#
#   docker build -t conduit .
#   docker compose up        # with PostgreSQL; see docker-compose.yml
#
# Without DATABASE_URL the API would start its embedded PostgreSQL in DATA_DIR (/app/.data);
# in a container, give it a real PostgreSQL instead.

# ---------------------------------------------------------------------------------------------
FROM node:24-bookworm-slim AS build

# corepack is unreliable here (registry signature check) and newer pnpm releases refuse this
# workspace: install exactly the pinned version.
RUN npm i -g pnpm@12.4.2

WORKDIR /app
# CI=true: non-interactive, and a plain install never rewrites the lockfile.
ENV CI=true

# Dependencies first, so that this layer is reused until a manifest or the lockfile changes.
# libs/contracts is copied whole: pnpm runs its `prepare` script (tsc) during the install.
# A new workspace package must be added here too (the frozen install fails loudly otherwise).
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY libs/contracts/ libs/contracts/
RUN pnpm install --frozen-lockfile

COPY . .
RUN pnpm --filter @conduit/contracts build \
 && pnpm --filter @conduit/web build \
 && pnpm --filter @conduit/api build

# ---------------------------------------------------------------------------------------------
FROM node:24-bookworm-slim AS runtime

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    WEB_DIST=/app/apps/web/dist

WORKDIR /app

# The workspace layout is kept: pnpm's node_modules are symlinks into /app/node_modules/.pnpm
# and apps/api/node_modules/@conduit/contracts points at libs/contracts (COPY keeps symlinks).
# The package.json files matter at run time: "type" and "exports" decide how Node loads dist/.
# Everything stays owned by root, read-only for the app user.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/libs/contracts/package.json ./libs/contracts/
COPY --from=build /app/libs/contracts/node_modules ./libs/contracts/node_modules
COPY --from=build /app/libs/contracts/dist ./libs/contracts/dist
COPY --from=build /app/apps/api/package.json ./apps/api/
COPY --from=build /app/apps/api/node_modules ./apps/api/node_modules
COPY --from=build /app/apps/api/dist ./apps/api/dist
COPY --from=build /app/apps/web/dist ./apps/web/dist

# DATA_DIR default (/app/.data): only used by the embedded PostgreSQL when DATABASE_URL is unset.
RUN mkdir -p /app/.data && chown node:node /app/.data

# The `node` user (uid 1000) of the official image.
USER node

EXPOSE 3000

# Liveness: 200 while the process runs; it never touches the database, so a database restart
# does not mark every container unhealthy at once (readiness, /api/health/ready, is for the load
# balancer). Uses PORT, so it follows an override; assumes HOST is a wildcard (0.0.0.0 or ::)
# or includes 127.0.0.1.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Exec form: node gets SIGTERM directly (or from the init that `init: true` adds in compose),
# and main.ts shuts down gracefully: readiness 503 for SHUTDOWN_GRACE (10 s), then it drains and
# exits 0. Give the container longer than that to stop (compose: stop_grace_period).
# Migrations: `node apps/api/dist/migrate.js` (the compose file's `migrate` service).
CMD ["node", "apps/api/dist/main.js"]
