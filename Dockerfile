# syntax=docker/dockerfile:1
# One recipe for both services: docker-compose.yml builds it with SERVICE=controller or
# SERVICE=executor (and checks their health). Build context: the repository root.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/executor-client/package.json packages/executor-client/
COPY packages/router-sim/package.json packages/router-sim/
COPY packages/service-kit/package.json packages/service-kit/
COPY packages/web-console/package.json packages/web-console/
COPY services/controller/package.json services/controller/
COPY services/executor/package.json services/executor/
RUN npm ci --no-audit --no-fund

# Type-check the whole tree (an image is only built from code that compiles) and build the
# web console into packages/web-console/dist, which the controller serves at /.
FROM deps AS build
COPY . .
RUN npm run typecheck && npm run build -w @netpilot/web-console

FROM node:20-bookworm-slim AS runtime
ARG SERVICE
RUN test "$SERVICE" = controller || test "$SERVICE" = executor
ENV NODE_ENV=production SERVICE=${SERVICE}
WORKDIR /app
COPY --from=deps /app/package.json /app/package-lock.json ./
COPY --from=deps /app/packages ./packages
COPY --from=deps /app/services ./services
RUN npm ci --omit=dev --no-audit --no-fund -w "@netpilot/${SERVICE}" && npm cache clean --force
COPY --from=build /app/packages ./packages
# The console's sources and dev tooling stay behind: only its built files are served.
RUN rm -rf packages/web-console/src packages/web-console/node_modules
COPY --from=build /app/services/${SERVICE} ./services/${SERVICE}
# The controller applies these at start; the executor never reads them.
COPY --from=build /app/migrations ./migrations
USER node
CMD exec node --import tsx "services/${SERVICE}/src/main.ts"
