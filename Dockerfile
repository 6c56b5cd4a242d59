# syntax=docker/dockerfile:1
# Tracklink production image: compiled JS, production dependencies only, runs as a non-root user.
#   docker build -t tracklink .
#   docker run -p 3000:3000 -v tracklink-data:/data tracklink
# Stage 1 builds with every dependency (TypeScript, Vite); stage 2 carries only what runs.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Toolchain for native modules (better-sqlite3) when no prebuilt binary matches the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    TRACKLINK_COMPILED=1 \
    DATABASE_URL=sqlite:/data/tracklink.db \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/admin/index.html ./web/admin/index.html
COPY --from=build /app/web/admin/dist ./web/admin/dist
# The image's files stay root-owned (read-only to the service); only /data is writable.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# /healthz answers while the process runs; orchestrators that route traffic should probe /readyz.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM starts the graceful shutdown (drain, end live streams, flush the outbox) within 10 s.
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "bin/tracklink.js", "serve"]
