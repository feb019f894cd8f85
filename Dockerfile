# newsdigest on Node 24 LTS. Build stage compiles TypeScript; the runtime stage holds only what runs.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
COPY config ./config
# npm ci compiles through the prepare script; sqlite3 fetches its prebuilt binary (or builds with the toolchain)
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 make g++ >/dev/null \
  && npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY config ./config
COPY package.json ./
# SQLite (the default storage) writes to ./data; mount a volume there to keep it across containers.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
ENTRYPOINT ["node", "bin/newsdigest.js"]
# Reads /app/newsdigest.yaml (mount it) or $NEWSDIGEST_CONFIG; secrets come from the environment.
CMD ["run"]
