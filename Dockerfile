# syntax=docker/dockerfile:1
# One image for all six services; SERVICE picks which one (or a comma-separated list, or `all`).
# Build:  docker build --build-arg SERVICE=economic-governor .
# Run another service from the same image:  docker run -e SERVICE=dkg-manager <image>
ARG NODE_IMAGE=node:24.22.3-bookworm-slim
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs24-debian12:nonroot

# Compile TypeScript to dist/ (npm run build also copies the SQL migrations, the pages' static
# files, services/*/page/, and the vote and ownership circuits' verification keys and source
# hashes beside the compiled services; the witness generators and proving keys, 5 MB, are for
# voters, who prove on their own machines: the server only verifies. Test support, services/**/testing/, is neither
# copied nor built), then keep only the production dependencies. Install scripts stay off;
# patches/ (fixes of dependencies not yet released upstream, see patches/README.md) is applied
# explicitly and fails the build if a patch no longer applies.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --ignore-scripts --no-audit --no-fund && npx patch-package --error-on-fail
COPY tsconfig.json tsconfig.build.json ./
COPY services ./services
RUN npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# Distroless: no shell, no package manager, runs as uid 65532 (nonroot).
FROM ${RUNTIME_IMAGE}
ARG SERVICE=aia-api
ARG GIT_REVISION=unknown
# HOST: a container's loopback is unreachable from outside it (docker run -p, a Kubernetes Service).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    SERVICE=${SERVICE} \
    GIT_REVISION=${GIT_REVISION}
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER 65532:65532
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["/nodejs/bin/node", "dist/services/healthcheck.js"]
ENTRYPOINT ["/nodejs/bin/node", "dist/services/main.js"]
CMD []
