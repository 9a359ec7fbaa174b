# One image for every role of the stack (worker, bridge, temporal-setup, simulator): the
# compose command picks the role. Code is root-owned and read-only to the process; the only
# writable place is the state dir, owned by the non-root `node` user.
ARG NODE_IMAGE=node:22.21.1-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
# bench/ stays out: it imports test helpers, and the image runs none of it.
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    CLORO_TEMPORAL_HOME=/var/lib/cloro-temporal
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /var/lib/cloro-temporal && chown node:node /var/lib/cloro-temporal
USER node
# The worker drains on SIGTERM (--shutdown-grace), the bridge finishes in-flight deliveries.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/src/cli/index.js"]
CMD ["worker", "--http-host", "0.0.0.0"]
