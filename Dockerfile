# One image for every gridfill process (api, console, worker); the compose file picks the command.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 NODE_ENV=production
COPY package.json package-lock.json .npmrc ./
COPY apps ./apps
COPY packages ./packages
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json tsconfig.base.json ./
COPY scripts ./scripts
# On a GPU host, build with --build-arg ORT_INSTALL=cuda12 to fetch onnxruntime's CUDA provider.
ARG ORT_INSTALL=skip
RUN ONNXRUNTIME_NODE_INSTALL=$ORT_INSTALL npm ci --include=dev && npm run build -w @gridfill/web
EXPOSE 4000 3000
ENTRYPOINT ["node", "apps/cli/bin/gridfill.js"]
CMD ["start", "--no-web", "--no-worker"]
