# syntax=docker/dockerfile:1
# Builds any app of the monorepo:  docker build --build-arg APP=state-svc -t kailash/state-svc .
ARG NODE_VERSION=20.20

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /repo
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ARG APP
RUN test -n "${APP}" || (echo "--build-arg APP=<app name> is required" >&2; exit 1)
RUN NX_DAEMON=false NX_NO_CLOUD=true npx nx build "${APP}" && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG APP
ENV NODE_ENV=production APP=${APP}
WORKDIR /app
COPY --from=build --chown=node:node /repo/node_modules ./node_modules
COPY --from=build --chown=node:node /repo/dist/apps/${APP} ./
# A volume mounted here starts owned by the unprivileged user (coordination replicas keep their WAL in it).
RUN mkdir -p /data && chown node:node /data
USER node
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + process.env.PORT + '/health/live').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["sh", "-c", "exec node --enable-source-maps apps/${APP}/src/main.js"]
