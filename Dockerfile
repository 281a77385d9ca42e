# The snn-atpg image for cluster runs (deploy/kubernetes, deploy/slurm):
#   docker build -t snn-atpg .
#   docker run --rm -v "$PWD/out:/data" snn-atpg coverage bnn-784x1024x10 /data/p.jsonl --shard 0/3 --out /data/part-0.jsonl
# `npm ci` installs the dependencies and builds dist/ (the `prepare` script); the entry
# point is the tool itself, so the container's arguments are a snn-atpg command line.
FROM node:20-bookworm-slim
WORKDIR /opt/snn-atpg
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY src ./src
COPY bin ./bin
COPY testbenches ./testbenches
COPY fault-models ./fault-models
COPY march-tests ./march-tests
COPY instruments ./instruments
COPY devices ./devices
COPY schemas ./schemas
COPY tsconfig.json ./
RUN npm ci && npm cache clean --force
ENTRYPOINT ["node", "/opt/snn-atpg/bin/snn-atpg.js"]
