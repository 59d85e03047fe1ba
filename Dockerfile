# syntax=docker/dockerfile:1
# The app: collector + HTTP API + web app (`callcenter start`), Node 20. Build context: the
# repository root. PostgreSQL client 15 for the nightly pg_dump (the compose database is 15).
#   docker build -t callcenter/app .

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY sql/package.json sql/
COPY analytics/package.json analytics/
COPY platform/package.json platform/
COPY ingest/package.json ingest/
COPY archive/package.json archive/
COPY live/package.json live/
COPY api/package.json api/
COPY web/package.json web/
COPY asterisk/package.json asterisk/
COPY cli/package.json cli/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build -w web && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-client-15 ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=8080 \
    RECORDINGS_DIR=/recordings
WORKDIR /app
COPY --from=build --chown=node:node /app /app
# Mount points owned by the app's user, so named volumes start writable for it.
RUN mkdir -p /data /recordings /archive /generated && chown node:node /data /archive /generated
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["tini", "--", "node", "bin/callcenter.mjs"]
CMD ["start", "--no-replay"]
