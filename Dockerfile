# The SkillDelta harness itself: Node 24 + the docker CLI, driving the host's Docker daemon
# through its socket. Built FROM the offline base that `skilldelta env build` creates, with
# Debian packages and the npm registry only (no Docker Hub):
#   npx skilldelta env build && docker build --network host -t skilldelta .
ARG BASE=skilldelta-base:latest
FROM ${BASE}
ENV DEBIAN_FRONTEND=noninteractive
# Debian's nodejs/npm only bootstrap Node 24 from the npm registry, then go away again.
RUN apt-get update \
 && apt-get install -y --no-install-recommends docker.io git ca-certificates debootstrap nodejs npm \
 && npm install -g --prefix /opt/node24 node@24 npm@11 \
 && apt-get purge -y nodejs npm && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/* /root/.npm
ENV PATH=/opt/node24/bin:$PATH
WORKDIR /opt/skilldelta
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && rm -rf /root/.npm
COPY harness ./harness
COPY environments ./environments
COPY tasks ./tasks
COPY examples ./examples
ENTRYPOINT ["node", "/opt/skilldelta/harness/bin/skilldelta.js"]
CMD ["--help"]
