# newsdigest on Node 24 LTS. Three stages: the production dependencies alone (`npm ci --omit=dev`), the TypeScript
# build (all dependencies), and the runtime image holding only what runs, as the unprivileged `node` user.

# ---- production dependencies: exactly the lock file, without dev dependencies ----
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would compile TypeScript, which needs the dev dependencies; the one native module
# (sqlite3, through @keyv/sqlite) is then built on its own, with the toolchain in case no prebuilt binary fits.
RUN apt-get update -qq \
  && apt-get install -y -qq --no-install-recommends python3 make g++ >/dev/null \
  && rm -rf /var/lib/apt/lists/* \
  && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && npm rebuild sqlite3 \
  && npm cache clean --force

# ---- build: every dependency, tsc to dist/ ----
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY src ./src
RUN npm run build

# ---- runtime ----
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
  NEWSDIGEST_OPS_PORT=9464 \
  NEWSDIGEST_OPS_HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY config ./config
COPY package.json ./
# SQLite (the default storage) writes to ./data; mount a volume there to keep it across containers.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
# /healthz and /metrics, turned on by NEWSDIGEST_OPS_PORT (set it empty to turn them off; then run --no-healthcheck).
EXPOSE 9464
# Readiness from inside the container: storage, the job queue's Redis, Slack and Discord. No curl in slim images:
# Node's own fetch, with a deadline shorter than the check's timeout.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.NEWSDIGEST_OPS_PORT+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/newsdigest.js"]
# Reads /app/newsdigest.yaml (mount it) or $NEWSDIGEST_CONFIG; secrets come from the environment.
CMD ["run"]
