# newsroom-bot in a container: `npm start -- --serve` as the main process, so it serves Slack and
# Discord when their tokens are set and runs headless (feeds, folders, digests, health) when not.
# Health: GET /readyz on HEALTH_PORT (8080), answered on all interfaces inside the container.
# Built and started by test/docker/compose.test.ts wherever a Docker engine is available.

# Dependencies, with the tools better-sqlite3 needs when no prebuilt binary fits.
FROM node:20-bookworm-slim AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HEALTH_PORT=8080 \
    HEALTH_HOST=0.0.0.0 \
    DATABASE_PATH=/data/newsroom.db
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
COPY config ./config
COPY examples ./examples
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# 8080: /healthz and /readyz; 3000: Slack's HTTP mode (SLACK_PORT), when used.
EXPOSE 8080 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HEALTH_PORT||8080)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "src/main.ts", "--serve"]
